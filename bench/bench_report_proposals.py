"""Draft from what was logged (issue 15): on the demo ward, how many of the month's opinion
streams the units could have kept from the proposals instead of typing them, and the keystrokes
that saves.

For every unit with a submitted report in the month, the proposals are drawn from the unit's own
opinion items of that month (``reporting.proposal_selectors.proposals_for``, read as the office:
nothing is written), and matched to the streams the unit typed, by topic, each proposal used
once (``match_streams`` below). A stream counts as "could have been kept" when a
proposal of its topic exists. Keystrokes saved by keeping one: the proposal's summary (its
characters) plus one key per list field (topic, attitude, reach, channel); against the
characters the units typed for all their streams, counted the same way.

The demo's streams were written by the demo builder independently of its items, so the match is
by topic only; it says how often the unit's items already held the matter it reported.

Run on a demo database: `longdan demo` in a throw-away folder, then
`LONGDAN_VAR_DIR=… DATABASE_URL=sqlite:////…/x.sqlite3 .venv/bin/python
bench/bench_report_proposals.py [--period 2026-11] [--json]` (the default period: the last month
with submitted reports).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@dataclass
class Match:
    """How far the proposals would have given a unit's typed streams (the measure)."""

    streams: int = 0
    kept: int = 0
    characters_saved: int = 0
    characters_typed: int = 0
    unmatched_topics: list[int] = field(default_factory=list)


def match_streams(proposals: Sequence, streams: Sequence[tuple[int, str]],
                  field_keys: int = 4) -> Match:
    """Which of a unit's streams ((topic id, summary) as typed) a proposal of the same topic
    (``reporting.proposing.Proposal``) could have given, each proposal used once. Keystrokes
    saved by keeping one: its summary's characters plus one key per field chosen from a list
    (topic, attitude, reach, channel); ``characters_typed`` is what the unit typed for all its
    streams, the same way."""
    free = list(proposals)
    result = Match(streams=len(streams))
    for topic_id, summary in streams:
        result.characters_typed += len(summary) + field_keys
        match = next((p for p in free if p.topic_id == topic_id), None)
        if match is None:
            result.unmatched_topics.append(topic_id)
            continue
        free.remove(match)
        result.kept += 1
        result.characters_saved += len(match.summary) + field_keys
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longdan.settings")
    import django

    django.setup()
    from orgs.models import User
    from reporting.models import UnitReport
    from reporting.periods import parse_period
    from reporting.proposal_selectors import proposals_for

    submitted = UnitReport.objects.filter(state=UnitReport.State.SUBMITTED,
                                          period__kind="month")
    code = args.period or submitted.order_by("-period__start").values_list(
        "period__code", flat=True).first()
    key = parse_period(code)
    office = User(username="bench", role=User.Role.OFFICE)
    totals: Counter = Counter()
    units_with_items = 0
    for report in (submitted.filter(period__code=code).select_related("unit")
                   .prefetch_related("streams")):
        view = proposals_for(office, report.unit, key)
        streams = [(s.topic_id, s.summary) for s in report.streams.all()]
        match = match_streams(view.proposals.proposals, streams)
        units_with_items += bool(view.proposals.total)
        if view.proposals.total:
            totals.update(streams_of_units_with_items=match.streams)
        totals.update(reports=1, streams=match.streams, kept=match.kept,
                      proposals=len(view.proposals.proposals), items=view.proposals.total,
                      saved=match.characters_saved, typed=match.characters_typed)
    result = {
        "period": code,
        "reports": totals["reports"],
        "units_with_items": units_with_items,
        "items": totals["items"],
        "proposals": totals["proposals"],
        "streams": totals["streams"],
        "streams_keepable": totals["kept"],
        "share_keepable": (round(totals["kept"] / totals["streams"], 3)
                           if totals["streams"] else None),
        "streams_of_units_with_items": totals["streams_of_units_with_items"],
        "share_keepable_where_items": (
            round(totals["kept"] / totals["streams_of_units_with_items"], 3)
            if totals["streams_of_units_with_items"] else None),
        "proposals_matched": round(totals["kept"] / totals["proposals"], 3)
        if totals["proposals"] else None,
        "keystrokes_saved": totals["saved"],
        "keystrokes_typed": totals["typed"],
        "share_keystrokes_saved": (round(totals["saved"] / totals["typed"], 3)
                                   if totals["typed"] else None),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for name, value in result.items():
            print(f"{name:>24}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
