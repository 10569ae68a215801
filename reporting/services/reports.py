"""Writes of the reporting cycle: drafts, submission, return, periods.

Every function here runs in one transaction, appends an audit entry, and refuses bad input with a
:class:`core.errors.ServiceError` naming the field, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import ConflictError, LockedError, ServiceError
from core.models import Attitude, AuditEntry, Channel, Reach, SocialGroup, Topic
from core.services import audit, notify, require_office
from core.text import nfc
from orgs.models import Area, OrgUnit, User
from reporting import cache  # noqa: F401  (its signal receivers retire kept compliance)
from reporting.models import (
    OpinionStream,
    Period,
    ReportTemplate,
    ReportVersion,
    UnitReport,
)
from reporting.periods import PeriodKey


@dataclass(frozen=True)
class StreamInput:
    """One opinion stream as typed by the user, before validation."""

    topic_id: int | None
    summary: str
    attitude: str
    reach: str
    channel: str
    area_id: int | None = None
    social_group_ids: tuple[int, ...] = ()
    latent: bool = False


def ensure_period(key: PeriodKey) -> Period:
    period, _ = Period.objects.get_or_create(
        kind=key.kind,
        year=key.year,
        number=key.number,
        defaults={"code": key.code, "start": key.start, "end": key.end},
    )
    return period


def may_write_report(user: User, unit: OrgUnit) -> bool:
    """Only the unit's own reporters and the office write a unit's report (the pages ask it to
    decide what they offer; the services refuse through :func:`_check_can_write`)."""
    return user.is_office or (user.role == User.Role.REPORTER and user.unit_id == unit.pk)


def _check_can_write(user: User, unit: OrgUnit) -> None:
    if not may_write_report(user, unit):
        raise ServiceError("Bạn không có quyền soạn báo cáo của đơn vị này.", field="unit")


def _check_expected(template: ReportTemplate, period: Period, unit: OrgUnit) -> None:
    if period.kind != template.period_kind:
        raise ServiceError(
            f"Mẫu '{template.name}' dùng cho kỳ {template.get_period_kind_display().lower()},"
            f" không dùng cho {period}.",
            field="period",
        )
    if not template.covers(period.key):
        raise ServiceError(
            f"Mẫu '{template.name}' áp dụng từ {template.effective_from:%d/%m/%Y}, không dùng cho"
            f" {period}.",
            field="period",
        )
    if not unit.is_open_between(period.start, period.end):
        raise ServiceError(
            f"Đơn vị '{unit.name}' không hoạt động trong {period}, không phải báo cáo.",
            field="unit",
        )
    if not template.units.filter(pk=unit.pk).exists():
        raise ServiceError(
            f"Đơn vị '{unit.name}' không thuộc danh sách phải nộp mẫu '{template.name}'.",
            field="unit",
        )


def _clean_sections(template: ReportTemplate, sections: dict) -> dict[str, str]:
    limit = settings.LONGDAN_MAX_TEXT
    titles = {section["key"]: section["title"] for section in template.sections}
    cleaned = {}
    for key, value in (sections or {}).items():
        if key not in titles:
            raise ServiceError(f"Phần '{key}' không có trong mẫu báo cáo.", field=key)
        text = nfc(str(value or "")).strip()
        if len(text) > limit:
            raise ServiceError(
                f"Phần '{titles[key]}' dài {len(text):,} ký tự, vượt giới hạn {limit:,}.".replace(
                    ",", "."
                ),
                field=key,
            )
        cleaned[key] = text
    return cleaned


def _clean_streams(streams: list[StreamInput]) -> list[StreamInput]:
    topic_ids = set(Topic.objects.values_list("pk", flat=True))
    area_ids = set(Area.objects.values_list("pk", flat=True))
    group_ids = set(SocialGroup.objects.values_list("pk", flat=True))
    limit = settings.LONGDAN_MAX_TEXT
    cleaned = []
    for row, stream in enumerate(streams, start=1):
        where = f"Luồng ý kiến dòng {row}"
        summary = nfc(stream.summary or "").strip()
        if not summary:
            raise ServiceError(
                f"{where}: chưa nhập nội dung ý kiến.", field=f"streams.{row}.summary"
            )
        if len(summary) > limit:
            raise ServiceError(f"{where}: nội dung quá dài.", field=f"streams.{row}.summary")
        if stream.topic_id not in topic_ids:
            raise ServiceError(f"{where}: chủ đề không hợp lệ.", field=f"streams.{row}.topic")
        if stream.attitude not in Attitude.values:
            raise ServiceError(f"{where}: thái độ không hợp lệ.", field=f"streams.{row}.attitude")
        if stream.reach not in Reach.values:
            raise ServiceError(f"{where}: mức độ không hợp lệ.", field=f"streams.{row}.reach")
        if stream.channel not in Channel.values:
            raise ServiceError(f"{where}: nguồn không hợp lệ.", field=f"streams.{row}.channel")
        if stream.area_id is not None and stream.area_id not in area_ids:
            raise ServiceError(f"{where}: địa bàn không tồn tại.", field=f"streams.{row}.area")
        if not set(stream.social_group_ids) <= group_ids:
            raise ServiceError(
                f"{where}: nhóm xã hội không hợp lệ.", field=f"streams.{row}.social_groups"
            )
        cleaned.append(
            StreamInput(
                topic_id=stream.topic_id,
                summary=summary,
                attitude=stream.attitude,
                reach=stream.reach,
                channel=stream.channel,
                area_id=stream.area_id,
                social_group_ids=tuple(sorted(set(stream.social_group_ids))),
                latent=bool(stream.latent),
            )
        )
    return cleaned


def streams_of(report: UnitReport) -> list[StreamInput]:
    return [
        StreamInput(
            topic_id=s.topic_id,
            summary=s.summary,
            attitude=s.attitude,
            reach=s.reach,
            channel=s.channel,
            area_id=s.area_id,
            social_group_ids=tuple(sorted(g.pk for g in s.social_groups.all())),
            latent=s.latent,
        )
        for s in report.streams.prefetch_related("social_groups")
    ]


def snapshot(report: UnitReport, streams: list[StreamInput] | None = None) -> dict:
    """The report as stored; pass ``streams`` when the caller already has them in hand."""
    current = streams if streams is not None else streams_of(report)
    return {
        "state": report.state,
        "sections": report.sections,
        "streams": [
            stream.__dict__ | {"social_group_ids": list(stream.social_group_ids)}
            for stream in current
        ],
    }


def _links_by_stream(report: UnitReport) -> list[tuple[tuple[int, str], set[int], set[int]]]:
    """Each stored stream's (topic, summary) with the issues and items it was linked to."""
    return [
        (
            (stream.topic_id, stream.summary),
            {issue.pk for issue in stream.issues.all()},
            {item.pk for item in stream.items.all()},
        )
        for stream in report.streams.prefetch_related("issues", "items")
    ]


def _carry_links(old: list, new_rows: list[OpinionStream]) -> None:
    """Give each new stream the links of the old stream it continues.

    Streams are rewritten on every save, so links (made on the report page) would be lost.
    A new stream continues the old one with the same topic and text, else the one at its position.
    """
    unused = dict(enumerate(old))
    matches: dict[int, int] = {}
    for position, row in enumerate(new_rows):  # first the streams whose text did not change
        key = (row.topic_id, row.summary)
        match = next((i for i, entry in unused.items() if entry[0] == key), None)
        if match is not None:
            matches[position] = match
            del unused[match]
    for position in range(len(new_rows)):  # then an edited stream continues its old position
        if position not in matches and position in unused:
            matches[position] = position
            del unused[position]
    for position, match in matches.items():
        _, issue_ids, item_ids = old[match]
        if issue_ids:
            new_rows[position].issues.set(issue_ids)
        if item_ids:
            new_rows[position].items.set(item_ids)


def _replace_streams(report: UnitReport, streams: list[StreamInput]) -> None:
    old_links = _links_by_stream(report)
    report.streams.all().delete()
    rows = OpinionStream.objects.bulk_create(
        [
            OpinionStream(
                report=report,
                position=position,
                topic_id=stream.topic_id,
                summary=stream.summary,
                attitude=stream.attitude,
                reach=stream.reach,
                channel=stream.channel,
                area_id=stream.area_id,
                latent=stream.latent,
            )
            for position, stream in enumerate(streams)
        ]
    )
    link = OpinionStream.social_groups.through
    link.objects.bulk_create(
        [
            link(opinionstream_id=row.pk, socialgroup_id=group_id)
            for row, stream in zip(rows, streams, strict=True)
            for group_id in stream.social_group_ids
        ]
    )
    if any(issue_ids or item_ids for _, issue_ids, item_ids in old_links):
        _carry_links(old_links, rows)


def _keep_version(
    report: UnitReport, *, action: str, user: User, streams: list[StreamInput] | None = None
) -> None:
    ReportVersion.objects.create(
        report=report,
        number=report.version,
        action=action,
        snapshot=snapshot(report, streams),
        by=user,
    )


def _locked_reports():
    """Reports read under their row lock with the template, period and unit they name (which the
    checks, the version, the audit entry and the picture's receiver read: one query, not four).
    Only the report's row is locked: two units submitting at once share the template."""
    return UnitReport.objects.select_for_update(of=("self",)).select_related(
        "template", "period", "unit"
    )


def _locked_report(template: ReportTemplate, period: Period, unit: OrgUnit) -> UnitReport | None:
    return (
        _locked_reports()
        .filter(template=template, period=period, unit=unit)
        .first()
    )


def save_draft(
    *,
    user: User,
    template: ReportTemplate,
    period: Period,
    unit: OrgUnit,
    sections: dict,
    streams: list[StreamInput] | None,
    expected_version: int | None,
) -> UnitReport:
    """Create or update the draft; ``expected_version`` is the version the editor started from.

    Refuses a stale version (ConflictError) and a submitted report (LockedError). Saving what is
    already stored changes nothing and keeps no new version; ``streams=None`` leaves them alone.
    """
    _check_can_write(user, unit)
    _check_expected(template, period, unit)
    clean_sections = _clean_sections(template, sections)
    clean_streams = _clean_streams(streams) if streams is not None else None
    try:
        with transaction.atomic():
            report = _locked_report(template, period, unit)
            if report is None:
                report = UnitReport.objects.create(
                    template=template,
                    period=period,
                    unit=unit,
                    updated_by=user,
                    sections=clean_sections,
                )
                _replace_streams(report, clean_streams or [])
                _keep_version(report, action="create", user=user, streams=clean_streams or [])
                audit(
                    actor=user,
                    action=AuditEntry.Action.CREATE,
                    obj=report,
                    unit=unit,
                    summary=f"Tạo báo cáo {period} của {unit}",
                )
                return report
            _check_editable(report, expected_version)
            merged = {**report.sections, **clean_sections}
            stored_streams = streams_of(report)
            same_streams = clean_streams is None or clean_streams == stored_streams
            if merged == report.sections and same_streams:
                return report
            report.sections = merged
            report.version += 1
            report.updated_by = user
            report.save()
            if clean_streams is not None:
                _replace_streams(report, clean_streams)
            kept = clean_streams if clean_streams is not None else stored_streams
            _keep_version(report, action="save", user=user, streams=kept)
            audit(
                actor=user,
                action=AuditEntry.Action.UPDATE,
                obj=report,
                unit=unit,
                summary=f"Cập nhật báo cáo {period} của {unit}",
                data={"version": report.version},
            )
            return report
    except IntegrityError as exc:
        # Two first saves raced; the loser is told to reload rather than overwrite.
        raise ConflictError(
            "Báo cáo vừa được người khác tạo. Hãy tải lại trang để xem bản mới nhất."
        ) from exc


def _check_open(report: UnitReport) -> None:
    """A submitted report is locked until the office returns it (read it under the row lock)."""
    if report.state == UnitReport.State.SUBMITTED:
        raise LockedError(
            "Báo cáo đã nộp nên bị khóa; chỉ sửa được khi Ban Xây dựng Đảng trả lại.",
            field="state",
        )


def _check_editable(report: UnitReport, expected_version: int | None) -> None:
    _check_open(report)
    if expected_version is None or expected_version != report.version:
        who = report.updated_by or "người khác"
        raise ConflictError(
            f"Báo cáo đã được {who} sửa (phiên bản {report.version}) sau khi bạn mở"
            f" (phiên bản {expected_version}). Hãy tải lại để xem thay đổi trước khi lưu.",
            field="version",
        )


def submit_report(*, user: User, report: UnitReport, expected_version: int) -> UnitReport:
    """Submit and lock. Submitting an already submitted report is a no-op (idempotent)."""
    _check_can_write(user, report.unit)
    with transaction.atomic():
        report = _locked_reports().get(pk=report.pk)
        if report.state == UnitReport.State.SUBMITTED:
            return report
        _check_editable(report, expected_version)
        empty = [s["title"] for s in report.template.sections if not report.sections.get(s["key"])]
        if empty:
            raise ServiceError(
                "Chưa thể nộp: còn trống phần " + ", ".join(f"'{t}'" for t in empty) + ".",
                field="sections",
            )
        now = timezone.now()
        report.state = UnitReport.State.SUBMITTED
        report.first_submitted_at = report.first_submitted_at or now
        report.submitted_at = now
        report.submitted_by = user
        report.version += 1
        report.save()
        _keep_version(report, action="submit", user=user)
        audit(
            actor=user,
            action=AuditEntry.Action.SUBMIT,
            obj=report,
            unit=report.unit,
            summary=f"Nộp báo cáo {report.period} của {report.unit}",
        )
    return report


def return_report(*, user: User, report: UnitReport, reason: str) -> UnitReport:
    """The level above (the đảng bộ, before it approves) or the office asks a unit to revise a
    submitted report; the unit is notified in-app. An accepted report must be unlocked first."""
    from reporting.services.approval import actor_of, apply_step

    reason = nfc(reason or "").strip()
    if actor_of(user, report) not in ("reviewer", "office"):
        require_office(user, "trả lại báo cáo", field="state")
    if not reason:
        raise ServiceError("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.", field="reason")
    if len(reason) > 2000:
        raise ServiceError("Lý do trả lại quá dài (tối đa 2.000 ký tự).", field="reason")
    with transaction.atomic():
        report = _locked_reports().get(pk=report.pk)
        if report.state != UnitReport.State.SUBMITTED:
            raise ServiceError("Chỉ trả lại được báo cáo đã nộp.", field="state")
        apply_step(report, user, "return")
        report.returned_at = timezone.now()
        report.return_reason = reason
        report.version += 1
        report.save()
        _keep_version(report, action="return", user=user)
        audit(
            actor=user,
            action=AuditEntry.Action.RETURN,
            obj=report,
            unit=report.unit,
            summary=f"Trả lại báo cáo {report.period} của {report.unit}",
            data={"reason": reason},
        )
        notify(
            recipients_of(report.unit),
            text=f"Báo cáo {report.period} bị trả lại: {reason[:300]}",
            url=f"/bao-cao/{report.pk}/",
        )
    return report


def recipients_of(unit: OrgUnit) -> list[User]:
    """Who answers for a unit's report: its responsible person, else its active reporters."""
    if unit.responsible_person_id and unit.responsible_person.is_active:
        return [unit.responsible_person]
    return list(User.objects.filter(unit=unit, role=User.Role.REPORTER, is_active=True))
