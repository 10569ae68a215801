# The story look-up bounded in time (issue 9): each band row carries its mention's fetched_at,
# indexed with the key, so candidates are read from the story window only. Existing rows get
# their mention's time in one UPDATE (a correlated subquery: SQLite and PostgreSQL alike) before
# the column becomes required.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_fetched_at(apps, schema_editor):
    Mention = apps.get_model("monitoring", "Mention")
    MentionBand = apps.get_model("monitoring", "MentionBand")
    MentionBand.objects.using(schema_editor.connection.alias).update(
        fetched_at=Subquery(
            Mention.objects.filter(pk=OuterRef("mention_id")).values("fetched_at")[:1]
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0005_watch_and_alerts'),
    ]

    operations = [
        migrations.AddField(
            model_name='mentionband',
            name='fetched_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(copy_fetched_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='mentionband',
            name='fetched_at',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='mentionband',
            name='key',
            field=models.BigIntegerField(),
        ),
        migrations.AddIndex(
            model_name='mentionband',
            index=models.Index(fields=['key', 'fetched_at'], name='mention_band_key_time'),
        ),
    ]
