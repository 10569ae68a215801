"""The office's own figures in a 6-month or annual report, and the report's review layout (pure:
no Django).

A 6-month (``2025-H2``) or annual (``2025``) consolidated report is a review of the whole work
(issue 11), laid out per Hướng dẫn 36-HD/VPTW in four parts:

* I. Kết quả đạt được — the units' synthesis of the period (what they reported, as the monthly
  report drafts it), then the office's own figures, one numbered point each, with its tables and
  charts: opinions by channel and topic, meetings and dialogues, issues, answers, the press, and
  what the floors above add (surveys, collaborators, scorecards, the Standing Committee's
  directions, the leaders' waivers, the plan's tasks...), then the units' reporting;
* II. Hạn chế, nguyên nhân — drafted from the figures (overdue issues, unanswered petitions,
  units with low scores, inactive collaborators, units that did not report);
* III. Phương hướng, nhiệm vụ thời gian tới — drafted from the figures (topics rising, latent
  opinion to watch, overdue issues to close);
* IV. Kiến nghị, đề xuất — the units' recommendations merged, and the figures' proposals.

Every part is text the office edits before it finalises, as in the monthly draft.

**The figures' contract.** A figure provider is ``provider(start, end, unit_ids)`` returning a
:class:`FigureBlock` (or ``None`` when it has nothing for the period and scope). ``unit_ids`` is
the scope: ``None`` for the whole installation (the ward's report; a city's report of its
wards), otherwise the set of units the report covers (a đảng bộ and its chi bộ) — a provider
counts inside it only, and returns ``None`` for what is not the units' (the ward's press). The
providers are registered with :func:`reporting.extensions.register_figures` (reporting's own in
``ReportingConfig.ready()``, an upper app's in its own ``ready()``), so reporting never imports
the apps above it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

KET_QUA, HAN_CHE, PHUONG_HUONG, KIEN_NGHI = "ket_qua", "han_che", "phuong_huong", "kien_nghi"
REVIEW_TITLES = {
    KET_QUA: "Kết quả đạt được",
    HAN_CHE: "Hạn chế, nguyên nhân",
    PHUONG_HUONG: "Phương hướng, nhiệm vụ thời gian tới",
    KIEN_NGHI: "Kiến nghị, đề xuất",
}
# The points of "Kết quả đạt được" that are not a figure block.
OPINION_KEY = "kq_du_luan"
LATENT_KEY = "kq_tiem_an"
COMPLIANCE_KEY = "kq_bao_cao"
BLOCK_PREFIX = "kq_"
# The monthly draft's section whose sources (unit reports, merged statements) a part shows.
SOURCE_OF = {KET_QUA: "tu_tuong", OPINION_KEY: "du_luan_noi_bat", LATENT_KEY: "du_luan_tiem_an",
             KIEN_NGHI: "kien_nghi"}
NO_SHORTCOMING = ("Trong kỳ, số liệu của hệ thống chưa cho thấy hạn chế nổi bật; Ban Xây dựng"
                  " Đảng bổ sung theo thực tế.")
CAUSES_TO_FILL = ("- (Ban Xây dựng Đảng bổ sung nguyên nhân khách quan, chủ quan của các hạn chế"
                  " nêu trên.)")
STANDING_TASKS = (
    "Tiếp tục quán triệt, thực hiện nghiêm Chỉ thị 47-CT/TW và Kế hoạch của Đảng ủy về công tác"
    " nắm bắt, định hướng dư luận xã hội; duy trì chế độ báo cáo tháng đúng hạn.",
)


@dataclass(frozen=True)
class FigureTable:
    """A table of figures: a caption, a header row and rows of cells (numbers or text)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]
    sheet: str = ""  # a short sheet name for XLSX (at most 31 characters)


@dataclass(frozen=True)
class Chart:
    """A one-series bar chart: a label and a count per bar, drawn as PNG at export."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class FigureBlock:
    """One subject's figures for a period and a scope (see the module's docstring).

    ``lines``: the sentences of its point under "Kết quả đạt được"; ``shortcomings`` and
    ``causes``: what it adds to "Hạn chế, nguyên nhân"; ``directions``: to "Phương hướng";
    ``proposals``: to "Kiến nghị, đề xuất". ``order`` places the point among the others."""

    key: str
    title: str
    lines: tuple[str, ...] = ()
    tables: tuple[FigureTable, ...] = ()
    charts: tuple[Chart, ...] = ()
    shortcomings: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    directions: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    order: int = 100

    def as_dict(self) -> dict:
        return {
            "key": self.key, "title": self.title, "order": self.order,
            "lines": list(self.lines),
            "tables": [{"title": t.title, "headers": list(t.headers),
                        "rows": [list(r) for r in t.rows], "sheet": t.sheet}
                       for t in self.tables],
            "charts": [{"title": c.title, "labels": list(c.labels), "values": list(c.values)}
                       for c in self.charts],
            "shortcomings": list(self.shortcomings), "causes": list(self.causes),
            "directions": list(self.directions), "proposals": list(self.proposals),
        }

    @classmethod
    def from_dict(cls, data: dict) -> FigureBlock:
        return cls(
            key=data["key"], title=data["title"], order=data.get("order", 100),
            lines=tuple(data.get("lines", ())),
            tables=tuple(FigureTable(t["title"], tuple(t["headers"]),
                                     tuple(tuple(r) for r in t["rows"]), t.get("sheet", ""))
                         for t in data.get("tables", ())),
            charts=tuple(Chart(c["title"], tuple(c["labels"]), tuple(c["values"]))
                         for c in data.get("charts", ())),
            shortcomings=tuple(data.get("shortcomings", ())),
            causes=tuple(data.get("causes", ())),
            directions=tuple(data.get("directions", ())),
            proposals=tuple(data.get("proposals", ())),
        )


@dataclass
class ReviewDraft:
    """The review's sections in order (``{"key", "title", "level"}``) and their texts."""

    titles: list[dict] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, title: str, text: str, level: int) -> None:
        self.titles.append({"key": key, "title": title, "level": level})
        self.sections[key] = text


def block_key(block: FigureBlock) -> str:
    return BLOCK_PREFIX + block.key


def _joined(*parts: str) -> str:
    return "\n".join(p for p in parts if p and p.strip())


def _numbered(lines: Iterable[str]) -> list[str]:
    return [f"- {_sentence(line)}" for line in lines]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…", ":")) else text + "."


def review_draft(
    *,
    units_sections: dict[str, str],
    blocks: Sequence[FigureBlock],
    extra_sections: Sequence[tuple[dict, str]] = (),
    compliance_text: str = "",
    compliance_shortfall: str = "",
    latent_topics: Sequence[str] = (),
) -> ReviewDraft:
    """The four parts drafted from the units' synthesis (``units_sections``: the monthly draft's
    "tu_tuong", "du_luan_noi_bat", "du_luan_tiem_an", "kien_nghi"), the figure blocks (in
    order), the sections the floors above register (``extra_sections``: the directions, the
    waivers), and the units' reporting (``compliance_text``; ``compliance_shortfall``: a
    sentence on who did not report, for "Hạn chế")."""
    units_sections = _renumbered(units_sections)
    draft = ReviewDraft()
    draft.add(KET_QUA, REVIEW_TITLES[KET_QUA], units_sections.get("tu_tuong", ""), 1)
    draft.add(OPINION_KEY, "Tình hình dư luận xã hội qua báo cáo của các đơn vị",
              units_sections.get("du_luan_noi_bat", ""), 2)
    if units_sections.get("du_luan_tiem_an", "").strip():
        draft.add(LATENT_KEY, "Dư luận tiềm ẩn, dự báo", units_sections["du_luan_tiem_an"], 2)
    for block in sorted(blocks, key=lambda b: (b.order, b.key)):
        draft.add(block_key(block), block.title, "\n".join(_sentence(x) for x in block.lines), 2)
    for title, text in extra_sections:
        draft.add(title["key"], title["title"], text, 2)
    draft.add(COMPLIANCE_KEY, "Tình hình nộp báo cáo của các đơn vị", compliance_text, 2)

    shortcomings = [line for b in blocks for line in b.shortcomings]
    if compliance_shortfall:
        shortcomings.append(compliance_shortfall)
    causes = [line for b in blocks for line in b.causes]
    draft.add(HAN_CHE, REVIEW_TITLES[HAN_CHE], _joined(
        "1. Hạn chế",
        "\n".join(_numbered(shortcomings)) or NO_SHORTCOMING,
        "2. Nguyên nhân",
        "\n".join(_numbered(causes)),
        CAUSES_TO_FILL,
    ), 1)

    directions = [line for b in blocks for line in b.directions]
    if latent_topics:
        directions.append("Chủ động nắm bắt, thông tin, giải thích đối với dư luận tiềm ẩn về "
                          + ", ".join(latent_topics)
                          + ", không để phát sinh thành điểm nóng")
    directions += STANDING_TASKS
    draft.add(PHUONG_HUONG, REVIEW_TITLES[PHUONG_HUONG], "\n".join(_numbered(directions)), 1)

    proposals = [line for b in blocks for line in b.proposals]
    draft.add(KIEN_NGHI, REVIEW_TITLES[KIEN_NGHI], _joined(
        units_sections.get("kien_nghi", ""),
        "\n".join(_numbered(proposals)),
    ), 1)
    return draft


_TOPIC_LINE = re.compile(r"^(\d+)\. ", re.MULTILINE)
_POINT_OF_II = re.compile(r"tại điểm (\d+) mục II")


def _renumbered(units_sections: dict[str, str]) -> dict[str, str]:
    """The monthly draft numbers its topics "1.", "2." in section II, and section III points to
    them ("như đã nêu tại điểm 9 mục II"); here section II is point 1 of part I: "1.1.", "1.2."
    and "điểm 1.9 mục I"."""
    out = dict(units_sections)
    if out.get("du_luan_noi_bat"):
        out["du_luan_noi_bat"] = _TOPIC_LINE.sub(r"1.\1. ", out["du_luan_noi_bat"])
    if out.get("du_luan_tiem_an"):
        out["du_luan_tiem_an"] = _POINT_OF_II.sub(r"tại điểm 1.\1 mục I", out["du_luan_tiem_an"])
    return out


def tables_of(blocks: Sequence[dict]) -> list[tuple[str, FigureTable]]:
    """Every figure table of the stored blocks, with the key of the block it belongs to."""
    out = []
    for data in blocks:
        block = FigureBlock.from_dict(data)
        out += [(block_key(block), table) for table in block.tables]
    return out
