"""The scorecards' summary and the collaborators' activity as figures of a 6-month or annual
report (``reporting.figures``), registered with ``reporting.extensions`` in
``EvaluationConfig.ready()`` (reporting may not import evaluation).

Both read the report's scope: ``unit_ids`` None is every unit (the ward's or a city's report),
otherwise the units of a đảng bộ's subtree, ranked among themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from documents.archive import vn_int
from evaluation import collaborators, scoring
from evaluation.selectors import compute_board
from reporting.consolidation import rounded_percent as percent
from reporting.figures import Chart, FigureBlock, FigureTable
from reporting.periods import period_spanning

RANKED_SHOWN = 5  # units named at the top and at the bottom of the ranking
NAMED = 6
UNIT_ROWS = 10  # units in the collaborators' table, the most active first
CLASS_ORDER = (scoring.EXCELLENT, scoring.GOOD, scoring.PASSED, scoring.FAILED, None)


def _label(code: str | None) -> str:
    return scoring.CLASS_LABELS.get(code or "", scoring.NO_CLASS_LABEL)


def _names(names: list[str]) -> str:
    return ", ".join(names[:NAMED]) + (", ..." if len(names) > NAMED else "")


def scorecard_figures(start: dt.date, end: dt.date,
                      unit_ids: set[int] | None = None) -> FigureBlock | None:
    key = period_spanning(start, end)
    if key is None:
        return None
    board = compute_board(key, unit_ids=unit_ids)
    if board.criteria_set is None or not board.cards:
        return None
    counts = Counter(card.classification for card in board.cards)
    whole = len(board.cards)
    class_rows = tuple((_label(code), counts.get(code, 0), percent(counts.get(code, 0), whole))
                       for code in CLASS_ORDER)
    scored = [c for c in board.cards if c.total is not None]  # ranked order, best first
    name = {pk: unit.name for pk, unit in board.units.items()}

    def row(card):
        return (card.rank or "", name[card.unit_id], f"{card.total:.1f}".replace(".", ","),
                card.classification_label)

    tables = [FigureTable(f"Kết quả chấm điểm, xếp loại đơn vị ({board.criteria_set.name})",
                          ("Xếp loại", "Số đơn vị", "Tỷ lệ"),
                          class_rows + (("Cộng", whole, "100%"),), "Xếp loại đơn vị")]
    if scored:
        top = scored[:RANKED_SHOWN]
        bottom = [c for c in scored[-RANKED_SHOWN:] if c not in top]
        tables.append(FigureTable("Đơn vị có điểm cao nhất và thấp nhất",
                                  ("Hạng", "Đơn vị", "Tổng điểm", "Xếp loại"),
                                  tuple(row(c) for c in top + bottom), "Điểm cao, thấp"))
    parts = [f"{counts[code]} {_label(code)[:1].lower()}{_label(code)[1:]}"
             for code in CLASS_ORDER if counts.get(code)]
    lines = [f"Chấm điểm {vn_int(whole)} đơn vị theo bộ tiêu chí “{board.criteria_set.name}”: "
             + "; ".join(parts)]
    if scored:
        lines.append(f"Cao nhất: {name[scored[0].unit_id]} ({row(scored[0])[2]} điểm)")
    failed = [name[c.unit_id] for c in scored if c.classification == scoring.FAILED]
    shortcomings, directions = [], []
    if failed:
        shortcomings.append(f"{len(failed)} đơn vị không hoàn thành nhiệm vụ theo bộ tiêu chí"
                            f" đánh giá: {_names(failed)}")
        directions.append("Hướng dẫn, kiểm tra, đôn đốc các đơn vị xếp loại không hoàn thành"
                          f" nhiệm vụ ({_names(failed)}) khắc phục hạn chế")
    return FigureBlock(
        key="danh_gia", title="Đánh giá, chấm điểm các đơn vị", order=70,
        lines=tuple(lines), tables=tuple(tables),
        charts=(Chart("Số đơn vị theo xếp loại", tuple(r[0] for r in class_rows),
                      tuple(r[1] for r in class_rows)),),
        shortcomings=tuple(shortcomings), directions=tuple(directions),
    )


def collaborator_figures(start: dt.date, end: dt.date,
                         unit_ids: set[int] | None = None) -> FigureBlock | None:
    key = period_spanning(start, end)
    if key is None:
        return None
    found = collaborators.activity(key)
    rows = [r for r in found.rows if unit_ids is None or r.collaborator.unit_id in unit_ids]
    if not rows:
        return None
    totals = Counter()
    by_unit: dict[str, list] = {}
    for r in rows:
        totals.update(r.totals)
        entry = by_unit.setdefault(r.collaborator.unit.name, [0, 0, 0, 0, 0])
        entry[0] += 1
        entry[1] += bool(sum(r.totals.values()))
        for i, kind in enumerate(collaborators.KINDS, start=2):
            entry[i] += r.totals[kind]
    working = sum(1 for r in rows if sum(r.totals.values()))
    # Nothing in the whole period (the page's two-month mark is about today, not the period).
    silent = [r.collaborator.full_name for r in rows if not sum(r.totals.values())]
    lines = [f"{vn_int(len(rows))} cộng tác viên, {vn_int(working)} người có hoạt động trong kỳ:"
             f" phản ánh {vn_int(totals['items'])} ý kiến, thực hiện"
             f" {vn_int(totals['interviews'])} phiếu phỏng vấn, ghi"
             f" {vn_int(totals['meetings'])} biên bản hội nghị"]
    shortcomings, causes, directions = [], [], []
    if silent:
        shortcomings.append(f"{len(silent)}/{len(rows)} cộng tác viên không có hoạt động nào"
                            f" trong kỳ ({_names(silent)})")
        causes.append("Một số cộng tác viên chưa thường xuyên nắm bắt, phản ánh ý kiến nhân dân")
        directions.append("Rà soát, kiện toàn đội ngũ cộng tác viên dư luận xã hội; thay thế"
                          " cộng tác viên không hoạt động")
    # The most active units first; beyond UNIT_ROWS, one row for the others.
    ordered = sorted(by_unit.items(), key=lambda kv: -sum(kv[1][2:]))
    shown = [(unit, *counts) for unit, counts in ordered[:UNIT_ROWS]]
    rest = ordered[UNIT_ROWS:]
    if rest:
        shown.append((f"Các đơn vị khác ({len(rest)})",
                      *[sum(counts[i] for _, counts in rest) for i in range(5)]))
    table = FigureTable("Hoạt động của cộng tác viên theo đơn vị",
                        ("Đơn vị", "Số cộng tác viên", "Có hoạt động", "Ý kiến phản ánh",
                         "Phiếu phỏng vấn", "Biên bản hội nghị"),
                        tuple(shown)
                        + (("Cộng", len(rows), working, totals["items"], totals["interviews"],
                            totals["meetings"]),),
                        "Cộng tác viên")
    return FigureBlock(key="cong_tac_vien", title="Đội ngũ cộng tác viên dư luận xã hội",
                       order=60, lines=tuple(lines), tables=(table,),
                       shortcomings=tuple(shortcomings), causes=tuple(causes),
                       directions=tuple(directions))
