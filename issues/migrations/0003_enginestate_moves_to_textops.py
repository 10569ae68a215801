"""EngineState moves to the textops app: removed from this app's state only, so the table
(issues_enginestate) and its rows are kept (textops.0001 takes the model over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("issues", "0002_burst_once_per_subject_and_day")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="EngineState")],
            database_operations=[],
        ),
    ]
