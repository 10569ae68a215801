"""The templates the office starts from (issue 15): one for each kind of reporter. Pure data; the
office names, edits and assigns the template on the page before it is created."""

from __future__ import annotations

PRESETS: dict[str, dict] = {
    "chi-bo": {
        "label": "Báo cáo tháng của chi bộ",
        "name": "Báo cáo tình hình tư tưởng và dư luận xã hội hằng tháng của chi bộ",
        "sections": [
            ("tu_tuong", "Tình hình tư tưởng"),
            ("du_luan_noi_bat", "Dư luận nổi bật"),
            ("du_luan_tiem_an", "Dư luận tiềm ẩn và dự báo"),
            ("kien_nghi", "Kiến nghị, đề xuất"),
        ],
    },
    "mttq": {
        "label": "Báo cáo của Mặt trận về nhận thức, đồng thuận của đoàn viên, hội viên (R4)",
        "name": "Báo cáo nhận thức, mức độ đồng thuận và khó khăn của đoàn viên, hội viên",
        "sections": [
            ("nhan_thuc", "Nhận thức của đoàn viên, hội viên theo từng chủ đề"),
            ("dong_thuan", "Mức độ đồng thuận theo từng chủ đề"),
            ("kho_khan", "Khó khăn, vướng mắc"),
            ("kien_nghi", "Kiến nghị, đề xuất"),
        ],
    },
    "hdnd": {
        "label": "Báo cáo của HĐND về ý kiến, kiến nghị cử tri",
        "name": "Báo cáo tổng hợp ý kiến, kiến nghị của cử tri",
        "sections": [
            ("tiep_xuc", "Các cuộc tiếp xúc cử tri đã tổ chức"),
            ("y_kien_cu_tri", "Ý kiến, kiến nghị của cử tri"),
            ("da_tra_loi", "Kiến nghị đã được trả lời, giải quyết"),
            ("chua_giai_quyet", "Kiến nghị chưa được giải quyết, đề xuất"),
        ],
    },
    "ctv": {
        "label": "Báo cáo tóm tắt tháng của cộng tác viên",
        "name": "Tóm tắt tình hình dư luận trong tháng của cộng tác viên",
        "sections": [
            ("noi_bat", "Ý kiến nổi bật nắm được trong tháng"),
            ("dia_ban", "Tình hình ở địa bàn phụ trách"),
            ("de_xuat", "Đề xuất"),
        ],
    },
}


def preset_sections(key: str) -> list[dict]:
    return [{"key": k, "title": t} for k, t in PRESETS[key]["sections"]]
