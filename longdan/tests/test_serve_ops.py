"""``longdan serve`` under faults (issue 16, findings 5, 6 and 10): its refusals before anything
starts, and a killed background worker restarted while the web server keeps answering."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from longdan.commands import main

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KEY = "longdan-embedded-insecure-key-change-me-on-a-server-0123456789"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "SECRET_KEY_FILE")}
    env["LONGDAN_VAR_DIR"] = str(tmp_path)
    env.update(extra)
    return env


def _run(tmp_path: Path, *argv: str, timeout: float = 120, **env: str):
    return subprocess.run([sys.executable, "-m", "longdan.commands", *argv],
                          env=_env(tmp_path, **env), capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _one_line_error(result, fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: ") and fragment in lines[0], lines
    assert "Traceback" not in result.stderr


# --- refusals before anything starts --------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "0", "-1", "tám"])
def test_a_port_out_of_range_is_refused_in_vietnamese(capsys, port):
    code = main(["serve", "--port", port])
    err = capsys.readouterr().err
    assert code == 2 and "từ 1 đến 65535" in err and "Traceback" not in err


def test_default_key_on_every_address_is_refused(tmp_path):
    result = _run(tmp_path, "serve", "--host", "0.0.0.0", "--port", str(_free_port()),
                  SECRET_KEY=DEFAULT_KEY)
    _one_line_error(result, "khóa bí mật mặc định")
    assert not (tmp_path / "longdan.sqlite3").exists()  # refused before the migration


def test_a_port_in_use_is_refused_before_starting_anything(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run(tmp_path, "serve", "--port", str(port), timeout=60)
    _one_line_error(result, f"cổng {port}")
    assert "Lòng Dân đang chạy" not in result.stdout
    assert not (tmp_path / "longdan.sqlite3").exists()


def test_check_deploy_fails_on_the_default_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        env=_env(tmp_path, SECRET_KEY=DEFAULT_KEY, DJANGO_SETTINGS_MODULE="longdan.settings"),
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode != 0 and "longdan.E001" in result.stderr


# --- the generated key ----------------------------------------------------------------------------


def _key(tmp_path: Path, **env: str) -> str:
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=_env(tmp_path, DJANGO_SETTINGS_MODULE="longdan.settings", **env),
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_key_is_generated_once_private_and_reused(tmp_path):
    first = _key(tmp_path)
    path = tmp_path / "secret_key"
    assert path.read_text().strip() == first and len(first) >= 50 and first != DEFAULT_KEY
    assert path.stat().st_mode & 0o777 == 0o600
    assert _key(tmp_path) == first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".secret_key")] == []
    assert _key(tmp_path / "other") != first  # another install, another key


def test_the_environment_and_a_key_file_win(tmp_path):
    assert _key(tmp_path, SECRET_KEY="from-the-environment-" + "x" * 40).startswith("from-the-env")
    key_file = tmp_path / "mounted-secret"
    key_file.write_text("from-a-file-" + "y" * 40 + "\n")
    assert _key(tmp_path, SECRET_KEY_FILE=str(key_file)).startswith("from-a-file-")
    assert not (tmp_path / "secret_key").exists()


# --- a killed worker is restarted while the web server keeps answering ----------------------------


def _worker_pids(database: Path) -> set[int]:
    if not database.exists():
        return set()
    try:
        with sqlite3.connect(database, timeout=5) as con:
            return {pid for (pid,) in con.execute(
                "SELECT pid FROM core_workerbeat WHERE kind = 'worker'")}  # not the scheduler
    except sqlite3.OperationalError:  # not migrated yet, or busy
        return set()


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_killed_worker_is_restarted_and_the_web_keeps_answering(tmp_path):
    port = _free_port()
    database = tmp_path / "longdan.sqlite3"
    server = subprocess.Popen(
        [sys.executable, "-m", "longdan.commands", "serve", "--port", str(port),
         "--workers", "1"],
        env=_env(tmp_path), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    page = f"http://127.0.0.1:{port}/dang-nhap/"
    try:
        # Start-up migrates and compresses the static files: minutes on a loaded machine.
        deadline = time.monotonic() + 240
        pids: set[int] = set()
        while time.monotonic() < deadline and not pids:
            assert server.poll() is None, server.stderr.read()
            pids = _worker_pids(database)
            time.sleep(0.3)
        assert pids, "the worker never beat"
        deadline = time.monotonic() + 60
        while True:
            try:
                assert _get(page) == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "the web server never answered"
                time.sleep(0.3)
        (victim,) = pids
        os.kill(victim, signal.SIGKILL)
        answered, deadline = 0, time.monotonic() + 45
        while time.monotonic() < deadline:
            assert _get(page) == 200  # the web server is untouched by the worker's death
            answered += 1
            if _worker_pids(database) - {victim}:
                break
            time.sleep(0.2)
        assert _worker_pids(database) - {victim}, "the worker was not restarted"
        assert server.poll() is None and answered > 1
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert "khởi động lại" in out
    assert server.returncode == 0, err


# --- a period that has not begun ------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2030-01", "2030-H1", "2030"])
def test_consolidate_refuses_a_period_that_has_not_begun(capsys, monthly, tmp_path, period):
    import time_machine

    from reporting.models import ConsolidatedReport

    target = tmp_path / "bc.docx"
    with time_machine.travel(dt.datetime(2029, 12, 31, 12, 0, tzinfo=dt.UTC), tick=False):
        code = main(["consolidate", "--period", period, "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "chưa bắt đầu" in err and err.count("\n") == 1, err
    assert not target.exists() and not ConsolidatedReport.objects.exists()


def test_consolidate_accepts_the_current_month(capsys, monthly, tmp_path):
    import time_machine

    target = tmp_path / "bc.docx"
    with time_machine.travel(dt.datetime(2030, 1, 1, 1, 0, tzinfo=dt.UTC), tick=False):
        code = main(["consolidate", "--period", "2030-01", "--out", str(target)])
    assert code == 0, capsys.readouterr().err
    assert target.exists()


# --- a worker killed in the middle of a task (issue 16) -----------------------------------------

_ORM = ("import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
        " 'longdan.settings'); django.setup(); ")


def _python(tmp_path: Path, code: str, **env: str) -> str:
    result = subprocess.run([sys.executable, "-c", _ORM + code], env=_env(tmp_path, **env),
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_task_whose_worker_is_killed_mid_run_is_run_again_by_the_next_worker(tmp_path):
    """Real processes on a real database file: worker A claims a task and is killed with SIGKILL
    while running it; past the silence timeout, worker B releases the dead claim and runs it to
    the end, once."""
    timeout = {"LONGDAN_WORKER_TIMEOUT": "4"}
    _python(tmp_path, "from django.core.management import call_command;"
                      " call_command('migrate', verbosity=0)")
    task_id = _python(tmp_path, "from core.tests.ops_tasks import slow_once;"
                                f" print(slow_once.enqueue({str(tmp_path)!r}).id)").strip()
    runs = tmp_path / "runs"
    first = subprocess.Popen([sys.executable, "-m", "longdan.commands", "worker"],
                             env=_env(tmp_path, **timeout), cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not runs.exists():
            assert first.poll() is None, first.stderr.read()
            assert time.monotonic() < deadline, "the first worker never started the task"
            time.sleep(0.2)
    finally:
        first.kill()  # SIGKILL: no clean-up of any kind, as when the machine takes it away
        first.wait(timeout=30)
    state = "from django_tasks_db.models import DBTaskResult as R;" \
            f" r = R.objects.get(pk={task_id!r});" \
            " print(json.dumps([r.status, r.worker_ids]))"
    status, claimed_by = json.loads(_python(tmp_path, state))
    assert status == "RUNNING" and len(claimed_by) == 1  # the dead worker's claim

    time.sleep(5)  # past LONGDAN_WORKER_TIMEOUT since the dead worker's last heartbeat
    second = _run(tmp_path, "worker", "--batch", timeout=240, **timeout)
    assert second.returncode == 0, second.stderr
    status, workers = json.loads(_python(tmp_path, state))
    assert status == "SUCCESSFUL" and len(workers) == 2 and workers[0] == claimed_by[0]
    assert runs.read_text().split() == ["start", "start", "finish"]  # finished exactly once


def test_web_processes_of_serve_skip_the_data_key_check_serve_made(monkeypatch):
    from core import datakey
    from longdan.commands import serve

    def wrong_key():
        raise datakey.DataKeyError("khóa khác")

    monkeypatch.setattr(datakey, "ensure_ready", wrong_key)
    monkeypatch.setenv(datakey.CHECKED_ENV, "0")  # so that the test's end removes it again
    monkeypatch.delenv(datakey.CHECKED_ENV)
    with pytest.raises(SystemExit):  # a bare gunicorn checks
        datakey.refuse_to_start_without_key()
    with pytest.raises(serve.CliError):
        serve.check_data_key()
    assert datakey.CHECKED_ENV not in os.environ  # set only once the check passed
    monkeypatch.setattr(datakey, "ensure_ready", lambda: "tệp")
    serve.check_data_key()
    assert os.environ[datakey.CHECKED_ENV] == "1"  # what serve's children inherit
    monkeypatch.setattr(datakey, "ensure_ready", wrong_key)
    datakey.refuse_to_start_without_key()  # a web process of serve: not checked again
