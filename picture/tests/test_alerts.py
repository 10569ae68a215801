"""Alerts: once a day per subject, routed by subscription, e-mailed at once or in a daily digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from core.errors import ServiceError
from core.models import AuditEntry, Notification, OutgoingEmail, Topic
from picture.models import Alert, Subscription
from picture.services import alerts as alerts_module
from picture.services import raise_alert, send_daily_digests, subscribe, unsubscribe

D = dt.date(2026, 3, 10)


@pytest.fixture
def env(vanphong, lanhdao, an, area_1):
    for user, email in ((vanphong, "vanphong@example.vn"), (lanhdao, "lanhdao@example.vn"),
                        (an, "an@example.vn")):
        user.email = email
        user.save()
    return {"office": vanphong, "leader": lanhdao, "reporter": an, "area": area_1,
            "env_topic": Topic.objects.get(name="Môi trường"),
            "other_topic": Topic.objects.exclude(name="Môi trường").first()}


def burst(subject="burst:issue:1", day=D, **kw):
    return raise_alert(kind=Alert.Kind.BURST, subject=subject, text="Ý kiến tăng đột biến",
                       url="/van-de/1/", day=day, **kw)


def alerted(subject="burst:issue:1", day=D) -> set[str]:
    return set(Alert.objects.filter(subject=subject, day=day).values_list("user__username",
                                                                          flat=True))


# --- de-duplication -----------------------------------------------------------------------------


def test_same_subject_same_day_is_one_alert_and_one_email(env, django_capture_on_commit_callbacks):
    subscribe(user=env["leader"], frequency="immediate", by_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = burst()
    with django_capture_on_commit_callbacks(execute=True):
        second = burst()
    assert first.created == ["lanhdao"] and first.emails == 1
    assert second.created == [] and second.skipped == 1 and second.emails == 0
    assert Alert.objects.filter(user=env["leader"]).count() == 1
    assert Notification.objects.filter(user=env["leader"]).count() == 1
    assert [m.to for m in mail.outbox] == [["lanhdao@example.vn"]]
    assert "Ý kiến tăng đột biến" in mail.outbox[0].body


def test_the_next_day_the_same_subject_is_told_again(env, django_capture_on_commit_callbacks):
    subscribe(user=env["leader"], frequency="immediate", by_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        burst(day=D)
        burst(day=D + dt.timedelta(days=1))
    assert Alert.objects.filter(user=env["leader"]).count() == 2
    assert len(mail.outbox) == 2


def test_a_lost_race_is_caught_in_a_savepoint(env, monkeypatch):
    """Another worker inserts the row after our read and before our insert: the IntegrityError
    is caught in a savepoint, nothing is notified, and the outer transaction goes on."""
    subscribe(user=env["leader"], frequency="immediate", by_email=False)
    Alert.objects.create(user=env["leader"], kind="burst", subject="burst:issue:1", day=D,
                         text="the other worker's row")
    monkeypatch.setattr(alerts_module, "_already_told", lambda subject, day: set())
    with transaction.atomic():
        result = burst()
        assert Alert.objects.filter(user=env["leader"]).count() == 1  # outer work intact
        Notification.objects.create(user=env["leader"], text="after the race")  # still usable
    assert result.created == [] and result.skipped == 1
    assert list(Notification.objects.filter(user=env["leader"]).values_list("text", flat=True)) \
        == ["after the race"]


def test_twice_inside_one_outer_transaction_is_still_one(env):
    subscribe(user=env["leader"], frequency="immediate", by_email=False)
    with transaction.atomic():
        burst()
        burst()
    assert Alert.objects.filter(user=env["leader"]).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(user=env["leader"], kind="burst", subject="burst:issue:1", day=D,
                             text="x")


# --- routing ------------------------------------------------------------------------------------


def test_routing_by_topic_area_or_everything(env):
    office, leader = env["office"], env["leader"]
    subscribe(user=office, topic=env["env_topic"], by_email=False)
    subscribe(user=leader, area=env["area"], by_email=False)
    burst("s1", topic=env["env_topic"])
    burst("s2", area=env["area"])
    burst("s3", topic=env["other_topic"])
    burst("s4", unit=env["area"].unit)  # a unit's alert concerns its areas
    assert alerted("s1") == {"vanphong"}
    assert alerted("s2") == {"lanhdao"}
    assert alerted("s3") == set()
    assert alerted("s4") == {"lanhdao"}
    subscribe(user=leader, by_email=False)  # neither topic nor area: everything
    burst("s5", topic=env["other_topic"])
    assert alerted("s5") == {"lanhdao"}


def test_topic_and_area_together_need_both(env):
    subscribe(user=env["leader"], topic=env["env_topic"], area=env["area"], by_email=False)
    burst("a", topic=env["env_topic"])
    burst("b", topic=env["env_topic"], area=env["area"])
    assert alerted("a") == set() and alerted("b") == {"lanhdao"}


def test_overdue_reaches_the_office_and_every_leader_without_subscribing(
        env, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = raise_alert(kind=Alert.Kind.ISSUE_OVERDUE, subject="issue-overdue:7",
                             text="Vấn đề VD-1 quá hạn 2 ngày", day=D)
    assert sorted(result.created) == ["lanhdao", "vanphong"]
    assert "an" not in result.created  # a unit's reporter is not escalated to
    assert sorted(m.to[0] for m in mail.outbox) == ["lanhdao@example.vn", "vanphong@example.vn"]


def test_bursts_do_not_reach_people_who_did_not_subscribe(env):
    assert burst().created == []


def test_an_inactive_leader_is_not_told(env):
    subscribe(user=env["leader"], by_email=False)
    env["leader"].is_active = False
    env["leader"].save()
    assert burst().created == []


def test_daily_subscribers_get_it_in_the_app_now_and_not_by_email(
        env, django_capture_on_commit_callbacks):
    subscribe(user=env["leader"], frequency="daily", by_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = burst()
    assert result.created == ["lanhdao"] and result.emails == 0 and mail.outbox == []
    assert Notification.objects.filter(user=env["leader"]).count() == 1


def test_an_unknown_kind_is_refused(env):
    with pytest.raises(ServiceError, match="Loại cảnh báo"):
        raise_alert(kind="khac", subject="x", text="x")


# --- subscriptions ------------------------------------------------------------------------------


def test_a_reporter_cannot_subscribe(env):
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng và lãnh đạo") as exc:
        subscribe(user=env["reporter"], topic=env["env_topic"], by_email=False)
    assert exc.value.field == "user"
    assert not Subscription.objects.exists()


def test_subscribing_is_audited_and_the_same_pair_again_updates(env):
    sub = subscribe(user=env["leader"], topic=env["env_topic"], frequency="immediate",
                    by_email=True)
    again = subscribe(user=env["leader"], topic=env["env_topic"], frequency="daily",
                      by_email=False)
    assert again.pk == sub.pk and again.frequency == "daily" and not again.by_email
    actions = list(AuditEntry.objects.filter(object_type="picture.subscription")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "update"]
    unsubscribe(user=env["leader"], subscription=again)
    assert not Subscription.objects.exists()
    assert AuditEntry.objects.filter(object_type="picture.subscription",
                                     action="delete").count() == 1


def test_email_without_an_address_is_refused_naming_the_field(env):
    env["leader"].email = ""
    env["leader"].save()
    with pytest.raises(ServiceError) as exc:
        subscribe(user=env["leader"], by_email=True)
    assert exc.value.field == "by_email" and "chưa có địa chỉ thư" in exc.value.message


def test_nobody_removes_another_persons_subscription(env):
    sub = subscribe(user=env["leader"], by_email=False)
    with pytest.raises(ServiceError):
        unsubscribe(user=env["office"], subscription=sub)
    assert Subscription.objects.filter(pk=sub.pk).exists()


# --- the daily digest ---------------------------------------------------------------------------


def test_digest_once_a_day_gathering_what_was_not_emailed(env, django_capture_on_commit_callbacks):
    subscribe(user=env["leader"], frequency="daily", by_email=True)
    burst("s1", day=D)
    burst("s2", day=D)
    with django_capture_on_commit_callbacks(execute=True):
        run = send_daily_digests(today=D)
    assert (run.sent, run.alerts) == (1, 2)
    assert len(mail.outbox) == 1 and "2 cảnh báo" in mail.outbox[0].subject
    assert not Alert.objects.filter(emailed_at__isnull=True).exists()
    burst("s3", day=D)  # later the same day: waits for tomorrow's digest
    with django_capture_on_commit_callbacks(execute=True):
        again = send_daily_digests(today=D)
    assert again.sent == 0 and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        tomorrow = send_daily_digests(today=D + dt.timedelta(days=1))
    assert (tomorrow.sent, tomorrow.alerts) == (1, 1) and len(mail.outbox) == 2
    assert "s3" not in mail.outbox[1].body and "Ý kiến tăng đột biến" in mail.outbox[1].body
    assert OutgoingEmail.objects.filter(kind=alerts_module.DIGEST_KIND).count() == 2


def test_no_digest_without_new_alerts_nor_for_immediate_subscribers(env):
    subscribe(user=env["office"], frequency="immediate", by_email=True)
    subscribe(user=env["leader"], frequency="daily", by_email=True)
    burst("s1")  # the office had it at once by e-mail; the leader waits for the digest
    run = send_daily_digests(today=D)
    assert (run.sent, run.alerts) == (1, 1)
    assert [row.to for row in OutgoingEmail.objects.filter(kind=alerts_module.DIGEST_KIND)] \
        == [["lanhdao@example.vn"]]
    assert send_daily_digests(today=D + dt.timedelta(days=1)).sent == 0


def test_recipients_merge_several_subscriptions(env):
    subscribe(user=env["leader"], topic=env["env_topic"], frequency="daily", by_email=True)
    subscribe(user=env["leader"], frequency="immediate", by_email=False)
    [delivery] = alerts_module.recipients(kind="burst", topic=env["env_topic"])
    assert delivery.user == env["leader"]
    assert delivery.immediate and not delivery.by_email  # the immediate one decides the e-mail
