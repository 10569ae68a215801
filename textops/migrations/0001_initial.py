"""EngineState moves here from the issues app: state only, the table (issues_enginestate) and its
rows stay where they are. On a new database the issues migrations create the table first."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("issues", "0003_enginestate_moves_to_textops")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EngineState",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=40, unique=True)),
                        ("data", models.BinaryField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("meta", models.JSONField(blank=True, default=dict)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={"db_table": "issues_enginestate"},
                ),
            ],
            database_operations=[],
        ),
    ]
