"""``longdan text …``: train, evaluate and apply the text engine on any labelled JSONL file.

Each input line is a JSON object with ``text`` and, for train/eval, a label field. Files alone: no
database, no Django. The work is the text engine's (``textengine.model``, ``.datasets``,
``.evaluate``, ``.grouping``); this module reads the arguments and prints.
"""

from __future__ import annotations

import json
from pathlib import Path

from longdan.commands.parser import CliError, group, refusing
from textengine.datasets import DatasetError


def register(commands) -> None:
    text = group(commands, "text")
    p = text.add_parser("train", help="huấn luyện mô hình từ tệp JSONL có nhãn")
    p.add_argument("--data", required=True)
    p.add_argument("--label-field", default="label")
    p.add_argument("--out", required=True)
    p.add_argument(
        "--group-field",
        default=None,
        help="trường nhóm (mẫu câu, nguồn, vụ việc): đo chất lượng bằng cách giữ lại cả nhóm; "
        "mặc định dùng “group” hoặc “template” nếu mọi dòng đều có",
    )
    p.set_defaults(handler=cmd_train, needs_django=False)
    p = text.add_parser("eval", help="đo chất lượng mô hình trên tệp JSONL có nhãn")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--label-field", default="label")
    p.add_argument("--json", action="store_true")
    p.add_argument("--strip-diacritics", action="store_true")
    p.set_defaults(handler=cmd_eval, needs_django=False)
    p = text.add_parser("classify", help="gán nhãn cho từng dòng của tệp JSONL")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(handler=cmd_classify, needs_django=False)
    p = text.add_parser("group", help="gom các ý kiến thành vấn đề")
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(handler=cmd_group, needs_django=False)


@refusing(DatasetError)
def cmd_train(args) -> int:
    from textengine.datasets import group_field, read_jsonl
    from textengine.model import ModelError, train

    rows = read_jsonl(args.data, args.label_field)
    field = group_field(rows, args.group_field, args.data)
    try:
        model = train(
            [r["text"] for r in rows],
            [r[args.label_field] for r in rows],
            args.out,
            label_field=args.label_field,
            groups=[r[field] for r in rows] if field else None,
            group_field=field,
        )
    except ModelError as exc:
        raise CliError(str(exc)) from None
    quality = model.meta.get("quality", {})
    f1 = quality.get("macro_f1")
    note = ""
    if isinstance(f1, float):
        how = f"giữ lại theo nhóm “{field}”" if field else "phân tầng theo nhãn"
        note = f", macro-F1 ước lượng {f1:.3f} (kiểm định chéo {quality['folds']} phần, {how})"
    print(
        f"Đã huấn luyện mô hình {model.version}: {len(rows)} mẫu, {len(model.labels)} nhãn"
        f"{note}. Lưu tại {args.out}."
    )
    return 0


def _load(model_dir: str):
    from textengine.model import LinearModel, ModelError

    try:
        return LinearModel.load(model_dir)
    except ModelError as exc:
        raise CliError(str(exc)) from None


@refusing(DatasetError)
def cmd_eval(args) -> int:
    from textengine.datasets import read_jsonl
    from textengine.evaluate import evaluate

    model = _load(args.model)
    rows = read_jsonl(args.data, args.label_field)
    result = evaluate(model, [r["text"] for r in rows], [r[args.label_field] for r in rows],
                      strip_diacritics=args.strip_diacritics)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        suffix = " (đã bỏ dấu)" if args.strip_diacritics else ""
        print(f"Mô hình {model.version}, {len(rows)} mẫu{suffix}")
        print(f"Độ chính xác (accuracy): {result['accuracy']:.4f}")
        print(f"Macro-F1: {result['macro_f1']:.4f}")
    return 0


@refusing(DatasetError)
def cmd_classify(args) -> int:
    from textengine.datasets import read_jsonl

    model = _load(args.model)
    rows = read_jsonl(args.data)
    predictions = model.predict_batch([r["text"] for r in rows])
    try:
        with open(args.out, "w", encoding="utf-8") as fh:
            for row, (label, score) in zip(rows, predictions, strict=True):
                out = {**row, "predicted": label, "score": round(score, 4)}
                fh.write(json.dumps(out, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise CliError(f"không ghi được tệp {args.out} ({exc.strerror}).") from None
    print(f"Đã gán nhãn {len(rows)} dòng vào {args.out}.")
    return 0


def cmd_group(args) -> int:
    if not Path(args.data).is_file():
        raise CliError(f"không tìm thấy tệp {args.data}.")
    from textengine.grouping import group_jsonl

    try:
        result = group_jsonl(args.data, args.out)
    except (ValueError, KeyError, OSError) as exc:
        raise CliError(f"không gom nhóm được: {exc}") from None
    summary = ""
    if isinstance(result, dict) and result:
        summary = " (" + ", ".join(f"{k}: {v}" for k, v in result.items()) + ")"
    print(f"Đã gom nhóm, kết quả ở {args.out}{summary}.")
    return 0
