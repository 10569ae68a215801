"""Merge proposals (issue 17): near-duplicate issues are proposed, the office merges them in one
click or dismisses them for good; everyone else is refused; every decision is audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from core.errors import ServiceError
from core.models import AuditEntry, Topic
from issues import services
from issues.models import Issue, MergeProposal
from issues.tests.helpers import D, item, refreshed

pytestmark = pytest.mark.django_db
P = MergeProposal.Status
DRAIN = [
    "Cống thoát nước ở tổ dân phố 3 bị tắc nên mưa là ngập",
    "Cống thoát nước tổ dân phố 3 tắc, mưa là ngập nặng",
]
RAIN = [
    "Mưa lớn chiều qua làm tổ dân phố 3 ngập gần nửa mét, đề nghị nạo vét",
    "Mưa lớn chiều qua tổ dân phố 3 ngập gần nửa mét",
]
KARAOKE = [
    "Quán karaoke ở tổ dân phố 3 mở loa rất to sau 22 giờ",
    "Karaoke tổ dân phố 3 mở loa to sau 22 giờ",
]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0), tick=False):
        yield


@pytest.fixture
def near_duplicates() -> tuple[Issue, Issue, Issue]:
    """Flooding at tổ 3 worded two ways (two issues for the item grouping) and karaoke there."""
    environment = Topic.objects.get(name="Môi trường")
    culture = Topic.objects.get(name="Văn hóa")
    items = [item(t, D, suggested_topic=environment) for t in DRAIN + RAIN]
    items += [item(t, D, suggested_topic=culture) for t in KARAOKE]
    services.group_pending_items()
    drain, rain, karaoke = (refreshed(items[i]).issue for i in (0, 2, 4))
    assert len({drain, rain, karaoke}) == 3
    return drain, rain, karaoke


def test_near_duplicate_issues_are_proposed_once_with_a_vietnamese_reason(near_duplicates):
    drain, rain, _karaoke = near_duplicates
    assert services.propose_merges() == 1
    proposal = MergeProposal.objects.get()
    assert {proposal.keep, proposal.other} == {drain, rain} and proposal.status == P.OPEN
    assert proposal.reason.startswith("cùng chủ đề Môi trường; cùng nơi: tổ dân phố 3")
    assert "ngập" in proposal.reason and "mưa" in proposal.reason
    assert AuditEntry.objects.filter(object_type="issues.mergeproposal", actor=None).exists()
    assert services.propose_merges() == 0  # never twice


def test_the_office_accepts_a_proposal_in_one_step(near_duplicates, vanphong):
    drain, rain, _karaoke = near_duplicates
    services.propose_merges()
    proposal = MergeProposal.objects.get()
    kept = services.accept_proposal(user=vanphong, proposal=proposal)
    gone = proposal.other
    assert kept == proposal.keep and refreshed(gone).merged_into == kept
    assert kept.items.count() == 4
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (P.ACCEPTED, vanphong)
    assert AuditEntry.objects.filter(actor=vanphong, summary__startswith="Chấp nhận đề xuất gộp")
    assert AuditEntry.objects.filter(
        actor=vanphong, summary=f"Gộp vấn đề {gone.code} vào {kept.code}"
    ).exists()
    with pytest.raises(ServiceError, match="đã được xử lý"):
        services.accept_proposal(user=vanphong, proposal=proposal)


def test_a_dismissed_pair_never_comes_back(near_duplicates, vanphong):
    services.propose_merges()
    proposal = MergeProposal.objects.get()
    services.dismiss_proposal(user=vanphong, proposal=proposal)
    assert refreshed(proposal).status == P.DISMISSED
    assert AuditEntry.objects.filter(actor=vanphong, summary__startswith="Không gộp").exists()
    # More of the same arrives: the pair is still not proposed again.
    environment = Topic.objects.get(name="Môi trường")
    item(RAIN[0], D + dt.timedelta(days=5), suggested_topic=environment)
    services.group_pending_items()
    assert services.propose_merges() == 0
    assert MergeProposal.objects.count() == 1


def test_only_the_office_decides(near_duplicates, an, lanhdao):
    services.propose_merges()
    proposal = MergeProposal.objects.get()
    for user in (an, lanhdao):
        with pytest.raises(ServiceError):
            services.accept_proposal(user=user, proposal=proposal)
        with pytest.raises(ServiceError):
            services.dismiss_proposal(user=user, proposal=proposal)
    assert refreshed(proposal).status == P.OPEN


def test_the_office_page_lists_merges_and_dismisses(client, near_duplicates, vanphong, an):
    services.propose_merges()
    proposal = MergeProposal.objects.get()
    client.force_login(an)
    assert client.get("/van-de/de-xuat-gop/").status_code == 404
    assert client.post(f"/van-de/de-xuat-gop/{proposal.pk}/gop/").status_code == 404
    assert "data-merge-proposals" not in client.get("/van-de/").content.decode()
    assert refreshed(proposal).status == P.OPEN
    client.force_login(vanphong)
    assert "data-merge-proposals" in client.get("/van-de/").content.decode()
    html = client.get("/van-de/de-xuat-gop/").content.decode()
    assert f'data-proposal="{proposal.pk}"' in html and "Không gộp" in html
    assert "Cống thoát nước" in html  # the first items, for the office to judge by
    response = client.post(f"/van-de/de-xuat-gop/{proposal.pk}/gop/", follow=True)
    assert "Đã gộp" in response.content.decode()
    assert refreshed(proposal).status == P.ACCEPTED
    assert client.get("/van-de/de-xuat-gop/").content.decode().count("data-proposal=") == 0
    assert client.post(f"/van-de/de-xuat-gop/{proposal.pk}/bo-qua/").status_code == 404


def test_a_proposal_naming_an_issue_merged_meanwhile_lapses(near_duplicates, vanphong):
    drain, rain, karaoke = near_duplicates
    services.propose_merges()
    proposal = MergeProposal.objects.get()
    services.merge_issues(user=vanphong, keep=proposal.other, other=proposal.keep)
    with pytest.raises(ServiceError, match="không còn hiệu lực"):
        services.accept_proposal(user=vanphong, proposal=proposal)
    assert refreshed(proposal).status == P.OBSOLETE


def test_the_grouping_task_proposes_among_the_issues_it_touched(near_duplicates):
    from issues.tasks import group_items

    drain, rain, karaoke = near_duplicates
    assert services.propose_merges(issue_ids=[karaoke.pk]) == 0  # karaoke resembles neither
    culture = Topic.objects.get(name="Văn hóa")
    item(KARAOKE[0], D + dt.timedelta(days=1), suggested_topic=culture)
    assert group_items.call()["merge_proposals"] == 0  # only karaoke was touched
    environment = Topic.objects.get(name="Môi trường")
    item(RAIN[1], D + dt.timedelta(days=2), suggested_topic=environment)
    run = group_items.call()
    assert run["items"] == 1 and run["merge_proposals"] == 1
    assert MergeProposal.objects.filter(keep__in=[drain, rain], other__in=[drain, rain]).exists()
