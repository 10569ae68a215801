"""``longdan scorecard``: every unit's scorecard for a period (criteria values, points, total,
classification, rank), as text, JSON or an XLSX table. ``--unit`` ranks one unit's subtree."""

from __future__ import annotations

import json
from pathlib import Path

from longdan.commands.database import require_migrated
from longdan.commands.parser import CliError, out, refusing


def register(commands) -> None:
    scorecard = commands.add_parser(
        "scorecard", help="phiếu đánh giá, chấm điểm các đơn vị của một kỳ",
        description="In kết quả chấm điểm các đơn vị theo bộ tiêu chí áp dụng cho kỳ: giá trị,"
        " điểm từng tiêu chí, tổng điểm, xếp loại và thứ hạng; tùy chọn ghi bảng ra tệp XLSX.",
    )
    scorecard.add_argument("--period", required=True, metavar="KỲ",
                           help="kỳ đánh giá: 2025-11 (tháng), 2025-H2 (6 tháng), 2025 (năm)")
    scorecard.add_argument("--unit", metavar="MÃ",
                           help="chỉ đơn vị này (mã hoặc tên) và các đơn vị trực thuộc, xếp hạng"
                           " trong phạm vi đó")
    scorecard.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    scorecard.add_argument("--xlsx", metavar="TỆP.xlsx", help="ghi bảng kết quả ra tệp XLSX")
    scorecard.set_defaults(handler=cmd_scorecard, needs_django=True)


def _subtree(unit_ref: str | None) -> set[int] | None:
    from core.text import fold
    from orgs.models import OrgUnit
    from orgs.selectors import descendant_ids

    if not unit_ref:
        return None
    unit = (OrgUnit.objects.filter(code=unit_ref).first()
            or OrgUnit.objects.filter(name_folded=fold(unit_ref)).first())
    if unit is None:
        raise CliError(f"không tìm thấy đơn vị '{unit_ref}' (theo mã hoặc tên).")
    return descendant_ids(unit.pk)


@refusing("reporting.periods.PeriodError")
def cmd_scorecard(args) -> int:
    from reporting.periods import parse_period

    key = parse_period(args.period)
    require_migrated()
    from documents.xlsx import save_workbook
    from evaluation.exports import board_workbook, format_points, format_value
    from evaluation.selectors import compute_board

    board = compute_board(key, unit_ids=_subtree(args.unit))
    if board.criteria_set is None:
        raise CliError(f"chưa có bộ tiêu chí đánh giá áp dụng cho {key.label}.")
    if args.xlsx:
        try:
            save_workbook(board_workbook(board), Path(args.xlsx))
        except OSError as exc:
            raise CliError(f"không ghi được tệp '{args.xlsx}': {exc.strerror}.") from exc
    if args.json:
        out(json.dumps(board.as_dict(), ensure_ascii=False, indent=2))
        return 0
    cs = board.criteria_set
    out(f"ĐÁNH GIÁ CÁC ĐƠN VỊ — {key.label.upper()}")
    out(f"Bộ tiêu chí: {cs.name} (năm {cs.year}, phiên bản {cs.version})")
    for card, unit, _record in board.rows():
        total = "—" if card.total is None else f"{card.total:g}".replace(".", ",")
        out()
        out(f"{card.rank or '—':>4}. {unit.name} ({unit.code}): {total} điểm,"
            f" {card.classification_label.lower()}")
        for line in card.lines:
            out(f"      {line.criterion.name[:60]:<60} {format_value(line):>18}"
                f" {format_points(line.points):>10}")
    if args.xlsx:
        out()
        out(f"Đã ghi {args.xlsx}")
    return 0
