"""What the audit log calls the things it records, in Vietnamese (issue 17).

An entry's ``object_type`` is a model label ("reporting.reminder") or a name of its own ("demo",
"reporting.compliance"). A model's Vietnamese ``verbose_name`` names it; the nouns below name
what has none (models without a verbose name, and types that are not models), so the log never
shows Django's English default ("Reminder", "Consolidated report") or a bare code ("demo").
"""

from __future__ import annotations

from django.apps import apps

OBJECT_TYPE_NOUNS: dict[str, str] = {
    "demo": "Dữ liệu mẫu",
    "core.notification": "Thông báo",
    "core.dailysalt": "Khóa băm trong ngày",
    "core.workerbeat": "Tiến trình nền",
    "core.datakey": "Khóa mã hóa dữ liệu cá nhân",
    "issues.issueevent": "Diễn biến vấn đề",
    "picture.rollup": "Số liệu tổng hợp sẵn",
    "picture.monthrollup": "Số liệu tổng hợp sẵn theo tháng",
    "picture.weekrollup": "Số liệu tổng hợp sẵn theo tuần",
    "picture.dirtyday": "Ngày cần tính lại",
    "picture.directionassignment": "Giao thực hiện chỉ đạo",
    "picture.directionupdate": "Cập nhật thực hiện chỉ đạo",
    "picture.latentcandidate": "Đề xuất dư luận tiềm ẩn",
    "picture.subscription": "Đăng ký nhận cảnh báo",
    "picture.alert": "Cảnh báo",
    "picture": "Bức tranh dư luận",
    "picture.drill": "Hồ sơ bức tranh dư luận",
    "reporting.reportversion": "Phiên bản báo cáo",
    "reporting.reminder": "Nhắc hạn",
    "reporting.consolidatedreport": "Báo cáo tổng hợp",
    "reporting.compliance": "Tình hình nộp báo cáo",
    "surveys.attachment": "Tệp đính kèm phiếu",
    "textops.enginestate": "Mô hình phân loại",
}


def object_type_label(object_type: str) -> str:
    """ "reporting.reminder" -> "Nhắc hạn"; "orgs.orgunit" -> "Đơn vị" (its verbose name)."""
    if object_type in OBJECT_TYPE_NOUNS:
        return OBJECT_TYPE_NOUNS[object_type]
    try:
        name = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type or "—"
    return name[:1].upper() + name[1:]
