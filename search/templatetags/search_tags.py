"""Highlight the searched words in the original text (with its diacritics) and cut a snippet."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from search.query import ParsedQuery
from textengine.normalize import fold

register = template.Library()

_WORD_RE = re.compile(r"[^\W_]+")
SNIPPET_CHARS = 320


def _hits(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """Spans of ``text`` whose folded word is searched (or starts with a searched prefix)."""
    words, prefixes = query.words, query.prefixes
    spans = []
    for match in _WORD_RE.finditer(text):
        folded = fold(match.group(0))
        if folded in words or (prefixes and folded.startswith(prefixes)):
            spans.append(match.span())
    return spans


def _window(text: str, spans: list[tuple[int, int]], size: int) -> tuple[int, int]:
    if len(text) <= size:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - size // 4, len(text) - size))
    start = text.rfind(" ", 0, start) + 1 if start else 0  # do not cut a word in two
    return start, min(len(text), start + size)


@register.simple_tag
def highlight(text: str, query: ParsedQuery, size: int = SNIPPET_CHARS) -> SafeString:
    """``text`` escaped, cut to about ``size`` characters around the first hit, hits in <mark>."""
    text = text or ""
    spans = _hits(text, query) if query else []
    start, end = _window(text, spans, size)
    out = ["…" if start else ""]
    position = start
    for left, right in spans:
        if left < start or right > end:
            continue
        out.append(conditional_escape(text[position:left]))
        out.append(f"<mark>{conditional_escape(text[left:right])}</mark>")
        position = right
    out.append(conditional_escape(text[position:end]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))  # every piece of the text was escaped above
