"""Full-text index over opinion items and issues (SQLite FTS5 + triggers; PostgreSQL GIN).

The DDL lives in ``search.fts`` because the post-migrate repair needs the very same statements.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from search.fts import create_index as create

    create(schema_editor.connection)


def drop_index(apps, schema_editor):
    from search.fts import drop_index as drop

    drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_initial"),
        ("issues", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
