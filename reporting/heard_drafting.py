"""What the other channels heard, drafted beside the units' streams in section II (pure: no
Django). The unit reports say what each unit's members heard; the ward also hears residents
directly (meetings with voters, dialogues, the residential groups, the public form,
collaborators) and reads the press. Where the two disagree, a topic many residents raise but few
units report, the Standing Committee should see it."""

from __future__ import annotations

from reporting.consolidation import Consolidation, Heard
from reporting.consolidation import rounded_percent as percent

CHANNELS_SHOWN = 3
STORIES_SHOWN = 2
UNDER_REPORTED_SHOWN = 3
# A topic "many residents raise" is among the items' five largest and holds at least this share
# of the period's items.
UNDER_REPORTED_SHARE = 0.05
# The aggrieved share of a topic's items is named from this share on.
AGGRIEVED_NAMED = 0.3


def _in_sentence(label: str) -> str:
    """ "mạng xã hội" for "Mạng xã hội" inside a sentence; "MTTQ và các đoàn thể" kept."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def topic_note(heard: Heard | None, topic: str) -> str:
    """ "; ý kiến nhân dân qua các kênh: 34 (bức xúc, phản đối 60%)", or "" when none."""
    counted = heard.topic(topic) if heard else None
    if counted is None or not counted.count:
        return ""
    note = f"; ý kiến nhân dân qua các kênh: {counted.count}"
    if counted.aggrieved >= AGGRIEVED_NAMED * counted.count:
        note += f" (bức xúc, phản đối {percent(counted.aggrieved, counted.count)})"
    return note + _of_which(counted.in_streams)


def _of_which(in_streams: int) -> str:
    """ ", trong đó 12 ý kiến đơn vị đã tổng hợp vào luồng ý kiến": the items a unit's stream
    was drawn from are the same opinions as the stream, said once (issue 15)."""
    if not in_streams:
        return ""
    return f", trong đó {in_streams} ý kiến đơn vị đã tổng hợp vào luồng ý kiến"


def heard_paragraphs(c: Consolidation, reported_units: dict[str, int], min_units: int) -> list[str]:
    """The period's items by channel, the topics residents raised that fewer than ``min_units``
    units reported (``reported_units``: topic → units that reported it), and the press's
    stories."""
    heard, lines = c.heard, []
    if heard.items:
        named = [f"{_in_sentence(label)} {n}" for label, n in heard.channels[:CHANNELS_SHOWN]]
        rest = sum(n for _label, n in heard.channels[CHANNELS_SHOWN:])
        channels = ", ".join(named + ([f"các kênh khác {rest}"] if rest else []))
        text = (
            f"Qua các kênh tiếp nhận trực tiếp ({channels}), trong kỳ ghi nhận"
            f" {heard.items} ý kiến nhân dân"
        )
        if heard.aggrieved:
            text += f", bức xúc, phản đối {percent(heard.aggrieved, heard.items)}"
        text += _of_which(heard.in_streams)
        lines.append(text + "." + _under_reported(heard, reported_units, min_units))
    if heard.mentions:
        text = f"Báo chí, mạng xã hội: {heard.mentions} tin, bài về địa bàn phường"
        stories = [f"“{title}” ({sites} trang)" for title, sites in heard.stories[:STORIES_SHOWN]
                   if title]
        if stories:
            text += "; được đăng lại nhiều nhất: " + "; ".join(stories)
        lines.append(text + ".")
    return lines


def _under_reported(heard: Heard, reported_units: dict[str, int], min_units: int) -> str:
    largest = sorted(heard.topics, key=lambda t: (-t.count, t.topic))[:5]
    quiet = [
        t for t in largest
        if t.count >= UNDER_REPORTED_SHARE * heard.items
        and reported_units.get(t.topic, 0) < min_units
    ][:UNDER_REPORTED_SHOWN]
    if not quiet:
        return ""
    parts = [
        f"{t.topic} ({t.count} ý kiến; {reported_units.get(t.topic, 0)} đơn vị báo cáo)"
        for t in quiet
    ]
    return " Nhân dân nêu nhiều nhưng ít đơn vị báo cáo: " + "; ".join(parts) + "."


def heard_sources(c: Consolidation) -> dict:
    """Where the edit page links the items and press stories drawn on ("heard": the period's
    dates and counts), or nothing when none were."""
    if not (c.heard.items or c.heard.mentions):
        return {}
    return {"heard": {"items": c.heard.items, "mentions": c.heard.mentions,
                      "from": c.period.start.isoformat(), "to": c.period.end.isoformat()}}
