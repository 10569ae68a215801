"""Public-form feedback moves from "Khác" to its own channel, "Góp ý trực tuyến" (issue 17).

The marker is the tracking code: only ``intake.services.public.submit_public_feedback`` gives an
item one (a resident's receipt), so every item with a tracking code came through the public form.
Only items still filed under "Khác" move: one the office already re-filed under another channel
keeps the office's choice.

The picture's rollups count by channel, so the days of the moved items are marked stale in
``picture_dirtyday`` (the worker recomputes them; a read counts a stale day from the raw rows
meanwhile). That table belongs to an app above this one, so it is reached by name, only if it
exists, and this migration does not depend on the picture's migrations.
"""

from django.db import migrations
from django.utils import timezone

OTHER = "khac"
PUBLIC_FORM = "gop_y_truc_tuyen"
DIRTY_TABLE = "picture_dirtyday"


def _mark_days_stale(schema_editor, days) -> None:
    connection = schema_editor.connection
    if not days or DIRTY_TABLE not in connection.introspection.table_names():
        return
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT day FROM {DIRTY_TABLE}")
        marked = {row[0] for row in cursor.fetchall()}
        fresh = [day for day in days if day not in marked and str(day) not in marked]
        cursor.executemany(
            f"INSERT INTO {DIRTY_TABLE} (day, marked_at) VALUES (%s, %s)",
            [(day, now) for day in fresh],
        )


def _move(apps, schema_editor, *, source: str, target: str, public_only: bool) -> None:
    OpinionItem = apps.get_model("intake", "OpinionItem")
    items = OpinionItem.objects.filter(channel=source)
    if public_only:
        items = items.filter(tracking_code__isnull=False)
    days = sorted(set(items.values_list("received_on", flat=True)))
    items.update(channel=target)
    _mark_days_stale(schema_editor, days)


def forwards(apps, schema_editor):
    _move(apps, schema_editor, source=OTHER, target=PUBLIC_FORM, public_only=True)


def backwards(apps, schema_editor):
    _move(apps, schema_editor, source=PUBLIC_FORM, target=OTHER, public_only=False)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_public_form_channel"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
