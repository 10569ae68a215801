"""The scorecards table as rows (the page's XLSX export and ``longdan scorecard --xlsx``)."""

from __future__ import annotations

from openpyxl import Workbook

from documents.xlsx import write_table
from evaluation import scoring
from evaluation.models import Criterion


def format_value(line: scoring.Line) -> str:
    """A criterion's value as read: "92,3%", "4,5 ý kiến/tháng", "8 điểm", or "—" (missing)."""
    value = line.measurement.value
    if value is None:
        return "—"
    measure = line.criterion.measure
    if measure == Criterion.Measure.COLLABORATOR_ITEMS:
        text, unit = f"{value:.1f}", " ý kiến/tháng"
    elif measure == Criterion.Measure.INCIDENTS:
        return f"{value:g} vụ"
    elif measure == Criterion.Measure.ENTERED:
        text, unit = f"{value:g}", f"/{line.criterion.target:g}"
    else:
        text, unit = f"{value:.1f}", "%"
    return text.replace(".", ",") + unit


def format_points(points: float | None) -> str:
    return "không tính" if points is None else f"{points:g}".replace(".", ",")


def headers(board) -> list[str]:
    columns = ["Hạng", "Mã đơn vị", "Đơn vị", "Số tháng đánh giá"]
    for spec in board.criteria_set.specs() if board.criteria_set else []:
        columns += [f"{spec.name} — giá trị", f"{spec.name} — điểm (tối đa {spec.weight:g})"]
    return columns + ["Tổng điểm (thang 100)", "Xếp loại", "Đã chốt"]


def rows(board) -> list[list]:
    table = []
    for card, unit, record in board.rows():
        row = [card.rank or "", unit.code, unit.name, card.months]
        for line in card.lines:
            row += [format_value(line), "" if line.points is None else line.points]
        row += ["" if card.total is None else card.total, card.classification_label,
                "Đã chốt" if record is not None and record.is_final else "Chưa chốt"]
        table.append(row)
    return table


def board_workbook(board) -> Workbook:
    workbook = Workbook()
    write_table(workbook, f"Đánh giá {board.key.code}", headers(board), rows(board))
    return workbook
