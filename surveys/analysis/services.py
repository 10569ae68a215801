"""Writes of the analysis side: a survey's own population margins and its weighting settings.

Only the office writes. Each function runs in one transaction and appends an audit entry. Area
totals are not written here: they are the areas' populations in the org registry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction

from core.errors import ConflictError, ServiceError
from core.models import AuditEntry
from core.services import audit
from orgs.models import User
from surveys.analysis.vocabulary import EDITABLE_VARIABLES, METHODS, VARIABLES
from surveys.models import PopulationMargin, Survey

MAX_POPULATION = 100_000_000


def _check_office(user: User | None) -> None:
    if user is not None and not user.is_office:
        raise ServiceError(
            "Chỉ Ban Xây dựng Đảng được sửa cơ cấu dân số và cách gia quyền.", field="user"
        )


def _clean_margins(variable: str, margins: Mapping[str, object]) -> dict[str, int]:
    label = VARIABLES[variable].lower()
    clean: dict[str, int] = {}
    for raw_category, raw_value in margins.items():
        category = str(raw_category or "").strip()
        if not category:
            raise ServiceError(f"Thiếu tên nhóm {label}.", field=variable)
        if len(category) > 100:
            raise ServiceError(f"Tên nhóm “{category[:40]}…” dài quá 100 ký tự.", field=variable)
        if raw_value in (None, ""):
            continue  # an empty box: the category is left out
        try:
            value = int(str(raw_value).replace(".", "").replace(" ", ""))
        except ValueError as exc:
            raise ServiceError(
                f"Dân số của nhóm “{category}” ({label}) phải là số nguyên, không phải"
                f" “{raw_value}”.", field=f"{variable}.{category}",
            ) from exc
        if value <= 0 or value > MAX_POPULATION:
            raise ServiceError(
                f"Dân số của nhóm “{category}” ({label}) phải lớn hơn 0 và không quá"
                f" {MAX_POPULATION:,}.".replace(",", "."), field=f"{variable}.{category}",
            )
        clean[category] = value
    return clean


def set_survey_margins(
    *, user: User | None, survey: Survey, variable: str, margins: Mapping[str, object]
) -> list[PopulationMargin]:
    """Replace the survey's own margins of ``variable`` (gender or age group).

    An empty ``margins`` removes them, so the ward's default applies again. Invariant: a
    variable's own rows are all replaced at once, never mixed with the previous set.
    """
    _check_office(user)
    if variable not in EDITABLE_VARIABLES:
        raise ServiceError(
            f"Biến “{variable}” không sửa được ở đây; dùng giới tính hoặc nhóm tuổi.",
            field="variable",
        )
    clean = _clean_margins(variable, margins)
    with transaction.atomic():
        before = dict(
            PopulationMargin.objects.filter(survey=survey, variable=variable)
            .values_list("category", "population")
        )
        PopulationMargin.objects.filter(survey=survey, variable=variable).delete()
        rows = PopulationMargin.objects.bulk_create([
            PopulationMargin(survey=survey, variable=variable, category=category, population=pop)
            for category, pop in clean.items()
        ])
        audit(
            actor=user, action=AuditEntry.Action.UPDATE, obj=survey, unit=survey.unit,
            summary=(
                f"Sửa cơ cấu dân số theo {VARIABLES[variable].lower()} của khảo sát"
                f" “{survey.title}”" if clean else
                f"Bỏ cơ cấu dân số riêng theo {VARIABLES[variable].lower()} của khảo sát"
                f" “{survey.title}”"
            ),
            data={"variable": variable, "before": before, "after": clean},
        )
    return rows


def set_weighting(
    *, user: User | None, survey: Survey, method: str, variables: Sequence[str],
    expected_version: int | None = None,
) -> Survey:
    """Choose how the survey is weighted: the method and the variables (empty = automatic)."""
    _check_office(user)
    if method not in METHODS:
        raise ServiceError(
            f"Phương pháp “{method}” không có; chọn cân chỉnh lặp hoặc hậu phân tầng.",
            field="method",
        )
    chosen = [v for v in VARIABLES if v in set(variables)]
    unknown = sorted(set(variables) - set(VARIABLES))
    if unknown:
        raise ServiceError(f"Biến gia quyền “{unknown[0]}” không có.", field="variables")
    if method == "poststrat" and len(chosen) > 1:
        raise ServiceError(
            "Hậu phân tầng dùng đúng một biến; chọn một biến hoặc dùng cân chỉnh lặp.",
            field="variables",
        )
    with transaction.atomic():
        current = Survey.objects.select_for_update().get(pk=survey.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(
                "Cuộc khảo sát vừa được người khác sửa; hãy tải lại trang rồi chọn lại.",
                field="version",
            )
        before = {"method": current.weighting_method, "variables": current.weighting_variables}
        Survey.objects.filter(pk=survey.pk).update(
            weighting_method=method, weighting_variables=chosen, version=current.version + 1
        )
        audit(
            actor=user, action=AuditEntry.Action.UPDATE, obj=survey, unit=survey.unit,
            summary=f"Đổi cách gia quyền khảo sát “{survey.title}”: {METHODS[method]}",
            data={"before": before, "after": {"method": method, "variables": chosen}},
        )
    survey.refresh_from_db()
    return survey
