"""Issue services: grouping new items (weeks apart, with a shared engine state), merge and split
that teach the engine nothing wrong, the lifecycle, versions, and publishing answers."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from core.choices import IssueStatus
from core.errors import ConflictError, ServiceError
from core.models import AuditEntry, Notification, Topic
from intake.models import ResidentContact
from issues import services
from issues.models import Answer, Issue, IssueEvent
from issues.tests.helpers import FLOOD, GARBAGE, KARAOKE, D, item, refreshed
from textops import services as textops
from textops.models import EngineState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0), tick=False):
        yield


def group(*items):
    services.group_pending_items()
    return [refreshed(i).issue for i in items]


# --- grouping -----------------------------------------------------------------------------------


def test_a_new_item_weeks_later_joins_its_existing_issue():
    first, second = item(GARBAGE[0], D), item(GARBAGE[1], D + dt.timedelta(days=1))
    a, b = group(first, second)
    assert a is not None and a == b
    assert a.code == "VD-2026-0001"
    # Built from the matter, not copied from the resident's sentence (issue 18).
    assert a.title == "rác thải tập kết bừa bãi, bốc mùi hôi thối"

    later = item(GARBAGE[2], D + dt.timedelta(days=40))
    (c,) = group(later)
    assert c == a
    a.refresh_from_db()
    assert (a.first_seen_on, a.last_seen_on) == (D, D + dt.timedelta(days=40))
    kinds = list(a.events.values_list("kind", flat=True))
    assert kinds == ["created", "item", "item"]
    assert Issue.objects.count() == 1


def test_a_new_issue_title_carries_no_resident_words(area_1):
    place = area_1
    text = "Tôi là Lê Văn Tám, nhà 12 ngõ 5, rác thải tập kết bừa bãi bốc mùi hôi thối quá"
    first = item(text, D, area=place, suggested_topic=Topic.objects.get(name="Môi trường"))
    (a,) = group(first)
    assert a.title.startswith("Môi trường — rác thải tập kết bừa bãi")
    assert a.title.endswith(f" — {place.name}")
    for secret in ("Lê", "Văn", "Tám", "Tôi", "nhà", "12", "ngõ", "quá"):
        assert secret not in a.title.split(), secret
    capitalised = item("Phạm Thị Hoa phản ánh đường làng xuống cấp, ổ gà", D + dt.timedelta(days=3))
    (b,) = group(capitalised)
    assert b != a and "Phạm" not in b.title and "Hoa" not in b.title
    assert b.title == "đường làng xuống cấp"


def test_the_office_renames_an_issue_masked_audited_and_versioned(vanphong):
    (a,) = group(item(GARBAGE[0]))
    renamed = services.rename(user=vanphong, issue=a, title="Rác ở chợ, báo bởi ông Trần Văn Bình",
                              expected_version=a.version)
    assert renamed.title == "Rác ở chợ, báo bởi ông ⟨HỌ TÊN⟩"
    assert renamed.version == a.version + 1
    assert AuditEntry.objects.filter(summary=f"Đổi tên {a.code}").exists()
    assert a.events.filter(kind="note", to_value=renamed.title).exists()
    with pytest.raises(ConflictError):
        services.rename(user=vanphong, issue=a, title="Khác", expected_version=a.version)


def test_an_item_about_another_matter_opens_a_new_issue_with_the_next_code():
    (a,) = group(item(GARBAGE[0]))
    (b,) = group(item(KARAOKE[0], D + dt.timedelta(days=2)))
    assert b != a
    assert (a.code, b.code) == ("VD-2026-0001", "VD-2026-0002")
    assert b.status == Issue.Status.DETECTED
    assert b.events.get().kind == IssueEvent.Kind.CREATED


def test_the_issue_takes_the_topic_from_the_item_or_its_suggestion(area_1):
    env = Topic.objects.get(name="Môi trường")
    labelled = item(GARBAGE[0], area=area_1, latent=True)
    labelled.topics.add(env)
    suggested = item(KARAOKE[0], suggested_topic=Topic.objects.get(name="Đời sống"))
    a, b = group(labelled, suggested)
    assert (a.topic, a.area, a.latent) == (env, area_1, True)
    assert b.topic.name == "Đời sống"


def test_the_engine_state_is_saved_and_versioned_so_a_later_run_continues_it():
    group(item(GARBAGE[0]))
    state = EngineState.objects.get(name="grouper")
    assert state.version == 2 and bytes(state.data)
    assert state.meta == {"items": 1, "issues": 1}
    group(item(FLOOD[0]))
    state.refresh_from_db()
    assert state.version == 3 and state.meta["issues"] == 2


def test_a_stale_grouper_version_cannot_overwrite_a_newer_state():
    grouper, version = textops.load_grouper()
    group(item(GARBAGE[0]))  # another worker saves meanwhile
    with pytest.raises(ConflictError) as refused:
        textops.claim_grouper(version)
    assert refused.value.field == "grouper"
    # The fresh state is what a retry works from, and it knows the grouped item.
    fresh, fresh_version = textops.load_grouper()
    assert fresh_version == version + 1 and len(fresh) == 1 and len(grouper) == 0


def test_grouping_an_already_grouped_item_changes_nothing():
    (a,) = group(item(GARBAGE[0]))
    run = services.group_pending_items()
    assert run.items == 0
    assert EngineState.objects.get(name="grouper").version == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_workers_never_overwrite_each_others_grouping():
    texts = GARBAGE + FLOOD + KARAOKE + [f"Đèn đường hỏng ở ngõ {n}" for n in (12, 40, 77)]
    items = [item(t, D + dt.timedelta(days=n)) for n, t in enumerate(texts)]
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            services.group_pending_items(batch_size=2)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    services.group_pending_items()  # a worker that gave way left nothing behind
    grouper, _ = textops.load_grouper()
    assert len(grouper) == len(items)  # every item in the saved state exactly once
    for one in items:
        one.refresh_from_db()
        assert one.issue.engine_key == str(grouper.resolve(grouper.issue_of(one.pk)))
    assert Issue.objects.count() == len(grouper.issues())
    assert IssueEvent.objects.filter(kind="item").count() + Issue.objects.count() == len(items)


# --- merge and split ----------------------------------------------------------------------------


def test_after_a_merge_a_new_item_about_the_merged_issue_goes_to_the_survivor(vanphong):
    flood, garbage = group(item(FLOOD[0]), item(GARBAGE[0]))
    assert flood != garbage
    kept = services.merge_issues(user=vanphong, keep=flood, other=garbage)
    garbage.refresh_from_db()
    assert garbage.merged_into == kept == flood
    assert kept.items.count() == 2
    (new,) = group(item(GARBAGE[1], D + dt.timedelta(days=10)))
    assert new == flood
    assert set(garbage.events.values_list("kind", flat=True)) >= {"merged"}
    assert flood.events.filter(kind="merged").exists()
    assert AuditEntry.objects.filter(summary__startswith="Gộp vấn đề").exists()


def test_merge_is_for_the_office_and_not_into_itself(an, vanphong):
    flood, garbage = group(item(FLOOD[0]), item(GARBAGE[0]))
    with pytest.raises(ServiceError):
        services.merge_issues(user=an, keep=flood, other=garbage)
    with pytest.raises(ServiceError):
        services.merge_issues(user=vanphong, keep=flood, other=flood)
    services.merge_issues(user=vanphong, keep=flood, other=garbage)
    with pytest.raises(ServiceError, match="đã được gộp"):
        services.merge_issues(user=vanphong, keep=flood, other=refreshed(garbage))


def test_after_a_split_a_copy_of_a_moved_item_follows_it_to_the_new_issue(vanphong):
    items = [item(t, D + dt.timedelta(days=n)) for n, t in enumerate(KARAOKE)]
    a, b = group(*items)
    assert a == b
    created = services.split_issue(user=vanphong, issue=a, item_ids=[items[1].pk],
                                   title="Tiếng ồn karaoke ban đêm")
    assert created.code == "VD-2026-0002" and created.title == "Tiếng ồn karaoke ban đêm"
    assert refreshed(items[1]).issue == created and refreshed(items[0]).issue == a
    a.refresh_from_db()
    assert a.last_seen_on == D and created.first_seen_on == D + dt.timedelta(days=1)
    # The engine learnt the two parts are different: an exact copy of the moved item joins the
    # new issue, never the old one, and the old one's wording still finds the old one.
    copy, original = item(KARAOKE[1], D + dt.timedelta(days=20)), item(KARAOKE[0], D)
    assert group(copy, original) == [created, a]


def test_split_refuses_items_of_another_issue_or_all_items(vanphong):
    flood_items = [item(t) for t in FLOOD[:2]]
    garbage_item = item(GARBAGE[0])
    flood, _, garbage = group(*flood_items, garbage_item)
    with pytest.raises(ServiceError, match="không thuộc") as refused:
        services.split_issue(user=vanphong, issue=flood, item_ids=[garbage_item.pk], title="X")
    assert refused.value.field == "item_ids"
    with pytest.raises(ServiceError, match="toàn bộ"):
        services.split_issue(user=vanphong, issue=flood,
                             item_ids=[i.pk for i in flood_items], title="X")
    assert Issue.objects.count() == 2


# --- lifecycle ----------------------------------------------------------------------------------


@pytest.fixture
def detected():
    (issue,) = group(item(GARBAGE[0]))
    return issue


def test_allowed_transitions_move_the_issue_and_leave_history(vanphong, cell_a, detected):
    issue = services.change_status(user=vanphong, issue=detected, to_status="dang_theo_doi",
                                   note="Theo dõi thêm", expected_version=1)
    assert (issue.status, issue.version) == ("dang_theo_doi", 2)
    event = issue.events.get(kind="status")
    assert (event.from_value, event.to_value, event.note, event.actor) == (
        "Mới phát hiện", "Đang theo dõi", "Theo dõi thêm", vanphong)
    issue = services.assign(user=vanphong, issue=issue, owner_unit=cell_a,
                            due_on=dt.date(2026, 5, 20), expected_version=2)
    assert (issue.status, issue.owner_unit, issue.due_on) == (
        "da_giao_xu_ly", cell_a, dt.date(2026, 5, 20))
    for to in ("da_giai_quyet", "da_tra_loi_dan", "dong", "dang_theo_doi"):
        issue = services.change_status(user=vanphong, issue=issue, to_status=to,
                                       expected_version=issue.version)
    assert issue.status == "dang_theo_doi"
    assert AuditEntry.objects.filter(object_type="issues.issue", actor=vanphong).count() == 6


def test_a_refused_transition_names_the_field_in_vietnamese(vanphong, detected):
    with pytest.raises(ServiceError) as refused:
        services.change_status(user=vanphong, issue=detected, to_status="da_tra_loi_dan",
                               expected_version=1)
    assert refused.value.field == "status"
    assert refused.value.message.startswith(
        "Trạng thái: không thể chuyển từ “Mới phát hiện” sang “Đã trả lời dân”")
    with pytest.raises(ServiceError) as no_owner:
        services.change_status(user=vanphong, issue=detected, to_status="da_giao_xu_ly",
                               expected_version=1)
    assert no_owner.value.field == "owner_unit"
    assert refreshed(detected).status == "moi_phat_hien" and detected.version == 1


def test_the_owner_unit_may_report_resolved_and_nothing_else(vanphong, an, binh, cell_a,
                                                             detected):
    issue = services.assign(user=vanphong, issue=detected, owner_unit=cell_a, due_on=None,
                            expected_version=1)
    assert Notification.objects.filter(user=an, text__contains=issue.code).exists()
    with pytest.raises(ServiceError):
        services.change_status(user=binh, issue=issue, to_status="da_giai_quyet",
                               expected_version=issue.version)
    with pytest.raises(ServiceError, match="chỉ báo được"):
        services.change_status(user=an, issue=issue, to_status="dang_theo_doi",
                               expected_version=issue.version)
    issue = services.change_status(user=an, issue=issue, to_status="da_giai_quyet",
                                   expected_version=issue.version)
    assert issue.status == "da_giai_quyet"
    with pytest.raises(ServiceError):
        services.assign(user=an, issue=issue, owner_unit=cell_a, due_on=None,
                        expected_version=issue.version)


def test_a_stale_version_is_refused_with_a_conflict(vanphong, cell_a, detected):
    services.change_status(user=vanphong, issue=detected, to_status="dang_theo_doi",
                           expected_version=1)
    with pytest.raises(ConflictError) as refused:
        services.change_status(user=vanphong, issue=detected, to_status="dong",
                               expected_version=1)
    assert refused.value.field == "version" and refused.value.status_code == 409
    with pytest.raises(ConflictError):
        services.assign(user=vanphong, issue=detected, owner_unit=cell_a, due_on=None,
                        expected_version=1)
    assert refreshed(detected).status == "dang_theo_doi"


def test_a_due_date_in_the_past_is_refused(vanphong, cell_a, detected):
    with pytest.raises(ServiceError) as refused:
        services.assign(user=vanphong, issue=detected, owner_unit=cell_a,
                        due_on=dt.date(2026, 5, 1), expected_version=1)
    assert refused.value.field == "due_on"


# --- answers ------------------------------------------------------------------------------------


def test_publishing_notifies_only_residents_who_asked_after_commit(
    vanphong, cell_a, django_capture_on_commit_callbacks
):
    asked = item(GARBAGE[0], wants_reply=True, tracking_code="HB7K2M")
    no_email = item(GARBAGE[1], wants_reply=True)
    did_not_ask = item(GARBAGE[2])
    elsewhere = item(FLOOD[0], wants_reply=True)
    ResidentContact.objects.create(item=asked, name="Nguyễn Văn Dân", email="dan@example.vn")
    ResidentContact.objects.create(item=no_email, name="Trần Thị B", phone="0912345678")
    ResidentContact.objects.create(item=did_not_ask, email="khong@example.vn")
    ResidentContact.objects.create(item=elsewhere, email="khac@example.vn")
    garbage, _, _, flood = group(asked, no_email, did_not_ask, elsewhere)
    assert garbage != flood

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer = services.publish_answer(
            user=vanphong, title="Về việc thu gom rác ở chợ Hòa Bình",
            body="UBND phường đã bố trí thêm xe thu gom hai lần mỗi ngày.",
            kind=Answer.Kind.ANSWER, issue_ids=[garbage.pk], item_ids=[asked.pk],
            answering_unit=cell_a,
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["dan@example.vn"]]
    message = mail.outbox[0]
    assert "HB7K2M" in message.body and f"/tra-loi/{answer.pk}/" in message.body
    assert refreshed(asked.contact).notified_at is not None
    for other in (no_email, did_not_ask, elsewhere):
        assert refreshed(other.contact).notified_at is None
    garbage.refresh_from_db()
    assert garbage.status == "da_tra_loi_dan"
    assert garbage.events.filter(kind="answer").exists()
    assert refreshed(flood).status == "moi_phat_hien"
    assert answer.published_at is not None and list(answer.items.all()) == [asked]


def test_a_refused_answer_sends_nothing_and_stores_nothing(
    vanphong, an, django_capture_on_commit_callbacks
):
    asked = item(GARBAGE[0], wants_reply=True)
    ResidentContact.objects.create(item=asked, email="dan@example.vn")
    (issue,) = group(asked)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ServiceError):
            services.publish_answer(user=an, title="T", body="B", kind="tra_loi",
                                    issue_ids=[issue.pk])
        with pytest.raises(ServiceError) as refused:
            services.publish_answer(user=vanphong, title="T", body="", kind="tra_loi",
                                    issue_ids=[issue.pk])
        assert refused.value.field == "body"
        with pytest.raises(ServiceError) as no_issue:
            services.publish_answer(user=vanphong, title="T", body="B", kind="tra_loi",
                                    issue_ids=[])
        assert no_issue.value.field == "issue_ids"
    assert mail.outbox == [] and Answer.objects.count() == 0
    assert refreshed(asked.contact).notified_at is None


def test_the_issue_status_vocabulary_is_the_issues_own():
    assert Issue.Status is IssueStatus
    assert IssueStatus.DETECTED == "moi_phat_hien"
    assert dict(IssueStatus.choices)["da_tra_loi_dan"] == "Đã trả lời dân"


def test_the_migration_rebuilds_titles_copied_from_a_residents_sentence(area_1):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("issues.migrations.0004_titles_from_matter_and_place")
    copied = Issue.objects.create(code="VD-2026-0101", title="Tôi là Lê Văn Tám, nhà 12 ngõ 5",
                                  area=area_1, topic=Topic.objects.get(name="Môi trường"))
    item("Tôi là Lê Văn Tám, nhà 12 ngõ 5, rác thải bốc mùi", D, issue=copied)
    written = Issue.objects.create(code="VD-2026-0102", title="Rác ở chợ Hòa Bình")
    item(GARBAGE[0], D, issue=written)
    migration.rebuild(apps, None)
    copied.refresh_from_db()
    written.refresh_from_db()
    assert copied.title == f"Môi trường — rác thải bốc mùi — {area_1.name}"
    assert written.title == "Rác ở chợ Hòa Bình"  # the office's own title stays
