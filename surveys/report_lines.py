"""The surveys of a period, for the consolidated report's "Dư luận xã hội nổi bật" (issue 13: the
report is drafted from the unit reports *and* the other channels). Registered with
``reporting.extensions`` in ``SurveysConfig.ready()`` (reporting may not import surveys).

One line: each survey that received answers in the period, with what it asked opinion on, how
many answers came in the period and in all, and whether it is still collecting. The results
themselves are the survey's own page and report (weighted, with their margins), not a line here.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from documents.archive import vn_int
from surveys.models import Survey

SHOWN = 3


def survey_lines(start: dt.date, end: dt.date, unit_ids: set[int] | None = None) -> list[str]:
    """ "Khảo sát trong kỳ: «…» (lấy ý kiến về …; 412 phiếu trong kỳ, 1.020 phiếu từ đầu; đang
    thu thập)." for the surveys answered from ``start`` to ``end`` (those run by ``unit_ids``
    when given; the ward's report reads all)."""
    in_period = Q(responses__received_at__date__range=(start, end))  # local dates (USE_TZ)
    surveys = Survey.objects.annotate(
        in_period=Count("responses", filter=in_period), total=Count("responses")
    ).filter(in_period__gt=0)
    if unit_ids is not None:
        surveys = surveys.filter(unit_id__in=unit_ids)
    surveys = list(surveys.order_by("-in_period", "title")[: SHOWN + 1])
    if not surveys:
        return []
    parts = [_survey_part(survey) for survey in surveys[:SHOWN]]
    more = " và các cuộc khảo sát khác" if len(surveys) > SHOWN else ""
    return ["Khảo sát trong kỳ: " + "; ".join(parts) + more + "."]


def _survey_part(survey: Survey) -> str:
    about = f"lấy ý kiến về {survey.policy_title}; " if survey.policy_title else ""
    counts = f"{vn_int(survey.in_period)} phiếu trong kỳ"
    if survey.total > survey.in_period:
        counts += f", {vn_int(survey.total)} phiếu từ đầu"
    state = "đang thu thập" if survey.is_open else survey.get_status_display().lower()
    return f"«{survey.title}» ({about}{counts}; {state})"

