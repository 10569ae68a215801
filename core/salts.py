"""Random daily salts for hashing residents' addresses (issue 16, finding 5).

A hash keyed by ``SECRET_KEY`` can be recomputed by anyone who holds the key, and an IPv4 address
space is small enough to try whole. The salt here is random, lives only in the database and is
deleted after :data:`SALT_LIFETIME`; after that a day's hashes cannot be tied to any address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import DailySalt

SALT_LIFETIME = dt.timedelta(hours=48)


def purge_old_salts(now: dt.datetime | None = None) -> int:
    """Delete salts made more than 48 hours ago; return how many."""
    now = now or timezone.now()
    deleted, _ = DailySalt.objects.filter(created_at__lt=now - SALT_LIFETIME).delete()
    return deleted


def salt_for(day: dt.date, *, create: bool = True) -> str | None:
    """The salt of ``day``, made on first use; None when absent and ``create`` is False."""
    found = DailySalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if found is not None or not create:
        return found
    purge_old_salts()
    try:
        with transaction.atomic():
            return DailySalt.objects.create(day=day, salt=secrets.token_hex(32)).salt
    except IntegrityError:  # a concurrent request made it first
        return DailySalt.objects.get(day=day).salt


def address_hashes(address: str, now: dt.datetime, purpose: str) -> list[str]:
    """Hashes of ``address`` under today's and (if it still exists) yesterday's salt."""
    today = now.date()
    hashes = []
    for day, create in ((today, True), (today - dt.timedelta(days=1), False)):
        salt = salt_for(day, create=create)
        if salt is None:
            continue
        key = f"{salt}:{purpose}".encode()
        digest = hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()
        hashes.append(digest[:32])
    return hashes
