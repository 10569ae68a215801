"""A worker killed with SIGKILL in the middle of each real task (issue 10, "faults survived").

Each test puts the real task on the real queue (django-tasks-db), starts a real ``longdan
worker`` told to stop at a named step (``core.faults.pause``: it writes a file there and waits,
inside whatever transaction the step holds), kills it with SIGKILL as soon as the file appears,
starts a worker again, and reads what happened: every task finished once, every side effect
stored once (issues grouped once, each reminder e-mail sent once — the file e-mail backend, so a
separate process's mail is visible —, each mention stored once, one brief). On SQLite (a file
shared by the processes) and, when the suite runs on PostgreSQL, on a database of its own there.
"""

from __future__ import annotations

import email
import email.policy
import time
from pathlib import Path

import pytest

from longdan.tests.fault_world import REMINDER_DAY
from longdan.tests.processes import wait_for

pytestmark = pytest.mark.processes

# LONGDAN_WORKER_TIMEOUT: how long a silent worker's claim is kept; the leases of an e-mail being
# sent and of a source being fetched are as long. Short, but not so short that a machine under
# load takes a live worker for a dead one.
TIMEOUT = 6.0


def _worker_env(tmp_path: Path) -> dict[str, str]:
    return {
        "LONGDAN_WORKER_TIMEOUT": str(TIMEOUT),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "LONGDAN_OUTBOX_LEASE_SECONDS": str(TIMEOUT),
        "LONGDAN_MONITOR_LEASE_SECONDS": str(TIMEOUT),
        "LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
        "LONGDAN_MONITOR_PAUSE": "0",
        "LONGDAN_BACKUP_NIGHTLY": "0",
    }


def _setup(db, tmp_path: Path, call: str):
    return db.python(tmp_path / "var", f"from longdan.tests import fault_world; fault_world.{call}")


def _state(db, tmp_path: Path) -> dict:
    return _setup(db, tmp_path, "state()")


def kill_at(db, tmp_path: Path, point: str, *, in_task: bool = True) -> dict:
    """Run the queue in a worker that stops at ``point``; SIGKILL it there; run the queue again
    in a new worker; return the state. ``in_task``: the point is inside a task (not in the
    worker's heartbeat thread, which sends due e-mails too)."""
    var, faults = tmp_path / "var", tmp_path / "faults"
    faults.mkdir(exist_ok=True)
    env = _worker_env(tmp_path)
    worker = db.start(var, "worker", "--interval", "0.2", LONGDAN_FAULT_POINT=point,
                      LONGDAN_FAULT_DIR=str(faults), **env)
    try:
        wait_for(lambda: (faults / point).exists(), 180, f"the worker to stop at {point}",
                 alive=[worker])
    finally:
        worker.kill()  # SIGKILL: no clean-up of any kind
        worker.wait(timeout=30)
    killed = _state(db, tmp_path)
    if in_task:
        assert ["RUNNING", 1] in [row[1:] for row in killed["tasks"]], killed["tasks"]
    time.sleep(TIMEOUT + 0.5)  # the dead worker's last beat and its leases are older than that
    again = db.longdan(var, "worker", "--batch", **env)
    assert again.returncode == 0, again.stderr[-3000:]
    return killed | {"after": _state(db, tmp_path)}


def _all_finished_once(state: dict, killed_task: str) -> None:
    tasks = state["tasks"]
    assert all(status == "SUCCESSFUL" for _name, status, _workers in tasks), tasks
    # The task the dead worker held was run to the end by the second worker, and only once:
    # its row is one row, claimed by both workers.
    assert [row for row in tasks if row[0] == killed_task] == [[killed_task, "SUCCESSFUL", 2]]


def mails(folder: Path) -> list[email.message.Message]:
    """Every message the file e-mail backend wrote (one file per connection)."""
    if not folder.exists():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        for chunk in path.read_text(encoding="utf-8").split("\n" + "-" * 79 + "\n"):
            if chunk.strip():
                found.append(email.message_from_string(chunk, policy=email.policy.default))
    return found


# --- grouping -------------------------------------------------------------------------------------


def test_grouping_killed_before_its_commit_groups_every_item_once(process_db, tmp_path):
    _setup(process_db, tmp_path, "grouping()")
    state = kill_at(process_db, tmp_path, "issues.grouping.before_commit")
    assert state["pending_items"] == 6 and state["issues"] == []  # the batch was rolled back
    after = state["after"]
    _all_finished_once(after, "group_items")
    assert after["pending_items"] == 0
    assert len(after["issues"]) == 2  # the garbage at the market, the flooded street
    # Each item joined once: one event per item, one "created" per issue, the grouper's saved
    # state holding six items, one audit entry for the batch.
    assert after["item_events"] + after["created_events"] == 6
    assert after["created_events"] == 2
    assert after["grouper_items"] == 6
    assert after["grouping_audits"] == 1


# --- reminders by e-mail --------------------------------------------------------------------------


def _reminder_mail(tmp_path: Path) -> list[tuple[str, str]]:
    return sorted((m["To"], m["Message-ID"]) for m in mails(tmp_path / "mail"))


@pytest.mark.parametrize("point", ["reporting.reminder.before_commit",
                                   "reporting.reminder.after_commit"])
def test_reminders_killed_mid_run_are_sent_once_each(process_db, tmp_path, point):
    """Killed inside the first reminder's transaction (nothing kept), or just after it committed
    (the first kept, the others not yet made): after the restart each chi bộ has its reminders —
    November's "before" and October's "overdue" — once each: one notification, one audit entry,
    one e-mail each."""
    _setup(process_db, tmp_path, "reminders()")
    state = kill_at(process_db, tmp_path, point)
    assert len(state["reminders"]) == (0 if point.endswith("before_commit") else 1)
    after = state["after"]
    _all_finished_once(after, "send_reminders")
    assert after["reminders"] == [["chi-bo-1", "before"], ["chi-bo-1", "overdue"],
                                  ["chi-bo-2", "before"], ["chi-bo-2", "overdue"]]
    assert after["notifications"] == ["an", "an", "binh", "binh"]
    assert after["remind_audits"] == 4
    assert after["outbox"] == [[to, "sent", 1] for to in
                               ("an@example.vn", "an@example.vn", "binh@example.vn",
                                "binh@example.vn")]
    sent = _reminder_mail(tmp_path)
    assert [to for to, _id in sent] == ["an@example.vn", "an@example.vn", "binh@example.vn",
                                        "binh@example.vn"], sent
    assert len({message_id for _to, message_id in sent}) == 4  # four messages, none twice
    subjects = sorted(m["Subject"].strip() for m in mails(tmp_path / "mail"))
    assert [s.split(" — ")[0] for s in subjects] == [
        "Nhắc hạn nộp báo cáo tháng 11/2025", "Nhắc hạn nộp báo cáo tháng 11/2025",
        "Quá hạn nộp báo cáo tháng 10/2025", "Quá hạn nộp báo cáo tháng 10/2025"], subjects
    assert REMINDER_DAY == "2025-11-22"


def test_an_email_killed_after_the_server_took_it_is_sent_again_as_the_same_message(
        process_db, tmp_path):
    """The one step no database transaction covers: the mail server has accepted the message and
    the worker dies before the row is marked sent. The row is sent again once its lease ends
    (nothing lost), as the same message — the same Message-ID, the e-mail's idempotency key —,
    and is marked sent once. This is at-least-once delivery: see docs/ARCHITECTURE.md."""
    _setup(process_db, tmp_path, "outbox()")
    # The worker sends from the task or from its heartbeat thread, whichever comes first.
    state = kill_at(process_db, tmp_path, "core.outbox.after_send", in_task=False)
    assert state["outbox"] == [["an@example.vn", "pending", 0]]  # sent, not marked
    after = state["after"]
    assert all(status == "SUCCESSFUL" for _n, status, _w in after["tasks"]), after["tasks"]
    assert after["outbox"] == [["an@example.vn", "sent", 1]]
    sent = _reminder_mail(tmp_path)
    assert len(sent) == 2 and sent[0] == sent[1], sent  # twice on the wire, one message
    assert sent[0][1].startswith("<longdan.outbox.")


# --- a monitoring fetch against a local HTTP server -----------------------------------------------


@pytest.fixture
def site():
    from monitoring.tests.server import Site, page

    site = Site()
    for n in (1, 2):
        site.add(f"/tin/{n}", page(f"Tin địa phương số {n}", [
            f"Người dân tổ dân phố An Lư {n} phản ánh rác thải ùn ứ ở đầu ngõ nhiều ngày nay.",
            "Cán bộ phường đã xuống kiểm tra, yêu cầu tăng thêm chuyến thu gom trong tuần tới.",
            "Bà con mong việc thu gom được duy trì đều đặn để giữ vệ sinh chung cho khu dân cư."]))
    items = "".join(f"<item><title>Tin {n}</title><link>{site.url(f'/tin/{n}')}</link></item>"
                    for n in (1, 2))
    site.add("/rss", f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                     f"<title>Báo</title><link>{site.url('/')}</link>{items}</channel></rss>",
             content_type="application/rss+xml")
    yield site
    site.close()


def test_a_fetch_killed_between_two_articles_stores_each_once(process_db, tmp_path, site):
    """Killed after the first article of the feed was stored: the source's claim is a lease, so
    the restarted task fetches it again at once (not an interval later) and stores the second
    article; the first is not stored twice."""
    _setup(process_db, tmp_path, f"fetch({site.url('/rss')!r})")
    state = kill_at(process_db, tmp_path, "monitoring.fetch.between_entries")
    assert state["mentions"] == [site.url("/tin/1")]
    assert state["source"] == {"failures": 0, "fetched": False, "leased": True}
    after = state["after"]
    _all_finished_once(after, "fetch_due_sources")
    assert after["mentions"] == [site.url("/tin/1"), site.url("/tin/2")]
    assert after["source"] == {"failures": 0, "fetched": True, "leased": False}
    assert site.statuses("/tin/1") == [200]  # stored by the first worker, not fetched again
    assert site.statuses("/rss") == [200, 200]


# --- the weekly brief -----------------------------------------------------------------------------


def test_a_brief_killed_before_its_commit_is_drafted_once(process_db, tmp_path):
    _setup(process_db, tmp_path, "brief()")
    state = kill_at(process_db, tmp_path, "picture.brief.before_commit")
    assert state["briefs"] == []
    after = state["after"]
    _all_finished_once(after, "draft_weekly_brief")
    assert after["briefs"] == [["2026-03-02", True, 1]]
    assert after["brief_audits"] == 1
