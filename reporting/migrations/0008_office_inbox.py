"""The office's inbox (issue 17): when the office last opened a report, and manual reminders.

- ``UnitReport.office_seen_at``: reports submitted more than ``SEEN_AFTER_DAYS`` days before this
  migration count as seen (at their submission): before the inbox nobody recorded what the office
  had read, and an inbox that opens with every report ever submitted is no inbox; the last month's
  submissions stay in it to be looked at.
- ``Reminder.sent_on`` (the local date of sending) is filled from ``sent_at`` for the reminders
  already sent; ``reminder_sent_once`` now holds for the automatic kinds only, and a manual
  reminder (the office's "Nhắc đơn vị") is unique per template, period, unit and day.
"""

import datetime as dt

import core.dates
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

SEEN_AFTER_DAYS = 30


def fill(apps, schema_editor):
    Reminder = apps.get_model("reporting", "Reminder")
    for reminder in Reminder.objects.only("pk", "sent_at").iterator():
        Reminder.objects.filter(pk=reminder.pk).update(
            sent_on=timezone.localdate(reminder.sent_at)
        )
    UnitReport = apps.get_model("reporting", "UnitReport")
    before = timezone.now() - dt.timedelta(days=SEEN_AFTER_DAYS)
    UnitReport.objects.filter(
        state="submitted", submitted_at__lt=before, office_seen_at__isnull=True
    ).update(office_seen_at=models.F("submitted_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_natural_order'),
        ('reporting', '0007_stream_public_form_channel'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='reminder',
            name='reminder_sent_once',
        ),
        migrations.AddField(
            model_name='reminder',
            name='sent_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='reminder',
            name='sent_on',
            field=models.DateField(default=core.dates.local_today, verbose_name='ngày gửi'),
        ),
        migrations.AddField(
            model_name='unitreport',
            name='office_seen_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='Ban Xây dựng Đảng đã xem lúc'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='reminder',
            name='kind',
            field=models.CharField(choices=[('before', 'Sắp đến hạn'), ('overdue', 'Quá hạn'), ('manual', 'Ban Xây dựng Đảng nhắc')], max_length=10),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.UniqueConstraint(condition=models.Q(('kind__in', ['before', 'overdue'])), fields=('template', 'period', 'unit', 'kind'), name='reminder_sent_once'),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'manual')), fields=('template', 'period', 'unit', 'sent_on'), name='reminder_manual_once_a_day'),
        ),
    ]
