"""XLSForm parity with pyxform (issue 10, "faults survived").

Every form of the corpus (:mod:`odk.tests.parity_corpus`) goes through pyxform's own
``xls2xform.convert`` and through our upload (``surveys.design.services.upload_form_version``,
the conversion in its limited child process, the form version and questions stored):

* pyxform converts it ⇒ we store it, ODK Collect's side can read the stored XForm
  (``odk.openrosa.form_structure``, what a submission is checked against) and every question is
  a row of the survey database — unless the case names why ODK Collect could not use it
  (``EXCEPTIONS``), and then our refusal says that, located, in Vietnamese;
* pyxform refuses it ⇒ we refuse it, storing nothing, with a Vietnamese message naming the
  sheet, and the row pyxform named.

The child process costs a Python start per form (seconds on a busy CI machine), so most cases
run the same ``convert_xlsform`` in the test's process; ``THROUGH_THE_CHILD`` go the whole way.
"""

from __future__ import annotations

import io
import re

import pytest

from core.models import AuditEntry
from core.tests.fuzzing import assert_vietnamese
from odk.openrosa import form_structure
from odk.questions import extract_questions
from odk.tests.parity_corpus import CASES, EXCEPTIONS, Case
from odk.translate import UNTRANSLATED
from odk.xlsform import convert_xlsform
from surveys.design import services
from surveys.design.services import XLSFormRejected
from surveys.models import FormVersion, Question

ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
THROUGH_THE_CHILD = {"translated_vi_en", "settings_upper_headers", "select_one_from_file",
                     "unclosed_group"}


def _pyxform(case: Case) -> tuple[bool, str]:
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=io.BytesIO(case.content()), file_type="." + case.filename.rsplit(".")[-1],
                warnings=[], validate=False)
    except Exception as exc:  # noqa: BLE001 - pyxform's verdict, whatever it raises
        return False, f"{type(exc).__name__}: {exc}"
    return True, ""


def _in_process(content, filename="", *, now=None, **options):
    """What the child process of ``odk.isolated.convert_isolated`` computes, without the child."""
    return convert_xlsform(content, filename, now=now, **options)


def _counts() -> tuple[int, int, int]:
    return FormVersion.objects.count(), Question.objects.count(), AuditEntry.objects.count()


def test_the_corpus_covers_both_sides_and_every_exception():
    assert sum(case.pyxform_converts for case in CASES) >= 40
    assert sum(not case.pyxform_converts for case in CASES) >= 20
    assert {case.odk_collect_cannot for case in CASES} - {""} == set(EXCEPTIONS)
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_upload_agrees_with_pyxform(case, draft_survey, vanphong, monkeypatch):
    if case.name not in THROUGH_THE_CHILD:
        monkeypatch.setattr(services, "convert_isolated", _in_process)
    converts, why = _pyxform(case)
    assert converts == case.pyxform_converts, f"pyxform's verdict changed: {why}"
    before = _counts()
    try:
        version = services.upload_form_version(
            user=vanphong, survey=draft_survey, content=case.content(), filename=case.filename)
    except XLSFormRejected as exc:
        refused = exc
    else:
        refused = None

    if converts and not case.odk_collect_cannot:
        assert refused is None, [issue.line() for issue in refused.issues]
        structure = form_structure(version.xform_xml)
        assert structure.form_id == draft_survey.form_id == version.survey.form_id
        specs = extract_questions(version.definition)
        assert version.questions.count() == len(specs)
        assert {f.path.rsplit("/", 1)[-1] for f in structure.fields} >= {
            spec["name"] for spec in specs}
        return

    assert refused is not None, f"{case.name}: stored although it should be refused"
    assert _counts() == before  # nothing half-stored
    assert_vietnamese(refused.message)
    for issue in refused.issues:
        assert_vietnamese(issue.message)
        assert issue.message != UNTRANSLATED, issue.original
        assert issue.sheet, issue.line()
    if converts:
        reason = EXCEPTIONS[case.odk_collect_cannot][1]
        assert any(re.search(reason, issue.message) for issue in refused.issues), [
            issue.line() for issue in refused.issues]
        assert all(issue.row for issue in refused.issues), [i.line() for i in refused.issues]
        return
    named = ROW.search(why)
    if named:
        row = int(named.group(1))
        rows = {issue.row for issue in refused.issues}
        assert row in rows or (row == 1 and 2 in rows), ([i.line() for i in refused.issues], why)


@pytest.mark.django_db
def test_a_form_id_with_spaces_is_adopted_and_the_survey_stays_editable(draft_survey, vanphong):
    """pyxform keeps "khảo sát 2026" as the form id (ODK Collect and Central accept it): the
    survey adopts it, a submission names it, and saving the survey's page again keeps it."""
    case = next(case for case in CASES if case.name == "form_id_with_space_and_accents")
    version = services.upload_form_version(
        user=vanphong, survey=draft_survey, content=case.content(), filename=case.filename)
    draft_survey.refresh_from_db()
    assert draft_survey.form_id == "khảo sát 2026"
    assert form_structure(version.xform_xml).form_id == "khảo sát 2026"
    saved = services.update_survey(
        user=vanphong, survey=draft_survey, expected_version=draft_survey.version,
        data=services.SurveyInput(title="Khảo sát mới", form_id="khảo sát 2026"))
    assert saved.form_id == "khảo sát 2026" and saved.title == "Khảo sát mới"
    with pytest.raises(services.ServiceError, match="chữ không dấu"):
        services.create_survey(user=vanphong, data=services.SurveyInput(
            title="Khác", form_id="khảo sát khác"))  # a new id typed here stays a plain name
