"""``longdan survey weigh`` and ``longdan survey estimate``: survey statistics on files alone.

No database and no Django: a response table in CSV, population margins in JSON, a weights file
in CSV. Exit 0 when done, 2 when the input is refused, with one line ``Lỗi: …`` on stderr naming
the file, line and column. The statistics are ``surveystats``'s (``weighting``, ``estimate``,
``table``, ``io``); this module reads the arguments and prints.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict

from longdan.commands.parser import group, refusing

EXIT_OK = 0
ALPHA = 0.05


def register(commands) -> None:
    survey = group(commands, "survey")
    weigh = survey.add_parser(
        "weigh", help="tính trọng số theo biên tổng thể (raking hoặc hậu phân tầng)",
        description="Tính trọng số cho từng người trả lời để mẫu khớp với biên tổng thể (ví dụ"
        " khu vực, giới tính, nhóm tuổi). Tệp biên tổng thể là JSON dạng"
        ' {"biến": {"nhóm": dân số, ...}, ...}.',
    )
    weigh.add_argument("--data", required=True, metavar="TỆP.csv", help="bảng trả lời (CSV)")
    weigh.add_argument("--margins", required=True, metavar="TỆP.json", help="biên tổng thể")
    weigh.add_argument("--method", required=True, choices=["raking", "poststrat"],
                       help="raking: cào nhiều biến; poststrat: hậu phân tầng theo một biến")
    weigh.add_argument("--out", required=True, metavar="TỆP.csv",
                       help="tệp trọng số cần ghi (cột mã hoặc “row”, và “weight”)")
    weigh.add_argument("--base-weight", metavar="CỘT", help="cột trọng số gốc (mặc định: 1)")
    weigh.add_argument("--id-column", metavar="CỘT",
                       help="cột mã người trả lời (mặc định: số thứ tự hàng, cột “row”)")
    weigh.add_argument("--tolerance", type=float, default=1e-6,
                       help="ngưỡng hội tụ tương đối của raking (mặc định: 1e-6)")
    weigh.add_argument("--max-iterations", type=int, default=100,
                       help="số vòng lặp tối đa của raking (mặc định: 100)")
    weigh.add_argument("--json", action="store_true", help="in tóm tắt dạng JSON")
    weigh.set_defaults(handler=cmd_weigh, needs_django=False)

    estimate = survey.add_parser(
        "estimate", help="tỷ lệ có trọng số, sai số chuẩn, biên sai số, khoảng tin cậy 95%%",
        description="Ước lượng tỷ lệ từng phương án (hoặc trung bình của câu hỏi số) kèm sai"
        " số chuẩn (tuyến tính hóa Taylor), biên sai số và khoảng tin cậy 95%.",
    )
    estimate.add_argument("--data", required=True, metavar="TỆP.csv", help="bảng trả lời (CSV)")
    estimate.add_argument("--weights", metavar="TỆP.csv",
                          help="tệp trọng số do lệnh weigh ghi (mặc định: không gia quyền)")
    estimate.add_argument("--var", required=True, metavar="CỘT", help="câu hỏi cần ước lượng")
    estimate.add_argument("--id-column", metavar="CỘT",
                          help="cột mã dùng để ghép trọng số (mặc định: cột mã của tệp trọng số)")
    estimate.add_argument("--type", dest="kind", default="categorical",
                          choices=["categorical", "select_multiple", "numeric"],
                          help="loại câu hỏi (mặc định: categorical)")
    estimate.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    estimate.set_defaults(handler=cmd_estimate, needs_django=False)


# --- weigh ----------------------------------------------------------------------------------------


@refusing("surveystats._core.SurveyStatsError")
def cmd_weigh(args) -> int:
    from surveystats.io import base_weights, located, respondent_ids
    from surveystats.table import ROW_COLUMN, read_margins, read_response_table, write_weights
    from surveystats.weighting import WeightingError, poststratify, rake_detailed

    table = read_response_table(args.data)
    margins_file = read_margins(args.margins)
    columns = {variable: table.require_column(variable) for variable in margins_file.margins}
    base = base_weights(table, args.base_weight) if args.base_weight else None
    ids = respondent_ids(table, args.id_column)
    try:
        if args.method == "raking":
            result = rake_detailed(columns, margins_file.margins, base_weights=base,
                                   tolerance=args.tolerance, max_iterations=args.max_iterations)
            weights, iterations = result.weights, result.iterations
        else:
            weights, iterations = poststratify(columns, margins_file.margins,
                                               base_weights=base), None
    except WeightingError as error:
        raise located(error, table, margins_file, args.base_weight) from None
    write_weights(args.out, ids, weights, id_column=args.id_column or ROW_COLUMN)
    _print_weigh_summary(args, weights, iterations)
    return EXIT_OK


def _print_weigh_summary(args, weights, iterations: int | None) -> None:
    from surveystats._core import vn_number
    from surveystats.weighting import weight_summary

    summary = weight_summary(weights)
    if args.json:
        payload = {"out": str(args.out), "method": args.method, "iterations": iterations,
                   **asdict(summary)}
        print(json.dumps(_finite(payload), ensure_ascii=False))
        return
    method = ("cào (raking)" if args.method == "raking" else "hậu phân tầng")
    rounds = f", {iterations} vòng lặp" if iterations is not None else ""
    print(f"Đã ghi {vn_number(summary.n)} trọng số vào {args.out} ({method}{rounds}).")
    print(f"Tổng trọng số {vn_number(summary.total, 1)}; nhỏ nhất {vn_number(summary.min, 3)},"
          f" lớn nhất {vn_number(summary.max, 3)}; hiệu ứng thiết kế Kish"
          f" {vn_number(summary.deff_kish, 3)}; cỡ mẫu hiệu dụng"
          f" {vn_number(summary.effective_n)}.")


# --- estimate -------------------------------------------------------------------------------------


@refusing("surveystats._core.SurveyStatsError")
def cmd_estimate(args) -> int:
    from surveystats.estimate import (
        Estimate,
        EstimateError,
        MeanEstimate,
        estimate_mean,
        estimate_proportions,
        estimate_select_multiple,
    )
    from surveystats.io import aligned_weights, respondents
    from surveystats.table import TableError, read_response_table

    table = read_response_table(args.data)
    values = table.require_column(args.var)
    weights = aligned_weights(table, args.weights, args.id_column) if args.weights else None
    try:
        if args.kind == "numeric":
            result: list[Estimate] | MeanEstimate = estimate_mean(values, weights, alpha=ALPHA)
        elif args.kind == "select_multiple":
            result = estimate_select_multiple(values, weights, alpha=ALPHA)
        else:
            result = estimate_proportions(values, weights, alpha=ALPHA)
    except EstimateError as error:
        if error.row is None:
            raise
        raise TableError(error.reason, path=table.path, line=table.line_of(error.row),
                         column=args.var) from None
    answered = respondents(values, weights, ALPHA)
    if args.json:
        print(json.dumps(_finite(_estimate_payload(args, result, answered, weights)),
                         ensure_ascii=False, indent=2))
    else:
        print(_estimate_text(args, result, answered, weights is not None))
    return EXIT_OK


def _estimate_payload(args, result, respondents: dict, weights) -> dict:
    from surveystats.estimate import MeanEstimate

    payload = {
        "variable": args.var,
        "type": args.kind,
        "weighted": weights is not None,
        "confidence": 1 - ALPHA,
        "respondents": respondents["n"],
        "df": respondents["df"],
        "t": respondents["t"],
    }
    if isinstance(result, MeanEstimate):
        payload["estimate"] = asdict(result)
    else:
        payload["deff"] = result[0].deff if result else None
        payload["estimates"] = [asdict(estimate) for estimate in result]
    return payload


def _finite(value):
    """JSON has no NaN: undefined figures (one respondent, say) become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _percent(value: float) -> str:
    from surveystats._core import vn_number

    return f"{vn_number(100 * value, 1)}%" if math.isfinite(value) else "—"


def _estimate_text(args, result, respondents: dict, weighted: bool) -> str:
    from surveystats._core import vn_number
    from surveystats.estimate import MeanEstimate

    weighting = "có gia quyền" if weighted else "không gia quyền"
    head = (f"Câu hỏi “{args.var}” — {vn_number(respondents['n'])} người trả lời, {weighting};"
            " khoảng tin cậy 95% (phân phối t, bậc tự do "
            f"{vn_number(respondents['df'])}).")
    if isinstance(result, MeanEstimate):
        rows = [["Trung bình", "Sai số chuẩn", "Biên sai số", "Khoảng tin cậy 95%"],
                [vn_number(result.mean, 3), vn_number(result.se, 3), f"±{vn_number(result.moe, 3)}",
                 f"{vn_number(result.ci_low, 3)} – {vn_number(result.ci_high, 3)}"]]
        return "\n".join([head, "", *_aligned(rows)])
    if not result:
        return f"{head}\nKhông có câu trả lời nào."
    rows = [["Phương án", "Số phiếu", "Tỷ lệ", "Sai số chuẩn", "Biên sai số",
             "Khoảng tin cậy 95%"]]
    for estimate in result:
        rows.append([estimate.category, vn_number(estimate.n), _percent(estimate.proportion),
                     _percent(estimate.se), f"±{_percent(estimate.moe)}",
                     f"{_percent(estimate.ci_low)} – {_percent(estimate.ci_high)}"])
    footer = (f"Hiệu ứng thiết kế (Kish, do trọng số): {vn_number(result[0].deff, 3)}."
              if weighted else "")
    return "\n".join([head, "", *_aligned(rows), *([""] + [footer] if footer else [])])


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                  for column, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
        for row in rows
    ]
