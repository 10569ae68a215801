"""``longdan text ...``: train, evaluate and apply the text engine on any labelled JSONL file.

Each input line is a JSON object with ``text`` and, for train/eval, a label field. Errors print one
Vietnamese line on stderr and return exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


class CliError(Exception):
    """A user error: its message is printed as is."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own messages are English
        raise CliError(f"Lỗi: tham số không hợp lệ ({message}). Xem `longdan text --help`.")


def read_jsonl(path: str, label_field: str | None = None) -> list[dict]:
    """Rows of a JSONL file, each with a string ``text`` (and ``label_field`` when given)."""
    file = Path(path)
    if not file.is_file():
        raise CliError(f"Lỗi: không tìm thấy tệp {path}.")
    rows: list[dict] = []
    try:
        with file.open(encoding="utf-8-sig") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    raise CliError(
                        f"Lỗi: dòng {number} của {path} không phải JSON hợp lệ."
                    ) from None
                if not isinstance(row, dict):
                    raise CliError(f"Lỗi: dòng {number} của {path} không phải một đối tượng JSON.")
                if not isinstance(row.get("text"), str):
                    raise CliError(f"Lỗi: dòng {number} của {path} thiếu trường “text”.")
                if label_field is not None:
                    value = row.get(label_field)
                    if value is None or value == "" or isinstance(value, dict | list):
                        raise CliError(
                            f"Lỗi: dòng {number} của {path} thiếu trường nhãn “{label_field}”."
                        )
                    row[label_field] = str(value)
                rows.append(row)
    except UnicodeDecodeError:
        raise CliError(f"Lỗi: tệp {path} không phải văn bản UTF-8.") from None
    if not rows:
        raise CliError(f"Lỗi: tệp {path} không có dòng dữ liệu nào.")
    return rows


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="longdan text", description="Bộ máy phân tích văn bản tiếng Việt.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("train", help="huấn luyện mô hình từ tệp JSONL có nhãn")
    p.add_argument("--data", required=True)
    p.add_argument("--label-field", default="label")
    p.add_argument("--out", required=True)
    p.add_argument(
        "--group-field",
        default=None,
        help="trường nhóm (mẫu câu, nguồn, vụ việc): đo chất lượng bằng cách giữ lại cả nhóm; "
        "mặc định dùng “group” hoặc “template” nếu mọi dòng đều có",
    )
    p = sub.add_parser("eval", help="đo chất lượng mô hình trên tệp JSONL có nhãn")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--label-field", default="label")
    p.add_argument("--json", action="store_true")
    p.add_argument("--strip-diacritics", action="store_true")
    p = sub.add_parser("classify", help="gán nhãn cho từng dòng của tệp JSONL")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("group", help="gom các ý kiến thành vấn đề")
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    return parser


def _train(args) -> int:
    from textengine.model import ModelError, train

    rows = read_jsonl(args.data, args.label_field)
    group_field = _group_field(rows, args.group_field, args.data)
    try:
        model = train(
            [r["text"] for r in rows],
            [r[args.label_field] for r in rows],
            args.out,
            label_field=args.label_field,
            groups=[r[group_field] for r in rows] if group_field else None,
            group_field=group_field,
        )
    except ModelError as exc:
        raise CliError(f"Lỗi: {exc}") from None
    quality = model.meta.get("quality", {})
    f1 = quality.get("macro_f1")
    note = ""
    if isinstance(f1, float):
        how = f"giữ lại theo nhóm “{group_field}”" if group_field else "phân tầng theo nhãn"
        note = f", macro-F1 ước lượng {f1:.3f} (kiểm định chéo {quality['folds']} phần, {how})"
    print(
        f"Đã huấn luyện mô hình {model.version}: {len(rows)} mẫu, {len(model.labels)} nhãn"
        f"{note}. Lưu tại {args.out}."
    )
    return 0


_AUTO_GROUP_FIELDS = ("group", "template")


def _group_field(rows: list[dict], asked: str | None, path: str) -> str | None:
    """The field that groups rows for quality measurement: the one asked for (every row must
    have it), else "group" or "template" when every row has it, else None."""

    def usable(field: str) -> bool:
        return all(
            r.get(field) not in (None, "") and not isinstance(r.get(field), dict | list)
            for r in rows
        )

    if asked:
        if not usable(asked):
            raise CliError(f"Lỗi: không phải dòng nào của {path} cũng có trường nhóm “{asked}”.")
        return asked
    return next((f for f in _AUTO_GROUP_FIELDS if usable(f)), None)


def _load(model_dir: str):
    from textengine.model import LinearModel, ModelError

    try:
        return LinearModel.load(model_dir)
    except ModelError as exc:
        raise CliError(f"Lỗi: {exc}") from None


def _eval(args) -> int:
    from textengine.model import accuracy, macro_f1
    from textengine.normalize import strip_diacritics

    model = _load(args.model)
    rows = read_jsonl(args.data, args.label_field)
    texts = [r["text"] for r in rows]
    if args.strip_diacritics:
        texts = [strip_diacritics(t) for t in texts]
    truth = [r[args.label_field] for r in rows]
    pred = [label for label, _ in model.predict_batch(texts)]
    result = {
        "model_version": model.version,
        "n": len(rows),
        "accuracy": round(accuracy(truth, pred), 4),
        "macro_f1": round(macro_f1(truth, pred), 4),
        "strip_diacritics": bool(args.strip_diacritics),
        "unknown_labels": sorted(set(truth) - set(model.labels)),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        suffix = " (đã bỏ dấu)" if args.strip_diacritics else ""
        print(f"Mô hình {model.version}, {len(rows)} mẫu{suffix}")
        print(f"Độ chính xác (accuracy): {result['accuracy']:.4f}")
        print(f"Macro-F1: {result['macro_f1']:.4f}")
    return 0


def _classify(args) -> int:
    model = _load(args.model)
    rows = read_jsonl(args.data)
    predictions = model.predict_batch([r["text"] for r in rows])
    try:
        with open(args.out, "w", encoding="utf-8") as fh:
            for row, (label, score) in zip(rows, predictions, strict=True):
                out = {**row, "predicted": label, "score": round(score, 4)}
                fh.write(json.dumps(out, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise CliError(f"Lỗi: không ghi được tệp {args.out} ({exc.strerror}).") from None
    print(f"Đã gán nhãn {len(rows)} dòng vào {args.out}.")
    return 0


def _group(args) -> int:
    if not Path(args.data).is_file():
        raise CliError(f"Lỗi: không tìm thấy tệp {args.data}.")
    try:
        from textengine.grouping import group_jsonl
    except ImportError:
        raise CliError("Lỗi: chức năng gom nhóm chưa được cài đặt.") from None
    try:
        result = group_jsonl(args.data, args.out)
    except (ValueError, KeyError, OSError) as exc:
        raise CliError(f"Lỗi: không gom nhóm được: {exc}") from None
    summary = ""
    if isinstance(result, dict) and result:
        summary = " (" + ", ".join(f"{k}: {v}" for k, v in result.items()) + ")"
    print(f"Đã gom nhóm, kết quả ở {args.out}{summary}.")
    return 0


_COMMANDS = {"train": _train, "eval": _eval, "classify": _classify, "group": _group}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        return _COMMANDS[args.command](args)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
