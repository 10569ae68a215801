"""pyxform's ``or_other`` in Vietnamese (issue 17).

``select_one list or_other`` makes pyxform add a choice "other" labelled "Other" and a follow-up
text question ``<name>_other`` labelled "Specify other.", in English whatever the form's
language. :func:`vietnamese_or_other` rewrites those two labels in pyxform's definition before the
XForm is built, so the XForm, the stored definition and the question rows all read Vietnamese.
A language column that is English keeps pyxform's English words.
"""

from __future__ import annotations

import re
from typing import Any

PYXFORM_OTHER = "Other"
PYXFORM_SPECIFY = "Specify other."
OTHER = "Khác"
SPECIFY = "Khác (ghi rõ)"

_ENGLISH_LANGUAGE = re.compile(r"english|\(en\)|^en$", re.IGNORECASE)


def is_english(language: str) -> bool:
    return bool(_ENGLISH_LANGUAGE.search(language or ""))


def _label(value: Any, english: str, vietnamese: str, *, languages: list[str]) -> Any:
    """The label in Vietnamese, per language when the form has languages."""
    if isinstance(value, dict):
        return {
            lang: (text if is_english(lang) or text != english else vietnamese)
            for lang, text in value.items()
        }
    if value == english:
        if languages:
            return {lang: english if is_english(lang) else vietnamese for lang in languages}
        return vietnamese
    return value


def _other_choices(choices: list | None, languages: list[str]) -> list | None:
    # New dicts, never edits in place: pyxform appends its shared OR_OTHER_CHOICE constant.
    if not choices:
        return choices
    return [
        dict(choice, label=_label(choice.get("label"), PYXFORM_OTHER, OTHER, languages=[]))
        if choice.get("name") == "other"
        else choice
        for choice in choices
    ]


def _languages_of(question: dict) -> list[str]:
    label = question.get("label")
    return list(label) if isinstance(label, dict) else []


def _is_specify_other(child: dict, selects: dict[str, dict]) -> bool:
    name = str(child.get("name") or "")
    relevant = str((child.get("bind") or {}).get("relevant") or "")
    return (
        child.get("type") == "text"
        and child.get("label") == PYXFORM_SPECIFY
        and name.endswith("_other")
        and name[: -len("_other")] in selects
        and "'other'" in relevant
    )


def _rewrite_children(children: list) -> list:
    selects: dict[str, dict] = {}
    rewritten = []
    for child in children or []:
        child = dict(child)
        if child.get("children"):
            child["children"] = _rewrite_children(child["children"])
        if "choices" in child:
            child["choices"] = _other_choices(child["choices"], _languages_of(child))
            selects[str(child.get("name") or "")] = child
        elif _is_specify_other(child, selects):
            select = selects[str(child["name"])[: -len("_other")]]
            child["label"] = _label(
                child["label"], PYXFORM_SPECIFY, SPECIFY, languages=_languages_of(select)
            )
        rewritten.append(child)
    return rewritten


def vietnamese_or_other(definition: dict) -> dict:
    """A copy of pyxform's definition with or_other's "Other" and "Specify other." translated."""
    result = dict(definition)
    result["children"] = _rewrite_children(definition.get("children") or [])
    if isinstance(definition.get("choices"), dict):
        result["choices"] = {
            list_name: _other_choices(choices, [])
            for list_name, choices in definition["choices"].items()
        }
    return result


def translate_question_spec(spec: dict) -> dict:
    """One stored question spec (odk.questions.extract_questions) with or_other translated.

    For questions imported before the import translated them (the data migration)."""
    spec = dict(spec)
    if spec.get("type") == "text" and spec.get("label") == PYXFORM_SPECIFY:
        spec["label"] = SPECIFY
        spec["labels"] = {
            lang: (text if is_english(lang) else SPECIFY)
            for lang, text in (spec.get("labels") or {}).items()
        }
    if spec.get("choices"):
        spec["choices"] = [_stored_choice(choice) for choice in spec["choices"]]
    return spec


def _stored_choice(choice: dict) -> dict:
    if choice.get("name") != "other" or PYXFORM_OTHER not in (
        choice.get("label"), *(choice.get("labels") or {}).values()
    ):
        return choice
    return dict(
        choice,
        label=OTHER if choice.get("label") == PYXFORM_OTHER else choice.get("label"),
        labels={
            lang: (text if is_english(lang) or text != PYXFORM_OTHER else OTHER)
            for lang, text in (choice.get("labels") or {}).items()
        },
    )
