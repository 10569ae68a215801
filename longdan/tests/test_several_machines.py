"""Two web servers and two workers that share nothing but the database (issue 10, "a city on
several machines"): each process has its own ``LONGDAN_VAR_DIR``, as on separate machines, and
every cache and lock that spans requests holds across them:

- a report submitted through server A is seen at once in the compliance figures read on server B,
  which had them cached (the generation token in ``CACHES["shared"]``, a database cache);
- opinion filed through server A is grouped once, by one of the two workers (the task queue and
  the grouper's claim are rows of the database);
- two schedulers ticking at the same moment on both machines enqueue every periodic task twice,
  and the workers still do each thing once (reminders, the weekly brief: claimed by rows);
- failed logins on A lock the account on B (django-axes' database handler).

On PostgreSQL when the suite runs there (a database of its own), else on a shared SQLite file.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from longdan.tests.fault_world import PASSWORD
from longdan.tests.processes import free_port, wait_for

pytestmark = pytest.mark.processes

ENV = {
    "LONGDAN_WORKER_TIMEOUT": "30",
    "LONGDAN_LOGIN_FAILURE_LIMIT": "3",
    "LONGDAN_BACKUP_NIGHTLY": "0",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def _call(base: str, path: str, *, token: str = "", data: dict | None = None):
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(base + path, data=body, headers=headers,
                                     method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def _answering(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/dang-nhap/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _submitted(base: str, token: str) -> int:
    status, body = _call(base, "/api/v1/compliance/?period=2025-11", token=token)
    assert status == 200, body
    return body["totals"]["submitted"] if "totals" in body else body["submitted"]


def test_two_servers_and_two_workers_share_only_the_database(process_db, tmp_path):
    machines = {name: tmp_path / f"may-{name}" for name in ("a", "b")}
    world = process_db.python(machines["a"], "from longdan.tests import fault_world;"
                                             " fault_world.city()")
    ports = {name: free_port() for name in machines}
    base = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    children = []
    started = time.monotonic()
    try:
        for name, var in machines.items():
            children.append(process_db.start_python(
                var, "-m", "gunicorn", "longdan.wsgi:application", "--bind",
                f"127.0.0.1:{ports[name]}", "--workers", "1", "--threads", "4", **ENV))
            children.append(process_db.start(var, "worker", "--interval", "0.2", **ENV))
        for name in machines:
            wait_for(lambda n=name: _answering(base[n]), 180, f"server {name}", every=0.3,
                     alive=children)
        ready = time.monotonic() - started

        # Compliance on B, cached there; the submit through A; B sees it at once.
        assert _submitted(base["b"], world["leader"]) == 0
        status, body = _call(base["a"], f"/api/v1/reports/{world['report']}/submit/",
                             token=world["an"], data={"version": world["version"]})
        assert status == 200, body
        assert _submitted(base["b"], world["leader"]) == 1

        # Opinion filed through A: the grouping it enqueues runs once, on one of the workers.
        for text in ("Rác thải tập kết bừa bãi ở chợ Hòa Bình, bốc mùi hôi thối",
                     "Điểm tập kết rác ở chợ Hòa Bình bốc mùi hôi thối, rác thải ùn ứ"):
            status, body = _call(base["a"], "/api/v1/items/", token=world["an"],
                                 data={"text": text, "channel": "khu_dan_cu"})
            assert status == 201, body

        # Both machines' schedulers tick at the same moment.
        schedulers = [process_db.start(var, "scheduler", "--once", **ENV)
                      for var in machines.values()]
        for scheduler in schedulers:
            assert scheduler.wait(timeout=180) == 0

        def drained():
            state = process_db.python(machines["b"], "from longdan.tests import fault_world;"
                                                     " fault_world.city_state()")
            done = all(status in ("SUCCESSFUL", "FAILED") for _n, status, _w in state["tasks"])
            return state if done and None not in state["items"] else None

        state = wait_for(drained, 240, "the workers to drain the queue", every=1,
                         alive=children)

        # Failed logins through A lock the account on B, the right password too.
        for _ in range(3):
            status, _body = _call(base["a"], "/api/v1/token/",
                                  data={"username": "binh", "password": "sai"})
        assert status == 429
        status, body = _call(base["b"], "/api/v1/token/",
                             data={"username": "binh", "password": PASSWORD})
        assert status == 429 and "kể cả khi nhập đúng mật khẩu" in body["detail"], body
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=30)
    elapsed = time.monotonic() - started
    print(f"several machines: ready in {ready:.1f} s, whole test {elapsed:.1f} s")

    tasks = state["tasks"]
    assert all(status == "SUCCESSFUL" for _n, status, _w in tasks), tasks
    assert all(len(workers) == 1 for _n, _s, workers in tasks), tasks  # each run once
    assert len(state["workers"]) == 2  # both machines' workers were up
    ran = {workers[0] for _n, _s, workers in tasks}
    assert ran <= {worker for worker, _host in state["workers"]}
    # Two items of one matter: one issue, each item joined once.
    assert len(set(state["items"])) == 1 and state["issues"] == 1
    assert state["item_events"] == 2
    # Each periodic task was enqueued by both schedulers, and done once.
    names = [name for name, _s, _w in tasks]
    assert names.count("send_reminders") == 2 and names.count("draft_weekly_brief") == 2
    assert len(state["reminders"]) == len(set(map(tuple, state["reminders"])))
    assert state["briefs"] <= 1
