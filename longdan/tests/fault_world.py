"""Data and read-outs for the tests that kill real worker processes (test_task_faults.py).

Each function runs in a child process (``python -c``) on the database the test gave it through
``DATABASE_URL``/``LONGDAN_VAR_DIR``, and prints JSON. The data are made with the ORM, as the
other tests' fixtures make them; the tasks are enqueued on the real queue (django-tasks-db).
"""

from __future__ import annotations

import json

BRIEF_MONDAY = "2026-03-09"  # the brief of the week 2026-03-02..08 falls due on this day
REMINDER_DAY = "2025-11-22"  # three days before the 25th: the "before" reminder of November


def _cast():
    from orgs.models import OrgUnit, User
    from reporting.models import ReportTemplate

    ward = OrgUnit.objects.create(code="dang-uy", name="Đảng ủy phường Hòa Bình",
                                  kind=OrgUnit.Kind.WARD_COMMITTEE)
    office = OrgUnit.objects.create(code="ban-xdd", name="Ban Xây dựng Đảng",
                                    kind=OrgUnit.Kind.OFFICE, parent=ward)
    cells = []
    for n, (username, name) in enumerate((("an", "Lê Văn An"), ("binh", "Phạm Thị Bình")), 1):
        cell = OrgUnit.objects.create(code=f"chi-bo-{n}", name=f"Chi bộ Tổ dân phố {n}",
                                      kind=OrgUnit.Kind.PARTY_CELL, parent=ward)
        user = User.objects.create(username=username, role=User.Role.REPORTER, unit=cell,
                                   full_name=name, email=f"{username}@example.vn")
        cell.responsible_person = user
        cell.save()
        cells.append(cell)
    User.objects.create(username="vanphong", role=User.Role.OFFICE, unit=office,
                        full_name="Nguyễn Thị Hoa", email="vanphong@example.vn")
    template = ReportTemplate.objects.get(period_kind="month")
    template.units.set(cells)
    ReportTemplate.objects.filter(pk=template.pk).update(deadline_inclusive=True)


def grouping() -> None:
    """Six items of two matters waiting to be grouped; the grouping task on the queue."""
    from issues.tasks import group_items
    from issues.tests.helpers import FLOOD, GARBAGE, item

    for text in GARBAGE + FLOOD:
        item(text)
    print(json.dumps(str(group_items.enqueue().id)))


def reminders() -> None:
    """Two chi bộ whose November report is due in three days; the reminder task on the queue."""
    from reporting.tasks import send_reminders

    _cast()
    print(json.dumps(str(send_reminders.enqueue(REMINDER_DAY).id)))


def outbox() -> None:
    """One e-mail in the outbox (queued as a reminder queues it); the sending task enqueued."""
    from django.core.mail import EmailMessage
    from django.db import transaction

    from core.outbox import queue_email

    with transaction.atomic():
        queue_email(EmailMessage("Nhắc hạn nộp báo cáo", "Kính gửi đồng chí Lê Văn An.",
                                 "longdan@phuonghoabinh.local", ["an@example.vn"]),
                    kind="reminder", ref="reminder:test")
    print(json.dumps("queued"))


def fetch(feed_url: str) -> None:
    """A feed on the test's local server, due; the fetching task on the queue."""
    from monitoring.models import Source
    from monitoring.tasks import fetch_due_sources

    Source.objects.create(name="Báo địa phương", kind=Source.Kind.RSS, url=feed_url)
    print(json.dumps(str(fetch_due_sources.enqueue().id)))


def brief() -> None:
    """A few items in last week; the weekly brief's task on the queue for Monday."""
    import datetime as dt

    from issues.tests.helpers import GARBAGE, item
    from picture.brief_tasks import draft_weekly_brief

    for n, text in enumerate(GARBAGE):
        item(text, dt.date(2026, 3, 3 + n))
    print(json.dumps(str(draft_weekly_brief.enqueue(BRIEF_MONDAY).id)))


def state() -> None:
    """What the tests compare: the queue's rows and every side effect of the four tasks."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from core.models import AuditEntry, Notification, OutgoingEmail
    from intake.models import OpinionItem
    from issues.models import Issue, IssueEvent
    from monitoring.models import Mention, Source
    from picture.models import Brief
    from reporting.models import Reminder
    from textops.models import EngineState

    grouper = EngineState.objects.filter(name="grouper").first()
    source = Source.objects.first()
    print(json.dumps({
        "tasks": sorted(
            [row.task_path.rsplit(".", 1)[-1], row.status, len(row.worker_ids)]
            for row in DBTaskResult.objects.all()),
        "pending_items": OpinionItem.objects.filter(issue__isnull=True).count(),
        "issues": sorted(
            sorted(Issue.objects.get(pk=pk).items.values_list("text", flat=True))[0][:20]
            for pk in Issue.objects.values_list("pk", flat=True)),
        "item_events": IssueEvent.objects.filter(kind=IssueEvent.Kind.ITEM).count(),
        "created_events": IssueEvent.objects.filter(kind=IssueEvent.Kind.CREATED).count(),
        "grouper_items": (grouper.meta or {}).get("items") if grouper else None,
        "grouping_audits": AuditEntry.objects.filter(object_type="issues.issue",
                                                     summary__startswith="Nhóm").count(),
        "reminders": sorted(Reminder.objects.values_list("unit__code", "kind")),
        "notifications": sorted(Notification.objects.values_list("user__username", flat=True)),
        "outbox": sorted(
            [row["to"][0], row["state"], row["attempts"]]
            for row in OutgoingEmail.objects.values("to", "state", "attempts")),
        "remind_audits": AuditEntry.objects.filter(action=AuditEntry.Action.REMIND).count(),
        "mentions": sorted(Mention.objects.values_list("url", flat=True)),
        "source": None if source is None else {
            "failures": source.failures, "fetched": source.last_fetch_at is not None,
            "leased": source.retry_at is not None},
        "briefs": list(Brief.objects.values("start", "end", "weekly").annotate(n=Count("pk"))
                       .values_list("start", "weekly", "n")),
        "brief_audits": AuditEntry.objects.filter(object_type="picture.brief").count(),
    }, default=str))


def labelled(count: int = 80) -> None:
    """``count`` items of the shipped corpus with their topic and attitude confirmed."""
    from core.models import Topic
    from intake.tests.test_tasks import corpus_rows
    from issues.tests.helpers import item
    from textengine.lexicon import TOPICS

    topics = {code: Topic.objects.get(name=name) for code, name in TOPICS.items()}
    for row in corpus_rows(0, count):
        made = item(row["text"], attitude=row["attitude"], labels_confirmed=True)
        made.topics.set([topics[row["topic"]]])
    print(json.dumps(count))


def suggester_reader(go_file: str) -> None:
    """A long-lived process (a web process of another machine): the suggester's models now,
    then again once ``go_file`` exists — without a restart."""
    import pathlib
    import time

    from textops import selectors

    def seen() -> dict:
        built, version = selectors.suggester()
        suggestion = built.suggest("Học phí năm nay tăng quá cao, phụ huynh rất bức xúc")
        return {"version": version, "topic": _said(suggestion.topic),
                "attitude": _said(suggestion.attitude)}

    print(json.dumps(seen()), flush=True)
    while not pathlib.Path(go_file).exists():
        time.sleep(0.1)
    print(json.dumps(seen()), flush=True)


def train_and_suggest() -> None:
    """Retrain now (the task's body, in this process) and say what this process suggests."""
    from intake.tasks import retrain_models
    from textops import selectors

    result = retrain_models.call(force=True)
    built, version = selectors.suggester()
    suggestion = built.suggest("Học phí năm nay tăng quá cao, phụ huynh rất bức xúc")
    print(json.dumps({"result": {k: v.get("version") for k, v in result.items()},
                      "version": version, "topic": _said(suggestion.topic),
                      "attitude": _said(suggestion.attitude)}))


def _said(label) -> list:
    return [label.label, round(label.score, 6), label.source]


PASSWORD = "mat-khau-thu-nghiem-2026"


def city() -> None:
    """The cast with passwords; a leader and the reporter of chi bộ 1 with API tokens; chi bộ 1's
    November report drafted (not submitted). Prints the tokens and the report's id and version."""
    from core.tokens import issue
    from orgs.models import OrgUnit, User
    from reporting import services
    from reporting.models import ReportTemplate
    from reporting.periods import parse_period

    _cast()
    ward = OrgUnit.objects.get(code="dang-uy")
    User.objects.create(username="lanhdao", role=User.Role.LEADER, unit=ward,
                        full_name="Trần Văn Minh")
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save()
    an = User.objects.get(username="an")
    template = ReportTemplate.objects.get(period_kind="month")
    period = services.ensure_period(parse_period("2025-11"))
    report = services.save_draft(
        user=an, template=template, period=period, unit=an.unit, streams=None,
        sections={key: f"Nội dung phần {key} đầy đủ." for key in template.section_keys()},
        expected_version=None)
    print(json.dumps({
        "leader": issue(User.objects.get(username="lanhdao"), "may-thu")[1],
        "an": issue(an, "may-thu")[1], "report": report.pk, "version": report.version,
        "unit": an.unit_id,
    }))


def city_state() -> None:
    """What the several-machines test reads after the workers drained the queue."""
    from django_tasks_db.models import DBTaskResult

    from core.models import WorkerBeat
    from intake.models import OpinionItem
    from issues.models import Issue, IssueEvent
    from picture.models import Brief
    from reporting.models import Reminder

    print(json.dumps({
        "tasks": [[row.task_path.rsplit(".", 1)[-1], row.status, row.worker_ids]
                  for row in DBTaskResult.objects.order_by("enqueued_at")],
        "workers": sorted(WorkerBeat.objects.filter(kind="worker")
                          .values_list("worker_id", "host")),
        "items": list(OpinionItem.objects.values_list("issue_id", flat=True)),
        "issues": Issue.objects.count(),
        "item_events": IssueEvent.objects.filter(kind__in=["created", "item"]).count(),
        "reminders": sorted(Reminder.objects.values_list("unit__code", "kind")),
        "briefs": Brief.objects.count(),
    }, default=str))
