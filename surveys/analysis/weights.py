"""Population margins and the survey weights computed from them.

Margins: areas from :class:`orgs.models.Area.population` (the survey's target areas, else every
area with a population); gender and age group from :class:`PopulationMargin` rows, the survey's
own rows replacing the ward's default (``survey=None``) variable by variable. Each variable's
totals are scaled to a common population total, so a registry count of men and women that
differs a little from the sum of the areas does not stop the weighting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from orgs.models import Area
from surveys.analysis.frame import ResponseTable
from surveys.analysis.questions import QuestionFrame, question_frame
from surveys.analysis.vocabulary import (
    AGE_GROUP,
    AREA,
    EDITABLE_VARIABLES,
    GENDER,
    METHODS,
    VARIABLES,
    vn_int,
)
from surveys.models import PopulationMargin, Survey
from surveystats import SurveyStatsError, poststratify, rake, weight_summary


@dataclass
class MarginVariable:
    variable: str  # AREA, GENDER, AGE_GROUP
    populations: dict[str, float]  # category code (area: name) -> population
    labels: dict[str, str]  # category code -> label shown
    source: str  # where the numbers come from, in words

    @property
    def label(self) -> str:
        return VARIABLES[self.variable]

    @property
    def total(self) -> float:
        return float(sum(self.populations.values()))

    def rows(self) -> list[tuple[str, str, float, float]]:
        """(code, label, population, share %) for the page."""
        total = self.total or 1.0
        return [
            (code, self.labels.get(code, code), pop, 100.0 * pop / total)
            for code, pop in self.populations.items()
        ]


def population_margins(survey: Survey, frame: QuestionFrame | None = None
                       ) -> dict[str, MarginVariable]:
    """Known population totals per variable (a variable without any is absent)."""
    frame = question_frame(survey) if frame is None else frame
    labels = frame.choice_labels
    margins: dict[str, MarginVariable] = {}
    targets = list(survey.target_areas.all())
    if targets:
        areas, source = targets, "Số nhân khẩu các tổ dân phố thuộc địa bàn khảo sát"
    else:
        areas = list(Area.objects.filter(population__gt=0))
        source = "Số nhân khẩu các tổ dân phố của phường"
    areas = [area for area in areas if area.population > 0]
    if areas:
        margins[AREA] = MarginVariable(
            AREA, {a.name: float(a.population) for a in sorted(areas, key=lambda a: a.name)},
            {a.name: a.name for a in areas}, source,
        )
    rows = list(
        PopulationMargin.objects.filter(variable__in=EDITABLE_VARIABLES)
        .filter(survey__isnull=True).values_list("variable", "category", "population")
    )
    own = list(
        PopulationMargin.objects.filter(variable__in=EDITABLE_VARIABLES, survey=survey)
        .values_list("variable", "category", "population")
    )
    for variable in EDITABLE_VARIABLES:
        mine = [(c, p) for v, c, p in own if v == variable]
        ward = [(c, p) for v, c, p in rows if v == variable]
        chosen, source = (mine, "Riêng cuộc khảo sát này") if mine else (
            ward, "Cơ cấu dân số mặc định của phường")
        if not chosen:
            continue
        question = frame.question(_field_of(survey, variable))
        order = [name for name, _ in question.choices] if question else []
        chosen.sort(key=lambda cp: (order.index(cp[0]) if cp[0] in order else len(order), cp[0]))
        margins[variable] = MarginVariable(
            variable, {c: float(p) for c, p in chosen},
            {c: labels[variable].get(c, c) for c, _ in chosen}, source,
        )
    return margins


def _field_of(survey: Survey, variable: str) -> str:
    return {AREA: survey.area_field, GENDER: survey.gender_field,
            AGE_GROUP: survey.age_group_field}[variable]


@dataclass
class Weighting:
    method: str
    variables: list[str]  # used
    margins: dict[str, MarginVariable]  # every known margin (used or not)
    weights: np.ndarray | None = None  # one per row of the table; None: not weighted
    error: str = ""
    notes: list[str] = field(default_factory=list)
    population_total: float = 0.0

    @property
    def ok(self) -> bool:
        return self.weights is not None

    @property
    def method_label(self) -> str:
        return METHODS.get(self.method, self.method)

    @property
    def summary(self):
        return weight_summary(self.weights) if self.weights is not None else None

    @property
    def variable_labels(self) -> list[str]:
        return [VARIABLES[v] for v in self.variables]


def weighting_column(table: ResponseTable, variable: str) -> np.ndarray:
    return {AREA: table.area, GENDER: table.gender, AGE_GROUP: table.age_group}[variable]


def compute_weights(survey: Survey, table: ResponseTable, *,
                    frame: QuestionFrame | None = None,
                    margins: dict[str, MarginVariable] | None = None,
                    method: str | None = None, variables: Sequence[str] | None = None
                    ) -> Weighting:
    """Weights for every row of ``table`` to the survey's population margins.

    ``frame`` is the request's question frame and ``margins`` the survey's population margins,
    when the caller already has them. Never raises on bad data: a problem is returned as
    ``error`` (a Vietnamese sentence) and the caller shows unweighted results with that sentence.
    """
    margins = population_margins(survey, frame) if margins is None else margins
    method = method or survey.weighting_method or "raking"
    chosen = [v for v in (variables if variables is not None else survey.weighting_variables)
              if v in VARIABLES]
    result = Weighting(method=method, variables=[], margins=margins)
    if method not in METHODS:
        result.error = f"Phương pháp gia quyền “{method}” không có; chọn raking hoặc poststrat."
        return result
    if table.n == 0:
        result.error = "Chưa có phiếu trả lời nào để tính trọng số."
        return result
    if chosen:
        missing = [VARIABLES[v] for v in chosen if v not in margins]
        if missing:
            result.error = (
                f"Chưa có cơ cấu dân số cho {', '.join(m.lower() for m in missing)}. "
                "Ban Xây dựng Đảng nhập ở trang “Trọng số” (giới tính, nhóm tuổi) hoặc nhập số"
                " nhân khẩu của các tổ dân phố (địa bàn)."
            )
            return result
    else:
        chosen = [v for v in VARIABLES if v in margins]
        for variable in VARIABLES:
            if variable not in margins:
                result.notes.append(
                    f"Chưa có cơ cấu dân số theo {VARIABLES[variable].lower()} nên không dùng"
                    " biến này để gia quyền."
                )
        if not chosen:
            result.error = (
                "Chưa có cơ cấu dân số nào (số nhân khẩu tổ dân phố, cơ cấu giới tính, nhóm"
                " tuổi) nên chỉ có kết quả chưa gia quyền."
            )
            return result
        if method == "poststrat" and len(chosen) > 1:
            chosen = chosen[:1]
            result.notes.append(
                f"Hậu phân tầng dùng một biến: {VARIABLES[chosen[0]].lower()}."
            )
    if method == "poststrat" and len(chosen) != 1:
        result.error = (
            "Hậu phân tầng cần đúng một biến gia quyền; chọn một biến hoặc dùng cân chỉnh lặp."
        )
        return result
    columns: dict[str, list] = {}
    targets: dict[str, dict[str, float]] = {}
    common_total = margins[chosen[0]].total
    for variable in chosen:
        margin = margins[variable]
        label = VARIABLES[variable]
        values = weighting_column(table, variable)
        absent = int(sum(1 for v in values if v is None))
        if absent:
            example = table.instance_ids[next(i for i, v in enumerate(values) if v is None)]
            result.error = (
                f"Có {absent} phiếu chưa có thông tin {label.lower()} (ví dụ phiếu {example})"
                f" nên không tính được trọng số theo biến này. Bỏ biến {label.lower()} khỏi"
                " trọng số hoặc bổ sung câu trả lời."
            )
            return result
        # Categories are shown by their labels so surveystats' messages read naturally.
        columns[label] = [margin.labels.get(v, v) for v in values]
        scale = common_total / margin.total
        targets[label] = {margin.labels.get(c, c): p * scale for c, p in
                          margin.populations.items()}
        if abs(margin.total - common_total) > 1e-9 * common_total:
            result.notes.append(
                f"Tổng dân số theo {label.lower()} ({vn_int(margin.total)}) khác tổng theo"
                f" {VARIABLES[chosen[0]].lower()} ({vn_int(common_total)}); đã dùng tỷ lệ của"
                " từng nhóm."
            )
    try:
        if method == "poststrat":
            weights = poststratify(columns, targets)
        else:
            weights = rake(columns, targets)
    except SurveyStatsError as exc:
        result.error = f"Không tính được trọng số: {exc}"
        return result
    result.weights = np.asarray(weights, dtype=float)
    result.variables = chosen
    result.population_total = common_total
    return result
