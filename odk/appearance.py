"""Long choice lists as a searchable dropdown (issue 17).

A question listing the ward's 65 residential groups as 65 radio buttons is a page of scrolling
on a phone. Where the form's author chose no appearance, a select with more than
:data:`LONG_LIST` choices gets XLSForm's ``autocomplete`` appearance: ODK Web Forms and ODK
Collect then show a dropdown with a search box. An appearance the author wrote is kept as it is.
"""

from __future__ import annotations

LONG_LIST = 15
SELECTS = frozenset({"select one", "select all that apply"})
SEARCHABLE = "autocomplete"


def _choice_count(question: dict, lists: dict) -> int:
    choices = question.get("choices")
    if choices is None:
        choices = lists.get(question.get("itemset") or question.get("list_name") or "") or []
    return len(choices)


def _with_search(question: dict, lists: dict) -> dict:
    if question.get("type") not in SELECTS or (question.get("control") or {}).get("appearance"):
        return question
    if _choice_count(question, lists) <= LONG_LIST:
        return question
    return dict(question, control=dict(question.get("control") or {}, appearance=SEARCHABLE))


def _rewrite(children: list, lists: dict) -> list:
    rewritten = []
    for child in children:
        if isinstance(child.get("children"), list):
            child = dict(child, children=_rewrite(child["children"], lists))
        rewritten.append(_with_search(child, lists))
    return rewritten


def searchable_long_lists(definition: dict) -> dict:
    """A copy of pyxform's definition where each long select without an appearance searches."""
    lists = definition.get("choices") if isinstance(definition.get("choices"), dict) else {}
    return dict(definition, children=_rewrite(definition.get("children") or [], lists))
