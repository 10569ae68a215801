"""Compliance results kept between requests, dropped the moment anything they count changes.

On deadline day fifty people reload the compliance page while units submit; each load used to
recount every unit and month. The result is now kept per (template, period, months, local day,
visible units) under a *generation*: a random token that every process reads from a shared cache
(a table of the database, ``CACHES["shared"]``, so every process of every machine serving that
database agrees without any other service) and that changes whenever a write could change what
compliance shows:

- a unit report is created or deleted, or its state, first submission time, unit, template or
  period changes (draft autosaves that only change the text do not count);
- an org unit is saved or deleted (name, parent, opening and closing dates);
- a template is saved or deleted, or the units assigned to it change.

These are model signals, so writes through the services, the admin, the demo loader and the shell
are all seen; a bulk ``QuerySet.update`` is not, and code doing one must call :func:`invalidate`.
The token is replaced when the writing transaction commits (once per transaction, however many
rows it wrote): a reader that counted the rows before the commit stored its result under the token
the commit then retires, and any request that starts after the submit's response reads the new
token, so no stale count survives a submit. Only reads outside a transaction (every page and API
request) use and fill the cache: inside one, the rows read may be the transaction's own
uncommitted writes or a snapshot older than the token, so they are counted afresh and not kept.
The results themselves are kept per process (``CACHES["compliance"]``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import receiver

from orgs.models import OrgUnit
from reporting.models import ReportTemplate, UnitReport

GENERATION_KEY = "reporting.compliance.generation"
SHARED_ALIAS = "shared"  # every process: the generation token
RESULTS_ALIAS = "compliance"  # this process: the computed results
RESULT_TIMEOUT = 6 * 3600  # the local day is in the key; this only frees memory sooner

# The fields of a unit report that compliance reads (besides its existence).
_COUNTED_FIELDS = ("state", "first_submitted_at", "unit_id", "template_id", "period_id")
_SNAPSHOT = "_compliance_snapshot"


def generation() -> str:
    """The current generation token, shared by every process."""
    shared = caches[SHARED_ALIAS]
    token = shared.get(GENERATION_KEY)
    if token is None:
        shared.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        token = shared.get(GENERATION_KEY)
    return token or ""


def _publish() -> None:
    """A new shared token: every process stops using what it kept."""
    caches[SHARED_ALIAS].set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def _pending(using: str) -> bool:
    """Whether this connection's open transaction wrote something compliance counts."""
    connection = connections[using]
    return connection.in_atomic_block and any(
        entry[1] is _publish for entry in connection.run_on_commit
    )


def invalidate(using: str = DEFAULT_DB_ALIAS) -> None:
    """Retire every kept result in every process when the current transaction commits (at once
    outside a transaction); until then this connection's reads are not kept."""
    if not _pending(using):
        transaction.on_commit(_publish, using=using)


def scope_key(unit_ids: set[int] | None) -> str:
    """A short stable name for the set of units a reader may see (``all`` for everything)."""
    if unit_ids is None:
        return "all"
    digest = hashlib.blake2b(
        ",".join(map(str, sorted(unit_ids))).encode(), digest_size=12
    ).hexdigest()
    return f"{len(unit_ids)}-{digest}"


def result_key(
    *, template: ReportTemplate, period_code: str, months: int, today: dt.date, scope: str
) -> str:
    effective = template.effective_from.isoformat() if template.effective_from else "-"
    return ":".join(
        [
            "compliance",
            generation(),
            str(template.pk),
            str(template.period_kind),
            str(template.deadline_day),
            str(template.deadline_inclusive),
            effective,
            period_code,
            str(months),
            today.isoformat(),
            scope,
        ]
    )


def kept(key: str, compute: Callable[[], Any], using: str = DEFAULT_DB_ALIAS) -> Any:
    """The result kept under ``key``, computing and keeping it if there is none."""
    if connections[using].in_atomic_block:
        # Inside a transaction the rows read may be its own uncommitted writes or an older
        # snapshot than the token: count afresh and keep nothing.
        return compute()
    results = caches[RESULTS_ALIAS]
    value = results.get(key)
    if value is None:
        value = compute()
        results.set(key, value, RESULT_TIMEOUT)
    return value


# --- what retires the kept results ---------------------------------------------------------


def _report_snapshot(instance: UnitReport) -> tuple | None:
    values = instance.__dict__  # never load a deferred field just to remember it
    if any(name not in values for name in _COUNTED_FIELDS):
        return None
    return tuple(values[name] for name in _COUNTED_FIELDS)


@receiver(post_init, sender=UnitReport, dispatch_uid="compliance_cache_report_init")
def _remember_report(sender, instance: UnitReport, **kwargs) -> None:
    instance.__dict__[_SNAPSHOT] = _report_snapshot(instance) if instance.pk else None


@receiver(post_save, sender=UnitReport, dispatch_uid="compliance_cache_report_saved")
def _report_saved(sender, instance: UnitReport, created: bool, using: str, **kwargs) -> None:
    before = instance.__dict__.get(_SNAPSHOT)
    after = _report_snapshot(instance)
    if created or before is None or after is None or before != after:
        invalidate(using)
    instance.__dict__[_SNAPSHOT] = after


@receiver(post_delete, sender=UnitReport, dispatch_uid="compliance_cache_report_deleted")
@receiver(post_save, sender=OrgUnit, dispatch_uid="compliance_cache_unit_saved")
@receiver(post_delete, sender=OrgUnit, dispatch_uid="compliance_cache_unit_deleted")
@receiver(post_save, sender=ReportTemplate, dispatch_uid="compliance_cache_template_saved")
@receiver(post_delete, sender=ReportTemplate, dispatch_uid="compliance_cache_template_deleted")
def _counted_row_changed(sender, using: str, **kwargs) -> None:
    invalidate(using)


@receiver(
    m2m_changed, sender=ReportTemplate.units.through, dispatch_uid="compliance_cache_assignment"
)
def _assignment_changed(sender, action: str, using: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        invalidate(using)
