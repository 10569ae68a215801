"""Templates say whether the deadline day itself is on time (issue 17).

The plan asks for the monthly report "trước ngày 25": due by the end of the 24th. Until now the app
counted a report of the 25th as on time. Existing templates take the plan's reading (the field's
default); the data step states it so that a default changed later cannot alter them silently.
"""

from django.db import migrations, models


def plans_reading(apps, schema_editor):
    ReportTemplate = apps.get_model("reporting", "ReportTemplate")
    ReportTemplate.objects.update(deadline_inclusive=False)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0008_office_inbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="reporttemplate",
            name="deadline_inclusive",
            field=models.BooleanField(
                default=False,
                help_text="Bỏ chọn: nộp trước ngày hạn (hạn cuối là hết ngày liền trước). Chọn:"
                " nộp đến hết ngày hạn.",
                verbose_name="tính cả ngày hạn nộp",
            ),
        ),
        migrations.RunPython(plans_reading, migrations.RunPython.noop),
    ]
