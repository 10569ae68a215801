"""Grouping is enqueued once per transaction, however many items the transaction files.

Intake announces the new items (``intake.signals.items_filed``, one on-commit hook per
transaction); the issues app's receiver enqueues the grouping task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from core.models import Channel
from intake import services
from intake.models import OpinionItem
from intake.signals import items_filed
from intake.tests.conftest import file

TEXTS = [
    "Rác thải ùn ứ ở chợ Hòa Bình, dân bức xúc.",
    "Đường ngõ 12 ngập nặng sau mưa.",
    "Học phí năm học mới tăng, phụ huynh lo lắng.",
    "Đèn đường ngõ 7 hỏng cả tháng.",
    "Tiếng ồn karaoke ban đêm ở tổ 3.",
]


class CountingTask:
    """Stands in for ``issues.tasks.group_items``: counts enqueues, then runs the real one."""

    def __init__(self, real):
        self.real = real
        self.calls = 0

    def enqueue(self, *args, **kwargs):
        self.calls += 1
        return self.real.enqueue(*args, **kwargs)


@pytest.fixture
def group_task(monkeypatch) -> CountingTask:
    import issues.tasks

    counting = CountingTask(issues.tasks.group_items)
    monkeypatch.setattr(issues.tasks, "group_items", counting)
    return counting


def test_an_item_filed_alone_enqueues_grouping(an, group_task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        item = file(an, TEXTS[0])
    # Apps above may add their own hooks (the picture's rollups); intake's is one.
    filed = [c for c in callbacks if isinstance(c, services.FiledItems)]
    assert len(filed) == 1 and filed[0].item_ids == [item.pk]
    assert group_task.calls == 1
    item.refresh_from_db()
    assert item.issue_id is not None  # the immediate backend ran the grouping


def test_many_items_in_one_transaction_enqueue_one_task(
    an, group_task, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for text in TEXTS * 4:
                file(an, text)
    assert sum(isinstance(c, services.FiledItems) for c in callbacks) == 1
    assert group_task.calls == 1
    assert not OpinionItem.objects.filter(issue__isnull=True).exists()


def test_a_meeting_and_more_items_in_one_transaction_enqueue_one_task(
    an, group_task, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            meeting = services.file_meeting(
                user=an, kind="tiep_xuc_cu_tri", title="Tiếp xúc cử tri", held_on=dt.date.today(),
                place="Nhà văn hóa tổ 1", points=[services.PointInput(t) for t in TEXTS[:3]],
            )
            services.add_meeting_point(user=an, meeting=meeting, text=TEXTS[3])
            services.submit_public_feedback(
                text=TEXTS[4], area_id=None, wants_reply=False, client_ip="203.0.113.9"
            )
    assert group_task.calls == 1
    assert OpinionItem.objects.filter(issue__isnull=False).count() == 5


def test_a_rolled_back_savepoint_does_not_swallow_the_request(
    an, group_task, django_capture_on_commit_callbacks
):
    # The first filing's request goes with its savepoint; the next filing must ask again.
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    file(an, TEXTS[0])
                    raise RuntimeError("the caller gives up on this one")
            except RuntimeError:
                pass
            kept = file(an, TEXTS[1])
    assert group_task.calls == 1
    assert list(OpinionItem.objects.all()) == [kept]
    kept.refresh_from_db()
    assert kept.issue_id is not None


def test_a_rolled_back_transaction_enqueues_nothing(
    an, group_task, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                file(an, TEXTS[0])
                file(an, TEXTS[1])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert not any(isinstance(c, services.FiledItems) for c in callbacks)
    assert group_task.calls == 0
    assert not OpinionItem.objects.exists()


def test_an_import_with_a_bad_first_row_enqueues_once(
    an, group_task, django_capture_on_commit_callbacks
):
    rows = ["Nội dung,Kênh", ",khu dân cư"] + [f"{t.replace(',', ' ')},khu dân cư" for t in TEXTS]
    batch = services.start_import(
        user=an, file_name="y-kien.csv", data="\n".join(rows).encode("utf-8")
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.apply_import(
            user=an, batch=batch, mapping={"text": "Nội dung", "channel": "Kênh"},
            default_channel=Channel.OTHER,
        )
    assert batch.rows_imported == len(TEXTS) and [e["row"] for e in batch.errors] == [2]
    assert group_task.calls == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_commits_enqueue_once_per_transaction(an, group_task):
    file(an, TEXTS[0])  # its own transaction, committed
    assert group_task.calls == 1
    with transaction.atomic():
        for text in TEXTS[1:]:
            file(an, text)
        assert group_task.calls == 1  # nothing before the commit
    assert group_task.calls == 2
    file(an, TEXTS[0] + " Lần nữa.")
    assert group_task.calls == 3
    assert not OpinionItem.objects.filter(issue__isnull=True).exists()


def test_the_demo_leaves_one_grouping_request_and_reports_its_opinion_counts(
    db, django_capture_on_commit_callbacks
):
    """The demo files hundreds of items in one transaction and asks for grouping once, with no
    trimming of the on-commit list of its own; its summary names the items, issues, answers."""
    from issues.models import Answer, BurstAlert, Issue
    from longdan import demo

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summary = demo.load_demo(today=dt.date(2026, 1, 10), months=1)
    assert sum(isinstance(c, services.FiledItems) for c in callbacks) == 1
    items = OpinionItem.objects.count()
    issues = Issue.objects.filter(merged_into__isnull=True).count()
    answers, alerts = Answer.objects.count(), BurstAlert.objects.count()
    assert items > 100 and issues > 5 and answers > 0
    line = summary.opinion_line()
    assert line.startswith(f"Ý kiến 90 ngày qua: {items} ý kiến từ {len(summary.channels)} kênh")
    assert f", {issues} vấn đề dư luận, {answers} trả lời, giải thích đã công bố," in line
    assert f"{alerts} cảnh báo dư luận mới nổi." in line


def test_the_opinion_line_groups_thousands_with_dots():
    from longdan.demo import DemoSummary

    line = DemoSummary(items=12_345, channels={"a": 1, "b": 2}, meetings=3, issues=1_002,
                       answers=7, alerts=0).opinion_line()
    assert line == (
        "Ý kiến 90 ngày qua: 12.345 ý kiến từ 2 kênh (có 3 buổi tiếp xúc cử tri, đối thoại),"
        " 1.002 vấn đề dư luận, 7 trả lời, giải thích đã công bố, 0 cảnh báo dư luận mới nổi."
    )


# --- the announcement itself: one per transaction, with the ids; a failing listener is logged


@pytest.mark.django_db
def test_filed_items_are_announced_once_per_transaction_with_their_ids(
    an, django_capture_on_commit_callbacks
):
    heard: list[list[int]] = []

    def listener(sender, *, item_ids, **kwargs):
        heard.append(item_ids)

    items_filed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                first = file(an, "Đường ngõ 12 ngập nặng sau mưa.")
                second = file(an, "Đèn đường ngõ 7 hỏng cả tháng.")
    finally:
        items_filed.disconnect(listener)
    assert heard == [[first.pk, second.pk]]


@pytest.mark.django_db
def test_a_failing_listener_does_not_fail_the_filing(an, django_capture_on_commit_callbacks,
                                                     caplog):
    def broken(sender, **kwargs):
        raise RuntimeError("hỏng")

    items_filed.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            item = file(an, "Tiếng ồn karaoke ban đêm ở tổ 3.")
    finally:
        items_filed.disconnect(broken)
    assert item.pk and "không nhận được tin báo" in caplog.text
