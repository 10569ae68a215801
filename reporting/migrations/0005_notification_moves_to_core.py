"""Notification moved to core (issue 14): reporting forgets the model, the table stays.

State only: no SQL runs, so the rows in ``reporting_notification`` are kept on every database;
``core.0004_notification`` takes the model over with the same table name.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0004_stream_links_to_items_and_issues'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notification')],
            database_operations=[],
        ),
    ]
