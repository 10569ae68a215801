"""The rows of the write matrix (issue 18, finding 4): one per write endpoint, page or API.

Each row names the route, builds its URL and a minimal VALID body from the test world (the dict
``test_roles.world`` builds, with ``me``: the user posting), the model that counts what an
allowed write stores (``AuditEntry`` for a change of an existing row), and the roles allowed.
``given`` builds what only that row needs (a submitted report, issues the grouping engine made, a
survey with its questionnaire...), so the world stays cheap for the other rows.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.dates import local_today
from core.models import Attitude, AuditEntry, Channel, Reach, Topic
from flash.models import FlashReport, FlashRequest
from intake import services as intake
from intake.models import ErasureRequest, ImportBatch, Meeting, OpinionItem
from intake.tasks import LOCK_NAME
from issues import services as issue_services
from issues.models import Answer, Issue, MergeProposal
from issues.tests.helpers import FLOOD, GARBAGE
from issues.tests.helpers import item as make_item
from longdan.tests.roles_frame import (
    COLLABORATOR,
    DIRECTORS,
    OFFICE,
    OFFICE_ONLY,
    RECORDERS,
    REPORTER,
    UNITS,
    World,
    Write,
    _due,
    _text,
    _today,
    _upload,
    form_data,
    last_month,
    url,
)
from longdan.tests.roles_rows_upper import CONSULTATIONS, EVALUATION, PETITIONS, PLANS, POLICIES
from monitoring.models import ExportUpload, Mention, Misinformation, Source, Story, WatchTerm
from monitoring.tests.server import Site, page
from orgs.forms import AreaForm, CollaboratorForm, UnitForm
from orgs.models import AllowancePayment, Area, Collaborator, OrgUnit
from picture import services as picture
from picture.models import AreaShape, Brief, Direction, DirectionUpdate, Subscription
from reporting import services as reports
from reporting.forms import SECTION_PREFIX, TemplateForm
from reporting.models import ConsolidatedReport, Reminder, ReportTemplate, UnitReport
from reporting.page_selectors import startable_months
from reporting.periods import parse_period
from surveys.design import services as surveys
from surveys.design.forms import SurveyForm
from surveys.models import (
    CollectorCredential,
    FormVersion,
    Quota,
    Response,
    Survey,
    SurveyToken,
)
from surveys.tests.collect_support import standard_instance
from surveys.tests.conftest import STANDARD_FORM_ID, standard_xlsform_bytes
from textops.models import EngineState

# --- what single rows need -------------------------------------------------------------------


def _collaborator_has_an_app(w: World, _request) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=w["users"][COLLABORATOR], name="app", confirmed=True)



def _stream() -> reports.StreamInput:
    return reports.StreamInput(
        topic_id=Topic.objects.get(name="Môi trường").pk,
        summary="Nhân dân bức xúc vì rác thải tồn đọng ở khu chợ Hòa Bình.",
        attitude=Attitude.AGGRIEVED, reach=Reach.MANY, channel=Channel.RESIDENTIAL, latent=False,
    )


def draft(w: World, request) -> None:
    """Last month's report of cell_a, a draft its reporter wrote in full."""
    template = w["monthly"]
    w["draft"] = reports.save_draft(
        user=w["users"][REPORTER], template=template,
        period=reports.ensure_period(parse_period(last_month())), unit=w["cell_a"],
        sections={key: f"Nội dung phần {key}." for key in template.section_keys()},
        streams=[_stream()], expected_version=None,
    )


def submitted(w: World, request) -> None:
    """The same report, submitted; ``stream`` is its one opinion stream."""
    draft(w, request)
    w["submitted"] = reports.submit_report(user=w["users"][REPORTER], report=w["draft"],
                                           expected_version=w["draft"].version)
    w["stream"] = w["submitted"].streams.get()


def below_a_party_committee(w: World, request) -> None:
    """A chi bộ under a đảng bộ, its report submitted: it waits for the đảng bộ's approval."""
    from orgs.models import User

    party = OrgUnit.objects.create(code="dang-bo-roles", name="Đảng bộ Khu phố Ba",
                                   kind=OrgUnit.Kind.PARTY_COMMITTEE, parent=w["cell_a"].parent)
    cell = OrgUnit.objects.create(code="chi-bo-roles", name="Chi bộ Khu phố Ba A",
                                  kind=OrgUnit.Kind.PARTY_CELL, parent=party)
    w["monthly"].units.add(cell)
    writer = User.objects.create(username="chibo-roles", role=User.Role.REPORTER, unit=cell)
    template = w["monthly"]
    report = reports.save_draft(
        user=writer, template=template,
        period=reports.ensure_period(parse_period(last_month())), unit=cell,
        sections={key: f"Nội dung phần {key}." for key in template.section_keys()},
        streams=[_stream()], expected_version=None,
    )
    w["below"] = reports.submit_report(user=writer, report=report,
                                       expected_version=report.version)


def accepted(w: World, request) -> None:
    """cell_a's report, submitted and accepted by the office (no level between them)."""
    submitted(w, request)
    w["accepted"] = reports.accept_report(user=w["users"][OFFICE], report=w["submitted"],
                                          expected_version=w["submitted"].version)


def flash_request(w: World, request) -> None:
    """The office asks cell_a for a flash report due in four hours."""
    from flash import services as flash

    w["flash"] = flash.create_request(
        user=w["users"][OFFICE], title="Tụ tập đông người ở chợ", event="Tụ tập phản đối.",
        deadline=timezone.now() + dt.timedelta(hours=4), unit_ids=[w["cell_a"].pk])


def consolidated(w: World, request) -> None:
    w["consolidated"] = reports.generate_consolidated(user=w["users"][OFFICE],
                                                      period=parse_period(last_month()))


def pending_import(w: World, request) -> None:
    """A file the reporter uploaded, waiting for its columns to be mapped."""
    w["batch"] = intake.start_import(
        user=w["users"][REPORTER], file_name="y-kien.csv",
        data="Nội dung;Ngày\r\nĐường ngõ 5 ngập khi mưa;10/01/2026\r\n".encode())


def engine_issues(w: World, request) -> None:
    """Two issues the grouping engine made (merge and split need its clusters), and the
    engine's proposal to merge them."""
    items = [make_item(text, unit=w["cell_a"]) for text in (GARBAGE[0], GARBAGE[1], FLOOD[0])]
    issue_services.group_pending_items()
    for item in items:
        item.refresh_from_db()
    w["garbage"], w["flood"], w["split_item"] = items[0].issue, items[2].issue, items[1]
    w["engine_proposal"] = MergeProposal.objects.create(
        keep=w["garbage"], other=w["flood"], score=0.8, reason="cùng khu chợ")


_EXPORT_CSV = ("nội dung,thời gian,tác giả\r\n"
               "Rác ùn ứ ở chợ Hòa Bình nhiều ngày,2026-11-20 08:00,Nguyễn Văn A\r\n").encode()


def erasure_request(w: World, request) -> None:
    code = intake.submit_public_feedback(
        text="Đèn đường ngõ 9 hỏng, xin trả lời", area_id=None, wants_reply=True,
        phone="0977111222", consent=True, client_ip="198.51.100.9")
    w["erasure"] = intake.request_erasure(code=code)


def export_upload(w: World, request) -> None:
    """The office's pending export, waiting for its preview to be confirmed."""
    from monitoring import imports

    w["export_upload"] = imports.start_upload(
        user=w["users"][OFFICE], file_name="bai-dang.csv", data=_EXPORT_CSV,
        new_source="Nhóm Cư dân Hòa Bình",
    )


def monitoring_desk(w: World, request) -> None:
    """A followed source, a story of one mention on it, and the office's finding on the story."""
    from monitoring import misinformation

    w["source"] = Source.objects.create(name="Báo Hòa Bình", url="https://baohoabinh.example/rss",
                                        kind=Source.Kind.RSS)
    w["story"] = Story.objects.create(first_seen_at=dt.datetime.now(dt.UTC))
    w["mention"] = Mention.objects.create(
        url="https://baohoabinh.example/cho", site="baohoabinh.example", source=w["source"],
        title="Tin đồn di dời chợ Hòa Bình", text="Tin đồn di dời chợ Hòa Bình.",
        story=w["story"])
    w["finding"] = misinformation.mark(actor=w["users"][OFFICE], story_id=w["story"].pk,
                                       verdict="false", note="Phường không di dời chợ.")


_FINDING = {"verdict": "false", "note": "Phường không có kế hoạch di dời chợ.",
            "correction_url": "https://hoabinh.example/dinh-chinh"}


def news_site(w: World, request) -> None:
    """A local news page (never the internet) the office may paste."""
    settings = request.getfixturevalue("settings")
    settings.LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1", "localhost"]
    settings.LONGDAN_MONITOR_PAUSE = 0.0
    site = Site()
    request.addfinalizer(site.close)
    site.add("/an-lu", page("Rác thải ùn ứ ở chợ Hòa Bình",
                            ["Rác thải ùn ứ nhiều ngày ở chợ Hòa Bình, phường Hòa Bình."] * 3))
    w["news"] = site.url("/an-lu")


def watch_term(w: World, request) -> None:
    """A keyword on the office's watch-list."""
    w["watch_term"] = WatchTerm.objects.create(
        kind=WatchTerm.Kind.KEYWORD, phrase="ngập úng", folded="ngap ung"
    )


@cache
def xlsform() -> bytes:
    """The standard questionnaire, built once (each build differs in its timestamps)."""
    return standard_xlsform_bytes()


def draft_survey(w: World, request) -> None:
    w["survey"] = surveys.create_survey(user=w["users"][OFFICE], data=surveys.SurveyInput(
        title="Khảo sát ý kiến nhân dân về chỉnh trang đô thị", sample_size=400,
        allow_public_link=True, form_id=STANDARD_FORM_ID))


def open_survey(w: World, request) -> None:
    """A ward-wide survey with the standard questionnaire, open for answers."""
    draft_survey(w, request)
    office = w["users"][OFFICE]
    version = surveys.upload_form_version(user=office, survey=w["survey"], content=xlsform(),
                                          filename="khao_sat_chuan.xlsx")
    w["survey"] = surveys.set_survey_status(user=office, survey=w["survey"],
                                            status=Survey.Status.OPEN)
    w["question"] = version.questions.order_by("position").first()


def brief(w: World, request) -> None:
    key = parse_period(last_month())
    w["brief"] = picture.draft_brief(start=key.start, end=key.end, weekly=False,
                                     user=w["users"][OFFICE])


# --- bodies ----------------------------------------------------------------------------------


def _sections(w: World) -> dict:
    return {SECTION_PREFIX + key: f"Nội dung phần {key}, bổ sung."
            for key in w["monthly"].section_keys()}


def _unfollow(w: World) -> dict:
    """One's own subscription; someone else's for those who have none (they are refused)."""
    mine = Subscription.objects.filter(user=w["me"]).first()
    return {"id": (mine or Subscription.objects.first()).pk}


def _geojson(w: World) -> SimpleUploadedFile:
    ring = [[106.68, 20.85], [106.69, 20.85], [106.69, 20.86], [106.68, 20.86], [106.68, 20.85]]
    shape = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"ten": w["area"].name},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    return _upload("ranh-gioi.geojson", json.dumps(shape, ensure_ascii=False).encode(),
                   "application/geo+json")


def _survey_answers() -> SimpleUploadedFile:
    rows = "khu_vuc,gioi_tinh,nhom_tuoi,hai_long_chung\r\nto_1,nu,30_44,hai_long\r\n"
    return _upload("phieu.csv", rows.encode(), "text/csv")


# --- the rows --------------------------------------------------------------------------------

INTAKE = [
    # the office, reporters and collaborators record opinions
    Write("item_quick", url("item_quick"),
          lambda w: {"text": _text(), "channel": Channel.RESIDENTIAL, "received_on": _today(),
                     "sensitivity": "thuong"},
          OpinionItem, RECORDERS),
    Write("api-item-list", url("api-item-list"),
          lambda w: {"text": _text(), "channel": Channel.RESIDENTIAL},
          OpinionItem, RECORDERS, api=True),
    Write("meeting_create", url("meeting_create"),
          lambda w: {"kind": Meeting.Kind.VOTER_MEETING, "title": "Tiếp xúc cử tri tổ 1",
                     "held_on": _today(), "place": "Nhà văn hóa tổ 1"},
          Meeting, RECORDERS),
    Write("meeting_detail", url("meeting_detail", "meeting"),
          lambda w: {"text": "Cử tri đề nghị lắp thêm đèn chiếu sáng ở ngõ 7."},
          OpinionItem, RECORDERS),
    # confirming an item's labels is part of recording it (intake.services.can_edit_labels)
    Write("item_edit", url("item_edit", "item"),
          lambda w: {"topics": [Topic.objects.get(name="Môi trường").pk],
                     "attitude": Attitude.AGGRIEVED, "version": w["item"].version},
          AuditEntry, RECORDERS),
    # imports: the office and reporters; only the uploader (or the office) maps the columns
    Write("import_upload", url("import_upload"),
          lambda w: {"file": _upload(
              "y-kien.csv", "Nội dung;Ngày\r\nĐường ngõ 5 ngập khi mưa;10/01/2026\r\n".encode(),
              "text/csv")},
          ImportBatch, UNITS),
    Write("import_map", url("import_map", "batch"),
          lambda w: {"col_text": "Nội dung", "col_received_on": "Ngày",
                     "default_channel": Channel.OTHER},
          OpinionItem, UNITS, given=(pending_import,)),
    # a resident's request to erase their contact details: the office completes it (issue 10)
    Write("erasure_request_complete", url("erasure_request_complete", "erasure"), lambda w: {},
          ErasureRequest, OFFICE_ONLY, given=(erasure_request,),
          count=lambda: ErasureRequest.objects.filter(state="done").count()),
    # retraining the text models: the office's
    Write("model_status", url("model_status"), lambda w: {}, EngineState, OFFICE_ONLY,
          count=lambda: EngineState.objects.filter(name=LOCK_NAME,
                                                   meta__has_key="last_run").count()),
]

REPORTING = [
    # the office and the unit's reporter write the unit's report
    Write("report_start", url("report_start"),
          lambda w: {"period": startable_months()[0].code, "unit": w["cell_a"].pk},
          UnitReport, UNITS),
    Write("api-report-list", url("api-report-list"),
          lambda w: {"template": w["monthly"].pk, "period": startable_months()[0].code,
                     "unit": w["cell_a"].pk},
          UnitReport, UNITS, api=True),
    Write("report_edit", url("report_edit", "draft"),
          lambda w: {**_sections(w), "version": w["draft"].version,
                     "streams-TOTAL_FORMS": "0", "streams-INITIAL_FORMS": "0"},
          AuditEntry, UNITS, given=(draft,)),
    Write("api-report-detail", url("api-report-detail", "draft"),
          lambda w: {"version": w["draft"].version,
                     "sections": {key: f"Nội dung phần {key}, bổ sung."
                                  for key in w["monthly"].section_keys()}},
          AuditEntry, UNITS, api=True, method="patch", given=(draft,)),
    Write("report_submit", url("report_submit", "draft"),
          lambda w: {"version": w["draft"].version}, AuditEntry, UNITS, given=(draft,)),
    Write("api-report-submit", url("api-report-submit", "draft"),
          lambda w: {"version": w["draft"].version}, AuditEntry, UNITS, api=True,
          given=(draft,)),
    # linking a report's streams to issues annotates the report: its unit and the office
    Write("stream_issues",
          lambda w: reverse("stream_issues", args=[w["submitted"].pk, w["stream"].pk]),
          lambda w: {"issues": [w["issue"].pk]}, AuditEntry, UNITS, given=(submitted,)),
    # the office returns a report, edits templates, consolidates and reminds
    Write("report_return", url("report_return", "submitted"),
          lambda w: {"reason": "Phần II còn thiếu số liệu, đề nghị bổ sung."},
          AuditEntry, OFFICE_ONLY, given=(submitted,)),
    Write("api-report-return", url("api-report-return", "submitted"),
          lambda w: {"reason": "Phần II còn thiếu số liệu, đề nghị bổ sung."},
          AuditEntry, OFFICE_ONLY, api=True, given=(submitted,)),
    # the approval chain (issue 15): the đảng bộ (or the office for it) approves, the office
    # accepts and unlocks
    Write("report_approve", url("report_approve", "below"),
          lambda w: {"version": w["below"].version}, AuditEntry, OFFICE_ONLY,
          given=(below_a_party_committee,)),
    Write("report_accept", url("report_accept", "submitted"),
          lambda w: {"version": w["submitted"].version}, AuditEntry, OFFICE_ONLY,
          given=(submitted,)),
    Write("report_unlock", url("report_unlock", "accepted"),
          lambda w: {"version": w["accepted"].version, "reason": "Đơn vị báo nhầm số liệu."},
          AuditEntry, OFFICE_ONLY, given=(accepted,)),
    # flash reports (issue 15): the office or a leader asks; the unit (or the office for it)
    # answers
    Write("flash_create", url("flash_create"),
          lambda w: {"title": "Sự cố mất nước", "event": "Mất nước từ sáng.", "hours": 3,
                     "units": [w["cell_a"].pk]}, FlashRequest, DIRECTORS),
    Write("flash_detail", url("flash_detail", "flash"),
          lambda w: {"s_dien_bien": "Đã nắm tình hình.", "s_du_luan": "Nhân dân lo lắng.",
                     "s_kien_nghi": "Đề nghị đối thoại.", "action": "submit",
                     "don-vi": w["cell_a"].pk},
          FlashReport, UNITS, given=(flash_request,)),
    Write("template_edit", url("template_edit", "monthly"),
          lambda w: form_data(TemplateForm.initial_for(w["monthly"]), name="Báo cáo tháng (mới)"),
          AuditEntry, OFFICE_ONLY),
    Write("template_create", url("template_create"),
          lambda w: {"name": "Báo cáo của Mặt trận (R4)", "deadline_day": 25,
                     "deadline_rule": "before", "remind_days_before": 3, "version": 1,
                     "sections_text": "nhan_thuc | Nhận thức\ndong_thuan | Đồng thuận",
                     "units": [w["cell_a"].pk]},
          ReportTemplate, OFFICE_ONLY),
    Write("consolidated_generate", url("consolidated_generate"),
          lambda w: {"period": last_month()}, ConsolidatedReport, OFFICE_ONLY),
    Write("consolidated_detail", url("consolidated_detail", "consolidated"),
          lambda w: {"version": w["consolidated"].version,
                     "title": "Báo cáo tổng hợp tình hình dư luận xã hội (sửa)"},
          AuditEntry, OFFICE_ONLY, given=(consolidated,)),
    Write("office_inbox_remind", url("office_inbox_remind", "cell_a"),
          lambda w: {"template": w["monthly"].pk, "period": last_month()},
          Reminder, OFFICE_ONLY),
]

ISSUES = [
    # the office assigns (the change is the issue's; its trace is the audit entry)
    Write("issue_assign", url("issue_assign", "issue"),
          lambda w: {"owner_unit": w["cell_a"].pk, "version": w["issue"].version},
          AuditEntry, OFFICE_ONLY),
    Write("api-issue-assign", url("api-issue-assign", "issue"),
          lambda w: {"owner_unit": w["cell_a"].pk, "version": w["issue"].version},
          AuditEntry, OFFICE_ONLY, api=True),
    # the owner unit reports its work done (issues.services.lifecycle.OWNER_TRANSITIONS): its
    # reporter, not its collaborators, who record opinions and do not manage issues
    Write("issue_status", url("issue_status", "assigned"),
          lambda w: {"status": Issue.Status.RESOLVED, "version": w["assigned"].version},
          AuditEntry, UNITS),
    Write("api-issue-status", url("api-issue-status", "assigned"),
          lambda w: {"status": Issue.Status.RESOLVED, "version": w["assigned"].version},
          AuditEntry, UNITS, api=True),
    # corrections of the grouping, alerts, answers: the office's
    Write("issue_rename", url("issue_rename", "issue"),
          lambda w: {"title": "Rác thải ở chợ Hòa Bình", "version": w["issue"].version},
          AuditEntry, OFFICE_ONLY),
    Write("issue_merge", url("issue_merge", "garbage"),
          lambda w: {"other": w["flood"].code}, AuditEntry, OFFICE_ONLY, given=(engine_issues,)),
    Write("issue_split", url("issue_split", "garbage"),
          lambda w: {"title": "Mùi hôi ở chợ Hòa Bình", "items": [w["split_item"].pk]},
          Issue, OFFICE_ONLY, given=(engine_issues,)),
    Write("merge_proposal_accept", url("merge_proposal_accept", "engine_proposal"),
          lambda w: {}, AuditEntry, OFFICE_ONLY, given=(engine_issues,)),
    Write("merge_proposal_dismiss", url("merge_proposal_dismiss", "proposal"),
          lambda w: {}, AuditEntry, OFFICE_ONLY),
    Write("alert_ack", url("alert_ack", "alert"), lambda w: {}, AuditEntry, OFFICE_ONLY),
    Write("answer_create", url("answer_create"),
          lambda w: {"kind": Answer.Kind.choices[0][0], "title": "Trả lời về rác ở chợ",
                     "body": "Phường đã bố trí thu gom rác hai lần mỗi ngày.",
                     "issues": [w["issue"].pk]},
          Answer, OFFICE_ONLY),
    Write("monitoring_paste", url("monitoring_paste"),
          lambda w: {"url": w["news"], "confirm": "1"}, Mention, OFFICE_ONLY,
          given=(news_site,)),
    # a social-media export: uploaded for a preview, then imported (the office's desk)
    Write("monitoring_import", url("monitoring_import"),
          lambda w: {"new_source": "Nhóm Cư dân Hòa Bình",
                     "file": SimpleUploadedFile("bai-dang.csv", _EXPORT_CSV)},
          ExportUpload, OFFICE_ONLY),
    Write("monitoring_import_preview", url("monitoring_import_preview"),
          lambda w: {"upload": w["export_upload"].pk}, Mention, OFFICE_ONLY,
          given=(export_upload,)),
    # the sources' register and the findings of false information (the office; leaders read)
    Write("monitoring_sources", url("monitoring_sources"),
          lambda w: {"name": "Báo Tin tức", "url": "https://baotintuc.example/rss", "kind": "rss",
                     "fetch_interval_minutes": "60"}, Source, OFFICE_ONLY),
    Write("monitoring_source_edit", url("monitoring_source_edit", "source"),
          lambda w: {"name": "Báo Hòa Bình điện tử", "kind": "rss", "url": w["source"].url,
                     "fetch_interval_minutes": "120", "active": "on"},
          AuditEntry, OFFICE_ONLY, given=(monitoring_desk,)),
    Write("monitoring_source_toggle", url("monitoring_source_toggle", "source"),
          lambda w: {}, AuditEntry, OFFICE_ONLY, given=(monitoring_desk,)),
    Write("monitoring_finding_new",
          lambda w: reverse("monitoring_finding_new") + f"?tin={w['mention'].pk}",
          lambda w: _FINDING | {"corrected_on": _today()}, Misinformation, OFFICE_ONLY,
          given=(monitoring_desk,)),
    Write("monitoring_finding", url("monitoring_finding", "finding"),
          lambda w: _FINDING | {"corrected_on": _today()}, AuditEntry, OFFICE_ONLY,
          given=(monitoring_desk,)),
    Write("monitoring_finding_withdraw", url("monitoring_finding_withdraw", "finding"),
          lambda w: {}, AuditEntry, OFFICE_ONLY, given=(monitoring_desk,)),
    # the watch-list of topics and keywords (never persons)
    Write("monitoring_watch", url("monitoring_watch"),
          lambda w: {"action": "add", "kind": WatchTerm.Kind.KEYWORD, "phrase": "cắt nước"},
          WatchTerm, OFFICE_ONLY, case="add"),
    Write("monitoring_watch", url("monitoring_watch"),
          lambda w: {"action": "deactivate", "term": w["watch_term"].pk}, AuditEntry,
          OFFICE_ONLY, given=(watch_term,), case="deactivate"),
]

ORGS = [
    # the organisation: the office only
    Write("unit_create", url("unit_create"),
          lambda w: {"code": "chi-bo-9", "name": "Chi bộ Tổ dân phố 9",
                     "kind": OrgUnit.Kind.PARTY_CELL, "parent": w["cell_a"].parent_id,
                     "opened_on": _today()},
          OrgUnit, OFFICE_ONLY),
    Write("unit_edit", url("unit_edit", "cell_a"),
          lambda w: form_data(UnitForm.initial_for(w["cell_a"]), name="Chi bộ Tổ dân phố 1A"),
          AuditEntry, OFFICE_ONLY),
    Write("area_create", url("area_create"),
          lambda w: {"name": "Tổ dân phố 9", "population": "120", "households": "30"},
          Area, OFFICE_ONLY),
    Write("area_edit", url("area_edit", "area"),
          lambda w: form_data(AreaForm.initial_for(w["area"]), population=830),
          AuditEntry, OFFICE_ONLY),
    Write("collaborator_create", url("collaborator_create"),
          lambda w: {"full_name": "Trần Văn Hùng", "unit": w["cell_a"].pk, "started_on": _today(),
                     "status": Collaborator.Status.ACTIVE},
          Collaborator, OFFICE_ONLY),
    Write("collaborator_edit", url("collaborator_edit", "collaborator"),
          lambda w: form_data(CollaboratorForm.initial_for(w["collaborator"]),
                              phone="0912345678"),
          AuditEntry, OFFICE_ONLY),
    Write("user_password_reset", url("user_password_reset"),
          lambda w: {"user": w["users"][COLLABORATOR].pk}, AuditEntry, OFFICE_ONLY),
    Write("user_otp_reset", url("user_otp_reset"),
          lambda w: {"user": w["users"][COLLABORATOR].pk}, AuditEntry, OFFICE_ONLY,
          given=(_collaborator_has_an_app,)),
    Write("login_lockouts", url("login_lockouts"),
          lambda w: {"kind": "username", "value": REPORTER}, AuditEntry, OFFICE_ONLY),
    # the collaborators' allowance and the spreadsheet imports: the office's
    Write("collaborator_payment", url("collaborator_payment"),
          lambda w: {"quy": _this_quarter(), "collaborator": w["collaborator"].pk,
                     "amount": "500000", "paid_on": _today(), "voucher": "PC-01"},
          AllowancePayment, OFFICE_ONLY),
    Write("unit_import", url("unit_import"),
          lambda w: {"file": _upload("don-vi.csv", _UNITS_CSV.encode(), "text/csv")},
          OrgUnit, OFFICE_ONLY),
    Write("collaborator_import", url("collaborator_import"),
          lambda w: {"file": _upload("ctv.csv", _COLLABORATORS_CSV.encode(), "text/csv")},
          Collaborator, OFFICE_ONLY),
]

_UNITS_CSV = "Mã đơn vị,Tên đơn vị,Loại\r\nchi-bo-nhap,Chi bộ Tổ dân phố 12,Chi bộ\r\n"
_COLLABORATORS_CSV = "Họ và tên,Mã đơn vị,Từ ngày\r\nLý Thị Nhàn,chi-bo-1,01/10/2025\r\n"


def _this_quarter() -> str:
    today = local_today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"

SURVEYS = [
    # survey design, tokens, quotas, imports, weights and ODK logins: the office's
    Write("survey_create", url("survey_create"),
          lambda w: {"title": "Khảo sát ý kiến về chợ dân sinh", "kind": Survey.Kind.choices[0][0],
                     "sample_size": "0", "area_field": "khu_vuc", "gender_field": "gioi_tinh",
                     "age_group_field": "nhom_tuoi", "form_id": "ks_cho_dan_sinh"},
          Survey, OFFICE_ONLY),
    Write("api-survey-list", url("api-survey-list"),
          lambda w: {"title": "Khảo sát ý kiến về chợ dân sinh", "kind": Survey.Kind.choices[0][0]},
          Survey, OFFICE_ONLY, api=True),
    Write("survey_edit", url("survey_edit", "survey", attr="slug"),
          lambda w: form_data(SurveyForm.initial_for(w["survey"]), sample_size=500),
          AuditEntry, OFFICE_ONLY, given=(draft_survey,)),
    Write("survey_upload", url("survey_upload", "survey", attr="slug"),
          lambda w: {"file": _upload("khao_sat_chuan.xlsx", xlsform(), "application/octet-stream")},
          FormVersion, OFFICE_ONLY, given=(draft_survey,)),
    Write("api-survey-versions", url("api-survey-versions", "survey", attr="slug"),
          lambda w: {"file": _upload("khao_sat_chuan.xlsx", xlsform(), "application/octet-stream")},
          FormVersion, OFFICE_ONLY, api=True, files=True, given=(draft_survey,)),
    Write("survey_status", url("survey_status", "survey", attr="slug"),
          lambda w: {"status": Survey.Status.CLOSED}, AuditEntry, OFFICE_ONLY,
          given=(open_survey,)),
    Write("api-survey-status", url("api-survey-status", "survey", attr="slug"),
          lambda w: {"status": Survey.Status.CLOSED, "version": w["survey"].version},
          AuditEntry, OFFICE_ONLY, api=True, given=(open_survey,)),
    Write("survey_question_concept",
          lambda w: reverse("survey_question_concept", args=[w["survey"].slug, w["question"].pk]),
          lambda w: {"concept_key": "muc do hai long chung"}, AuditEntry, OFFICE_ONLY,
          given=(open_survey,)),
    Write("survey_tokens", url("survey_tokens", "survey", attr="slug"),
          lambda w: {"count": "1", "format": "csv", "batch": "Đợt 1"}, SurveyToken, OFFICE_ONLY,
          given=(open_survey,)),
    Write("survey_quotas", url("survey_quotas", "survey", attr="slug"),
          lambda w: {"dimension": Quota.Dimension.GENDER, "target:nu": "12"},
          Quota, OFFICE_ONLY, given=(open_survey,)),
    Write("survey_import", url("survey_import", "survey", attr="slug"),
          lambda w: {"file": _survey_answers()}, Response, OFFICE_ONLY, given=(open_survey,)),
    Write("survey_weights", url("survey_weights", "survey", attr="slug"),
          lambda w: {"action": "weighting", "method": "raking", "variables": ["gioi_tinh"],
                     "version": w["survey"].version},
          AuditEntry, OFFICE_ONLY, given=(open_survey,)),
    Write("survey_odk_credentials", url("survey_odk_credentials"),
          lambda w: {"user": w["users"][COLLABORATOR].pk}, CollectorCredential, OFFICE_ONLY),
    # answers to a ward-wide survey: whoever may collect (surveys.collect.selectors.may_collect)
    Write("survey_web_submit", url("survey_web_submit", "survey", attr="slug"),
          lambda w: {"xml_submission_file": _upload("submission.xml", standard_instance(),
                                                    "text/xml")},
          Response, RECORDERS, given=(open_survey,)),
]

PICTURE = [
    # leaders give directions and tasks; the office writes them on a leader's behalf
    Write("picture:direction_create", url("picture:direction_create"),
          lambda w: {"kind": Direction.Kind.DIRECTION, "unit_ids": [w["cell_a"].pk],
                     "text": "Nắm tình hình dư luận về thu gom rác, báo cáo kết quả.",
                     "due_on": _due()},
          Direction, DIRECTORS),
    Write("api-direction-list", url("api-direction-list"),
          lambda w: {"unit_ids": [w["cell_a"].pk], "due_on": _due(),
                     "text": "Nắm tình hình dư luận về thu gom rác, báo cáo kết quả."},
          Direction, DIRECTORS, api=True),
    Write("picture:gap_task", url("picture:gap_task"),
          lambda w: {"gap": "area", "target": w["area"].pk,
                     "action": Direction.Action.ASSIGN_COLLABORATOR},
          Direction, DIRECTORS),
    # the author (here the leader) and the office close, cancel or reopen a direction
    Write("picture:direction_status", url("picture:direction_status", "direction"),
          lambda w: {"status": Direction.Status.CANCELLED, "version": w["direction"].version},
          AuditEntry, DIRECTORS),
    # the units addressed acknowledge and report progress: their reporter, their collaborators
    # (for their own unit), the office for any unit (a report given by telephone)
    Write("picture:direction_ack", url("picture:direction_ack", "direction"),
          lambda w: {"unit": w["cell_a"].pk}, DirectionUpdate, RECORDERS),
    Write("picture:direction_progress", url("picture:direction_progress", "direction"),
          lambda w: {"unit": w["cell_a"].pk, "status": Direction.Status.IN_PROGRESS,
                     "note": "Chi bộ đã họp, phân công cộng tác viên theo dõi."},
          AuditEntry, RECORDERS),
    # alerts: the office and the leaders follow topics and areas, each their own
    Write("picture:follow", url("picture:follow"),
          lambda w: {"frequency": Subscription.Frequency.IMMEDIATE}, Subscription, DIRECTORS),
    Write("picture:unfollow", url("picture:unfollow"), _unfollow, AuditEntry, DIRECTORS),
    # the office decides on latent candidates, drafts the brief and writes its assessment,
    # imports the areas' boundaries
    Write("picture:latent_decide",
          lambda w: reverse("picture:latent_decide", args=[w["latent"].pk, "xac-nhan"]),
          lambda w: {}, Issue, OFFICE_ONLY, case="xác nhận"),
    Write("picture:latent_decide",
          lambda w: reverse("picture:latent_decide", args=[w["latent"].pk, "bo-qua"]),
          lambda w: {}, AuditEntry, OFFICE_ONLY, case="bỏ qua"),
    Write("picture:brief_new", url("picture:brief_new"),
          lambda w: {"period": last_month()}, Brief, OFFICE_ONLY),
    Write("picture:brief_detail", url("picture:brief_detail", "brief"),
          lambda w: {"notes": "Dư luận ổn định; cần theo dõi việc thu gom rác ở chợ.",
                     "version": w["brief"].version},
          AuditEntry, OFFICE_ONLY, given=(brief,)),
    Write("picture:area_boundaries", url("picture:area_boundaries"),
          lambda w: {"file": _geojson(w)}, AreaShape, OFFICE_ONLY),
]


WRITES: list[Write] = [*INTAKE, *REPORTING, *ISSUES, *ORGS, *SURVEYS, *PICTURE, *EVALUATION,
                      *CONSULTATIONS, *POLICIES, *PETITIONS, *PLANS]
