"""What residents said most in a brief's period, drafted as the consolidated report drafts section
II: the period's opinion items merged into statements (``synthesis.merge_statements``), each
quoted by its most typical whole sentences (``reporting.drafting.typical_texts``).

Only what several residents said is quoted (at least ``MIN_ITEMS`` items: a statement one or two
people made could point to them), never a sensitive item's words, and in whole sentences of at
most ``QUOTE_WORDS`` words (a statement with none that short gives way to the next)."""

from __future__ import annotations

from intake.models import OpinionItem, Sensitivity
from orgs.models import Area
from picture.window import Window
from reporting.drafting import Specific, typical_texts
from synthesis import Statement, fit_sentences, merge_statements, word_count

MIN_ITEMS = 3
SHOWN = 1  # the brief fits two pages (picture/tests/test_briefs_demo.py)
QUOTE_WORDS = 20  # one or two lines: the brief fits two pages
# The latest items of a long period are merged, not all: a city's week is tens of thousands.
MAX_ITEMS = 3000


def said_most(window: Window) -> list[dict]:
    """The statements (``SHOWN``) the most items of ``window`` made: text, items, topic."""
    items = (
        OpinionItem.objects.filter(
            received_on__range=(window.start, window.end), sensitivity=Sensitivity.NORMAL
        )
        .prefetch_related("topics")
        .order_by("-received_on", "-pk")[:MAX_ITEMS]
    )
    statements = [
        Statement(item.text, item.pk, item.pk, topic=_first_topic(item), attitude=item.attitude)
        for item in items
        if item.text.strip()
    ]
    merged = [m for m in merge_statements(statements) if m.unit_count >= MIN_ITEMS]
    specific = Specific(Area.objects.values_list("name", flat=True))
    rows = []
    for statement in merged:
        quote = _short_quote(statement, specific)
        if quote is not None:
            rows.append({"text": quote[0], "count": statement.unit_count, "topic": quote[1]})
        if len(rows) == SHOWN:
            break
    return rows


def _short_quote(statement, specific: Specific) -> tuple[str, str] | None:
    """(whole sentences of a typical member within ``QUOTE_WORDS``, its topic), or None when no
    typical member has a sentence that short (the brief's two pages have no room for more)."""
    for member in typical_texts(statement, specific, k=3):
        text = fit_sentences(member.text, QUOTE_WORDS).replace("\n", " ")
        if word_count(text) <= QUOTE_WORDS:
            return text, member.topic or ""
    return None


def _first_topic(item: OpinionItem) -> str:
    names = sorted(topic.name for topic in item.topics.all())
    return names[0] if names else ""
