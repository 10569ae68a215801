"""The surveys run in a period with their headline results, as figures of a 6-month or annual
report (``reporting.figures``), registered with ``reporting.extensions`` in
``SurveysConfig.ready()`` (reporting may not import surveys).

A survey counts in the period when it received answers then; ``unit_ids`` (a đảng bộ's report)
keeps the surveys its units ran. The headline is the first single-choice question's leading
answer (not the respondents' area, sex or age group) over the whole sample, weighted when the
survey has weights (its page has the rest, with margins of error); a cell the public page would
hide (fewer than five answers) is not quoted.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from documents.archive import vn_int
from reporting.figures import FigureBlock, FigureTable
from surveys.analysis.results import analyse
from surveys.analysis.vocabulary import CATEGORICAL, SMALL_CELL, VARIABLES
from surveys.models import Survey

SHOWN = 8  # surveys in the table (the most answered first)


def headline(survey: Survey) -> str:
    """ "Q label: leading answer 62,5%" for the first single-choice question answered (the
    respondents' area, sex and age group are who answered, not what they said)."""
    analysis = analyse(survey)
    for result in analysis.frequencies():
        if result.kind != CATEGORICAL or not result.rows or result.hidden:
            continue
        if result.question.name in VARIABLES:
            continue
        rows = [r for r in result.rows if r.n >= SMALL_CELL and not r.suppressed]
        if not rows:
            continue
        use_weights = result.weighted
        best = max(rows, key=lambda r: (r.weighted_percent if use_weights and
                                        r.weighted_percent is not None else r.percent))
        share = (best.weighted_percent if use_weights and best.weighted_percent is not None
                 else best.percent)
        return f"{result.question.label}: {best.label} {share:.1f}%".replace(".", ",")
    return ""


def survey_figures(start: dt.date, end: dt.date,
                   unit_ids: set[int] | None = None) -> FigureBlock | None:
    in_period = Q(responses__received_at__date__range=(start, end))
    surveys = Survey.objects.annotate(
        in_period=Count("responses", filter=in_period), total=Count("responses")
    ).filter(in_period__gt=0)
    if unit_ids is not None:
        surveys = surveys.filter(unit_id__in=unit_ids)
    surveys = list(surveys.order_by("-in_period", "title"))
    if not surveys:
        return None
    answers = sum(s.in_period for s in surveys)
    rows = []
    for i, survey in enumerate(surveys[:SHOWN], start=1):
        state = "Đang thu thập" if survey.is_open else survey.get_status_display()
        rows.append((i, survey.title, survey.in_period, state, headline(survey)))
    lines = [f"Tổ chức {len(surveys)} cuộc khảo sát dư luận, thu {vn_int(answers)} phiếu trả"
             " lời trong kỳ"]
    lines += [f"«{title}»: {result}" for _, title, _, _, result in rows[:3] if result]
    return FigureBlock(
        key="khao_sat", title="Khảo sát dư luận xã hội", order=55, lines=tuple(lines),
        tables=(FigureTable("Các cuộc khảo sát trong kỳ",
                            ("STT", "Cuộc khảo sát", "Phiếu trong kỳ", "Tình trạng",
                             "Kết quả chính"), tuple(rows), "Khảo sát"),),
    )
