"""Sections I–IV of the consolidated report drafted as a synthesis (pure: no Django).

What the units wrote is merged, not listed (``synthesis``): near-identical statements become one,
with how many units said it and which groups it concerns, and the words shown are a unit's own,
whole sentences chosen for being typical (never a sentence cut in the middle). Units are named only
where few said something ("Chi bộ Khu dân cư An Lư 1, 3"); otherwise the count tells ("12/55 đơn
vị"). Each section comes with its sources (the unit reports, the merged statements and their
units, the issues) so the office sees, beside the draft, what it was drawn from.

* I. Tình hình tư tưởng — the overview, the general state (the units' most shared statements),
  then what stands out (the topics most units raised, their change against last month).
* II. Dư luận xã hội nổi bật — per topic three or more units raised (and, in one line, the rest):
  units, attitude mix, reach, groups, change against last month, the merged statements each
  with a quotation.
* III. Dư luận tiềm ẩn, dự báo — the latent streams merged, the topics rising against last month
  with the reason, the units' shared forecasts (the floors above add their own rising topics
  through ``reporting.extensions``).
* IV. Kiến nghị, đề xuất — every distinct recommendation once, merged when units ask the same,
  grouped by addressee, with the issue it concerns where there is one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from core.text import fold
from reporting.consolidation import Heard, coverage_phrase
from reporting.consolidation import rounded_percent as percent
from reporting.heard_drafting import heard_paragraphs, heard_sources, topic_note
from synthesis import (
    Merged,
    Statement,
    fit_sentences,
    merge_statements,
    split_sentences,
    word_count,
)
from synthesis.vectors import tfidf_rows

# A topic this many units raised always has its own paragraph in section II (issue 13).
TOPIC_MIN_UNITS = 3
NAME_UP_TO = 4  # units named in full up to this many; beyond, counted
LINE_NAMES_UP_TO = 3  # the same on a statement's line, where the quotation follows
STATEMENT_LINES = 2  # merged statements quoted per topic, at most
# A second statement is quoted when at least this share of the topic's units (and six) said it.
STATEMENT_SHARE = 0.3
GENERAL_SHARE = 0.2  # a statement of section I or III shared by at least this share of units
GENERAL_LINES = 2
QUOTE_WORDS = 40
# The month's first topics are drafted in full; the others that three or more units raised get a
# shorter head (units, attitude, change) and a shorter quotation: a Standing Committee reads a
# monthly report of two to five pages (issue 13: the body within about 1,500-2,500 words).
DETAILED_TOPICS = 5
MINOR_QUOTE_WORDS = 30
RISING_NAMED = 3  # topics that rose most, named in section I (section III lists the others)
NEAR_CANDIDATES = 50  # texts of a merged statement weighed as its quotation, nearest first
# The attitudes read as aggrieved (codes of core.models.Attitude: this module imports no Django).
AGGRIEVED = ("buc_xuc", "phan_doi")
# A "kiến nghị" sentence that asks for nothing ("Không có.", "Chi bộ không có kiến nghị mới").
_TRAILING_NUMBER = re.compile(r"^(.*\D)\s+(\d+)$")
_PERIOD_END = re.compile(r"[.!?…]+[\"'”’»)\]]*$")


@dataclass(frozen=True)
class IssueRef:
    """An issue a recommendation may concern (the service reads the open ones)."""

    pk: int
    code: str
    title: str
    summary: str = ""


@dataclass
class Draft:
    text: str
    sources: dict = field(default_factory=dict)


# --- small phrases ------------------------------------------------------------------------------


def compact_names(units: Iterable[str]) -> str:
    """Units named briefly: "Chi bộ Khu dân cư An Lư 1, 3; Chi bộ Công an phường"."""
    families: dict[str, list[str]] = {}
    for unit in sorted(units, key=_unit_sort_key):
        match = _TRAILING_NUMBER.match(unit)
        stem, number = (match.group(1), match.group(2)) if match else (unit, "")
        families.setdefault(stem, []).append(number)
    parts = []
    for stem, numbers in families.items():
        named = [n for n in numbers if n]
        bare = len(named) < len(numbers)
        parts.append(stem if bare and not named else f"{stem} {', '.join(named)}")
    return "; ".join(parts)


def _unit_sort_key(unit: str):
    match = _TRAILING_NUMBER.match(unit)
    if match:
        return (fold(match.group(1)), int(match.group(2)))
    return (fold(unit), -1)


def _family(unit: str) -> str:
    match = _TRAILING_NUMBER.match(unit)
    return match.group(1) if match else unit


def units_phrase(units: Sequence[str], whole: int, verb: str = "", note: str = "") -> str:
    """ "3/55 đơn vị (Chi bộ A, B; Chi bộ C) <verb>", or "12/55 đơn vị <verb>, nhiều nhất ở Chi
    bộ Khu dân cư An Lư (8 đơn vị)" when most of them share a name, or "30/55 đơn vị <verb>";
    ``note`` (" (kỳ trước: 9)") follows the verb."""
    count = len(units)
    head = f"{count}/{max(whole, count)} đơn vị"
    tail = (f" {verb}" if verb else "") + note
    if count <= NAME_UP_TO:
        return f"{head} ({compact_names(units)}){tail}"
    family, size = Counter(_family(u) for u in units).most_common(1)[0]
    # A stem of three words or more names a place or a kind ("Chi bộ Khu dân cư An Lư");
    # "Chi bộ" alone says nothing.
    if size * 2 > count and size >= 3 and len(family.split()) >= 3 and family not in units:
        where = "đều ở" if size == count else "nhiều nhất ở"
        return f"{head}{tail}, {where} {family} ({size} đơn vị)"
    return head + tail


def _with_count(sentence: str, note: str) -> str:
    """``sentence`` with ``note`` in brackets before its final stop (nothing cut)."""
    match = _PERIOD_END.search(sentence)
    if match and sentence[match.start() : match.start() + 1] == ".":
        return f"{sentence[: match.start()]} ({note}){sentence[match.start() :]}"
    return f"{sentence} ({note})."


def _shared_text(shared, whole: int) -> str:
    """The units' shared sentences, each with how many units said it: "… (38/55 đơn vị)." """
    return " ".join(_with_count(rep.text, f"{m.unit_count}/{whole} đơn vị") for m, rep in shared)


def _quote(text: str) -> str:
    return f"“{text}”"


def _end(line: str) -> str:
    """``line`` with a full stop, unless a quotation ending in its own stop closes it."""
    if line.endswith("”") and line[-2:-1] in (".", "!", "?", "…"):
        return line
    return line + "."


# --- choosing words -----------------------------------------------------------------------------


class Specific:
    """Counts the places and unit names a sentence carries: a sentence naming no place stands
    better for many units ("nhân dân trên địa bàn Tổ dân phố An Lư 3" is one unit's). Names are
    looked up as runs of folded words, so a city's thousands of names cost a set lookup each."""

    def __init__(self, names: Iterable[str]):
        self._names = {_words(n) for n in names if n and len(n) > 3}
        self._names.discard(())
        self._sizes = sorted({len(n) for n in self._names})

    def __call__(self, text: str) -> int:
        words = _words(text)
        return sum(
            words[i : i + size] in self._names
            for size in self._sizes
            for i in range(len(words) - size + 1)
        )


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", fold(text)))


def typical_texts(merged: Merged, specific: Specific, k: int = 1) -> list[Statement]:
    """Up to ``k`` member statements standing for ``merged``: near the members' centre (at least
    80% of the best cosine), naming as few places as possible, rather short (by steps of twelve
    words), then the most typical; from distinct units."""
    distinct: dict[str, Statement] = {}
    said: Counter = Counter()
    for member in merged.members:
        distinct.setdefault(member.text, member)
        said[member.text] += 1
    texts = list(distinct)
    if len(texts) == 1:
        return [distinct[texts[0]]]
    rows = tfidf_rows(texts, content=True)
    weights = np.array([said[t] for t in texts], dtype=np.float64)
    centre = np.asarray(rows.T @ weights).ravel() / weights.sum()
    scores = np.asarray(rows @ centre).ravel()
    best = float(scores.max()) or 1.0
    # Only the texts near the centre are weighed further (a city's cluster has thousands).
    near = [
        i for i in np.argsort(-scores, kind="stable")[:NEAR_CANDIDATES] if scores[i] >= 0.8 * best
    ]
    order = sorted(
        near,
        key=lambda i: (
            specific(texts[i]),
            len(texts[i].split()) // 12,
            -round(float(scores[i]), 9),
            i,
        ),
    )
    chosen: list[Statement] = []
    for i in order:
        statement = distinct[texts[i]]
        if all(statement.unit != c.unit for c in chosen):
            chosen.append(statement)
        if len(chosen) >= k:
            break
    return chosen


def sentence_statements(reports, key: str, *, skip: set[str] = frozenset()) -> list[Statement]:
    """Every sentence of section ``key`` of every report, one statement each (the report's index
    as source), except the sentences in ``skip``."""
    out = []
    for index, report in enumerate(reports):
        seen = set()
        for sentence in split_sentences(report.sections.get(key)):
            if sentence in skip or sentence in seen:
                continue
            seen.add(sentence)
            out.append(Statement(sentence, index, report.unit))
    return out


def shared_statements(
    statements: Sequence[Statement], units: int, specific: Specific, *, limit: int = GENERAL_LINES
) -> list[tuple[Merged, Statement]]:
    """The merged sentences most units share (at least ``GENERAL_SHARE`` of them, always the
    first), each with the member standing for it."""
    merged = merge_statements(statements, by_topic=False)
    kept = [
        m for i, m in enumerate(merged) if i == 0 or m.unit_count >= max(2, GENERAL_SHARE * units)
    ][:limit]
    return [(m, typical_texts(m, specific)[0]) for m in kept]


# --- sources ------------------------------------------------------------------------------------


def _report_refs(reports, indices: Iterable[int]) -> list[dict]:
    refs = []
    for index in sorted(set(indices)):
        report = reports[index]
        refs.append({"id": report.report_id, "unit": report.unit, "period": report.period})
    return sorted(refs, key=lambda r: (_unit_sort_key(r["unit"]), r["period"]))


def _statement_ref(merged: Merged, text: str, topic: str = "") -> dict:
    units = list(merged.units)
    return {
        "topic": topic,
        "text": text,
        "count": merged.count,
        "unit_count": len(units),
        "units": units[:30],
        "more_units": max(0, len(units) - 30),
    }


# --- section I ----------------------------------------------------------------------------------


def _attitude_mix(counts: Counter, total: int, labels: dict[str, str]) -> str:
    parts = [
        f"{_short(labels[code])} {percent(counts[code], total)}"
        for code in sorted(labels, key=lambda c: -counts.get(c, 0))
        if counts.get(code)
    ]
    return ", ".join(parts)


def draft_thought(c, reports, previous, specific: Specific, labels) -> Draft:
    """I: the overview, the general state in the units' shared words, what stands out."""
    attitude_labels, _reach_labels = labels
    scope = f"{len(c.units)}/{c.expected_units} đơn vị" if c.expected_units else "0 đơn vị"
    if not c.report_count:
        text = (
            f"{c.period.label}: chưa có báo cáo nào của các đơn vị được nộp ({scope} phải"
            " báo cáo đã nộp). Cần đôn đốc các đơn vị nộp báo cáo."
        )
        return Draft(text, {"reports": []})
    months = f" trong {len(c.months)} tháng" if len(c.months) > 1 else ""
    overview = (
        f"{c.period.label}, {scope} đã nộp {c.report_count} báo cáo{months}, phản ánh"
        f" {c.stream_count} luồng ý kiến về {len(c.topics)} lĩnh vực"
    )
    if len(c.months) > 1 and c.coverage is not None:
        # Several months: reports owed per month (openings, mergers), months not yet due apart.
        overview = (
            f"{c.period.label}, các đơn vị {coverage_phrase(c.coverage)}. Các báo cáo đã nộp"
            f" phản ánh {c.stream_count} luồng ý kiến về {len(c.topics)} lĩnh vực"
        )
    if c.stream_count:
        overview += "; về thái độ: " + _attitude_mix(c.attitudes, c.stream_count, attitude_labels)
    paragraphs = [overview + "."]
    shared = shared_statements(sentence_statements(reports, "tu_tuong"), c.expected_units, specific)
    if shared:
        paragraphs.append(
            "Các đơn vị nhận định: " + _shared_text(shared, c.expected_units)
        )
    standing = _standing_out(c, previous)
    if standing:
        paragraphs.append(standing)
    indices = {s.source for m, _rep in shared for s in m.members}
    return Draft(
        "\n".join(paragraphs),
        {
            "reports": _report_refs(reports, indices or range(len(reports))),
            "statements": [_statement_ref(m, rep.text) for m, rep in shared],
        },
    )


def _aggrieved_share(topic) -> float:
    return sum(topic.attitudes.get(a, 0) for a in AGGRIEVED) / max(1, topic.stream_count)


def _standing_out(c, previous) -> str:
    """The topics most units raised, the most aggrieved one, and what rose since last month."""
    if not c.topics:
        return ""
    before = {t.topic: t for t in previous}
    top = c.topics[:3]
    parts = [f"{t.topic} ({t.unit_count}/{c.expected_units} đơn vị)" for t in top]
    text = "Nổi lên trong kỳ là dư luận về " + _join_and(parts) + "."
    aggrieved = max(
        c.topics, key=lambda t: (_aggrieved_share(t) * min(t.unit_count, 5), t.unit_count)
    )
    if _aggrieved_share(aggrieved) >= 0.4 and aggrieved.unit_count >= 2:
        text += (
            f" Bức xúc, phản đối nhiều nhất là về {aggrieved.topic}"
            f" ({_share_text(_aggrieved_share(aggrieved))} số luồng ý kiến)."
        )
    rising = [t for t in c.topics if _rose(t, before.get(t.topic))]
    if rising and previous:
        text += (
            " So với kỳ trước, tăng rõ: "
            + _join_and(
                [
                    f"{t.topic} (từ {_units_before(before.get(t.topic))} lên {t.unit_count} đơn vị)"
                    for t in rising[:RISING_NAMED]
                ]
            )
            + "."
        )
    return text


def _join_and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def _units_before(topic) -> int:
    return topic.unit_count if topic else 0


def _rose(topic, before) -> bool:
    """Raised by at least three more units than last period, and by half again."""
    was = _units_before(before)
    return topic.unit_count - was >= 3 and topic.unit_count >= 1.5 * max(was, 1)


# --- section II ---------------------------------------------------------------------------------


def _share_text(share: float) -> str:
    return percent(round(share * 100), 100)


def _short(label: str) -> str:
    """ "băn khoăn" for "băn khoăn, lo lắng": the attitude's first word, for the dense lines."""
    return label.split(",")[0]


def _topic_head(number: int, topic, whole: int, labels, before=None, *, previous: bool = False,
                detailed: bool = True, heard: Heard | None = None) -> str:
    """ "1. Môi trường: 13/55 đơn vị phản ánh (kỳ trước: 14), 14 luồng ý kiến; bức xúc 64%,
    băn khoăn 36%; mức độ: nhiều ý kiến; nhóm xã hội: Phụ nữ; Tiểu thương; bức xúc, phản đối
    tăng từ 44% lên 64%; ý kiến nhân dân qua các kênh: 34." Not ``detailed``: "6. Y tế: 11/55
    đơn vị phản ánh (kỳ trước: 13); băn khoăn 100%." ``previous``: whether there was a last
    period to compare with; ``heard``: what the other channels heard."""
    attitude_labels, reach_labels = labels
    mix = [
        f"{_short(attitude_labels.get(code, code))} {percent(count, topic.stream_count)}"
        for code, count in topic.attitudes.most_common(2 if detailed else 1)
    ]
    units = units_phrase(topic.units, whole, "phản ánh",
                         _units_before_note(before) if previous else "")
    if not detailed:
        return f"{number}. {topic.topic}: {units}; " + ", ".join(mix) + "."
    text = f"{number}. {topic.topic}: {units}"
    if topic.stream_count >= 1.5 * topic.unit_count:  # units told of several streams each
        text += f", {topic.stream_count} luồng ý kiến"
    text += "; " + ", ".join(mix)
    if topic.main_reach:
        text += f"; mức độ: {reach_labels.get(topic.main_reach, topic.main_reach)}"
    if topic.social_groups:
        text += "; nhóm xã hội: " + "; ".join(n for n, _ in topic.social_groups.most_common(2))
    if previous and before is not None:
        text += _aggrieved_shift(topic, before)
    return text + topic_note(heard, topic.topic) + "."


def _units_before_note(before) -> str:
    return " (mới so với kỳ trước)" if before is None else f" (kỳ trước: {before.unit_count})"


def _aggrieved_shift(topic, before) -> str:
    """ "; bức xúc, phản đối tăng từ 44% lên 64%" when the share moved by 15 points or more."""
    old_share, new_share = _aggrieved_share(before), _aggrieved_share(topic)
    if abs(new_share - old_share) < 0.15:
        return ""
    way = "tăng từ {} lên {}" if new_share > old_share else "giảm từ {} xuống {}"
    return "; bức xúc, phản đối " + way.format(_share_text(old_share), _share_text(new_share))


def _statement_line(
    merged: Merged, specific: Specific, max_words: int = QUOTE_WORDS
) -> tuple[str, str]:
    """ "- 9 đơn vị: “their words” (the unit quoted)", or "- Chi bộ 2: “its words”": a merged
    statement, its count and a quotation standing for it (whole sentences)."""
    candidates = typical_texts(merged, specific, k=3)
    # The most typical text that fits whole; else the most typical one's central sentences.
    chosen = next((c for c in candidates if word_count(c.text) <= max_words), candidates[0])
    words = fit_sentences(chosen.text, max_words).replace("\n", " ")
    if merged.unit_count == 1:
        return f"- {chosen.unit}: {_quote(words)}", words
    return f"- {merged.unit_count} đơn vị: {_quote(words)} ({chosen.unit})", words


def draft_highlights(
    c, reports, previous, specific: Specific, labels, quoted: dict[str, int] | None = None
) -> Draft:
    """II: one paragraph per topic three or more units raised, then the rest in one line. The
    texts of the statements it quotes go into ``quoted`` with their topic's number (section III
    does not quote them again)."""
    if not c.topics:
        lines = ["Các đơn vị chưa phản ánh luồng ý kiến nào trong kỳ.",
                 *heard_paragraphs(c, {}, TOPIC_MIN_UNITS)]
        return Draft("\n".join(lines), {"reports": [], **heard_sources(c)})
    statements = _stream_statements(reports)
    merged_by_topic: dict[str, list[Merged]] = {}
    for merged in merge_statements(statements):
        merged_by_topic.setdefault(merged.members[0].topic, []).append(merged)
    before = {t.topic: t for t in previous}
    main = [t for t in c.topics if t.unit_count >= TOPIC_MIN_UNITS] or c.topics[:1]
    lines, refs = [], []
    for number, topic in enumerate(main, start=1):
        detailed = number <= DETAILED_TOPICS
        lines.append(_topic_head(number, topic, c.expected_units, labels, before.get(topic.topic),
                                 previous=bool(previous), detailed=detailed, heard=c.heard))
        topic_merged = merged_by_topic.get(topic.topic, [])
        enough = max(6, STATEMENT_SHARE * topic.unit_count)
        shown = topic_merged[:1] + [
            m for m in topic_merged[1:STATEMENT_LINES] if detailed and m.unit_count >= enough
        ]
        if not detailed:  # a minor topic is quoted only where three units or more say the same
            shown = [m for m in shown if m.unit_count >= TOPIC_MIN_UNITS]
        for merged in shown:
            words = QUOTE_WORDS if detailed else MINOR_QUOTE_WORDS
            line, text = _statement_line(merged, specific, words)
            lines.append(_end(line))
            if quoted is not None:
                quoted.update((m.text, number) for m in merged.members)
        for merged in topic_merged:
            refs.append(_statement_ref(merged, merged.text, topic.topic))
    others = [t for t in c.topics if t not in main]
    if others:
        lines.append(
            "Các lĩnh vực khác có ít đơn vị phản ánh: "
            + "; ".join(f"{t.topic} ({compact_names(t.units)})" for t in others)
            + "."
        )
        for t in others:
            for merged in merged_by_topic.get(t.topic, []):
                refs.append(_statement_ref(merged, merged.text, t.topic))
    lines += heard_paragraphs(c, {t.topic: t.unit_count for t in c.topics}, TOPIC_MIN_UNITS)
    return Draft(
        "\n".join(lines),
        {
            "reports": _report_refs(reports, range(len(reports))),
            "statements": refs,
            **heard_sources(c),
        },
    )


def _stream_statements(reports, *, latent: bool | None = None) -> list[Statement]:
    out = []
    for index, report in enumerate(reports):
        for stream in report.streams:
            if latent is not None and stream.latent != latent:
                continue
            out.append(
                Statement(
                    stream.summary,
                    index,
                    report.unit,
                    group="|".join(stream.social_groups),
                    topic=stream.topic,
                    attitude=stream.attitude,
                )
            )
    return out


# --- section III --------------------------------------------------------------------------------


def draft_latent(
    c, reports, previous, specific: Specific, labels, quoted: dict[str, int] | None = None,
    rising_named: int = 0,
) -> Draft:
    """III: the latent streams merged, the topics rising against last period, the forecasts.
    A latent statement section II already quoted (``quoted``) points to it instead; the first
    ``rising_named`` rising topics were named in section I and are not listed again."""
    paragraphs, refs = [], []
    latent = merge_statements(_stream_statements(reports, latent=True))
    if latent:
        units = {u for m in latent for u in m.units}
        by_topic: dict[str, list[Merged]] = {}
        for merged in latent:
            by_topic.setdefault(merged.members[0].topic, []).append(merged)
        paragraphs.append(
            f"Có {sum(m.count for m in latent)} luồng dư luận tiềm ẩn do"
            f" {units_phrase(sorted(units), c.expected_units, 'phản ánh')}; cần theo dõi, chủ động"
            " thông tin, giải thích để không thành điểm nóng:"
        )
        for topic, group in by_topic.items():
            paragraphs.append(_end(_latent_line(topic, group, specific, quoted or {})))
            refs += [_statement_ref(m, m.text, topic) for m in group]
    else:
        paragraphs.append("Trong kỳ, các đơn vị chưa phản ánh dư luận tiềm ẩn.")
    before = {t.topic: t for t in previous}
    rising = [t for t in c.topics if _rose(t, before.get(t.topic))] if previous else []
    if rising[rising_named:]:
        lead = ("Ngoài các lĩnh vực nêu ở mục I, tăng so với kỳ trước: " if rising_named
                else "Lĩnh vực dư luận tăng so với kỳ trước: ")
        paragraphs.append(
            lead
            + "; ".join(_rising_reason(t, before.get(t.topic)) for t in rising[rising_named:])
            + "."
        )
    skip = {s for r in reports for st in r.streams for s in split_sentences(st.summary)}
    shared = shared_statements(
        sentence_statements(reports, "du_luan_tiem_an", skip=skip), c.expected_units, specific
    )
    if shared:
        paragraphs.append(
            "Nhận định, dự báo của các đơn vị: " + _shared_text(shared, c.expected_units)
        )
        refs += [_statement_ref(m, rep.text) for m, rep in shared]
    indices = {s.source for m in latent for s in m.members}
    indices |= {s.source for m, _rep in shared for s in m.members}
    return Draft(
        "\n".join(paragraphs), {"reports": _report_refs(reports, indices), "statements": refs}
    )


def _latent_line(
    topic: str, group: list[Merged], specific: Specific, quoted: dict[str, int]
) -> str:
    """ "- Thu nhập (2 luồng ý kiến; Chi bộ A, B): “the most shared one's words”", or, when
    section II quoted each of them, where it did."""
    count = sum(m.count for m in group)
    units = sorted({u for m in group for u in m.units})
    who = compact_names(units) if len(units) <= 2 else f"{len(units)} đơn vị"
    head = f"- {topic} ({count} luồng ý kiến, {who})"
    candidates = typical_texts(group[0], specific, k=len(group[0].members))
    fresh = [c for c in candidates if c.text not in quoted]
    if not fresh:
        return f"{head}: như đã nêu tại điểm {quoted[candidates[0].text]} mục II"
    chosen = next((c for c in fresh if word_count(c.text) <= MINOR_QUOTE_WORDS), fresh[0])
    text = fit_sentences(chosen.text, MINOR_QUOTE_WORDS).replace("\n", " ")
    return f"{head}: {_quote(text)}"


def _rising_reason(topic, before) -> str:
    text = f"{topic.topic} (từ {_units_before(before)} lên {topic.unit_count} đơn vị phản ánh"
    share = _aggrieved_share(topic)
    if share:
        text += f", {_share_text(share)} bức xúc, phản đối"
    return text + ")"


# --- any other section --------------------------------------------------------------------------


def draft_other(c, reports, key: str, specific: Specific) -> Draft:
    """A section of the template this module knows nothing of: the units' shared sentences."""
    shared = shared_statements(
        sentence_statements(reports, key), c.expected_units, specific, limit=5
    )
    text = _shared_text(shared, c.expected_units)
    indices = {s.source for m, _rep in shared for s in m.members}
    return Draft(
        text,
        {
            "reports": _report_refs(reports, indices),
            "statements": [_statement_ref(m, rep.text) for m, rep in shared],
        },
    )


def specific_names(reports, extra: Iterable[str] = ()) -> Specific:
    names = {r.unit for r in reports} | {s.area for r in reports for s in r.streams if s.area}
    return Specific([*names, *extra])
