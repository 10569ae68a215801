"""Django and the database for the commands that need them (set up only then: file-only commands
such as ``longdan text train`` and ``longdan survey weigh`` never import Django)."""

from __future__ import annotations

import os

from longdan.commands.parser import CliError


def setup_django(database_url: str | None = None) -> None:
    """Configure Django (``database_url`` overrides ``DATABASE_URL``); a bad setting is a
    :class:`CliError`. Does nothing when Django is already set up (tests, a second call)."""
    from django.apps import apps

    if apps.ready:
        return
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longdan.settings")
    import django

    try:
        django.setup()
    except Exception as exc:  # noqa: BLE001 - settings read DATABASE_URL and the environment
        if os.environ.get("LONGDAN_TRACEBACK"):
            raise
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CliError(
            f"cấu hình không hợp lệ (kiểm tra DATABASE_URL và biến môi trường): {detail}"
        ) from exc


def require_migrated() -> None:
    """Refuse to read a database whose tables are missing or out of date."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CliError(
            "cơ sở dữ liệu chưa được khởi tạo hoặc chưa cập nhật cấu trúc; hãy chạy"
            " `longdan demo` (kèm dữ liệu mẫu) hoặc `python manage.py migrate`."
        )


def reader_for(unit_ref: str | None):
    """An unsaved reader for a command: the office (all units), or a member of one unit, who
    sees that unit and the units below it (``longdan compliance``, ``longdan picture``)."""
    from core.text import fold
    from orgs.models import OrgUnit, User

    if not unit_ref:
        return User(username="longdan-cli", role=User.Role.OFFICE)
    unit = (OrgUnit.objects.filter(code=unit_ref).first()
            or OrgUnit.objects.filter(name_folded=fold(unit_ref)).first())
    if unit is None:
        raise CliError(f"không tìm thấy đơn vị '{unit_ref}' (theo mã hoặc tên).")
    return User(username="longdan-cli", role=User.Role.REPORTER, unit=unit)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
