"""``longdan picture``: the opinion picture of a period (the same selector as ``/buc-tranh/`` and
``/api/v1/picture/``), and ``longdan picture rebuild``: every rollup recomputed from the raw rows.

The command reads as the office (the whole ward) unless ``--unit`` narrows it to one unit and the
units below it, read as a member of that unit would (small numbers hidden as "< 3").
"""

from __future__ import annotations

import json

from longdan.commands.database import reader_for, require_migrated
from longdan.commands.parser import out, refusing


def register(commands) -> None:
    picture = commands.add_parser(
        "picture", help="bức tranh dư luận của một kỳ (hoặc: picture rebuild)",
        description="In bức tranh dư luận của một kỳ: số ý kiến, tỷ lệ bức xúc, chủ đề, tổ dân"
        " phố, nhóm xã hội, kênh, địa bàn im lặng. `longdan picture rebuild` tính lại toàn bộ"
        " số liệu tổng hợp từ dữ liệu gốc.",
    )
    picture.add_argument("action", nargs="?", choices=["rebuild"], metavar="rebuild",
                         help="tính lại toàn bộ số liệu tổng hợp (sau khi sắp xếp lại đơn vị)")
    picture.add_argument("--period", metavar="KỲ",
                         help="tuần (2026-W48), tháng (2026-11), quý (2026-Q4), 6 tháng (2026-H2),"
                         " năm (2026), khoảng ngày (2026-10-01..2026-11-15), gần đây (7d, 4w);"
                         " mặc định: tháng này")
    picture.add_argument("--unit", metavar="MÃ",
                         help="đọc như một đơn vị (mã hoặc tên): chỉ đơn vị này và cấp dưới")
    picture.add_argument("--area", metavar="TỔ", help="chỉ một tổ dân phố (số hoặc tên)")
    picture.add_argument("--topic", metavar="CHỦ_ĐỀ", help="chỉ một chủ đề (mã số hoặc tên)")
    picture.add_argument("--group", metavar="NHÓM", help="chỉ một nhóm xã hội (số hoặc tên)")
    picture.add_argument("--channel", metavar="KÊNH", help="chỉ một kênh tiếp nhận (mã hoặc tên)")
    picture.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    picture.set_defaults(handler=cmd_picture, needs_django=True)


@refusing("picture.query.QueryError", "core.errors.ServiceError")
def cmd_picture(args) -> int:
    require_migrated()
    if args.action == "rebuild":
        return _rebuild()
    from picture.query import read_query
    from picture.selectors import picture_for

    params = {name: getattr(args, name) or "" for name in
              ("period", "area", "topic", "group", "channel")}
    data = picture_for(read_query(reader_for(args.unit), params))
    if args.json:
        out(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_picture(data)
    return 0


def _rebuild() -> int:
    from picture.rollups import rebuild_all

    def progress(done: int, total: int) -> None:
        out(f"  đã tính {done}/{total} ngày")

    out("Đang tính lại số liệu tổng hợp từ dữ liệu gốc…")
    days = rebuild_all(progress=progress)
    out(f"Xong: {days} ngày có dữ liệu.")
    return 0


def _share(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def _change(value) -> str:
    return "" if value is None else f" ({value:+d} so với kỳ trước)"


def print_picture(data: dict) -> None:
    totals, period = data["totals"], data["period"]
    out(f"BỨC TRANH DƯ LUẬN — {period['label'].upper()} ({period['start']} → {period['end']})")
    filters = [f"{name}: {value['name']}" for name, value in data["filters"].items() if value]
    if filters:
        out("Lọc theo " + "; ".join(filters))
    out()
    out(f"  Ý kiến tiếp nhận            {totals['items']!s:>7}{_change(totals['change']['items'])}")
    out(f"  Luồng ý kiến trong báo cáo  {totals['stream_mentions']!s:>7}"
        f"{_change(totals['change']['stream_mentions'])}")
    out(f"  Tổng cộng                   {totals['heard']!s:>7}{_change(totals['change']['heard'])}")
    out(f"  Tỷ lệ lo lắng, bức xúc, phản đối  {_share(totals['concerned_share'])}")
    out(f"  Tỷ lệ bức xúc, phản đối           {_share(totals['aggrieved_share'])}")
    out(f"  Vấn đề đang mở {totals['issues_open']}, quá hạn {totals['issues_overdue']},"
        f" đã trả lời trong kỳ {totals['issues_answered']}")
    rate = totals.get("on_time_rate")
    if rate:
        out(f"  Báo cáo đúng hạn ({rate['label']}): {rate['on_time']}/{rate['expected']}"
            f" ({_share(rate['rate'])})")
    if totals["heard"] in (0, "0"):
        out()
        out("Kỳ này chưa ghi nhận ý kiến nào: chọn kỳ khác (--period) hoặc bỏ bớt bộ lọc.")
        return
    _table("Chủ đề", [(row["name"], row["count"], _share(row["aggrieved_share"]))
                      for row in data["topics"]], "bức xúc")
    _table("Tổ dân phố", [(row["name"], row["count"],
                           "—" if row["per_1000"] is None else f"{row['per_1000']}‰")
                          for row in data["areas"] if row["count"] not in (0, "0")],
           "/1.000 dân")
    _table("Nhóm xã hội", [(row["name"], row["count"], "") for row in data["social_groups"]], "")
    _table("Kênh", [(row["name"], row["count"], "") for row in data["channels"]], "")
    silent = data["silent_areas"]
    out()
    out(f"Địa bàn im lặng ({len(silent)}):" + ("" if silent else " không có"))
    for row in silent:
        since = (f"lần cuối {row['last_heard']}" if row["last_heard"]
                 else "chưa ghi nhận ý kiến nào")
        out(f"  - {row['name']} ({row['population']} dân): {since}")


def _table(title: str, rows: list[tuple], extra: str, limit: int = 10) -> None:
    out()
    out(f"{title} ({len(rows)}):" + ("" if rows else " không có"))
    for name, count, note in rows[:limit]:
        out(f"  {name[:44]:<45}{count!s:>7}  {note}".rstrip())
    if len(rows) > limit:
        out(f"  … và {len(rows) - limit} dòng nữa (xem --json)")
