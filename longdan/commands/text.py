"""``longdan text …``: train, evaluate and apply the text engine on any labelled JSONL file, and
mask the stored texts again after the masker improved (``remask``).

Each input line is a JSON object with ``text`` and, for train/eval, a label field. Those commands
read files alone: no database, no Django. ``remask`` alone works on the database (Django is set
up for it only). The work is the text engine's (``textengine.model``, ``.datasets``,
``.evaluate``, ``.grouping``) and the services' (``intake.services.remask``,
``monitoring.services.remask_mentions``); this module reads the arguments and prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from longdan.commands.parser import CliError, group, out, refusing
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
    p = text.add_parser(
        "remask",
        help="che lại thông tin cá nhân trong nội dung đã lưu (chạy sau khi nâng cấp)",
        description="Che lại họ tên, địa chỉ nhà, số điện thoại, số giấy tờ… trong nội dung ý"
        " kiến, ghi chú biên bản và tin, bài đã lưu, bằng bộ che thông tin của phiên bản hiện"
        " tại. Chạy sau mỗi lần nâng cấp (bộ che thông tin được cải tiến); mỗi thay đổi có một"
        " dòng trong nhật ký. Chạy lại bao nhiêu lần cũng được: lần sau không đổi gì thêm.",
    )
    p.add_argument("--dry-run", action="store_true",
                   help="chỉ đếm những gì sẽ được che lại, không ghi gì")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(handler=cmd_remask, needs_django=True)


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


# --- remask: the stored texts, masked again --------------------------------------------------

# What is walked, in order: result key, what the summary calls the rows.
_REMASKED = (("items", "ý kiến"), ("meetings", "biên bản"), ("mentions", "tin, bài"))


@refusing("core.errors.ServiceError")
def cmd_remask(args) -> int:
    from longdan.commands.database import require_migrated

    require_migrated()
    from intake.services import remask_items, remask_meetings
    from monitoring.services import remask_mentions

    runs = {"items": remask_items, "meetings": remask_meetings, "mentions": remask_mentions}
    # With --json the progress goes to stderr, so that stdout is the JSON object alone.
    say = _to_stderr if args.json else out
    say("Chạy thử: chỉ đếm, không ghi gì." if args.dry_run else "Đang che lại nội dung đã lưu…")
    results = {}
    for key, noun in _REMASKED:
        results[key] = runs[key](dry_run=args.dry_run, progress=_progress(noun, say))
    if args.json:
        out(json.dumps({"dry_run": args.dry_run, **{k: r.as_dict() for k, r in results.items()}},
                       ensure_ascii=False))
    else:
        _print_remasked(results, dry_run=args.dry_run)
    return 0


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _num(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _progress(noun: str, say):
    """Report a table's progress every tenth of the way (a city has a million items)."""
    shown = -1

    def report(done: int, total: int) -> None:
        nonlocal shown
        tenth = done * 10 // total if total else 10
        if tenth != shown:
            shown = tenth
            say(f"  {noun}: đã xem {_num(done)}/{_num(total)}")

    return report


def _print_remasked(results: dict, *, dry_run: bool) -> None:
    from intake.services import KIND_NAMES

    changed = ", ".join(f"{_num(results[key].changed)} {noun}" for key, noun in _REMASKED)
    checked = ", ".join(f"{_num(results[key].checked)} {noun}" for key, noun in _REMASKED)
    if dry_run:
        out(f"Chạy thử: sẽ che lại {changed} (đã xem {checked}). Chưa ghi gì.")
    else:
        out(f"Đã che lại {changed} (đã xem {checked}).")
    kinds: dict[str, int] = {}
    for result in results.values():
        for kind, count in result.kinds.items():
            kinds[kind] = kinds.get(kind, 0) + count
    if kinds:
        out("Thông tin được che thêm: " + ", ".join(
            f"{KIND_NAMES.get(kind, kind)} ({_num(count)})" for kind, count in sorted(kinds.items())
        ) + ".")
    if not dry_run and any(result.changed for result in results.values()):
        out("Mỗi thay đổi có một dòng trong nhật ký (không ghi nội dung).")
