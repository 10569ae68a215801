"""pyxform's or_other labels in Vietnamese for forms imported before issue 17.

New uploads are translated at import (odk.or_other, before the XForm is built). For the forms
already in the database this migration rewrites what the site shows: the question rows (results,
the question bank; their folded label and, where it was the default, their concept key, so later
rounds still line up with earlier ones) and the stored pyxform definition. The stored XForm of a
version is left as it is: ODK Collect holds that exact file (its md5 is in the form list) and a
version is never edited, only superseded — the next uploaded version carries the Vietnamese
labels.
"""

from django.db import migrations

from core.text import fold
from odk.or_other import PYXFORM_SPECIFY, SPECIFY, translate_question_spec, vietnamese_or_other


def _translate(apps, schema_editor):
    FormVersion = apps.get_model("surveys", "FormVersion")
    Question = apps.get_model("surveys", "Question")
    old_key, new_key = fold(PYXFORM_SPECIFY), fold(SPECIFY)
    for question in Question.objects.filter(type__startswith="select").iterator():
        spec = translate_question_spec({"type": question.type, "choices": question.choices})
        if spec["choices"] != question.choices:
            question.choices = spec["choices"]
            question.save(update_fields=["choices"])
    for question in Question.objects.filter(type="text", label=PYXFORM_SPECIFY).iterator():
        spec = translate_question_spec(
            {"type": "text", "label": question.label, "labels": question.labels}
        )
        question.label, question.labels = spec["label"], spec["labels"]
        question.label_folded = fold(question.label)
        if question.concept_key == old_key:
            question.concept_key = new_key
        question.save(update_fields=["label", "labels", "label_folded", "concept_key"])
    for version in FormVersion.objects.only("id", "definition").iterator():
        definition = vietnamese_or_other(version.definition or {})
        if definition != (version.definition or {}):
            FormVersion.objects.filter(pk=version.pk).update(definition=definition)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_anonymous_responses_day_only")]

    operations = [migrations.RunPython(_translate, migrations.RunPython.noop)]
