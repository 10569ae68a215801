"""``longdan survey weigh`` and ``longdan survey estimate``: survey statistics on files alone.

No database and no Django: a response table in CSV, population margins in JSON, a weights file
in CSV. ``main(argv)`` takes the arguments after ``longdan survey`` and returns the exit code:
0 when done, 2 when the input is refused, with one line ``Lỗi: …`` on stderr naming the file,
line and column. The argparse wording is translated the way ``longdan/cli.py`` does it; that
module is not imported because it pulls in the Django side (``core``, ``reporting``).
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict

import numpy as np

from longdan.vi_argparse import CliError
from longdan.vi_argparse import VietnameseParser as _Parser
from surveystats._core import SurveyStatsError, label_of, vn_number
from surveystats.estimate import (
    Estimate,
    EstimateError,
    MeanEstimate,
    estimate_mean,
    estimate_proportions,
    estimate_select_multiple,
    t_quantile,
)
from surveystats.table import (
    ROW_COLUMN,
    MarginsFile,
    ResponseTable,
    TableError,
    read_margins,
    read_response_table,
    read_weights,
    write_weights,
)
from surveystats.weighting import (
    RakingNotConverged,
    WeightingError,
    poststratify,
    rake_detailed,
    weight_summary,
)

EXIT_OK, EXIT_ERROR = 0, 2
ALPHA = 0.05


def build_parser(prog: str = "longdan survey") -> _Parser:
    parser = _Parser(prog=prog, description="Gia quyền và ước lượng kết quả điều tra dư luận"
                     " từ tệp (không cần cơ sở dữ liệu).")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh",
                                     parser_class=_Parser, required=True)
    _add_weigh(commands)
    _add_estimate(commands)
    return parser


def _add_weigh(commands) -> None:
    weigh = commands.add_parser(
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
    weigh.set_defaults(handler=cmd_weigh)


def _add_estimate(commands) -> None:
    estimate = commands.add_parser(
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
    estimate.set_defaults(handler=cmd_estimate)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        return args.handler(args)
    except SystemExit as exc:  # --help prints and exits 0
        return int(exc.code or 0)
    except (CliError, SurveyStatsError) as error:
        return _fail(str(error))
    except BrokenPipeError:
        return EXIT_OK  # the reader (say ``| head``) went away
    except Exception as error:  # noqa: BLE001 - the promise is one line, never a traceback
        if os.environ.get("LONGDAN_TRACEBACK"):
            raise
        return _fail(f"lỗi không lường trước ({type(error).__name__}: {error}); đặt"
                     " LONGDAN_TRACEBACK=1 để xem chi tiết.")


def _fail(message: str) -> int:
    message = " ".join(message.split())  # one line, whatever the message held
    print(f"Lỗi: {message}", file=sys.stderr)
    return EXIT_ERROR


# --- weigh ---------------------------------------------------------------------------------------


def cmd_weigh(args) -> int:
    table = read_response_table(args.data)
    margins_file = read_margins(args.margins)
    columns = {variable: table.require_column(variable) for variable in margins_file.margins}
    base = _base_weights(table, args.base_weight) if args.base_weight else None
    ids = _ids(table, args.id_column)
    try:
        if args.method == "raking":
            result = rake_detailed(columns, margins_file.margins, base_weights=base,
                                   tolerance=args.tolerance, max_iterations=args.max_iterations)
            weights, iterations = result.weights, result.iterations
        else:
            weights, iterations = poststratify(columns, margins_file.margins,
                                               base_weights=base), None
    except WeightingError as error:
        raise _located(error, table, margins_file, args.base_weight) from None
    write_weights(args.out, ids, weights, id_column=args.id_column or ROW_COLUMN)
    _print_weigh_summary(args, weights, iterations)
    return EXIT_OK


def _base_weights(table: ResponseTable, column: str) -> np.ndarray:
    values = table.require_column(column)
    weights = np.empty(table.n_rows)
    for row, text in enumerate(values):
        try:
            weights[row] = float(text.strip().replace(",", "."))
        except ValueError:
            weights[row] = math.nan
        if not math.isfinite(weights[row]) or weights[row] <= 0:
            raise TableError(f"trọng số gốc phải là số dương, đang là “{text}”.",
                             path=table.path, line=table.line_of(row), column=column)
    return weights


def _ids(table: ResponseTable, id_column: str | None) -> list[str]:
    if id_column is None:
        return [str(row + 1) for row in range(table.n_rows)]
    ids = [label_of(value) or "" for value in table.require_column(id_column)]
    first_line: dict[str, int] = {}
    for row, identifier in enumerate(ids):
        line = table.line_of(row)
        if not identifier:
            raise TableError("thiếu mã người trả lời.", path=table.path, line=line,
                             column=id_column)
        if identifier in first_line:
            raise TableError(f"mã “{identifier}” đã có ở dòng {first_line[identifier]}.",
                             path=table.path, line=line, column=id_column)
        first_line[identifier] = line
    return ids


def _located(
    error: WeightingError, table: ResponseTable, margins_file: MarginsFile,
    base_column: str | None,
) -> SurveyStatsError:
    """The same refusal, pointing at the line of the file that has to change."""
    if error.row is not None:
        return TableError(error.reason, path=table.path, line=table.line_of(error.row),
                          column=error.variable or base_column)
    if error.variable is not None:
        return TableError(f"biến “{error.variable}”: {error.reason}", path=margins_file.path,
                          line=margins_file.line_of(error.variable, error.category))
    if isinstance(error, RakingNotConverged):
        return error  # about the data and the margins together, no one place to point at
    return TableError(error.reason, path=margins_file.path)


def _print_weigh_summary(args, weights: np.ndarray, iterations: int | None) -> None:
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


# --- estimate ------------------------------------------------------------------------------------


def cmd_estimate(args) -> int:
    table = read_response_table(args.data)
    values = table.require_column(args.var)
    weights = _aligned_weights(table, args.weights, args.id_column) if args.weights else None
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
    respondents = _respondents(values, weights, args.kind)
    if args.json:
        print(json.dumps(_finite(_estimate_payload(args, result, respondents, weights)),
                         ensure_ascii=False, indent=2))
    else:
        print(_estimate_text(args, result, respondents, weights is not None))
    return EXIT_OK


def _aligned_weights(table: ResponseTable, path: str, id_column: str | None) -> np.ndarray:
    """The weight of every data row, matched by respondent id or by row number."""
    weights_file = read_weights(path, id_column=id_column)
    by_id = dict(zip(weights_file.ids, weights_file.weights, strict=True))
    if weights_file.id_column == ROW_COLUMN and ROW_COLUMN not in table.columns:
        keys = [str(row + 1) for row in range(table.n_rows)]
        key_column = None
    else:
        key_column = weights_file.id_column
        if key_column not in table.columns:
            raise TableError(
                f"tệp trọng số {weights_file.path.name} ghép theo cột “{key_column}” nhưng bảng"
                " trả lời không có cột này.", path=table.path, line=1,
            )
        keys = [label_of(value) or "" for value in table.columns[key_column]]
    weights = np.empty(table.n_rows)
    for row, key in enumerate(keys):
        if key not in by_id:
            what = f"mã “{key}”" if key_column else f"hàng số {key}"
            raise TableError(f"tệp trọng số {weights_file.path.name} không có trọng số cho {what}.",
                             path=table.path, line=table.line_of(row), column=key_column)
        weights[row] = by_id[key]
    return weights


def _respondents(values: Sequence, weights: np.ndarray | None, kind: str) -> dict:
    answered = np.array([label_of(value) is not None for value in values], dtype=bool)
    if weights is not None:
        answered &= weights > 0
    n = int(answered.sum())
    return {"n": n, "df": n - 1, "t": t_quantile(ALPHA, n - 1) if n > 1 else math.nan}


def _estimate_payload(args, result, respondents: dict, weights) -> dict:
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
    return f"{vn_number(100 * value, 1)}%" if math.isfinite(value) else "—"


def _estimate_text(args, result, respondents: dict, weighted: bool) -> str:
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


if __name__ == "__main__":
    sys.exit(main())
