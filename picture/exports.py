"""The picture and its drill-downs as XLSX: one sheet per panel, the numbers as the reader sees
them ("< 3" stays text), written with ``documents.xlsx`` and recorded in the audit log."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from openpyxl import Workbook

from core.models import Attitude, AuditEntry
from core.services import audit
from documents.xlsx import write_table
from picture.drilldown import DrillResult
from picture.query import PictureQuery

ATTITUDES = list(Attitude.choices)


def _pct(share) -> object:
    return "" if share is None else round(share * 100, 1)


def _summary_rows(query: PictureQuery, data: dict) -> list[list]:
    totals, before = data["totals"], data["totals"]["previous"]
    rate = totals.get("on_time_rate") or {}
    rows = [
        ["Kỳ", data["period"]["label"], data["period"]["previous"]["label"]],
        ["Ý kiến nghe được (tổng)", totals["heard"], before["heard"]],
        ["— ý kiến tiếp nhận", totals["items"], before["items"]],
        ["— luồng ý kiến trong báo cáo", totals["stream_mentions"], before["stream_mentions"]],
        ["Tỷ lệ lo lắng, bức xúc, phản đối (%)", _pct(totals["concerned_share"]),
         _pct(before["concerned_share"])],
        ["Tỷ lệ bức xúc, phản đối (%)", _pct(totals["aggrieved_share"]),
         _pct(before["aggrieved_share"])],
        ["Dư luận tiềm ẩn", totals["latent"], before["latent"]],
        ["Vấn đề đang mở", totals["issues_open"], ""],
        ["Vấn đề quá hạn", totals["issues_overdue"], ""],
        ["Vấn đề đã trả lời trong kỳ", totals["issues_answered"], ""],
    ]
    if rate:
        rows.append([f"Tỷ lệ nộp báo cáo đúng hạn ({rate['label']}) (%)", _pct(rate["rate"]), ""])
    for name, value in data["filters"].items():
        if value:
            rows.append([f"Lọc: {name}", value.get("name", ""), ""])
    return rows


def picture_workbook(query: PictureQuery, data: dict) -> Workbook:
    book = Workbook()
    write_table(book, "Tổng quan", ["Chỉ số", "Kỳ này", "Kỳ trước"], _summary_rows(query, data))
    write_table(book, "Chủ đề", ["Chủ đề", "Tổng", "Ý kiến", "Báo cáo",
                                 *[label for _, label in ATTITUDES], "Tỷ lệ bức xúc (%)"], [
        [t["name"], t["count"], t["items"], t["stream_mentions"],
         *[t["by_attitude"][value] for value, _ in ATTITUDES], _pct(t["aggrieved_share"])]
        for t in data["topics"]
    ])
    heat = data["heat"]
    write_table(book, "Chủ đề theo thời gian",
                ["Chủ đề", *[b["label"] for b in heat["buckets"]]],
                [[row["name"], *row["counts"]] for row in heat["rows"]])
    write_table(book, "Nhóm xã hội", ["Nhóm xã hội", "Tổng", "Chủ đề", "Số ý kiến"], [
        [g["name"], g["count"], t["name"], t["count"]]
        for g in data["social_groups"] for t in (g["topics"] or [{"name": "", "count": ""}])
    ])
    write_table(book, "Kênh", ["Kênh", "Tổng", "Ý kiến", "Báo cáo"], [
        [c["name"], c["count"], c["items"], c["stream_mentions"]] for c in data["channels"]
    ])
    write_table(book, "Tổ dân phố", ["Tổ dân phố", "Số dân", "Ý kiến", "Trên 1.000 dân",
                                     "Tỷ lệ bức xúc (%)", "Im lặng"], [
        [a["name"], a["population"], a["count"], a["per_1000"] if a["per_1000"] is not None
         else "", _pct(a["aggrieved_share"]), "Có" if a["silent"] else ""]
        for a in data["areas"]
    ])
    write_table(book, "Đang nổi lên", ["Loại", "Tên", "Số ý kiến", "Bình thường từ",
                                       "Bình thường đến", "Lý do"], [
        [r.get("kind", ""), r.get("name", ""), r.get("count", ""), r.get("expected_low", ""),
         r.get("expected_high", ""), r.get("reason", "")] for r in data["rising"]
    ])
    write_table(book, "Dự báo", ["Chủ đề", "Tuần bắt đầu", "Dự báo", "Thấp", "Cao"], [
        [f.get("name", ""), w.get("start", ""), w.get("expected", ""), w.get("low", ""),
         w.get("high", "")] for f in data["forecast"] for w in f.get("weeks", [])
    ])
    coverage = data["coverage"]
    write_table(book, "Khoảng trống", ["Loại", "Tên", "Số dân", "Lần cuối ghi nhận"], [
        *[["Tổ dân phố im lặng", a["name"], a["population"], a["last_heard"] or "chưa có"]
          for a in coverage["silent_areas"]],
        *[["Chưa có cộng tác viên", a["name"], a["population"], ""]
          for a in coverage["areas_without_collaborator"]],
        *[["Nhóm chưa được nghe", g["name"], "", ""] for g in coverage["unheard_groups"]],
        *[["Chủ đề chưa ai phản ánh", t["name"], "", ""] for t in coverage["unheard_topics"]],
        *[["Đơn vị chưa nêu dư luận tiềm ẩn", u["name"], "", ""]
          for u in coverage["units_never_latent"]],
    ])
    latent = data["latent"]
    write_table(book, "Dư luận tiềm ẩn", ["Nguồn", "Số"], [
        ["Ý kiến tiếp nhận", latent["items"]], ["Luồng ý kiến trong báo cáo",
                                                latent["stream_mentions"]],
    ])
    return book


def drill_workbook(result: DrillResult, parts: list[str]) -> Workbook:
    book = Workbook()
    write_table(book, "Ý kiến", ["Ngày", "Kênh", "Tổ dân phố", "Đơn vị", "Chủ đề", "Thái độ",
                                 "Dư luận tiềm ẩn", "Nội dung (đã che thông tin cá nhân)"], [
        [item.received_on, item.get_channel_display(), item.area.name if item.area else "",
         item.unit.name if item.unit else "", ", ".join(t.name for t in item.topics.all()),
         item.get_attitude_display(), "Có" if item.latent else "", item.text]
        for item in result.items
    ])
    write_table(book, "Luồng ý kiến báo cáo", ["Kỳ báo cáo", "Đơn vị", "Tổ dân phố", "Chủ đề",
                                               "Thái độ", "Nguồn", "Dư luận tiềm ẩn", "Nội dung"], [
        [stream.report.period.code, stream.report.unit.name,
         stream.area.name if stream.area else "", stream.topic.name,
         stream.get_attitude_display(), stream.get_channel_display(),
         "Có" if stream.latent else "", stream.summary]
        for stream in result.streams
    ])
    write_table(book, "Điều kiện", ["Điều kiện", "Số bản ghi"],
                [[" · ".join(parts), result.total]])
    return book


def audit_export(request: HttpRequest, filename: str, object_type: str, *, rows: int = 0) -> None:
    audit(actor=request.user, action=AuditEntry.Action.EXPORT, object_type=object_type,
          unit=getattr(request.user, "unit", None),
          summary=f"Xuất tệp {filename}" + (f" ({rows} dòng)" if rows else ""),
          data={"query": request.GET.urlencode()[:400], "rows": rows,
                "at": timezone.now().isoformat()})
