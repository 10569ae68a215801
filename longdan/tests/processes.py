"""Real processes on a real database for the fault and several-machines tests (issue 10).

The tests here start ``longdan worker``, ``longdan serve`` and ``python -c`` children, each with
its own ``LONGDAN_VAR_DIR``, on a database they share: a SQLite file, or, when the suite runs on
PostgreSQL (``DATABASE_URL=postgres://…``), a database of its own on that server, named after
``LONGDAN_TEST_DB_NAME`` so that parallel runs do not collide. The schema is migrated once per
session into a template (a file copied, or ``CREATE DATABASE … TEMPLATE``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
# One data key and one secret key for every process of a test: what an installation gives all its
# machines (docs/DEPLOY.md); a key generated in each VAR_DIR would differ between them.
SHARED_KEYS = {
    "SECRET_KEY": "fault-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "LONGDAN_DATA_KEY": "ZmF1bHQtdGVzdHMtZGF0YS1rZXktMDEyMzQ1Njc4OWE=",
}
_ORM = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'longdan.settings');"
        " django.setup(); ")
_numbers = itertools.count(1)


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Database:
    """One database for one test's processes; ``env(var_dir)`` is a child's environment."""

    def __init__(self, url: str | None, sqlite_file: Path | None):
        self.url, self.sqlite_file = url, sqlite_file

    def env(self, var_dir: Path, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY_FILE",
                            "LONGDAN_DATA_KEY_FILE", "LONGDAN_FAULT_POINT")}
        var_dir.mkdir(parents=True, exist_ok=True)
        env.update(SHARED_KEYS, LONGDAN_VAR_DIR=str(var_dir),
                   PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""))
        env["DATABASE_URL"] = self.url or f"sqlite:///{self.sqlite_file}"
        env.update(extra)
        return env

    def python(self, var_dir: Path, code: str, timeout: float = 300, **extra: str):
        """Run ``code`` after django.setup() in a child; return what it printed, read as JSON."""
        result = subprocess.run([sys.executable, "-c", _ORM + code],
                                env=self.env(var_dir, **extra), capture_output=True, text=True,
                                timeout=timeout, cwd=ROOT)
        assert result.returncode == 0, result.stderr[-3000:]
        lines = result.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else None

    def longdan(self, var_dir: Path, *argv: str, timeout: float = 240, **extra: str):
        return subprocess.run([sys.executable, "-m", "longdan.commands", *argv],
                              env=self.env(var_dir, **extra), capture_output=True, text=True,
                              timeout=timeout, cwd=ROOT)

    def start(self, var_dir: Path, *argv: str, **extra: str) -> subprocess.Popen:
        var_dir.mkdir(parents=True, exist_ok=True)
        log = open(var_dir / f"{argv[0]}-{next(_numbers)}.log", "w")  # noqa: SIM115
        return subprocess.Popen([sys.executable, "-m", "longdan.commands", *argv],
                                env=self.env(var_dir, **extra), cwd=ROOT, stdout=log,
                                stderr=subprocess.STDOUT, text=True)


    def start_python(self, var_dir: Path, *argv: str, **extra: str) -> subprocess.Popen:
        """``python ARGV…`` (``-m gunicorn …``) as a child, its output in VAR_DIR."""
        var_dir.mkdir(parents=True, exist_ok=True)
        log = open(var_dir / f"python-{next(_numbers)}.log", "w")  # noqa: SIM115
        return subprocess.Popen([sys.executable, *argv], env=self.env(var_dir, **extra),
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)


def _pg_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1),
                         autocommit=True) as con:
        con.execute(sql)


def _pg_base() -> str:
    return (os.environ.get("LONGDAN_TEST_DB_NAME") or "test_longdan") + "_proc"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """The schema, migrated once: a SQLite file, or a PostgreSQL template database."""
    var_dir = tmp_path_factory.mktemp("template-var")
    migrate = "from django.core.management import call_command; call_command('migrate'," \
              " verbosity=0); print(1)"
    if on_postgres():
        name = f"{_pg_base()}_tpl"
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg(f'CREATE DATABASE "{name}"')
        Database(_pg_url(name), None).python(var_dir, migrate, timeout=600)
        yield name
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    # Migrating takes a minute or more on a busy machine: the file is kept between runs, named
    # after the migrations it holds.
    path = Path(tempfile.gettempdir()) / f"longdan-process-template-{_migrations_digest()}.sqlite3"
    if not path.exists():
        made = var_dir / "template.sqlite3"
        Database(None, made).python(var_dir, migrate, timeout=600)
        shutil.copyfile(made, var_dir / "copy.sqlite3")
        os.replace(var_dir / "copy.sqlite3", path)
    yield path


def _migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture
def process_db(migrated_template, tmp_path):
    """A fresh migrated database for this test's processes."""
    if on_postgres():
        name = f"{_pg_base()}_{os.getpid()}_{next(_numbers)}"
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')
        yield Database(_pg_url(name), None)
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    path = tmp_path / "shared.sqlite3"
    shutil.copyfile(migrated_template, path)
    yield Database(None, path)


def wait_for(predicate, timeout: float, what: str, every: float = 0.1, alive=()):
    """Poll ``predicate`` until it is true; fail naming ``what`` (and a dead child's log)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        for child in alive:
            assert child.poll() is None, f"{what}: a child exited with {child.returncode}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(every)
