"""Titles read as Vietnamese (issue 17): an issue titled by the engine from an item typed
without diacritics ("Môi trường — rac thai, boc mui — …") is redrafted from its most
representative item written with them, or, where none is, with the diacritics restored
(``textengine.titles.title_words``). Titles the office wrote are left alone and marked so."""

from django.db import migrations, models

from core.text import fold
from textengine.diacritics import is_accented, restore
from textengine.titles import build_title, title_words

TITLE_ITEMS = 200


def drop_triggers_reading_issues(apps, schema_editor):
    """SQLite rebuilds the issue table to add a column, and refuses while a trigger reads it
    (the search index's); such triggers are dropped here, and the search app recreates them and
    refills its index after every migrate (``search.apps``)."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                       "AND sql LIKE '%issues_issue%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def _renamed(IssueEvent, issue) -> bool:
    return IssueEvent.objects.filter(issue_id=issue.pk, kind="note", actor__isnull=False,
                                     to_value=issue.title[:300]).exists()


def redraft(apps, schema_editor):
    Issue = apps.get_model("issues", "Issue")
    IssueEvent = apps.get_model("issues", "IssueEvent")
    OpinionItem = apps.get_model("intake", "OpinionItem")
    for issue in Issue.objects.select_related("topic", "area").iterator():
        if _renamed(IssueEvent, issue):
            Issue.objects.filter(pk=issue.pk).update(title_source="office")
            continue
        # "topic — key words — place", each part when known: the names carry diacritics, so
        # a part without them is the key words of an item typed without them.
        parts = issue.title.split(" — ")
        if all(is_accented(part) for part in parts):
            continue
        texts = list(OpinionItem.objects.filter(issue_id=issue.pk).order_by("received_on", "id")
                     .values_list("text", flat=True)[:TITLE_ITEMS])
        if texts:
            words, restored = title_words(texts)
            title = build_title(topic=issue.topic.name if issue.topic_id else "", words=words,
                                place=issue.area.name if issue.area_id else "")
        else:  # merged away: its items live in the survivor, its title's words are restored
            title = " — ".join(p if is_accented(p) else restore(p) for p in parts)
            restored = True
        Issue.objects.filter(pk=issue.pk).update(
            title=title, title_folded=fold(title),
            title_source="restored" if restored else "item",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0004_titles_from_matter_and_place"),
        ("intake", "0003_remove_opinionitem_signature"),
    ]

    operations = [
        migrations.RunPython(drop_triggers_reading_issues, migrations.RunPython.noop),
        migrations.AddField(
            model_name="issue",
            name="title_source",
            field=models.CharField(
                choices=[("item", "Từ ý kiến có dấu"), ("restored", "Khôi phục dấu tự động"),
                         ("office", "Văn phòng đặt")],
                default="item", max_length=10, verbose_name="nguồn tên",
            ),
        ),
        migrations.RunPython(redraft, migrations.RunPython.noop),
    ]
