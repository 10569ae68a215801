"""Seed the three report templates of the plan's rhythm: monthly (by the 25th), 6-month, annual."""

from django.db import migrations

from reporting.models import default_sections

TEMPLATES = [
    ("Báo cáo tình hình tư tưởng và dư luận xã hội hằng tháng", "month", 25),
    ("Báo cáo công tác dư luận xã hội 6 tháng", "half", 25),
    ("Báo cáo công tác dư luận xã hội năm", "year", 25),
]


def seed(apps, schema_editor):
    ReportTemplate = apps.get_model("reporting", "ReportTemplate")
    for name, kind, day in TEMPLATES:
        ReportTemplate.objects.get_or_create(
            name=name,
            defaults={"period_kind": kind, "deadline_day": day, "sections": default_sections()},
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
