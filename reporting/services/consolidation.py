"""Writes of the office's consolidated report: generate the draft, edit it, export DOCX, PDF and
XLSX.

The draft is built from *submitted* monthly unit reports only (a draft or a returned report is not
the unit's word yet), by :mod:`reporting.consolidation`; the compliance table comes from
:func:`reporting.selectors.compliance_for`. Each function runs in one transaction and appends an
audit entry. ``user=None`` means the system (the CLI): it may do what the office does, and the audit
entry has no actor.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook

from core import pdf
from core.dates import local_today
from core.errors import ConflictError, ServiceError
from core.models import AuditEntry, Channel
from core.services import audit
from core.text import natural_key, nfc
from documents.docx_layout import (
    DocSection,
    DocTable,
    PartyDocument,
    number_line,
    render_docx,
)
from documents.xlsx import save_workbook, write_table
from intake.models import OpinionItem
from issues.models import Issue
from issues.selectors import OPEN_STATUSES
from orgs.models import Area, OrgUnit, User
from orgs.selectors import descendant_ids
from reporting import compliance as rates
from reporting import consolidation as calc
from reporting import extensions
from reporting import figures as review
from reporting.drafting import IssueRef
from reporting.heard_selectors import heard_in
from reporting.models import ConsolidatedReport, ReportTemplate, UnitReport
from reporting.periods import MONTH, PeriodKey
from reporting.selectors import compliance_for, default_template
from reporting.services import review_export
from reporting.services.reports import ensure_period

UNIT_RECIPIENTS = "\n".join([
    "- Đảng ủy phường (để báo cáo),",
    "- Ban Xây dựng Đảng phường (để tổng hợp),",
    "- Các chi bộ trực thuộc,",
    "- Lưu.",
])
DEFAULT_RECIPIENTS = "\n".join([
    "- Ban Thường vụ Thành ủy (để báo cáo),",
    "- Ban Tuyên giáo và Dân vận Thành ủy (để báo cáo),",
    "- Thường trực Đảng ủy phường,",
    "- Các chi bộ, đảng bộ trực thuộc,",
    "- Lưu Văn phòng Đảng ủy.",
])
HIGHLIGHTS_KEY = "du_luan_noi_bat"  # the section the topic tables belong under
COMPLIANCE_TITLE = "Tình hình nộp báo cáo của các đơn vị"
ANNEX_TITLE = "Toàn văn báo cáo của các đơn vị"
MAX_SECTION_TEXT = 100_000  # a ward-wide draft gathers 55 units' words; far above a unit's limit
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass(frozen=True)
class _SystemReader:
    """The CLI acting for the office: sees every unit (what ``compliance_for`` asks of a reader)."""

    sees_everything: bool = True
    is_office: bool = True
    is_authenticated: bool = False
    unit_id: int | None = None


def may_author(user: User | None, unit: OrgUnit | None = None) -> bool:
    """The ward's report is the office's (and the CLI's); a unit's, the office's or its own
    reporters'."""
    if user is None or user.is_office:
        return True
    return unit is not None and user.unit_id == unit.pk and user.role == User.Role.REPORTER


def _check_author(user: User | None, what: str, unit: OrgUnit | None = None) -> None:
    if may_author(user, unit):
        return
    if unit is None:
        raise ServiceError(f"Chỉ Ban Xây dựng Đảng được {what} báo cáo tổng hợp.", field="user")
    raise ServiceError(
        f"Chỉ Ban Xây dựng Đảng hoặc người phụ trách {unit.name} được {what} báo cáo tổng hợp"
        " của đơn vị.", field="user")


def _check_reader(user: User | None, consolidated: ConsolidatedReport | None = None) -> None:
    """The office and leaders read every report; a unit's reporters, their unit's own."""
    if user is None or user.sees_everything:
        return
    unit_id = consolidated.unit_id if consolidated is not None else None
    if unit_id is None or user.unit_id != unit_id:
        raise ServiceError("Không tìm thấy báo cáo tổng hợp.", field="user")


def units_below(unit: OrgUnit) -> set[int]:
    """The units whose reports a unit's consolidated report reads: the unit and those below it,
    the scope its reporters see (``orgs.selectors.visible_unit_ids``)."""
    return descendant_ids(unit.pk)


def _check_consolidating_unit(unit: OrgUnit) -> set[int]:
    scope = units_below(unit)
    if len(scope) < 2:
        raise ServiceError(
            f"{unit.name} không có đơn vị trực thuộc: báo cáo tổng hợp của đơn vị được lập từ"
            " báo cáo của các đơn vị cấp dưới.", field="unit")
    return scope


def default_title(period: PeriodKey) -> str:
    label = period.label
    if period.kind != MONTH:  # a review of the whole work (reporting.figures)
        return f"Kết quả công tác nắm bắt, định hướng dư luận xã hội {label[0].lower()}{label[1:]}"
    return f"Tình hình tư tưởng và dư luận xã hội {label[0].lower()}{label[1:]}"


# --- generate ----------------------------------------------------------------------------------


# Which unit reports a consolidated report reads (issue 15), as the office chooses.
SOURCE_SUBMITTED = "submitted"  # every submitted report, whatever its review
SOURCE_ACCEPTED = "accepted"  # only reports the office accepted
SOURCES = {SOURCE_SUBMITTED: "mọi báo cáo đã nộp", SOURCE_ACCEPTED: "chỉ báo cáo đã chấp nhận"}


def _submitted_reports(template: ReportTemplate, months: list[str],
                       unit_ids: set[int] | None = None,
                       source: str = SOURCE_SUBMITTED) -> list[calc.UnitReportData]:
    reports = UnitReport.objects.filter(
        template=template, period__code__in=months, state=UnitReport.State.SUBMITTED
    )
    if source == SOURCE_ACCEPTED:
        reports = reports.filter(approval="accepted")
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=unit_ids)
    reports = (
        reports
        .select_related("unit", "period")
        .prefetch_related("streams__topic", "streams__area", "streams__social_groups",
                          "streams__issues")
        .order_by("period__start", "unit__sort_key", "unit__name")
    )
    channel_labels = dict(Channel.choices)
    return [
        calc.UnitReportData(
            unit=report.unit.name,
            period=report.period.code,
            sections=dict(report.sections),
            streams=tuple(
                calc.StreamData(
                    topic=stream.topic.name,
                    attitude=stream.attitude,
                    reach=stream.reach,
                    summary=stream.summary,
                    social_groups=tuple(sorted(g.name for g in stream.social_groups.all())),
                    area=stream.area.name if stream.area else "",
                    channel=channel_labels.get(stream.channel, stream.channel),
                    latent=stream.latent,
                    issues=tuple(sorted(i.code for i in stream.issues.all())),
                )
                for stream in report.streams.all()
            ),
            report_id=report.pk,
        )
        for report in reports
    ]


def _issue_refs(period: PeriodKey, unit_ids: set[int] | None = None) -> list[IssueRef]:
    """The issues a recommendation of the period may concern: not merged away, seen by the
    period's end, and open or seen during the period (the office reads every issue; a unit's
    report, the issues its units' items belong to)."""
    issues = Issue.objects.filter(merged_into__isnull=True)
    if unit_ids is not None:
        issues = issues.filter(pk__in=OpinionItem.objects.filter(unit_id__in=unit_ids)
                               .exclude(issue=None).values("issue_id"))
    issues = (
        issues
        .filter(Q(first_seen_on__isnull=True) | Q(first_seen_on__lte=period.end))
        .filter(Q(status__in=OPEN_STATUSES) | Q(last_seen_on__gte=period.start))
        .order_by("code")
    )
    return [IssueRef(pk=i.pk, code=i.code, title=i.title, summary=i.summary) for i in issues]


def _compliance_data(user: User | None, template: ReportTemplate, period: PeriodKey,
                     unit: OrgUnit | None = None) -> dict:
    """Compliance of every month the period covers, per month and per unit, as JSON values
    (of the units ``unit``'s reporters see, for a unit's report)."""
    months = period.months()
    today = local_today()
    if unit is not None:
        reader = _SystemReader(sees_everything=False, is_office=False, unit_id=unit.pk)
    else:
        reader = user or _SystemReader()
    view = compliance_for(reader, template=template, period=months[-1],
                          months=len(months), today=today)
    unit_ids: list[int] = []
    for month in view.trend:
        unit_ids += [pk for pk in month.statuses if pk not in unit_ids]
    units = sorted((view.units[pk] for pk in unit_ids), key=lambda u: natural_key(u.name))
    return {
        "months": [
            {"period": m.period.code, "label": m.period.label,
             "deadline": m.period.deadline.isoformat(), "due": rates.is_due(m.period, today),
             **m.total.as_dict()}
            for m in view.trend
        ],
        "coverage": rates.coverage(view.trend, today).as_dict(),
        "units": [
            {"unit": unit.name,
             "statuses": {m.period.code: m.statuses[unit.id]
                          for m in view.trend if unit.id in m.statuses}}
            for unit in units
        ],
        "expected_units": len(units),
    }


def generate_consolidated(
    *, user: User | None, period: PeriodKey, template: ReportTemplate | None = None,
    redraft_edited: bool = False, unit: OrgUnit | None = None, source: str | None = None,
) -> ConsolidatedReport:
    """Create, or refresh, the draft consolidated report of ``period``: the ward's, or with
    ``unit`` that unit's of the units below it (a đảng bộ's of its chi bộ).

    Reads the submitted monthly reports of the months the period covers. A refresh replaces the
    drafted sections and numbers and keeps the number, title, recipients and signer the office
    typed, and the sections the office edited (``edited_sections``) unless ``redraft_edited``;
    the audit entry says which were kept. The version goes up so an open editor sees a conflict.

    ``source`` (issue 15) is which reports are read: every submitted one, or only those the office
    accepted; ``None`` keeps the choice of the stored draft (every submitted one at first).
    """
    _check_author(user, "tạo", unit)
    if source is not None and source not in SOURCES:
        raise ServiceError("Nguồn tổng hợp không hợp lệ: chọn mọi báo cáo đã nộp hoặc chỉ báo"
                           " cáo đã chấp nhận.", field="source")
    scope = _check_consolidating_unit(unit) if unit is not None else None
    if period.start > timezone.localdate():
        raise ServiceError(
            f"{period.label} chưa bắt đầu (từ {period.start:%d/%m/%Y}): chưa có báo cáo nào để"
            " tổng hợp.",
            field="period",
        )
    template = template or default_template("month")
    if template is None:
        raise ServiceError("Chưa có mẫu báo cáo tháng đang dùng để tổng hợp.", field="template")
    if template.period_kind != "month":
        raise ServiceError(
            f"Mẫu '{template.name}' không phải mẫu báo cáo tháng; báo cáo tổng hợp được lập"
            " từ các báo cáo tháng.",
            field="template",
        )
    if source is None:
        stored = ConsolidatedReport.objects.filter(
            template=template, period__code=period.code, unit=unit).first()
        source = (stored.data.get("source") if stored else None) or SOURCE_SUBMITTED
    compliance = _compliance_data(user, template, period, unit)
    reports = _submitted_reports(template, [m.code for m in period.months()], scope, source)
    previous = _submitted_reports(template, [m.code for m in period.previous().months()], scope,
                                  source)
    result = calc.consolidate(
        reports, period=period, expected_units=compliance["expected_units"],
        coverage=compliance["coverage"],
        section_keys=template.section_keys(), previous=previous,
        issues=_issue_refs(period, scope),
        places=Area.objects.values_list("name", flat=True),
        heard=heard_in(period.start, period.end, scope),
    )
    titles = [dict(section) for section in template.sections]
    sections = dict(result.sections)
    figures = None
    if period.kind != MONTH:
        titles, sections, figures = _review_sections(period, sections, compliance, result, scope)
    elif unit is None:
        _add_ward_sections(period, titles, sections)
    data = result.as_data() | {
        "compliance": compliance,
        # A 6-month or annual report: the office's figures (reporting.figures.FigureBlock).
        "figures": figures,
        "section_titles": titles,
        "generated_at": timezone.now().isoformat(),
        # What was drafted, to tell later which sections the office edited.
        "drafted_sections": dict(sections),
        "source": source,
    }
    try:
        with transaction.atomic():
            return _store_draft(user, template, period, sections, data, redraft_edited, unit)
    except IntegrityError as exc:
        raise ConflictError(
            "Báo cáo tổng hợp kỳ này vừa được người khác tạo. Hãy tải lại trang."
        ) from exc


def _add_ward_sections(period: PeriodKey, titles: list[dict], sections: dict) -> None:
    """What the apps above reporting add to the ward's report; they read the whole ward (the
    picture's rising topics, the Standing Committee's directions), so a unit's report has none."""
    # Paragraphs the apps above reporting add to a drafted section (the picture's rising topics).
    for key, lines in extensions.drafted_paragraphs(period.start, period.end).items():
        if key in sections:
            sections[key] = "\n".join([text for text in (sections[key], *lines) if text])
    # Sections the apps above reporting register (the Standing Committee's directions, ...).
    for title, text in extensions.drafted_sections(period.start, period.end):
        if title["key"] not in sections:
            titles.append(title)
            sections[title["key"]] = text


def _review_sections(period: PeriodKey, sections: dict, compliance: dict, result,
                     scope: set[int] | None) -> tuple[list[dict], dict, list[dict]]:
    """A 6-month or annual report's four parts (``reporting.figures``): the units' synthesis,
    the office's figures for the report's scope (every unit for the ward's or a city's report,
    the subtree for a unit's), and, for the ward, what the floors above register."""
    extra: list[tuple[dict, str]] = []
    if scope is None:
        said_in_full = extensions.registered_figures()  # the surveys' line: their block says it
        for key, lines in extensions.drafted_paragraphs(period.start, period.end,
                                                        skip=said_in_full).items():
            if key in sections:
                sections[key] = "\n".join([text for text in (sections[key], *lines) if text])
        extra = extensions.drafted_sections(period.start, period.end)
    blocks = extensions.drafted_figures(period.start, period.end, scope)
    latent_topics = list(dict.fromkeys(item.topic for item in result.latent))[:5]
    draft = review.review_draft(
        units_sections=sections, blocks=blocks, extra_sections=extra,
        compliance_text=_joined(calc.compliance_sentence(compliance),
                                "Tình hình nộp báo cáo của từng đơn vị tại phụ lục kèm theo."
                                if compliance.get("units") else ""),
        compliance_shortfall=_shortfall(compliance), latent_topics=latent_topics,
    )
    return draft.titles, draft.sections, [block.as_dict() for block in blocks]


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _shortfall(compliance: dict) -> str:
    """ "Các đơn vị mới nộp 40/48 báo cáo tháng phải nộp; 6 báo cáo nộp muộn; chưa nộp: …" when
    reports were missing or late (the months already due only)."""
    coverage = compliance.get("coverage") or {}
    expected, submitted = coverage.get("expected_reports", 0), coverage.get("submitted", 0)
    late = submitted - coverage.get("on_time", 0)
    if not expected or (submitted >= expected and not late):
        return ""
    due = set(coverage.get("due_months", ()))
    missing = [u["unit"] for u in compliance.get("units", [])
               if any(s == "missing" for code, s in u["statuses"].items() if code in due)]
    text = f"Các đơn vị mới nộp {submitted}/{expected} báo cáo tháng phải nộp"
    if late:
        text += f"; {late} báo cáo nộp muộn"
    if missing:
        names = ", ".join(missing[:6]) + (", ..." if len(missing) > 6 else "")
        text += f"; còn đơn vị chưa nộp đủ: {names}"
    return text


def _same_text(a: str | None, b: str | None) -> bool:
    return nfc(a or "").strip() == nfc(b or "").strip()


def edited_sections(consolidated: ConsolidatedReport) -> list[str]:
    """Keys of the sections whose text the office changed from the draft (in report order).

    A report drafted before the drafts were kept has no record of them: nothing counts as
    edited there, as before."""
    drafted = consolidated.data.get("drafted_sections")
    if drafted is None:
        return []
    return [key for key, text in consolidated.sections.items()
            if not _same_text(text, drafted.get(key))]


def _store_draft(user, template, period: PeriodKey, sections: dict, data: dict,
                 redraft_edited: bool = False, unit: OrgUnit | None = None):
    period_row = ensure_period(period)
    consolidated = (
        ConsolidatedReport.objects.select_for_update()
        .filter(template=template, period=period_row, unit=unit)
        .first()
    )
    if consolidated is None:
        consolidated = ConsolidatedReport.objects.create(
            template=template, period=period_row, unit=unit, title=default_title(period),
            sections=sections, data=data,
            recipients=DEFAULT_RECIPIENTS if unit is None else UNIT_RECIPIENTS,
        )
        summary = f"Tạo báo cáo tổng hợp {period.label}"
        kept, redrafted = [], []
    else:
        edited = edited_sections(consolidated)
        kept = [] if redraft_edited else edited
        redrafted = edited if redraft_edited else []
        merged = dict(sections)
        for key in kept:  # the office's words stay, even for a section the draft no longer has
            merged[key] = consolidated.sections[key]
        consolidated.sections = merged
        consolidated.data = data
        consolidated.version += 1
        consolidated.save()
        summary = f"Tạo lại dự thảo báo cáo tổng hợp {period.label}"
        if kept:
            summary += f", giữ {len(kept)} phần Ban đã sửa"
        if redrafted:
            summary += f", soạn lại cả {len(redrafted)} phần Ban đã sửa"
    audit(actor=user, action=AuditEntry.Action.GENERATE, obj=consolidated, summary=summary,
          data={"period": period.code, "reports": data["report_count"],
                "version": consolidated.version, "kept_edited": kept,
                "redrafted_edited": redrafted})
    return consolidated


# --- edit --------------------------------------------------------------------------------------


def _clean_text(value: str, *, label: str, field: str, limit: int, required: bool = False) -> str:
    text = nfc(str(value or "")).strip()
    if required and not text:
        raise ServiceError(f"Chưa nhập {label}.", field=field)
    if len(text) > limit:
        raise ServiceError(
            f"{label[0].upper()}{label[1:]} dài {len(text)} ký tự, vượt giới hạn {limit}.",
            field=field,
        )
    return text


def section_titles(consolidated: ConsolidatedReport) -> list[dict]:
    """The sections in order, as stored at generation (the template may have changed since)."""
    titles = consolidated.data.get("section_titles") or consolidated.template.sections
    known = [section["key"] for section in titles]
    extra = [{"key": k, "title": k} for k in consolidated.sections if k not in known]
    return [dict(section) for section in titles] + extra


def update_consolidated(
    *,
    user: User | None,
    consolidated: ConsolidatedReport,
    sections: dict,
    number: str,
    title: str,
    recipients: str,
    signer_name: str,
    expected_version: int,
) -> ConsolidatedReport:
    """Save the office's edits; refuses a stale ``expected_version`` (ConflictError).

    Saving what is already stored changes nothing and keeps the version.
    """
    _check_author(user, "sửa", consolidated.unit)
    titles = {s["key"]: s["title"] for s in section_titles(consolidated)}
    clean_sections = {}
    for key, value in (sections or {}).items():
        if key not in titles:
            raise ServiceError(f"Phần '{key}' không có trong báo cáo tổng hợp.", field=key)
        clean_sections[key] = _clean_text(
            value, label=f"phần '{titles[key]}'", field=key, limit=MAX_SECTION_TEXT
        )
    fields = {
        "number": _clean_text(number, label="số văn bản", field="number", limit=20),
        "title": _clean_text(title, label="trích yếu", field="title", limit=300, required=True),
        "recipients": _clean_text(recipients, label="nơi nhận", field="recipients", limit=2000),
        "signer_name": _clean_text(signer_name, label="tên người ký", field="signer_name",
                                   limit=150),
    }
    with transaction.atomic():
        current = ConsolidatedReport.objects.select_for_update().get(pk=consolidated.pk)
        if expected_version != current.version:
            raise ConflictError(
                f"Báo cáo tổng hợp đã được thay đổi (phiên bản {current.version}) sau khi bạn mở"
                f" (phiên bản {expected_version}). Hãy tải lại trang để xem bản mới nhất trước"
                " khi lưu.",
                field="version",
            )
        merged = {**current.sections, **clean_sections}
        unchanged = merged == current.sections and all(
            getattr(current, name) == value for name, value in fields.items()
        )
        if unchanged:
            return current
        current.sections = merged
        for name, value in fields.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=current,
              summary=f"Sửa báo cáo tổng hợp {current.period}", data={"version": current.version})
    return current


# --- export ------------------------------------------------------------------------------------


def report_tables(consolidated: ConsolidatedReport) -> dict[str, list[calc.Table]]:
    data = consolidated.data
    return {
        "topics": calc.topic_tables(data),
        "compliance": calc.compliance_tables(data.get("compliance", {})),
        "latent": [calc.latent_table(data)],
        "recommendations": [calc.recommendation_table(data)],
        # The office's own figures of a 6-month or annual report (none in a monthly one).
        "figures": review_export.figure_tables(consolidated),
        "annex": [calc.annex_table(data)],
    }


def _doc_table(table: calc.Table) -> DocTable:
    return DocTable(title=table.title, headers=table.headers, rows=table.rows)


def _annex(consolidated: ConsolidatedReport, tables: list[calc.Table]) -> list[DocSection]:
    """The units' complete texts after the signature (every section, every opinion stream)."""
    if not any(t.rows for t in tables):
        return []
    note = (f"(Kèm theo Báo cáo {number_line(consolidated.number)} về"
            f" {consolidated.title[:1].lower()}{consolidated.title[1:]})")
    # The heading above says what the table is: no caption repeating it.
    return [DocSection(heading=ANNEX_TITLE.upper(), text=note,
                       tables=[DocTable(title="", headers=t.headers, rows=t.rows, split_rows=True)
                               for t in tables])]


def _counted_on(consolidated: ConsolidatedReport) -> str:
    generated = consolidated.data.get("generated_at")
    when = dt.datetime.fromisoformat(generated) if generated else consolidated.updated_at
    return (f"Số liệu tính đến {timezone.localtime(when):%H:%M} ngày"
            f" {timezone.localtime(when):%d/%m/%Y}, theo các báo cáo đơn vị đã nộp"
            + (" và dữ liệu của hệ thống." if review_export.is_review(consolidated) else "."))


def _bodies(unit: OrgUnit | None) -> dict[str, str]:
    """The header's two bodies: the ward's report goes to the city; a unit's, to the ward."""
    if unit is None:
        return {"superior_body": settings.LONGDAN_SUPERIOR_BODY,
                "issuing_body": settings.LONGDAN_ISSUING_BODY}
    return {"superior_body": settings.LONGDAN_ISSUING_BODY, "issuing_body": unit.name.upper()}


def party_document(consolidated: ConsolidatedReport) -> PartyDocument:
    """The plain data the DOCX layout needs; tables go under "Dư luận nổi bật" and at the end."""
    tables = report_tables(consolidated)
    if review_export.is_review(consolidated):
        body = review_export.review_body(consolidated, section_titles(consolidated), tables,
                                         _counted_on(consolidated))
        return _document(consolidated, body, tables, review_export.compliance_annex(tables))
    body = []
    for index, section in enumerate(section_titles(consolidated)):
        key = section["key"]
        attached = tables["topics"] if key == HIGHLIGHTS_KEY else []
        body.append(DocSection(
            heading=f"{_ROMAN[index % len(_ROMAN)]}. {section['title'].upper()}",
            text=consolidated.sections.get(key, ""),
            tables=[_doc_table(t) for t in attached],
        ))
    if not any(s.tables for s in body):
        body.append(DocSection(heading="Số liệu dư luận theo lĩnh vực",
                               tables=[_doc_table(t) for t in tables["topics"]]))
    body.append(DocSection(
        heading=f"{_ROMAN[len(body) % len(_ROMAN)]}. {COMPLIANCE_TITLE.upper()}",
        text=calc.compliance_sentence(consolidated.data.get("compliance", {})),
        tables=[_doc_table(t) for t in tables["compliance"]],
        # Says when the numbers were counted, and keeps a line of text with the signature.
        after=_counted_on(consolidated),
    ))
    return _document(consolidated, body, tables)


def _document(consolidated: ConsolidatedReport, body: list[DocSection], tables: dict,
              annex: list[DocSection] = ()) -> PartyDocument:
    return PartyDocument(
        **_bodies(consolidated.unit),
        number=consolidated.number,
        place=settings.LONGDAN_PLACE,
        date=timezone.localdate(),
        title=consolidated.title,
        sections=body,
        recipients=[line for line in consolidated.recipients.splitlines() if line.strip()],
        signer_title=consolidated.signer_title,
        signer_name=consolidated.signer_name,
        # A 6-month or annual review synthesises; the units' complete texts of every month (the
        # monthly reports' appendix) would make it hundreds of pages, so it leaves them out.
        annex=[*annex, *([] if review_export.is_review(consolidated)
                         else _annex(consolidated, tables["annex"]))],
        generated_at=timezone.now(),  # the file's created and modified properties
    )


def _audit_export(user: User | None, consolidated: ConsolidatedReport, fmt: str) -> None:
    with transaction.atomic():
        audit(actor=user, action=AuditEntry.Action.EXPORT, obj=consolidated,
              summary=f"Xuất {fmt.upper()} báo cáo tổng hợp {consolidated.period}",
              data={"format": fmt, "version": consolidated.version})


def export_docx(
    *, user: User | None, consolidated: ConsolidatedReport, out: str | os.PathLike | BinaryIO
) -> None:
    """Write the report as DOCX (Hướng dẫn 36-HD/VPTW layout) to ``out`` and audit the export."""
    _check_reader(user, consolidated)
    render_docx(party_document(consolidated), out)
    _audit_export(user, consolidated, "docx")


def export_pdf(*, user: User | None, consolidated: ConsolidatedReport) -> bytes:
    """The report as PDF: its DOCX as LibreOffice lays it out (core.pdf), audited once made.

    Raises :class:`core.pdf.PdfError` (nothing audited) when no PDF can be made."""
    _check_reader(user, consolidated)
    content = pdf.convert_document(party_document(consolidated))
    _audit_export(user, consolidated, "pdf")
    return content


def build_workbook(consolidated: ConsolidatedReport) -> Workbook:
    workbook = Workbook()
    for group in report_tables(consolidated).values():
        for table in group:
            write_table(workbook, table.sheet or table.title, table.headers, table.rows)
    return workbook


def export_xlsx(
    *, user: User | None, consolidated: ConsolidatedReport, out: str | os.PathLike | BinaryIO
) -> None:
    """Write every table of the report to ``out`` as XLSX (one sheet per table); audited."""
    _check_reader(user, consolidated)
    save_workbook(build_workbook(consolidated), out)
    _audit_export(user, consolidated, "xlsx")
