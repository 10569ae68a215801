"""The database locked or out of reach (issue 10, faults survived): a page answers a Vietnamese
503 with Retry-After, the API a JSON 503; nothing is half-written; once the lock is gone the same
request goes through. The lock is real: a second connection holds the table."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3

import pytest
from django.db import connection
from django.urls import reverse

from core.models import Attitude, Channel
from core.unavailable import is_unavailable
from intake.models import OpinionItem
from intake.tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextlib.contextmanager
def table_locked(table: str, column: str = "id"):
    """Another connection holds a write lock on ``table`` (writing ``column`` over itself) until
    the block ends."""
    if connection.vendor == "sqlite":
        # The test database is a shared-cache memory database: a writer's table lock makes the
        # app's statements on that table fail at once ("database table is locked").
        other = sqlite3.connect(connection.settings_dict["NAME"], uri=True,
                                isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute(f"UPDATE {table} SET {column} = {column}")
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    import psycopg

    settings = connection.settings_dict
    other = psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432,
                            user=settings["USER"], password=settings["PASSWORD"] or None,
                            dbname=settings["NAME"])
    with connection.cursor() as cursor:  # the app gives up after a short wait, not 20 s
        cursor.execute("SET lock_timeout = '300ms'")
    try:
        other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        other.rollback()
        other.close()


def _quick_report(area, topic) -> dict:
    return {
        "text": "Dân phản ánh đèn đường hỏng ở ngõ 5", "area": area.pk,
        "channel": Channel.COLLABORATOR, "topic": topic.pk, "attitude": Attitude.WORRIED,
        "received_on": dt.date.today().isoformat(), "sensitivity": "thuong",
    }


def test_a_write_while_the_table_is_locked_answers_503_and_writes_nothing(collab, area_1,
                                                                          env_topic):
    client = client_for(collab)
    client.raise_request_exception = False
    with table_locked(OpinionItem._meta.db_table):
        response = client.post(reverse("item_quick"), _quick_report(area_1, env_topic))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in page and "chưa được lưu" in page
    assert not OpinionItem.objects.exists()
    # The lock is gone: the same report goes through, once.
    again = client.post(reverse("item_quick"), _quick_report(area_1, env_topic))
    assert again.status_code == 302 and OpinionItem.objects.count() == 1


def test_a_lock_met_by_a_middleware_and_by_the_api_answers_503(collab):
    client = client_for(collab)
    client.raise_request_exception = False
    # The session table is read by a middleware, before any view.
    with table_locked("django_session", "expire_date"):
        page = client.get(reverse("item_list"))
        api = client.get("/api/v1/items/")
    assert page.status_code == 503 and "Thử lại" in page.content.decode()
    assert api.status_code == 503 and "Cơ sở dữ liệu" in api.json()["detail"]
    assert client.get(reverse("item_list")).status_code == 200


def test_only_a_database_out_of_reach_is_a_503():
    from django.db.utils import InterfaceError, OperationalError, ProgrammingError

    assert is_unavailable(OperationalError("database is locked"))
    assert is_unavailable(OperationalError('connection to server at "127.0.0.1", port 5432 '
                                           "failed: Connection refused"))
    assert is_unavailable(InterfaceError("connection already closed"))
    assert not is_unavailable(OperationalError("no such column: foo"))
    assert not is_unavailable(ProgrammingError("syntax error"))
    assert not is_unavailable(ValueError("database is locked"))
