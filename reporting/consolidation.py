"""Consolidation of unit reports into the ward's draft report, as a pure function (no Django).

The office's consolidated report is drafted from the *submitted* monthly reports of the months a
period covers (one month, six months or a year): opinion streams merged by topic with the number of
distinct units that reported each, attitude and reach distributions, latent opinion, and the units'
recommendations. The narrative of sections I–IV is a synthesis (:mod:`reporting.drafting`, on the
``synthesis`` package) the office edits; the numbers and tables are here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.text import fold
from reporting.periods import PeriodKey, parse_period

# The codes are those of core.models.Attitude / Reach (a Django module, so not imported here);
# reporting/tests/test_consolidation_services.py checks that both lists stay in step.
ATTITUDE_LABELS: dict[str, str] = {
    "dong_tinh": "đồng tình, phấn khởi",
    "ban_khoan": "băn khoăn, lo lắng",
    "buc_xuc": "bức xúc",
    "phan_doi": "phản đối",
}
REACH_LABELS: dict[str, str] = {
    "tuyet_dai_da_so": "tuyệt đại đa số",
    "da_so": "đa số",
    "nhieu_y_kien": "nhiều ý kiến",
    "mot_so_y_kien": "một số ý kiến",
}
# When two attitudes are equally frequent, the more severe one is named: leaders must not be
# caught off guard by a grievance hidden behind an equal number of approvals.
_SEVERITY = {"phan_doi": 0, "buc_xuc": 1, "ban_khoan": 2, "dong_tinh": 3}
_REACH_RANK = {code: rank for rank, code in enumerate(REACH_LABELS)}

RECOMMENDATION_KEY = "kien_nghi"
# A stream whose summary asks for something is a recommendation too, even when the unit did not
# repeat it in its "kiến nghị" section (folded, so "de nghi" matches "đề nghị").
_ASKING_WORDS = ("kien nghi", "de nghi", "de xuat", "mong muon", "yeu cau")


@dataclass(frozen=True)
class StreamData:
    """One opinion stream of a unit report, with display names instead of ids."""

    topic: str
    attitude: str
    reach: str
    summary: str
    social_groups: tuple[str, ...] = ()
    area: str = ""
    channel: str = ""
    latent: bool = False
    issues: tuple[str, ...] = ()  # codes of the issues the stream is linked to


@dataclass(frozen=True)
class UnitReportData:
    """A submitted unit report: the unit's name, its period code ("2025-11") and its content."""

    unit: str
    period: str
    sections: dict[str, str]
    streams: tuple[StreamData, ...] = ()
    report_id: int | None = None  # for the links from the edit page to the report


@dataclass
class TopicSummary:
    topic: str
    units: list[str] = field(default_factory=list)
    stream_count: int = 0
    latent_count: int = 0
    attitudes: Counter = field(default_factory=Counter)
    reaches: Counter = field(default_factory=Counter)
    social_groups: Counter = field(default_factory=Counter)
    channels: Counter = field(default_factory=Counter)
    months: list[str] = field(default_factory=list)
    summaries: list[tuple[str, str]] = field(default_factory=list)  # (unit, summary)

    @property
    def unit_count(self) -> int:
        return len(self.units)

    @property
    def main_attitude(self) -> str:
        return _dominant(self.attitudes, _SEVERITY)

    @property
    def main_reach(self) -> str:
        return _dominant(self.reaches, _REACH_RANK)


@dataclass(frozen=True)
class LatentItem:
    unit: str
    period: str
    topic: str
    summary: str
    attitude: str
    reach: str
    area: str = ""


@dataclass
class UnitRecommendations:
    unit: str
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HeardTopic:
    """What the other channels heard on one topic in the period: opinion items, and how many of
    them aggrieved or opposed."""

    topic: str
    count: int
    aggrieved: int = 0
    in_streams: int = 0  # of ``count``: items a unit's submitted stream was drawn from


@dataclass(frozen=True)
class Heard:
    """What the ward heard in the period outside the unit reports: the opinion items of every
    channel (meetings, the residential groups, the public form, collaborators' quick reports...),
    per channel (label, count) and per topic, and the press and social-media stories about the
    ward (title, how many sites carried it). Drafted into section II beside the units' streams."""

    items: int = 0
    aggrieved: int = 0
    channels: tuple[tuple[str, int], ...] = ()
    # Of ``items``: those behind a stream of a submitted unit report (a stream drawn from logged
    # items, issue 15). The units' streams and these items are the same opinions, said once.
    in_streams: int = 0
    topics: tuple[HeardTopic, ...] = ()
    mentions: int = 0
    stories: tuple[tuple[str, int], ...] = ()

    def topic(self, name: str) -> HeardTopic | None:
        return next((t for t in self.topics if t.topic == name), None)


@dataclass
class Consolidation:
    period: PeriodKey
    months: list[str]
    expected_units: int
    units: list[str]
    report_count: int
    topics: list[TopicSummary]
    attitudes: Counter
    reaches: Counter
    latent: list[LatentItem]
    recommendations: list[UnitRecommendations]
    sections: dict[str, str]
    sources: dict[str, dict] = field(default_factory=dict)
    previous_topics: list[TopicSummary] = field(default_factory=list)
    annex: list[dict] = field(default_factory=list)
    # What the months already due owed and got (``compliance.Coverage.as_dict``), when known.
    coverage: dict | None = None
    heard: Heard = field(default_factory=Heard)

    @property
    def stream_count(self) -> int:
        return sum(topic.stream_count for topic in self.topics)

    def as_data(self) -> dict:
        """The aggregated numbers as JSON-ready values (stored in ConsolidatedReport.data)."""
        return {
            "period": self.period.code,
            "period_label": self.period.label,
            "months": self.months,
            "expected_units": self.expected_units,
            "reporting_units": len(self.units),
            "units": self.units,
            "report_count": self.report_count,
            "stream_count": self.stream_count,
            "attitudes": _ordered(self.attitudes, ATTITUDE_LABELS),
            "reaches": _ordered(self.reaches, REACH_LABELS),
            "topics": [
                {
                    "topic": t.topic,
                    "unit_count": t.unit_count,
                    "units": t.units,
                    "stream_count": t.stream_count,
                    "latent_count": t.latent_count,
                    "attitudes": _ordered(t.attitudes, ATTITUDE_LABELS),
                    "reaches": _ordered(t.reaches, REACH_LABELS),
                    "main_attitude": t.main_attitude,
                    "main_reach": t.main_reach,
                    "social_groups": dict(t.social_groups.most_common()),
                    "channels": dict(t.channels.most_common()),
                    "months": t.months,
                }
                for t in self.topics
            ],
            "latent": [item.__dict__.copy() for item in self.latent],
            "recommendations": [{"unit": r.unit, "items": r.items} for r in self.recommendations],
            "sources": self.sources,
            "annex": self.annex,
            "heard": {
                "items": self.heard.items,
                "aggrieved": self.heard.aggrieved,
                "in_streams": self.heard.in_streams,
                "channels": [list(pair) for pair in self.heard.channels],
                "topics": [t.__dict__.copy() for t in self.heard.topics],
                "mentions": self.heard.mentions,
                "stories": [list(pair) for pair in self.heard.stories],
            },
        }


def _ordered(counts: Counter, labels: dict[str, str]) -> dict[str, int]:
    """Every known code in its canonical order, zeros included, so tables keep their columns."""
    return {code: counts.get(code, 0) for code in labels}


def _dominant(counts: Counter, rank: dict[str, int]) -> str:
    if not counts:
        return ""
    return min(counts, key=lambda code: (-counts[code], rank.get(code, 99)))


def rounded_percent(part: int, whole: int) -> str:
    """A whole percentage, as the drafted sentences give it: 46%."""
    return f"{round(100 * part / whole)}%" if whole else "0%"


def percent(part: int, whole: int) -> str:
    """Vietnamese percentage with a decimal comma: 45,5%."""
    if not whole:
        return "0%"
    value = round(100 * part / whole, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def _month_label(code: str) -> str:
    return parse_period(code).label


def coverage_phrase(coverage: dict) -> str:
    """"đã nộp 246/275 báo cáo phải nộp của 55 đơn vị (89,5%), …; tháng 12/2026 chưa đến hạn".

    Only the months already due are counted (``compliance.coverage``): each owes one report per
    unit open during it, so the units and reports expected follow openings and mergers."""
    later = [_month_label(code).lower() for code in coverage.get("not_due_months", [])]
    expected = coverage.get("expected_reports", 0)
    if not expected:
        text = "chưa có tháng nào đến hạn nộp báo cáo"
    else:
        submitted, on_time = coverage["submitted"], coverage["on_time"]
        text = (
            f"đã nộp {submitted}/{expected} báo cáo phải nộp của {coverage['units']} đơn vị"
            f" ({percent(submitted, expected)}), trong đó {on_time} báo cáo nộp đúng hạn"
            f" ({percent(on_time, expected)})"
        )
        if later:
            text += f"; {', '.join(later)} chưa đến hạn"
    early = coverage.get("early_reports", 0)
    if later and early:
        text += f" (đã có {early} báo cáo nộp trước hạn)"
    return text


def _is_asking(summary: str) -> bool:
    folded = fold(summary)
    return any(word in folded for word in _ASKING_WORDS)


def merge_topics(reports: Sequence[UnitReportData]) -> list[TopicSummary]:
    """Streams merged by topic; ordered by how many units reported the topic, then by volume."""
    topics: dict[str, TopicSummary] = {}
    seen: set[tuple[str, str]] = set()  # (topic, unit): a city's units make a list test slow
    for report in reports:
        for stream in report.streams:
            summary = topics.setdefault(stream.topic, TopicSummary(topic=stream.topic))
            if (stream.topic, report.unit) not in seen:
                seen.add((stream.topic, report.unit))
                summary.units.append(report.unit)
            if report.period not in summary.months:
                summary.months.append(report.period)
            summary.stream_count += 1
            summary.latent_count += int(stream.latent)
            summary.attitudes[stream.attitude] += 1
            summary.reaches[stream.reach] += 1
            summary.social_groups.update(stream.social_groups)
            if stream.channel:
                summary.channels[stream.channel] += 1
            summary.summaries.append((report.unit, stream.summary))
    for summary in topics.values():
        summary.units.sort(key=fold)
        summary.months.sort()
    return sorted(
        topics.values(), key=lambda t: (-t.unit_count, -t.stream_count, fold(t.topic))
    )


def collect_latent(reports: Sequence[UnitReportData]) -> list[LatentItem]:
    return [
        LatentItem(
            unit=report.unit,
            period=report.period,
            topic=stream.topic,
            summary=stream.summary,
            attitude=stream.attitude,
            reach=stream.reach,
            area=stream.area,
        )
        for report in reports
        for stream in report.streams
        if stream.latent
    ]


def collect_recommendations(
    reports: Sequence[UnitReportData], *, key: str = RECOMMENDATION_KEY, many_months: bool = False
) -> list[UnitRecommendations]:
    """Per unit: its "kiến nghị" section texts, then the streams that ask for something."""
    by_unit: dict[str, UnitRecommendations] = {}
    for report in sorted(reports, key=lambda r: (fold(r.unit), r.period)):
        entry = by_unit.setdefault(report.unit, UnitRecommendations(unit=report.unit))
        prefix = f"({_month_label(report.period)}) " if many_months else ""
        text = (report.sections.get(key) or "").strip()
        if text and prefix + text not in entry.items:
            entry.items.append(prefix + text)
        for stream in report.streams:
            if _is_asking(stream.summary):
                item = f"{prefix}[{stream.topic}] {stream.summary.strip()}"
                if item not in entry.items:
                    entry.items.append(item)
    return [entry for entry in by_unit.values() if entry.items]


def draft_sections(
    c: Consolidation, reports: Sequence[UnitReportData], section_keys: Iterable[str], *,
    previous: Sequence[UnitReportData] = (), issues: Sequence = (), places: Iterable[str] = (),
) -> tuple[dict[str, str], dict[str, dict]]:
    """(text, sources) of each section of the template, in its order.

    Sections I–IV are drafted as a synthesis (:mod:`reporting.drafting`); a section the drafting
    does not know gathers the units' most shared sentences. The overview opens the first section
    when the template has no "tình hình tư tưởng".
    """
    # Imported here: drafting reads this module's types and labels.
    from reporting import drafting, recommending

    labels = (ATTITUDE_LABELS, REACH_LABELS)
    specific = drafting.specific_names(reports, places)
    keys = list(section_keys)
    quoted: dict[str, int] = {}  # what II quotes, which III then points to rather than repeats
    rising_named = drafting.RISING_NAMED if "tu_tuong" in keys else 0
    drafters = {
        "tu_tuong": lambda: drafting.draft_thought(c, reports, c.previous_topics, specific, labels),
        "du_luan_noi_bat": lambda: drafting.draft_highlights(c, reports, c.previous_topics,
                                                             specific, labels, quoted),
        "du_luan_tiem_an": lambda: drafting.draft_latent(c, reports, c.previous_topics, specific,
                                                         labels, quoted, rising_named),
        RECOMMENDATION_KEY: lambda: recommending.draft_recommendations(c, reports, issues),
    }
    sections: dict[str, str] = {}
    sources: dict[str, dict] = {}
    for key in keys:
        if key in drafters:
            draft = drafters[key]()
        else:
            draft = drafting.draft_other(c, reports, key, specific)
        sections[key], sources[key] = draft.text, draft.sources
    if keys and "tu_tuong" not in keys:
        overview = drafting.draft_thought(c, (), (), specific, labels).text.split("\n")[0]
        sections[keys[0]] = overview + ("\n" + sections[keys[0]] if sections[keys[0]] else "")
    return sections, sources


def consolidate(
    reports: Iterable[UnitReportData],
    *,
    period: PeriodKey,
    expected_units: int = 0,
    section_keys: Sequence[str] = ("tu_tuong", "du_luan_noi_bat", "du_luan_tiem_an", "kien_nghi"),
    previous: Iterable[UnitReportData] = (),
    issues: Sequence = (),
    places: Iterable[str] = (),
    coverage: dict | None = None,
    heard: Heard | None = None,
) -> Consolidation:
    """Consolidate the submitted reports of the months ``period`` covers; others are ignored.

    ``expected_units`` is the denominator of "12/55 đơn vị" (the units that had to report); when
    unknown (0) the number of units that did report is used. ``previous`` are the reports of the
    period before (what changed against last month), ``issues`` the issues a recommendation may
    concern (``drafting.IssueRef``), ``places`` the names a sentence standing for many units
    should rather not carry (areas), ``coverage`` what the months already due owed and got
    (the overview of a period of several months says it rather than a count of units),
    ``heard`` what the other channels and the press heard in the period.
    """
    months = [month.code for month in period.months()]
    kept = [report for report in reports if report.period in months]
    units = sorted({report.unit for report in kept}, key=fold)
    attitudes: Counter = Counter()
    reaches: Counter = Counter()
    for report in kept:
        for stream in report.streams:
            attitudes[stream.attitude] += 1
            reaches[stream.reach] += 1
    result = Consolidation(
        period=period,
        months=months,
        expected_units=max(expected_units, len(units)),
        units=units,
        report_count=len(kept),
        topics=merge_topics(kept),
        attitudes=attitudes,
        reaches=reaches,
        latent=collect_latent(kept),
        recommendations=collect_recommendations(kept, many_months=len(months) > 1),
        sections={},
        coverage=coverage,
        heard=heard or Heard(),
    )
    result.annex = annex_of(kept)
    previous_months = [month.code for month in period.previous().months()]
    result.previous_topics = merge_topics([r for r in previous if r.period in previous_months])
    result.sections, result.sources = draft_sections(
        result, kept, section_keys, previous=previous, issues=issues, places=places,
    )
    return result


def annex_of(reports: Sequence[UnitReportData]) -> list[dict]:
    """Every report's complete texts, sections and streams, for the annex: nothing the units
    wrote is lost however short the body is."""
    return [
        {
            "unit": r.unit,
            "period": r.period,
            "report_id": r.report_id,
            "sections": [[key, text] for key, text in r.sections.items() if (text or "").strip()],
            "streams": [[s.topic, s.summary] for s in r.streams],
        }
        for r in sorted(reports, key=lambda r: (fold(r.unit), r.period))
    ]


# --- tables, from the stored numbers (ConsolidatedReport.data), for DOCX, XLSX and the page -----

STATUS_LABELS = {
    "on_time": "Nộp đúng hạn",
    "late": "Nộp muộn",
    "returned": "Bị trả lại",
    "draft": "Đang soạn",
    "not_started": "Chưa bắt đầu",
    "missing": "Chưa nộp (quá hạn)",
}


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: list[list]
    sheet: str = ""  # a short sheet name for XLSX (at most 31 characters)


def _rate(value: float | None) -> str:
    return "—" if value is None else percent(round(value * 1000), 1000)


def _month_row(m: dict) -> list:
    if not m.get("due", True):  # its deadline has not passed: nobody is late yet
        return [m["label"], m["expected"], m["submitted"], m["on_time"], m["late"],
                m["returned"], "Chưa đến hạn", "—", "—"]
    return [
        m["label"], m["expected"], m["submitted"], m["on_time"], m["late"], m["returned"],
        m["expected"] - m["submitted"] - m["returned"], _rate(m["reporting_rate"]),
        _rate(m["on_time_rate"]),
    ]


def compliance_tables(compliance: dict) -> list[Table]:
    """Per month: expected, submitted, on time...; per unit: its status (or counts of months).

    Over several months, a month not yet due is shown but not counted: the total row and the
    units' counts take the months already due only (``compliance.coverage``)."""
    months = compliance.get("months", [])
    month_rows = [_month_row(m) for m in months]
    coverage = compliance.get("coverage")
    if len(months) > 1 and coverage:
        expected, submitted = coverage["expected_reports"], coverage["submitted"]
        due = [m for m in months if m.get("due", True)]
        month_rows.append([
            "Cộng các tháng đã đến hạn", expected, submitted, coverage["on_time"],
            sum(m["late"] for m in due), sum(m["returned"] for m in due),
            expected - submitted - sum(m["returned"] for m in due),
            _rate(coverage["reporting_rate"]), _rate(coverage["on_time_rate"]),
        ])
    tables = [
        Table(
            "ty_le_nop", "Tình hình nộp báo cáo",
            ("Kỳ", "Phải nộp", "Đã nộp", "Đúng hạn", "Muộn", "Bị trả lại", "Chưa nộp",
             "Tỷ lệ nộp", "Tỷ lệ đúng hạn"),
            month_rows,
            "Tỷ lệ nộp theo tháng",
        )
    ]
    units = compliance.get("units", [])
    if len(months) == 1:
        code = months[0]["period"]
        rows = [
            [i, u["unit"], STATUS_LABELS.get(u["statuses"].get(code, ""), "—")]
            for i, u in enumerate(units, start=1)
        ]
        headers: tuple[str, ...] = ("STT", "Đơn vị", "Tình trạng")
    else:
        due_codes = {m["period"] for m in months if m.get("due", True)}
        rows = []
        for i, u in enumerate(units, start=1):
            owed = [status for code, status in u["statuses"].items() if code in due_codes]
            counts = Counter(owed)
            # A due month can only be missing, not draft or not started (that is before it).
            not_in = counts["missing"] + counts["draft"] + counts["not_started"]
            rows.append([i, u["unit"], len(owed), counts["on_time"], counts["late"],
                         counts["returned"], not_in])
        headers = ("STT", "Đơn vị", "Số tháng phải nộp", "Số tháng đúng hạn", "Số tháng muộn",
                   "Số tháng bị trả lại", "Số tháng chưa nộp")
    tables.append(Table("don_vi", "Tình hình nộp báo cáo của từng đơn vị", headers, rows,
                        "Tỷ lệ nộp theo đơn vị"))
    return tables


def topic_tables(data: dict) -> list[Table]:
    """Streams by topic: units, streams, attitude distribution; then reach distribution."""
    attitude_names = [label.split(",")[0].capitalize() for label in ATTITUDE_LABELS.values()]
    reach_names = [label.capitalize() for label in REACH_LABELS.values()]
    topics = data.get("topics", [])
    attitude_rows = [
        [i, t["topic"], t["unit_count"], t["stream_count"], *t["attitudes"].values(),
         t["latent_count"]]
        for i, t in enumerate(topics, start=1)
    ]
    reach_rows = [
        [i, t["topic"], t["stream_count"], *t["reaches"].values()]
        for i, t in enumerate(topics, start=1)
    ]
    if topics:
        total_latent = sum(t["latent_count"] for t in topics)
        attitude_rows.append(["", "Tổng cộng", data.get("reporting_units", 0),
                              data.get("stream_count", 0), *data["attitudes"].values(),
                              total_latent])
        reach_rows.append(["", "Tổng cộng", data.get("stream_count", 0),
                           *data["reaches"].values()])
    return [
        Table("luong_y_kien", "Luồng ý kiến theo lĩnh vực và thái độ",
              ("STT", "Lĩnh vực", "Số đơn vị phản ánh", "Số luồng ý kiến", *attitude_names,
               "Tiềm ẩn"),
              attitude_rows, "Lĩnh vực - thái độ"),
        Table("muc_do", "Mức độ phổ biến của ý kiến theo lĩnh vực",
              ("STT", "Lĩnh vực", "Số luồng ý kiến", *reach_names), reach_rows,
              "Lĩnh vực - mức độ"),
    ]


def latent_table(data: dict) -> Table:
    rows = [
        [i, item["unit"], _month_label(item["period"]), item["topic"], item["summary"],
         ATTITUDE_LABELS.get(item["attitude"], item["attitude"]),
         REACH_LABELS.get(item["reach"], item["reach"]), item.get("area", "")]
        for i, item in enumerate(data.get("latent", []), start=1)
    ]
    return Table("tiem_an", "Dư luận tiềm ẩn",
                 ("STT", "Đơn vị", "Kỳ", "Lĩnh vực", "Nội dung", "Thái độ", "Mức độ", "Địa bàn"),
                 rows, "Dư luận tiềm ẩn")


def recommendation_table(data: dict) -> Table:
    rows = [
        [i, entry["unit"], item]
        for i, (entry, item) in enumerate(
            ((entry, item) for entry in data.get("recommendations", []) for item in entry["items"]),
            start=1,
        )
    ]
    return Table("kien_nghi", "Kiến nghị, đề xuất của các đơn vị", ("STT", "Đơn vị", "Nội dung"),
                 rows, "Kiến nghị, đề xuất")


def annex_table(data: dict) -> Table:
    """The annex as one table: a row per section and per opinion stream of every report, whole."""
    titles = {s["key"]: s["title"] for s in data.get("section_titles", [])}
    rows = []
    for number, entry in enumerate(data.get("annex", []), start=1):
        parts = [(titles.get(key, key), text) for key, text in entry["sections"]]
        parts += [(f"Luồng ý kiến: {topic}", summary) for topic, summary in entry["streams"]]
        for index, (part, text) in enumerate(parts):
            first = index == 0
            rows.append([number if first else "", entry["unit"] if first else "",
                         _month_label(entry["period"]) if first else "", part, text])
    return Table("phu_luc", "Toàn văn báo cáo của các đơn vị",
                 ("STT", "Đơn vị", "Kỳ", "Phần", "Nội dung"), rows, "Phụ lục - toàn văn")


def compliance_sentence(compliance: dict) -> str:
    """One paragraph on who reported, naming the late and missing units for a single month."""
    months = compliance.get("months", [])
    if not months:
        return ""
    expected = sum(m["expected"] for m in months)
    submitted = sum(m["submitted"] for m in months)
    on_time = sum(m["on_time"] for m in months)
    if len(months) == 1:
        m = months[0]
        text = (
            f"{m['label']}: {m['submitted']}/{m['expected']} đơn vị đã nộp báo cáo"
            f" ({_rate(m['reporting_rate'])}), {m['on_time']} đơn vị nộp đúng hạn"
            f" ({_rate(m['on_time_rate'])})."
        )
        for status, label in (("late", "Nộp muộn"), ("missing", "Chưa nộp"),
                              ("returned", "Bị trả lại, chưa nộp lại")):
            names = [u["unit"] for u in compliance.get("units", [])
                     if u["statuses"].get(m["period"]) == status]
            if names:
                text += f" {label}: {', '.join(names)}."
        return text
    if "coverage" in compliance:
        return f"Trong {len(months)} tháng, các đơn vị {coverage_phrase(compliance['coverage'])}."
    # Drafted before the months not yet due were told apart: every month counted, as then.
    return (
        f"Trong {len(months)} tháng, các đơn vị đã nộp {submitted}/{expected} lượt báo cáo phải nộp"
        f" ({percent(submitted, expected)}), trong đó {on_time} lượt đúng hạn"
        f" ({percent(on_time, expected)})."
    )
