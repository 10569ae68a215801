"""pyxform's or_other in Vietnamese in the survey database (issue 17): new uploads at import,
forms imported before by the data migration 0004."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from core.text import fold
from surveys.models import FormVersion, Question

pytestmark = pytest.mark.django_db

migration = importlib.import_module("surveys.migrations.0004_vietnamese_or_other")


def test_an_uploaded_form_stores_vietnamese_or_other_labels(open_survey, client, vanphong):
    other = Question.objects.get(form_version__survey=open_survey, name="van_de_other")
    assert other.label == "Khác (ghi rõ)" and other.concept_key == fold("Khác (ghi rõ)")
    select = Question.objects.get(form_version__survey=open_survey, name="van_de")
    assert select.choices[-1]["label"] == "Khác"
    client.force_login(vanphong)
    bank = client.get(reverse("question_bank"), {"q": "khac ghi ro"}).content.decode()
    assert "Khác (ghi rõ)" in bank and "Specify other" not in bank


def _as_imported_before(survey) -> tuple[Question, Question, FormVersion]:
    other = Question.objects.get(form_version__survey=survey, name="van_de_other")
    other.label = "Specify other."
    other.labels = {"Tiếng Việt": "Specify other.", "English": "Specify other."}
    other.concept_key = fold("Specify other.")
    other.save()
    select = Question.objects.get(form_version__survey=survey, name="van_de")
    select.choices[-1] = {
        "name": "other", "label": "Other", "labels": {"Tiếng Việt": "Other", "English": "Other"}
    }
    select.save()
    version = other.form_version
    for child in version.definition["children"]:
        if child.get("name") == "van_de_other":
            child["label"] = "Specify other."
    FormVersion.objects.filter(pk=version.pk).update(definition=version.definition)
    return other, select, version


def test_the_migration_translates_forms_imported_before(open_survey):
    other, select, version = _as_imported_before(open_survey)
    xform_before = version.xform_xml

    migration._translate(apps, None)

    other.refresh_from_db()
    assert other.label == "Khác (ghi rõ)" and other.label_folded == fold("Khác (ghi rõ)")
    assert other.labels == {"Tiếng Việt": "Khác (ghi rõ)", "English": "Specify other."}
    assert other.concept_key == fold("Khác (ghi rõ)")  # still lines up with later rounds
    select.refresh_from_db()
    assert select.choices[-1]["label"] == "Khác"
    assert select.choices[-1]["labels"] == {"Tiếng Việt": "Khác", "English": "Other"}
    version.refresh_from_db()
    [child] = [c for c in version.definition["children"] if c.get("name") == "van_de_other"]
    assert child["label"] == {"Tiếng Việt": "Khác (ghi rõ)", "English": "Specify other."}
    assert version.xform_xml == xform_before  # what ODK Collect holds is never edited


def test_the_migration_leaves_an_explicit_concept_key_alone(open_survey):
    other, _, _ = _as_imported_before(open_survey)
    Question.objects.filter(pk=other.pk).update(concept_key="nghe_khac")
    migration._translate(apps, None)
    other.refresh_from_db()
    assert other.concept_key == "nghe_khac" and other.label == "Khác (ghi rõ)"
