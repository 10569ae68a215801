"""The words of survey analysis: weighting variables and methods, answer kinds, thresholds."""

from __future__ import annotations

from surveys.models import Response

AREA, GENDER, AGE_GROUP = "khu_vuc", "gioi_tinh", "nhom_tuoi"
VARIABLES = {AREA: "Địa bàn (tổ dân phố)", GENDER: "Giới tính", AGE_GROUP: "Nhóm tuổi"}
EDITABLE_VARIABLES = (GENDER, AGE_GROUP)  # areas come from the area registry
METHODS = {"raking": "Cân chỉnh lặp (raking)", "poststrat": "Hậu phân tầng"}
SOURCES = dict(Response.Source.choices)

AGREE = frozenset({"dong_y", "rat_dong_y", "hoan_toan_dong_y"})
DISAGREE = frozenset({"khong_dong_y", "rat_khong_dong_y", "hoan_toan_khong_dong_y"})

CATEGORICAL, MULTIPLE, NUMERIC, TEXT, DATE = "categorical", "multiple", "numeric", "text", "date"
KIND_LABELS = {
    CATEGORICAL: "Chọn một", MULTIPLE: "Chọn nhiều", NUMERIC: "Số", TEXT: "Trả lời mở",
    DATE: "Ngày",
}
TYPE_LABELS = {
    "select_one": "Chọn một", "select_multiple": "Chọn nhiều", "rank": "Xếp hạng",
    "integer": "Số nguyên", "decimal": "Số thập phân", "range": "Khoảng số", "text": "Trả lời mở",
    "date": "Ngày",
}
_KIND_OF_TYPE = {
    "select_one": CATEGORICAL, "rank": CATEGORICAL, "select_multiple": MULTIPLE,
    "integer": NUMERIC, "decimal": NUMERIC, "range": NUMERIC, "text": TEXT, "date": DATE,
}
OTHER_LABEL = "Khác"
MISSING_GROUP = "Chưa xác định"
SMALL_CELL = 5  # the public page hides a count below this
ALPHA = 0.05  # 95% confidence intervals
OPEN_ANSWER_LIMIT = 3_000  # open answers read by the text engine per question (the latest)


def vn_int(value: float) -> str:
    """``47168`` as "47.168" (Vietnamese thousands separator)."""
    return f"{value:,.0f}".replace(",", ".")


def base_type(raw: str) -> str:
    """``select_one`` / ``select_multiple`` / ``integer`` … from an XLSForm or pyxform type."""
    text = (raw or "").strip().lower()
    if text.startswith(("select_one", "select one")):
        return "select_one"
    if text.startswith(("select_multiple", "select all that apply", "select multiple")):
        return "select_multiple"
    head = text.split(" ", 1)[0] if text else ""
    return {"int": "integer", "string": "text"}.get(head, head)
