"""Flat question specs from pyxform's definition (groups, repeats): the survey database rows."""

from __future__ import annotations

from typing import Any

METADATA_TYPES = frozenset(
    "start end today deviceid subscriberid simserial phonenumber username email audit "
    "start-geopoint background-audio".split()
)

TYPE_NAMES = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "select one external": "select_one_external",
    "select one from file": "select_one_from_file",
    "select all that apply from file": "select_multiple_from_file",
    "add select one prompt using": "select_one",
    "add select multiple prompt using": "select_multiple",
}


def _text(value: Any, language: str) -> str:
    if isinstance(value, dict):
        if language and language in value:
            return str(value[language])
        if "default" in value:
            return str(value["default"])
        return str(next(iter(value.values()), ""))
    return "" if value is None else str(value)


def _labels(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if value:
        return {"default": str(value)}
    return {}


def _is_required(bind: dict) -> bool:
    value = str((bind or {}).get("required", "")).strip().lower()
    return value in ("yes", "true", "true()", "1")


def extract_questions(definition: dict, *, language: str | None = None) -> list[dict]:
    """Flat question specs in form order: every question, note and calculation.

    Groups and repeats are not questions themselves; their names make ``group_path``
    ("thong_tin/ho_gia_dinh") and ``in_repeat``. pyxform's ``meta`` group and metadata types
    (start, end, deviceid …) are left out: nobody is asked them.
    """
    root = definition.get("name") or "data"
    lang = language if language is not None else str(definition.get("default_language") or "")
    choices_by_list = definition.get("choices") or {}
    specs: list[dict] = []

    def walk(children: list, path: str, groups: list[str], in_repeat: bool) -> None:
        for child in children or []:
            name = str(child.get("name") or "")
            kind = str(child.get("type") or "")
            xpath = f"{path}/{name}"
            if kind in ("group", "repeat"):
                if kind == "group" and name == "meta" and not groups:
                    continue
                walk(child.get("children"), xpath, groups + [name],
                     in_repeat or kind == "repeat")
                continue
            if kind in METADATA_TYPES:
                continue
            bind = child.get("bind") or {}
            list_name = str(child.get("list_name") or child.get("itemset") or "")
            raw_choices = child.get("choices")
            if raw_choices is None and list_name:
                raw_choices = choices_by_list.get(list_name)
            choices = [
                {
                    "name": str(choice.get("name", "")),
                    "label": _text(choice.get("label"), lang),
                    "labels": _labels(choice.get("label")),
                }
                for choice in (raw_choices or [])
            ]
            specs.append({
                "name": name,
                "path": xpath,
                "type": TYPE_NAMES.get(kind, kind),
                "list_name": list_name,
                "label": _text(child.get("label"), lang),
                "labels": _labels(child.get("label")),
                "hint": _text(child.get("hint"), lang),
                "choices": choices,
                "group_path": "/".join(groups),
                "in_repeat": in_repeat,
                "required": _is_required(bind),
                "relevant": str(bind.get("relevant") or ""),
                "constraint": str(bind.get("constraint") or ""),
                "calculation": str(bind.get("calculate") or ""),
                "choice_filter": str(child.get("choice_filter") or ""),
                "default": str(child.get("default") or ""),
                "appearance": str((child.get("control") or {}).get("appearance") or ""),
                "position": len(specs) + 1,
            })

    walk(definition.get("children"), f"/{root}", [], False)
    return specs
