"""The demo's entry points: load it into an empty database, drop it, tell whether it is loaded."""

from __future__ import annotations

import datetime as dt
import time
from typing import TextIO

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from core import auditchain
from core.errors import ServiceError
from core.models import AuditChainHead, AuditEntry, Notification
from intake.models import ImportBatch, Meeting, OpinionItem
from issues.models import Answer, BurstAlert, Issue
from longdan.demo import names
from longdan.demo.builder import _Builder
from longdan.demo.constants import LEADER_USERNAME, OFFICE_USERNAME
from longdan.demo.summary import DemoSummary
from monitoring.models import (
    ExportUpload,
    Mention,
    Misinformation,
    Place,
    Source,
    Story,
    WatchHit,
    WatchTerm,
)
from orgs.models import Area, Collaborator, OrgUnit, User
from petitions.models import DelegateGroup, Round
from picture.models import (
    Alert,
    Brief,
    Direction,
    DirtyDay,
    LatentCandidate,
    MonthRollup,
    Rollup,
    Subscription,
)
from picture.rollups import rebuild_all
from plans.models import Inspection, Plan, PlanFile
from reporting.models import (
    ConsolidatedReport,
    Reminder,
    ReportTemplate,
    UnitReport,
)
from surveys.models import PopulationMargin, Response, Survey
from textops.models import EngineState

DEFAULT_MONTHS = 18  # the history the opinion picture needs: seasons, trends, a forecast


def is_loaded() -> bool:
    return OrgUnit.objects.filter(code=names.WARD_CODE).exists()


def load_demo(
    *,
    today: dt.date | None = None,
    stdout: TextIO | None = None,
    reset: bool = False,
    months: int = DEFAULT_MONTHS,
) -> DemoSummary:
    """Build the demo ward; refuse (ServiceError) if the database already holds units.

    ``reset=True`` first drops the demo ward and everything hanging off it (reports, users,
    collaborators, the audit log), but only when the database holds the demo ward, never a real
    one. All of it happens in one transaction: a failure leaves the database as it was.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    if not 1 <= months <= 24:
        raise ServiceError("Số tháng dữ liệu mẫu phải từ 1 đến 24.", field="months")
    with transaction.atomic():
        if OrgUnit.objects.exists():
            if not reset:
                raise ServiceError(
                    "Cơ sở dữ liệu đã có đơn vị; không nạp đè dữ liệu mẫu."
                    " Dùng --reset để xóa dữ liệu mẫu cũ và nạp lại.",
                    field="reset",
                )
            drop_demo()
        builder = _Builder(today=today, months=months, stdout=stdout)
        summary = builder.build()
    # Every write above marked its days stale, and so did the grouping that ran on commit: count
    # the picture's rollups once now rather than leave the first reads to the raw rows.
    rebuild_all()
    # The demo backdates its history (entries made now, dated over past months): link the
    # audit log's hash chain again over the times as they now read (core.auditchain).
    auditchain.reseal()
    summary.seconds = time.perf_counter() - started
    return summary


def drop_demo() -> None:
    """Delete the demo ward and what hangs off it. Refuses a database that holds another ward."""
    if not is_loaded():
        raise ServiceError(
            "Cơ sở dữ liệu có đơn vị không thuộc dữ liệu mẫu; không xóa.", field="reset"
        )
    try:
        with transaction.atomic():
            # The demo's own history goes with it; a fresh demo starts a fresh log (first: its
            # rows name the users and units, which it protects).
            AuditEntry.objects.all().delete()
            AuditChainHead.objects.all().delete()
            # The picture's rows first: directions hold protected links to units, and the
            # rollups, alerts and briefs count what is about to go.
            for model in (Direction, Brief, Alert, Subscription, LatentCandidate, Rollup,
                          MonthRollup, DirtyDay):
                model.objects.all().delete()
            # The plans: their tasks, progress, units' plans, sessions, inspections, files.
            for model in (Inspection, Plan, PlanFile):
                model.objects.all().delete()
            # The monitoring desk: its stories and mentions name issues.
            for model in (WatchHit, WatchTerm, Misinformation, ExportUpload, Mention, Story,
                          Source, Place):
                model.objects.all().delete()
            # Surveys, then opinion intake and issues: they hold protected links to units.
            Response.objects.all().delete()
            Survey.objects.all().delete()
            PopulationMargin.objects.all().delete()
            Answer.objects.all().delete()
            BurstAlert.objects.all().delete()
            Issue.objects.update(merged_into=None)
            OpinionItem.objects.all().delete()
            Issue.objects.all().delete()
            Meeting.objects.all().delete()
            Round.objects.all().delete()  # voters' petitions: their points went with the items
            DelegateGroup.objects.all().delete()
            ImportBatch.objects.all().delete()
            EngineState.objects.all().delete()  # the grouper's state names the old items
            Notification.objects.all().delete()
            Reminder.objects.all().delete()
            ConsolidatedReport.objects.all().delete()
            UnitReport.objects.all().delete()
            Collaborator.objects.all().delete()
            Area.objects.all().delete()
            for template in ReportTemplate.objects.all():
                template.units.clear()
            OrgUnit.objects.update(responsible_person=None)
            User.objects.filter(unit__isnull=False).delete()
            User.objects.filter(username__in=[OFFICE_USERNAME, LEADER_USERNAME]).delete()
            OrgUnit.objects.update(parent=None)
            OrgUnit.objects.all().delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ServiceError(
            "Không xóa được dữ liệu mẫu vì còn dữ liệu khác gắn với các đơn vị.", field="reset"
        ) from exc
