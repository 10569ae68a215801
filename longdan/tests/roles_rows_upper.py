"""The write matrix's rows of the upper floors: evaluation and consultations, and the voters'
petitions (see roles_rows.py)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from consultations import policy_services as policies
from consultations import services as consultations
from consultations.models import (
    Comment,
    CommentGroup,
    ConsultationLink,
    Difficulty,
    Draft,
    Policy,
    Waiver,
)
from consultations.tests.drafts import docx_bytes, with_chapters
from core.dates import local_today
from core.models import AuditEntry
from evaluation.models import (
    CriteriaSet,
    DismissedCandidate,
    EnteredScore,
    Incident,
    Scorecard,
)
from intake.models import Meeting, OpinionItem
from longdan.tests.roles_frame import (
    LEADER,
    OFFICE,
    OFFICE_ONLY,
    RECORDERS,
    REPORTER,
    UNITS,
    World,
    Write,
    _due,
    _today,
    _upload,
    url,
)
from petitions.models import DelegateGroup, MeetingLink, Point, Round
from plans.models import (
    DisseminationSession,
    ImplementationPlan,
    Inspection,
    Plan,
    PlanTask,
    TaskProgress,
)


def _this_year() -> str:
    return str(local_today().year)


def _criteria_rows() -> dict:
    return {"year": _this_year(), "name": "Bộ tiêu chí thử", "excellent_min": "90",
            "good_min": "75", "pass_min": "50", "rows": "1", "row-0-code": "dung_han",
            "row-0-name": "Nộp báo cáo đúng hạn", "row-0-weight": "100",
            "row-0-measure": "reports_on_time", "row-0-target": "100", "row-0-floor": "0",
            "row-0-missing": "exclude"}


def incident(w: World, request) -> None:
    """An incident of cell_a the office recorded, waiting for its review."""
    w["incident"] = Incident.objects.create(
        unit=w["cell_a"], kind=Incident.Kind.OMISSION, occurred_on=local_today(),
        description="Không báo cáo cảnh báo ở tổ dân phố 1.", source=Incident.Source.OTHER)


EVALUATION = [
    # a unit comments on its own card (the office may record a comment sent on paper)
    Write("evaluation:card_comment", url("evaluation:card_comment", "cell_a"),
          lambda w: {"ky": _this_year(), "comment": "Đề nghị xem lại tỷ lệ nộp đúng hạn."},
          Scorecard, UNITS),
    # the office scores the entered criteria, finalises cards, makes criteria sets
    Write("evaluation:card_enter", url("evaluation:card_enter", "cell_a"),
          lambda w: {"ky": _this_year(), "criterion": "tuyen_truyen", "value": "8",
                     "evidence": "Biên bản sinh hoạt chi bộ quán triệt Chỉ thị 47."},
          EnteredScore, OFFICE_ONLY),
    Write("evaluation:finalise", url("evaluation:finalise"),
          lambda w: {"ky": _this_year(), "unit": w["cell_a"].pk}, Scorecard, OFFICE_ONLY),
    Write("evaluation:criteria_new", url("evaluation:criteria_new"),
          lambda w: _criteria_rows(), CriteriaSet, OFFICE_ONLY),
    # incidents (R8): the office records one and concludes its review
    Write("evaluation:incident_new", url("evaluation:incident_new"),
          lambda w: {"don_vi": w["cell_a"].pk, "loai": Incident.Kind.PASSIVITY,
                     "ngay": _today(), "mo_ta": "Chậm nắm tình hình dư luận về rác thải."},
          Incident, OFFICE_ONLY),
    Write("evaluation:candidate_dismiss", url("evaluation:candidate_dismiss"),
          lambda w: {"don_vi": w["cell_a"].pk, "nguon": "issue", "ma": w["issue"].pk,
                     "ly_do": "Đơn vị đã trả lời bằng văn bản giấy."},
          DismissedCandidate, OFFICE_ONLY),
    Write("evaluation:incident_review", url("evaluation:incident_review", "incident"),
          lambda w: {"outcome": Incident.Outcome.CRITICISM, "review": "Phê bình chi bộ.",
                     "decided_on": _today()},
          AuditEntry, OFFICE_ONLY, given=(incident,)),
]


def open_draft(w: World, request) -> None:
    """A draft open for comment, cell_a's reporter's comment on its Khoản 2 Điều 3 (its group
    is what the office answers)."""
    today = local_today()
    w["consult_draft"] = consultations.upload_draft(
        user=w["users"][OFFICE], title="Quy chế quản lý trật tự đô thị",
        issuing_body="UBND phường Hòa Bình", opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=29), file_name="quy-che.docx",
        data=docx_bytes(with_chapters()))
    w["clause"] = w["consult_draft"].provisions.get(article="3", clause="2")
    consultations.add_comment(user=w["users"][REPORTER], provision=w["clause"], source="unit",
                              text="Đề nghị giảm mức phí sử dụng vỉa hè cho hộ kinh doanh nhỏ.")
    w["comment_group"] = CommentGroup.objects.get(provision=w["clause"])


CONSULTATIONS = [
    # the office puts a draft out for comment
    Write("consult_draft_upload", url("consult_draft_upload"),
          lambda w: {"title": "Quy chế trật tự đô thị", "issuing_body": "UBND phường Hòa Bình",
                     "opens_on": _today(), "closes_on": _due(),
                     "file": _upload("quy-che.docx", docx_bytes(with_chapters()),
                                     "application/octet-stream")},
          Draft, OFFICE_ONLY),
    # those who record opinions comment on a clause (a collaborator records residents')
    Write("consult_provision",
          lambda w: reverse("consult_provision",
                            args=[w["consult_draft"].pk, w["clause"].pk]),
          lambda w: {"source": "resident",
                     "text": "Người dân đề nghị quy định rõ giờ đổ rác ở đầu ngõ."},
          Comment, RECORDERS, given=(open_draft,)),
    # the office records the drafting body's answer to a group of comments
    Write("consult_answer",
          lambda w: reverse("consult_answer",
                            args=[w["consult_draft"].pk, w["comment_group"].pk]),
          lambda w: {"response": "giai_trinh",
                     "reason": "Mức phí do thành phố quy định, phường không tự giảm."},
          AuditEntry, OFFICE_ONLY, given=(open_draft,)),
]

def a_policy(w: World, request) -> None:
    """A project that requires consultation (land), still being drafted, with a voter meeting
    of cell_a tied to its "before" moment; and a campaign that does not require it."""
    office = w["users"][OFFICE]
    w["policy"] = policies.create_policy(user=office, data=policies.PolicyInput(
        title="Dự án chỉnh trang vỉa hè", kind="du_an", level="phuong",
        owner_name="UBND phường Hòa Bình", affects_land=True))
    w["free_policy"] = policies.create_policy(user=office, data=policies.PolicyInput(
        title="Phong trào đọc sách", kind="phong_trao", level="phuong",
        owner_name="Đoàn Thanh niên phường"))
    w["policy_meeting"] = Meeting.objects.create(
        kind=Meeting.Kind.VOTER_MEETING, title="Tiếp xúc cử tri về vỉa hè", held_on=local_today(),
        place="Nhà văn hóa", unit=w["cell_a"])
    w["policy_link"], = policies.link_sources(
        user=office, policy=w["policy"], moment="truoc", source="meeting",
        ids=[w["policy_meeting"].pk])


POLICIES = [
    # the office keeps the register, moves the stage, ties the sources, writes the difficulties
    Write("consult_policy_create", url("consult_policy_create"),
          lambda w: {"title": "Đề án chuyển đổi số phường", "kind": "de_an", "level": "phuong",
                     "owner_name": "UBND phường Hòa Bình", "affects_many": "on"},
          Policy, OFFICE_ONLY),
    Write("consult_policy_edit", url("consult_policy_edit", "policy"),
          lambda w: {"title": "Dự án chỉnh trang vỉa hè các tuyến phố", "kind": "du_an",
                     "level": "phuong", "owner_name": "UBND phường Hòa Bình",
                     "affects_land": "on", "version": 1},
          AuditEntry, OFFICE_ONLY, given=(a_policy,)),
    Write("consult_policy_stage", url("consult_policy_stage", "free_policy"),
          lambda w: {"stage": "ban_hanh", "version": 1}, AuditEntry, OFFICE_ONLY,
          given=(a_policy,)),
    Write("consult_policy_link", url("consult_policy_link", "policy"),
          lambda w: {"moment": "sau", "source": "meeting", "ids": [w["policy_meeting"].pk]},
          ConsultationLink, OFFICE_ONLY, given=(a_policy,)),
    Write("consult_policy_unlink",
          lambda w: reverse("consult_policy_unlink",
                            args=[w["policy"].pk, w["policy_link"].pk]),
          lambda w: {}, AuditEntry, OFFICE_ONLY, given=(a_policy,)),
    Write("consult_policy_difficulty", url("consult_policy_difficulty", "policy"),
          lambda w: {"moment": "truoc", "text": "Hộ kinh doanh lo mất chỗ bán hàng."},
          Difficulty, OFFICE_ONLY, given=(a_policy,)),
    # a leader alone waives the "before" consultation, with the reason
    Write("consult_policy_waiver", url("consult_policy_waiver", "policy"),
          lambda w: {"reason": "Thực hiện chỉ đạo khẩn của thành phố về phòng chống bão."},
          Waiver, frozenset({LEADER}), given=(a_policy,)),
]


def a_round(w: World, request) -> None:
    """A round of voter contact around today, a voter meeting of cell_a held today in no round
    yet with one point, and a second point the office passed to an agency."""
    from core.models import Channel
    from petitions import services as petitions

    office, today = w["users"][OFFICE], local_today()
    w["round"] = petitions.create_round(user=office, data=petitions.RoundInput(
        title="Đợt tiếp xúc cử tri trước kỳ họp", timing="truoc", session_name="kỳ họp thứ 5",
        session_on=today + dt.timedelta(days=10), starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=5)))
    w["voter_meeting"] = Meeting.objects.create(
        kind=Meeting.Kind.VOTER_MEETING, title="Tiếp xúc cử tri tổ dân phố 1", held_on=today,
        place="Nhà văn hóa", unit=w["cell_a"])
    w["petition"], w["referred"] = (OpinionItem.objects.create(
        text=text, channel=Channel.VOTER_MEETING, received_on=today, unit=w["cell_a"],
        meeting=w["voter_meeting"]) for text in ("Đề nghị sửa đường ngõ 5.",
                                                   "Đề nghị thay đèn chiếu sáng ngõ 7."))
    petitions.mark_point(user=office, item=w["referred"], expected_version=0,
                         data=petitions.MarkInput(disposition="chuyen_co_quan",
                                                  agency_name="Công ty Điện lực",
                                                  due_on=today + dt.timedelta(days=15)))


PETITIONS = [
    # the office makes rounds and delegate groups
    Write("petition_round_create", url("petition_round_create"),
          lambda w: {"title": "Đợt tiếp xúc cử tri sau kỳ họp", "timing": "sau",
                     "session_name": "kỳ họp thứ 5", "session_on": _today(),
                     "starts_on": _today(), "ends_on": _due(),
                     "council": "Thường trực HĐND phường"},
          Round, OFFICE_ONLY),
    Write("petition_groups", url("petition_groups"),
          lambda w: {"name": "Tổ đại biểu số 4", "members": "Đại biểu Hoàng Văn Nam"},
          DelegateGroup, OFFICE_ONLY),
    # the office and the meeting's unit put a meeting in a round, mark its points, record the
    # agency's reply; leaders read, collaborators file the points but do not dispose of them
    Write("petition_round_attach", url("petition_round_attach", "round"),
          lambda w: {"meeting": w["voter_meeting"].pk}, MeetingLink, UNITS, given=(a_round,)),
    Write("petition_meeting_link", url("petition_meeting_link", "voter_meeting"),
          lambda w: {"round": w["round"].pk}, MeetingLink, UNITS, given=(a_round,)),
    Write("petition_mark", url("petition_mark", "petition"),
          lambda w: {"disposition": "tai_hoi_nghi", "field": "giao_thong",
                     "answered_by": "Chủ tịch UBND phường", "answer": "Đã đưa vào kế hoạch.",
                     "version": 0},
          Point, UNITS, given=(a_round,)),
    Write("petition_reply", url("petition_reply", "referred"),
          lambda w: {"reply": "Đã thay đèn.", "replied_on": _today(), "version": 1},
          AuditEntry, UNITS, given=(a_round,)),
]


def a_plan(w: World, request) -> None:
    """The ward's plan with a task for every chi bộ, a session of cell_a and an inspection."""
    from plans import services as plans

    office, today = w["users"][OFFICE], local_today()
    ward = w["cell_a"].parent
    w["plan"] = plans.create_plan(
        actor=office, number="18-KH/ĐU", title="Thực hiện Chỉ thị 47-CT/TW", issuing_unit=ward,
        issued_on=today - dt.timedelta(days=30), unit_kinds=["chi_bo"],
        unit_plan_due=today - dt.timedelta(days=10))
    w["plan_task"] = plans.add_task(actor=office, plan=w["plan"], owner_kind="chi_bo",
                                    text="Phân công cấp ủy viên phụ trách dư luận xã hội.",
                                    due_on=today)
    w["plan_session"] = plans.record_session(
        actor=office, plan=w["plan"], unit=w["cell_a"], held_on=today, attendance=10,
        content="Quán triệt Chỉ thị 47.")
    w["plan_inspection"] = plans.record_inspection(
        actor=office, kind="kiem_tra", inspecting_unit=ward, inspected_unit=w["cell_a"],
        held_on=today, findings="Chưa ban hành kế hoạch.", recommendations="Ban hành ngay.")


def _pdf(_=None):
    return _upload("ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")


PLANS = [
    # the office keeps the plans, their tasks and the inspections
    Write("plans:plan_new", url("plans:plan_new"),
          lambda w: {"number": "19-KH/ĐU", "title": "Kế hoạch kiểm tra, giám sát năm 2026",
                     "issuing_unit": w["cell_a"].parent.pk, "issued_on": _today(),
                     "unit_kinds": ["chi_bo"]},
          Plan, OFFICE_ONLY),
    Write("plans:task_new", url("plans:task_new", "plan"),
          lambda w: {"owner": "kind:chi_bo", "text": "Tổ chức quán triệt Chỉ thị 47.",
                     "due_on": _due()},
          PlanTask, OFFICE_ONLY, given=(a_plan,)),
    Write("plans:task_edit", url("plans:task_edit", "plan_task"),
          lambda w: {"text": "Phân công cấp ủy viên phụ trách (sửa).", "due_on": _due(),
                     "version": 1},
          AuditEntry, OFFICE_ONLY, given=(a_plan,)),
    Write("plans:inspection_new", url("plans:inspection_new"),
          lambda w: {"kind": "giam_sat", "inspecting_unit": w["cell_a"].parent.pk,
                     "inspected_unit": w["cell_a"].pk, "held_on": _today(),
                     "findings": "Báo cáo tháng còn chậm."},
          Inspection, OFFICE_ONLY),
    Write("plans:inspection_follow_up", url("plans:inspection_follow_up", "plan_inspection"),
          lambda w: {"follow_up": "xong", "note": "Đã ban hành kế hoạch.", "version": 1},
          AuditEntry, OFFICE_ONLY, given=(a_plan,)),
    # a unit's responsible person records its own progress, plan and sessions (the office
    # records them from paper)
    Write("plans:task_progress", url("plans:task_progress", "plan_task"),
          lambda w: {"unit": w["cell_a"].pk, "status": "dang", "version": 0,
                     "evidence_note": "Đang phân công."},
          TaskProgress, UNITS, given=(a_plan,)),
    Write("plans:unit_plan", url("plans:unit_plan", "cell_a"),
          lambda w: {"plan": w["plan"].pk, "number": "01-KH/CB", "issued_on": _today(),
                     "file": _pdf()},
          ImplementationPlan, UNITS, given=(a_plan,)),
    Write("plans:session_new", url("plans:session_new", "cell_a"),
          lambda w: {"plan": w["plan"].pk, "held_on": _today(), "attendance": "12",
                     "content": "Sinh hoạt chuyên đề về dư luận xã hội."},
          DisseminationSession, UNITS, given=(a_plan,)),
    Write("plans:session_edit", url("plans:session_edit", "plan_session"),
          lambda w: {"held_on": _today(), "attendance": "11", "content": "Quán triệt (sửa).",
                     "version": 1},
          AuditEntry, UNITS, given=(a_plan,)),
]
