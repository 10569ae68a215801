"""Responses that came through anonymous links keep only the day (issue 18, finding 3).

Their receipt and answer times become local midnight; every date-and-time in their answers and
their stored XML (start, end, timeEnd, submissionDate …) is cut to its date.
"""

import datetime as dt
import re

from django.db import migrations
from django.utils import timezone

MOMENT = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")
MOMENT_IN_XML = re.compile(r"(>|=\")\s*(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}[^<\"]*")


def _day(value):
    if value is None:
        return None
    return timezone.make_aware(
        dt.datetime.combine(timezone.localtime(value).date(), dt.time.min)
    )


def _blur(value):
    if isinstance(value, str):
        found = MOMENT.match(value)
        return found.group(1) if found else value
    if isinstance(value, list):
        return [_blur(v) for v in value]
    if isinstance(value, dict):
        return {k: _blur(v) for k, v in value.items()}
    return value


def forwards(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    AuditEntry = apps.get_model("core", "AuditEntry")
    for response in Response.objects.filter(source="lien_ket").iterator(chunk_size=500):
        Response.objects.filter(pk=response.pk).update(
            received_at=_day(response.received_at),
            submitted_at=_day(response.submitted_at),
            data=_blur(response.data),
            xml=MOMENT_IN_XML.sub(r"\1\2", response.xml or ""),
        )
        # Its receipt in the log names the survey, not the response (the entry's time stays).
        AuditEntry.objects.filter(
            object_type="surveys.response", object_id=str(response.pk)
        ).update(object_type="surveys.survey", object_id=str(response.survey_id))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_digest_nonce"), ("core", "0006_login_lockout")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
