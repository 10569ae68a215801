"""Reads for the alerts page: a person's own subscriptions and alerts (nobody reads another's)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from core.models import Topic
from orgs.models import Area, User
from picture.models import Alert, Subscription

ALERT_DAYS = 30


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    return (Subscription.objects.filter(user=user).select_related("topic", "area")
            .order_by("topic__name", "area__sort_key", "area__name", "pk"))


def alerts_of(user: User, *, today: dt.date, days: int = ALERT_DAYS) -> QuerySet[Alert]:
    """The person's alerts of the last ``days`` days, newest first."""
    return Alert.objects.filter(user=user, day__gt=today - dt.timedelta(days=days)).order_by(
        "-day", "-created_at", "-pk")


def subscription_of(user: User, pk: int) -> Subscription | None:
    return Subscription.objects.filter(user=user, pk=pk).select_related("topic", "area").first()


def topic_choices() -> QuerySet[Topic]:
    return Topic.objects.filter(active=True).order_by("position", "name")


def area_choices() -> QuerySet[Area]:
    return Area.objects.order_by("sort_key", "name")
