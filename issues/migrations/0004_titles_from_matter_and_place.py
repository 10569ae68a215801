"""Issue titles that copy a resident's sentence are rebuilt from the matter and the place
(issue 18): an issue whose title is its first item's first sentence (or a cut of it) gets the
title a new issue gets today (``textengine.titles``). Titles the office wrote are left alone."""

from django.db import migrations

from core.text import fold
from textengine.titles import build_title, matter_words

ITEMS_LOOKED_AT = 50


def _copied_from(title: str, texts) -> str | None:
    stem = title.rstrip("…").strip()
    if len(stem) < 8:
        return None
    for text in texts:
        if " ".join((text or "").split()).startswith(stem):
            return text
    return None


def rebuild(apps, schema_editor):
    Issue = apps.get_model("issues", "Issue")
    OpinionItem = apps.get_model("intake", "OpinionItem")
    for issue in Issue.objects.select_related("topic", "area").iterator():
        texts = OpinionItem.objects.filter(issue_id=issue.pk).order_by("received_on", "id")
        source = _copied_from(issue.title, texts.values_list("text", flat=True)[:ITEMS_LOOKED_AT])
        if source is None:
            continue
        title = build_title(
            topic=issue.topic.name if issue.topic_id else "",
            words=matter_words(source),
            place=issue.area.name if issue.area_id else "",
        )
        Issue.objects.filter(pk=issue.pk).update(title=title, title_folded=fold(title))


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0003_enginestate_moves_to_textops"),
        ("intake", "0003_remove_opinionitem_signature"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
