"""The statements one filing sends with the picture following it (issue 8: a filing under 10 ms
p95 with the rollups on; on PostgreSQL each statement is a round trip). The filing commits for
real, as a request's does, so the after-commit work (the grouping nudge, the picture's safety
net) is counted too. A new statement in this path fails here: see docs/PERFORMANCE.md,
"Writing one item", before raising a number."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Attitude, Channel, Topic
from intake.services import file_item
from picture.models import DirtyDay

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# In the transaction: BEGIN, the text models' versions (textops.model_store: are the trained
# models this process suggests with still the newest?), the topics (chosen and suggested), the
# item, its day's mark, its topic link, the audit entry with its link in the hash chain (a
# savepoint; the chain head locked, read and moved: core.auditchain), COMMIT. After it: the
# grouping task's row (on PostgreSQL in a transaction of its own that does not wait for the disk:
# BEGIN, SET LOCAL, INSERT, COMMIT) and the picture's check for days left unmarked.
STATEMENTS = {"sqlite": 15, "postgresql": 18}


def _file(user, area, topic):
    return file_item(
        user=user,
        text="Người dân phản ánh đường ngập nước sau mưa lớn.",
        channel=Channel.RESIDENTIAL,
        received_on=dt.date.today() - dt.timedelta(days=1),
        area=area,
        unit=area.unit,
        topic_ids=[topic.pk],
        attitude=Attitude.WORRIED,
    )


def test_one_filing_sends_a_fixed_number_of_statements(vanphong, area_1, settings):
    # The queue a server runs (the tests run tasks on the spot, which would count the grouping).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    topic = Topic.objects.order_by("pk").first()
    _file(vanphong, area_1, topic)  # the first may also enqueue the refresh (once per 5 s)
    with CaptureQueriesContext(connection) as captured:
        item = _file(vanphong, area_1, topic)
    sql = [query["sql"] for query in captured.captured_queries]
    assert len(sql) == STATEMENTS[connection.vendor], "\n".join(sql)
    assert sum("picture_dirtyday" in s and s.startswith("INSERT") for s in sql) == 1
    assert DirtyDay.objects.filter(day=item.received_on).exists()
    assert list(item.topics.all()) == [topic]
