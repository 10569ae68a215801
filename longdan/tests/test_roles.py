"""Who may write what (issue 18, finding 4): one row per write endpoint, pages and API.

Roles: the office writes everything; a leader reads everything and writes nothing of the ward's
records, only their own actions in the picture (directions and tasks they give and close, the
topics they follow); a reporter writes their unit's reports, records opinions, answers the
directions addressed to their unit and reports their unit's issues resolved; a collaborator
records opinions and answers their unit's directions. Each role POSTs a minimal valid body to each
endpoint (the rows: ``roles_rows.WRITES``): an allowed write stores its row (or the user's audit
entry, for a change), a refused one answers 302 (to the login page, or back to the page with the
refusal's message), 400, 403 or 404 (a page may also show its form again with the message), and
stores nothing and audits nothing.

Every route that writes has a row or an exemption with its reason (``EXEMPT``), checked against
the URL configuration, so a new write route cannot be added without one.
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PASSWORD
from core import tokens
from core.dates import local_today
from core.models import AuditEntry, Channel, Notification, Topic
from core.services import notify
from intake import services as intake
from intake.models import Meeting, OpinionItem
from issues import services as issue_services
from issues.models import BurstAlert, Issue, MergeProposal
from issues.tests.helpers import item as make_item
from longdan.tests.roles_frame import (
    COLLABORATOR,
    EVERYONE,
    LEADER,
    OFFICE,
    REPORTER,
    Write,
)
from longdan.tests.roles_rows import WRITES
from longdan.tests.test_scoping_net import VERDICTS, WRITE, app_routes
from orgs.models import Collaborator, User
from picture import services as picture
from picture.models import Direction, LatentCandidate, Subscription
from surveys.design import services as survey_services

pytestmark = pytest.mark.django_db

REFUSED_STATUSES = {302, 400, 403, 404}

# The leaders' own actions in the picture (docs/ARCHITECTURE.md: leaders give directions, the
# author closes one; the office and the leaders subscribe to alerts, each to their own). Nothing
# else: a leader reads the ward's records and writes none of them.
LEADERS_OWN_ACTIONS = {
    "picture:direction_create", "api-direction-list", "picture:gap_task",
    "picture:direction_status", "picture:follow", "picture:unfollow",
    "consult_policy_waiver", "flash_create",
}

# The one write the office may not make: waiving a policy's "before" consultation is a leader's
# decision (issue 12, R7), so the office that moves the policy cannot excuse itself.
LEADERS_ALONE = {"consult_policy_waiver"}

# Routes that accept a write method yet need no row, each with its reason.
EXEMPT = {
    "login": "signs in: nobody has a role yet",
    "logout": "ends one's own session",
    "public_feedback": "the residents' public form: no login, no role",
    "public_erasure_request": "a resident's erasure request with their tracking code: no login,"
    " no role (intake/tests/test_personal_data.py)",
    "consult_public": "residents' comments on a draft: no login, no role (public form guards)",
    "public_survey": "an anonymous respondent's single-use link (a token), no role",
    "survey_odk_submission": "ODK Collect's own Digest login the office issues, no session",
    "api-token": "self-service: one's own username and password for one's own token",
    "password_change": "self-service: test_a_user_changes_only_their_own_password",
    "api_token_revoke": "self-service: test_a_user_revokes_only_their_own_tokens",
    "otp_verify": "the second step of one's own sign-in (core/tests/test_twofactor.py)",
    "otp_setup": "self-service: one's own authenticator app (core/tests/test_twofactor.py)",
    "otp_recovery_codes": "self-service: one's own recovery codes, with one's own code"
    " (core/tests/test_twofactor.py)",
    "otp_disable": "self-service, refused to the roles that require it"
    " (core/tests/test_twofactor.py)",
    "notifications": "self-service: test_a_reader_marks_only_their_own_notifications_read",
    "item_suggest": "a read: suggests topics for the text posted, stores nothing",
    "api-suggest": "a read: suggests topics for the text posted, stores nothing",
    "xlsform_check": "checks an uploaded XLSForm, stores nothing",
    "api-survey-check": "checks an uploaded XLSForm, stores nothing",
    "api-survey-weigh": "computes weights from the rows posted, stores nothing",
    "api-survey-estimate": "computes an estimate from the rows posted, stores nothing",
}


@pytest.fixture
def world(vanphong, lanhdao, an, cell_a, monthly, area_1) -> dict:
    ctv = User.objects.create_user("ctv", password=PASSWORD, role=User.Role.COLLABORATOR,
                                   unit=cell_a, full_name="Đỗ Thị Hoa")
    collaborator = Collaborator.objects.create(full_name="Đỗ Thị Hoa", user=ctv, unit=cell_a,
                                               started_on=dt.date(2025, 10, 1))
    users = {OFFICE: vanphong, LEADER: lanhdao, REPORTER: an, COLLABORATOR: ctv}
    issue = Issue.objects.create(code="VD-2026-9001", title="Rác ở chợ Hòa Bình",
                                 owner_unit=cell_a)
    twin = Issue.objects.create(code="VD-2026-9002", title="Rác ở chợ Hòa Bình (2)",
                                owner_unit=cell_a)
    environment = Topic.objects.get(name="Môi trường")
    today = local_today()
    return {
        "users": users, "cell_a": cell_a, "monthly": monthly, "area": area_1,
        "collaborator": collaborator, "issue": issue,
        "proposal": MergeProposal.objects.create(keep=issue, other=twin, score=0.8,
                                                 reason="cùng chợ Hòa Bình, cùng chủ đề"),
        # an issue cell_a was given to handle: the unit may report it resolved
        "assigned": Issue.objects.create(code="VD-2026-9003", title="Ngập ở ngõ 5",
                                         owner_unit=cell_a, status=Issue.Status.ASSIGNED),
        "item": make_item("Đèn đường ở ngõ 7 hỏng đã lâu", today, unit=cell_a, created_by=an),
        "meeting": intake.file_meeting(user=an, kind=Meeting.Kind.VOTER_MEETING,
                                       title="Tiếp xúc cử tri tổ 1", held_on=today,
                                       place="Nhà văn hóa tổ 1"),
        "direction": picture.create_direction(
            author=lanhdao, text="Nắm tình hình dư luận về thu gom rác, báo cáo kết quả.",
            due_on=today + dt.timedelta(days=7), unit_ids=[cell_a.pk]),
        "alert": BurstAlert.objects.create(issue=issue, detected_on=today, count=6, baseline=0.5,
                                           reason="6 ý kiến trong 3 ngày"),
        "latent": LatentCandidate.objects.create(
            topic=environment, area=area_1, detected_on=today, count=6,
            reason="Lo lắng về môi trường tăng ở Tổ dân phố 1"),
        "subscriptions": [picture.subscribe(user=user, topic=environment, by_email=False)
                          for user in (vanphong, lanhdao)],
    }


_CONVERTED: dict = {}


@pytest.fixture(autouse=True)
def _convert_each_xlsform_once(monkeypatch):
    """Converting an XLSForm takes a child process (odk.isolated); the rows upload one form."""
    real = survey_services.convert_isolated

    def convert(content, filename, **kwargs):
        key = (bytes(content), filename)
        if key not in _CONVERTED:
            _CONVERTED[key] = real(content, filename, **kwargs)
        return copy.deepcopy(_CONVERTED[key])

    monkeypatch.setattr(survey_services, "convert_isolated", convert)


# --- the matrix ---------------------------------------------------------------------------------


def test_every_role_is_in_the_matrix():
    assert {role for role, _ in User.Role.choices} == {
        User.Role.OFFICE, User.Role.LEADER, User.Role.REPORTER, User.Role.COLLABORATOR}
    assert all(w.allowed <= EVERYONE and (OFFICE in w.allowed) != (w.name in LEADERS_ALONE)
               for w in WRITES)
    assert {w.name for w in WRITES if LEADER in w.allowed} == LEADERS_OWN_ACTIONS
    assert len({w.id for w in WRITES}) == len(WRITES)


def _send(client, write: Write, w: dict):
    target, body = write.url(w), write.body(w)
    if write.api and not write.files:
        return getattr(client, write.method)(target, body, content_type="application/json")
    return getattr(client, write.method)(target, body)


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.id)
def test_who_may_write_what(client, world, write, role, request):
    user = world["users"][role]
    w = {**world, "me": user}
    for given in write.given:
        given(w, request)
    client.force_login(user)
    rows, entries = write.stored(), AuditEntry.objects.count()
    last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = _send(client, write, w)
    written = write.stored() - rows
    if role in write.allowed:
        assert response.status_code in (200, 201, 302), (write.id, role, response.status_code)
        errors = re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
        if write.model is AuditEntry:  # the change is the user's own entry, not a side effect
            written = AuditEntry.objects.filter(pk__gt=last_entry, actor=user).count()
        assert written >= 1 if write.model is AuditEntry else written == 1, (
            write.id, role, response.status_code, errors)
    else:
        assert response.status_code in REFUSED_STATUSES or (
            response.status_code == 200 and not write.api), (write.id, role)
        if response.status_code == 302:
            assert "dang-nhap" in response["Location"] or response["Location"] != write.url(w)
        assert written == 0, (write.id, role, response.status_code)
        assert AuditEntry.objects.count() == entries, (write.id, role)


# --- every write route has a row ----------------------------------------------------------------

WRITE_METHODS = {"post", "put", "patch", "delete"}


def _callbacks(patterns, namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _callbacks(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}:{entry.name}" if namespace else str(entry.name)), entry.callback


def accepts_writes(callback) -> bool:
    """Whether a route's view answers POST, PUT, PATCH or DELETE: read from a DRF route's actions,
    a class's methods, a function's source (decorators included). A function that hands its POST
    to a helper without naming it (orgs.views.area_create) is not seen; its verdict or its row
    keeps it in the matrix."""
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a route of a DRF viewset
        return bool(WRITE_METHODS & set(actions))
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view is not None:
        return any(hasattr(view, method) for method in WRITE_METHODS)
    return "POST" in inspect.getsource(inspect.unwrap(callback))  # with its decorators


def write_routes() -> set[str]:
    names = set(app_routes())
    found = set()
    for name, callback in _callbacks(get_resolver().url_patterns):
        if name in names and accepts_writes(callback):
            found.add(name)
    return found


def test_every_write_route_has_a_row_or_a_reason():
    covered = {w.name for w in WRITES} | set(EXEMPT)
    writes = {name for name, verdict in VERDICTS.items() if verdict.kind == WRITE}
    missing = sorted((writes | write_routes()) - covered)
    assert not missing, (
        "Write routes without a row in longdan/tests/roles_rows.py or roles_rows_upper.py"
        " (or a reason in EXEMPT): "
        f"{missing}")


def test_no_row_or_exemption_names_a_route_that_is_gone():
    routes = set(app_routes())
    assert not sorted({w.name for w in WRITES} - routes)
    assert not sorted(set(EXEMPT) - routes)
    assert not sorted(set(EXEMPT) & {w.name for w in WRITES})


# --- policies the matrix encodes ----------------------------------------------------------------


def test_a_collaborator_of_the_owning_unit_does_not_manage_its_issues(world):
    """Collaborators record opinions; the unit's reporter reports its issues resolved."""
    from core.errors import ServiceError

    assigned, ctv = world["assigned"], world["users"][COLLABORATOR]
    assert issue_services.allowed_next(assigned, ctv) == []
    assert issue_services.allowed_next(assigned, world["users"][REPORTER]) == [
        Issue.Status.RESOLVED]
    with pytest.raises(ServiceError):
        issue_services.change_status(user=ctv, issue=assigned, to_status=Issue.Status.RESOLVED,
                                     expected_version=assigned.version)
    assigned.refresh_from_db()
    assert assigned.status == Issue.Status.ASSIGNED


def test_a_leader_closes_only_the_directions_they_gave(client, world):
    by_office = picture.create_direction(
        author=world["users"][OFFICE], text="Rà soát ý kiến về an ninh trật tự.",
        due_on=local_today() + dt.timedelta(days=7), unit_ids=[world["cell_a"].pk])
    client.force_login(world["users"][LEADER])
    client.post(reverse("picture:direction_status", args=[by_office.pk]),
                {"status": Direction.Status.CANCELLED, "version": by_office.version})
    by_office.refresh_from_db()
    assert by_office.status == Direction.Status.OPEN


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

    before = OpinionItem.objects.count()
    with pytest.raises(ServiceError) as caught:
        intake.file_item(user=world["users"][LEADER], text="Người dân phản ánh rác thải.",
                         channel=Channel.RESIDENTIAL, received_on=None, area=None, unit=None)
    assert "quyền" in caught.value.message
    assert OpinionItem.objects.count() == before


# --- self-service: every role acts on its own account only -------------------------------------


def test_a_user_changes_only_their_own_password(client, world):
    new = "Mat-khau-moi-2026!"
    for user in world["users"].values():
        others = dict(User.objects.exclude(pk=user.pk).values_list("pk", "password"))
        victim = User.objects.exclude(pk=user.pk).first()
        client.force_login(user)
        response = client.post(reverse("password_change"), {
            "old_password": PASSWORD, "new_password1": new, "new_password2": new,
            # a field naming someone else is not read
            "user": victim.pk, "username": victim.username,
        })
        assert response.status_code == 302, user.username
        user.refresh_from_db()
        assert user.check_password(new)
        assert dict(User.objects.exclude(pk=user.pk).values_list("pk", "password")) == others
        entry = AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_CHANGE).latest("pk")
        assert entry.actor_id == user.pk and entry.object_id == str(user.pk)


def test_a_user_revokes_only_their_own_tokens(client, world):
    users = world["users"]
    issued = {role: tokens.issue(user, "Điện thoại")[0] for role, user in users.items()}
    for role, user in users.items():
        client.force_login(user)
        for other, token in issued.items():
            if other != role:
                response = client.post(reverse("api_token_revoke"), {"id": token.pk})
                assert response.status_code == 404, (role, other)
    for token in issued.values():
        token.refresh_from_db()
        assert tokens.is_live(token)
    client.force_login(users[REPORTER])
    client.post(reverse("api_token_revoke"), {"all": "1"})  # every token of one's own
    for role, token in issued.items():
        token.refresh_from_db()
        assert tokens.is_live(token) == (role != REPORTER), role
    client.force_login(users[COLLABORATOR])
    assert client.post(reverse("api_token_revoke"),
                       {"id": issued[COLLABORATOR].pk}).status_code == 302
    issued[COLLABORATOR].refresh_from_db()
    assert not tokens.is_live(issued[COLLABORATOR])


def test_the_api_revokes_only_the_token_it_is_called_with(client, world):
    issued = {role: tokens.issue(user, "Máy tính bảng") for role, user in world["users"].items()}
    _, secret = issued[COLLABORATOR]
    response = client.delete(reverse("api-token"), HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 204
    for role, (token, _) in issued.items():
        token.refresh_from_db()
        assert tokens.is_live(token) == (role != COLLABORATOR), role


def test_a_subscriber_unfollows_only_their_own_subscription(client, world):
    office_sub, leader_sub = world["subscriptions"]
    client.force_login(world["users"][OFFICE])
    assert client.post(reverse("picture:unfollow"), {"id": leader_sub.pk}).status_code == 404
    client.force_login(world["users"][LEADER])
    assert client.post(reverse("picture:unfollow"), {"id": office_sub.pk}).status_code == 404
    assert Subscription.objects.filter(pk__in=[office_sub.pk, leader_sub.pk]).count() == 2


def test_a_reader_marks_only_their_own_notifications_read(client, world):
    users = world["users"]
    notify(list(users.values()), text="Có ý kiến chỉ đạo mới.", url="/chi-dao/")
    for role, user in users.items():
        client.force_login(user)
        for other in users.values():
            if other != user:
                theirs = Notification.objects.get(user=other, text="Có ý kiến chỉ đạo mới.")
                client.post(reverse("notifications"), {"id": theirs.pk})
        assert Notification.objects.filter(read_at__isnull=False).count() == 0, role
    client.force_login(users[REPORTER])
    client.post(reverse("notifications"))  # all of one's own
    read = Notification.objects.filter(read_at__isnull=False)
    assert set(read.values_list("user", flat=True)) == {users[REPORTER].pk}
