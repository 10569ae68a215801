"""Section IV of the consolidated report, "Kiến nghị, đề xuất" (issue 13): every distinct
request of the units once, merged when they say the same thing, grouped by addressee and linked to
the issue it concerns. Pure, like ``reporting.drafting`` whose phrases it uses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from core.text import fold
from reporting.drafting import (
    QUOTE_WORDS,
    Draft,
    IssueRef,
    _report_refs,
    _statement_ref,
    units_phrase,
)
from synthesis import (
    ADDRESSEE_LABELS,
    ADDRESSEES,
    OTHER,
    Merged,
    Statement,
    fit_sentences,
    merge_recommendations,
    request_text,
    split_sentences,
)
from synthesis.vectors import tfidf_rows

ISSUE_MATCH = 0.35  # cosine between a recommendation and an issue's title and summary
_NOTHING = re.compile(r"^(khong|chua) co\b|\b(khong|chua) co (kien nghi|de xuat)")
_ASKS = re.compile(r"\b(de nghi|kien nghi|de xuat|mong muon)\b")
_ASK_HINTS = ("nghị", "nghi", "xuất", "xuat", "muốn", "muon")



def _asks_nothing(sentence: str) -> bool:
    folded = fold(sentence).strip(" .;:")
    return folded in {"khong", "khong co", "chua co"} or bool(_NOTHING.search(folded))


def request_sentences(summary: str) -> list[str]:
    """The sentences of a stream that ask for something in so many words ("đề nghị", "kiến
    nghị", "đề xuất", "mong muốn"): a hope voiced in an opinion ("mong được hướng dẫn") is the
    opinion's, reported in section II."""
    lowered = summary.lower()
    if not any(word in lowered for word in _ASK_HINTS):  # most streams ask nothing: skip folding
        return []
    return [s for s in split_sentences(summary) if _ASKS.search(fold(s))]


def recommendation_statements(reports) -> list[Statement]:
    """Each sentence of every "kiến nghị" section (sentences asking nothing left out), then every
    sentence of a stream that asks for something; a unit repeating a sentence counts once."""
    out = []
    for index, report in enumerate(reports):
        seen = set()
        for sentence in split_sentences(report.sections.get("kien_nghi")):
            if sentence not in seen and not _asks_nothing(sentence):
                seen.add(sentence)
                out.append(Statement(sentence, index, report.unit))
        for stream in report.streams:
            for sentence in request_sentences(stream.summary):
                if sentence not in seen:
                    seen.add(sentence)
                    out.append(Statement(sentence, index, report.unit, topic=stream.topic))
    return out


def _issue_links(merged: list[Merged], reports, issues: Sequence[IssueRef]) -> list[list]:
    """Per merged recommendation, the issues it concerns: those linked to a stream of the same
    reports saying something close, and those whose title and summary read like it."""
    if not merged or not issues:
        return [[] for _ in merged]
    texts = [m.text for m in merged]
    issue_texts = [f"{i.title}. {i.summary}" for i in issues]
    rows = tfidf_rows(texts + issue_texts, content=True)
    scores = (rows[: len(texts)] @ rows[len(texts) :].T).toarray()
    by_code = {i.code: i for i in issues}
    out = []
    for k, m in enumerate(merged):
        linked = {
            code
            for s in m.members
            if s.topic
            for st in reports[s.source].streams
            if st.topic == s.topic and s.text in st.summary
            for code in st.issues
        }
        best = int(np.argmax(scores[k]))
        if scores[k][best] >= ISSUE_MATCH:
            linked.add(issues[best].code)
        out.append(
            sorted((by_code[code] for code in linked if code in by_code), key=lambda i: i.code)
        )
    return out


def draft_recommendations(c, reports, issues: Sequence[IssueRef]) -> Draft:
    """IV: grouped by addressee, merged, "— 12 đơn vị", with the issue where there is one."""
    statements = recommendation_statements(reports)
    if not statements:
        return Draft("Các đơn vị chưa có kiến nghị, đề xuất trong kỳ.", {"reports": []})
    merged = merge_recommendations(statements)
    links = _issue_links(merged, reports, issues)
    units = {u for m in merged for u in m.units}
    lines = [
        f"{units_phrase(sorted(units), c.expected_units, 'có kiến nghị, đề xuất')}; sau khi"
        f" gộp các ý kiến trùng nhau còn {len(merged)} kiến nghị:"
    ]
    refs, issue_refs = [], {}
    order = [code for code, _label, _p in ADDRESSEES] + [OTHER]
    number = 0
    for code in order:
        group = [(m, link) for m, link in zip(merged, links, strict=True) if m.addressee == code]
        if not group:
            continue
        number += 1
        label = ADDRESSEE_LABELS[code]
        if label.startswith("Các "):  # "Đối với các sở, ngành…", not "Đối với Các sở"
            label = "c" + label[1:]
        lines.append(f"{number}. Đối với {label}:")
        for m, link in group:
            request = fit_sentences(request_text(m.text, code), QUOTE_WORDS).replace("\n", " ")
            request = request.rstrip()
            if request.endswith(".") and not request.endswith(".."):
                request = request[:-1]
            who = f"{m.unit_count} đơn vị"
            if m.unit_count == 1:
                who = m.units[0]
            about = f" (vấn đề {', '.join(i.code for i in link)})" if link else ""
            lines.append(f"- {request} — {who}{about}.")
            refs.append(_statement_ref(m, request, ADDRESSEE_LABELS[code]))
            issue_refs.update(
                {i.code: {"id": i.pk, "code": i.code, "title": i.title} for i in link}
            )
    indices = {s.source for m in merged for s in m.members}
    return Draft(
        "\n".join(lines),
        {
            "reports": _report_refs(reports, indices),
            "statements": refs,
            "issues": sorted(issue_refs.values(), key=lambda i: i["code"]),
        },
    )
