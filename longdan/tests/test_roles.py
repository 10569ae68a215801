"""Who may write what (issue 18, finding 4): one row per write endpoint, pages and API.

Roles: the office writes everything; a leader reads everything and writes nothing; a reporter
writes their unit's reports and records opinions for their unit; a collaborator records opinions.
Each role POSTs a minimal valid body to each endpoint: an allowed write stores its row, a refused
one answers 302 (to the login page), 400 with a message, 403 or 404, and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.urls import reverse

from core.dates import local_today
from core.models import AuditEntry, Channel
from intake.models import ImportBatch, Meeting, OpinionItem
from issues.models import Issue, MergeProposal
from orgs.models import Area, Collaborator, User
from reporting.models import Reminder, UnitReport
from reporting.page_selectors import startable_months
from surveys.models import Survey

pytestmark = pytest.mark.django_db

OFFICE, LEADER, REPORTER, COLLABORATOR = "vanphong", "lanhdao", "an", "ctv"
EVERYONE = {OFFICE, LEADER, REPORTER, COLLABORATOR}
REFUSED_STATUSES = {302, 400, 403, 404}


@dataclass(frozen=True)
class Write:
    name: str
    url: Callable[[dict], str]
    body: Callable[[dict], dict]
    model: type[Model]
    allowed: frozenset[str]
    api: bool = False


def _text(_):
    return "Người dân phản ánh rác thải ở ngõ 5 chưa được thu gom đúng giờ."


WRITES = [
    # intake: the office, reporters and collaborators record opinions
    Write("item_quick", lambda w: reverse("item_quick"),
          lambda w: {"text": _text(w), "channel": Channel.RESIDENTIAL,
                     "received_on": dt.date.today().isoformat(), "sensitivity": "thuong"},
          OpinionItem, frozenset({OFFICE, REPORTER, COLLABORATOR})),
    Write("api-item-list", lambda w: reverse("api-item-list"),
          lambda w: {"text": _text(w), "channel": Channel.RESIDENTIAL},
          OpinionItem, frozenset({OFFICE, REPORTER, COLLABORATOR}), api=True),
    Write("meeting_create", lambda w: reverse("meeting_create"),
          lambda w: {"kind": Meeting.Kind.VOTER_MEETING, "title": "Tiếp xúc cử tri tổ 1",
                     "held_on": dt.date.today().isoformat(), "place": "Nhà văn hóa tổ 1"},
          Meeting, frozenset({OFFICE, REPORTER, COLLABORATOR})),
    # imports: the office and reporters
    Write("import_upload", lambda w: reverse("import_upload"),
          lambda w: {"file": SimpleUploadedFile(
              "y-kien.csv", "Nội dung;Ngày\r\nĐường ngõ 5 ngập khi mưa;10/01/2026\r\n".encode(),
              content_type="text/csv")},
          ImportBatch, frozenset({OFFICE, REPORTER})),
    # reporting: the office and the unit's reporter
    Write("report_start", lambda w: reverse("report_start"),
          lambda w: {"period": startable_months()[0].code, "unit": w["cell_a"].pk},
          UnitReport, frozenset({OFFICE, REPORTER})),
    Write("api-report-list", lambda w: reverse("api-report-list"),
          lambda w: {"template": w["monthly"].pk, "period": startable_months()[0].code,
                     "unit": w["cell_a"].pk},
          UnitReport, frozenset({OFFICE, REPORTER}), api=True),
    # issues: the office assigns (the change is the issue's; its trace is the audit entry)
    Write("issue_assign", lambda w: reverse("issue_assign", args=[w["issue"].pk]),
          lambda w: {"owner_unit": w["cell_a"].pk, "version": w["issue"].version},
          AuditEntry, frozenset({OFFICE})),
    Write("api-issue-assign", lambda w: reverse("api-issue-assign", args=[w["issue"].pk]),
          lambda w: {"owner_unit": w["cell_a"].pk, "version": w["issue"].version},
          AuditEntry, frozenset({OFFICE}), api=True),
    # surveys and the organisation: the office only
    Write("survey_create", lambda w: reverse("survey_create"),
          lambda w: {"title": "Khảo sát ý kiến về chợ dân sinh", "kind": Survey.Kind.choices[0][0],
                     "sample_size": "0", "area_field": "khu_vuc", "gender_field": "gioi_tinh",
                     "age_group_field": "nhom_tuoi", "form_id": "ks_cho_dan_sinh"},
          Survey, frozenset({OFFICE})),
    Write("area_create", lambda w: reverse("area_create"),
          lambda w: {"name": "Tổ dân phố 9", "population": "120", "households": "30"},
          Area, frozenset({OFFICE})),
    # the office's inbox and the engine's merge proposals: the office only
    Write("office_inbox_remind", lambda w: reverse("office_inbox_remind", args=[w["cell_a"].pk]),
          lambda w: {"template": w["monthly"].pk, "period": _last_month()},
          Reminder, frozenset({OFFICE})),
    Write("merge_proposal_dismiss",
          lambda w: reverse("merge_proposal_dismiss", args=[w["proposal"].pk]),
          lambda w: {}, AuditEntry, frozenset({OFFICE})),
]


def _last_month() -> str:
    """The month before this one: past its deadline whatever the day (the report is missing)."""
    last = local_today().replace(day=1) - dt.timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


@pytest.fixture
def world(vanphong, lanhdao, an, cell_a, monthly, area_1) -> dict:
    ctv = User.objects.create_user("ctv", password="x", role=User.Role.COLLABORATOR,
                                   unit=cell_a, full_name="Đỗ Thị Hoa")
    Collaborator.objects.create(full_name="Đỗ Thị Hoa", user=ctv, unit=cell_a,
                                started_on=dt.date(2025, 10, 1))
    users = {OFFICE: vanphong, LEADER: lanhdao, REPORTER: an, COLLABORATOR: ctv}
    issue = Issue.objects.create(code="VD-2026-9001", title="Rác ở chợ Hòa Bình",
                                 owner_unit=cell_a)
    twin = Issue.objects.create(code="VD-2026-9002", title="Rác ở chợ Hòa Bình (2)",
                                owner_unit=cell_a)
    proposal = MergeProposal.objects.create(keep=issue, other=twin, score=0.8,
                                            reason="cùng chợ Hòa Bình, cùng chủ đề")
    return {"users": users, "cell_a": cell_a, "monthly": monthly, "issue": issue,
            "proposal": proposal}


def test_every_role_is_in_the_matrix():
    assert {role for role, _ in User.Role.choices} == {
        User.Role.OFFICE, User.Role.LEADER, User.Role.REPORTER, User.Role.COLLABORATOR}
    assert all(w.allowed <= EVERYONE and LEADER not in w.allowed for w in WRITES)


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_who_may_write_what(client, world, write, role):
    client.force_login(world["users"][role])
    rows, entries = write.model.objects.count(), AuditEntry.objects.count()
    body = write.body(world)
    if write.api:
        response = client.post(write.url(world), body, content_type="application/json")
    else:
        response = client.post(write.url(world), body)
    written = write.model.objects.count() - rows
    if role in write.allowed:
        assert response.status_code in (200, 201, 302), (write.name, role, response.status_code)
        errors = re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
        assert written >= 1 if write.model is AuditEntry else written == 1, (
            write.name, role, response.status_code, errors)
    else:
        assert response.status_code in REFUSED_STATUSES or (
            response.status_code == 200 and not write.api), (write.name, role)
        if response.status_code == 302:
            assert "dang-nhap" in response["Location"] or response["Location"] != write.url(world)
        assert written == 0, (write.name, role, response.status_code)
        assert AuditEntry.objects.count() == entries, (write.name, role)


def test_leader_sees_no_write_buttons(client, world):
    client.force_login(world["users"][LEADER])
    items = client.get(reverse("item_list")).content.decode()
    assert reverse("item_quick") not in items
    assert reverse("import_upload") not in items
    meetings = client.get(reverse("meeting_list")).content.decode()
    assert reverse("meeting_create") not in meetings
    # and the forms themselves are refused
    assert client.get(reverse("item_quick")).status_code in {302, 403, 404}
    assert client.get(reverse("meeting_create")).status_code in {302, 403, 404}


def test_a_leader_cannot_record_opinions_through_the_service(world):
    from core.errors import ServiceError
    from intake import services

    with pytest.raises(ServiceError) as caught:
        services.file_item(user=world["users"][LEADER], text=_text(None),
                           channel=Channel.RESIDENTIAL, received_on=None, area=None, unit=None)
    assert "quyền" in caught.value.message
    assert not OpinionItem.objects.exists()
