"""A nudge on the task queue (``core.enqueue``): queued and visible at once, in a transaction of
its own that leaves the connection durable for the next write; inside a caller's transaction, an
ordinary enqueue that rolls back with it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from core.enqueue import enqueue_nudge
from core.tasks import housekeeping

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_nudge_is_queued_at_once_and_the_next_commit_waits_for_the_disk(database_queue):
    with CaptureQueriesContext(connection) as captured:
        result = enqueue_nudge(housekeeping)
    assert DBTaskResult.objects.filter(pk=result.id, status="READY").exists()
    sql = [query["sql"] for query in captured.captured_queries]
    if connection.vendor == "postgresql":
        assert sql[1] == "SET LOCAL synchronous_commit TO OFF"
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
    else:
        assert len(sql) == 1 and sql[0].startswith("INSERT")


def test_inside_a_transaction_a_nudge_is_an_ordinary_enqueue_that_rolls_back(database_queue):
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_nudge(housekeeping)
            raise RuntimeError("the caller fails")
    assert not any("synchronous_commit" in query["sql"] for query in captured.captured_queries)
    assert not DBTaskResult.objects.exists()
