"""The default criteria set (from 2025, version 1): what the plan asks of a unit's public-opinion
work, measured from the data the system holds, and dissemination scored by the office."""

from django.db import migrations

DEFAULT_SET = {
    "year": 2025,
    "version": 1,
    "name": "Bộ tiêu chí đánh giá công tác nắm bắt dư luận xã hội của đơn vị",
    "note": "Mặc định theo Chỉ thị 47 và Kế hoạch của Đảng ủy phường; Ban Xây dựng Đảng lập"
            " phiên bản mới khi hướng dẫn của cấp trên thay đổi.",
}
# (code, name, weight, measure, target, floor, missing)
DEFAULT_CRITERIA = [
    ("bao_cao_dung_han", "Nộp báo cáo tháng đúng hạn", 20, "reports_on_time", 100, 0, "exclude"),
    ("phan_tich_day_du", "Báo cáo phân tích đủ thái độ, mức độ, nhóm xã hội của từng luồng ý kiến",
     15, "streams_complete", 90, 0, "exclude"),
    ("du_luan_tiem_an", "Nắm và nêu dư luận tiềm ẩn", 10, "latent_named", 50, 0, "exclude"),
    ("kien_nghi_de_xuat", "Có kiến nghị, đề xuất với cấp ủy, chính quyền", 10, "proposals_made",
     80, 0, "exclude"),
    ("van_de_dung_han", "Trả lời, giải quyết vấn đề dư luận đúng hạn", 15, "issues_on_time", 100,
     0, "exclude"),
    ("chi_dao_dung_han", "Thực hiện ý kiến chỉ đạo đúng hạn", 15, "directions_on_time", 100, 0,
     "exclude"),
    ("cong_tac_vien", "Hoạt động của cộng tác viên (ý kiến ghi nhận mỗi tháng)", 5,
     "collaborator_items", 4, 0, "zero"),
    ("tuyen_truyen", "Quán triệt, tuyên truyền Chỉ thị 47 (Ban Xây dựng Đảng chấm, có minh chứng)",
     10, "entered", 10, 0, "exclude"),
]


def seed(apps, schema_editor):
    CriteriaSet = apps.get_model("evaluation", "CriteriaSet")
    Criterion = apps.get_model("evaluation", "Criterion")
    if CriteriaSet.objects.filter(year=DEFAULT_SET["year"], version=DEFAULT_SET["version"]).exists():
        return
    criteria_set = CriteriaSet.objects.create(**DEFAULT_SET)
    Criterion.objects.bulk_create([
        Criterion(criteria_set=criteria_set, position=n, code=code, name=name, weight=weight,
                  measure=measure, target=target, floor=floor, missing=missing)
        for n, (code, name, weight, measure, target, floor, missing)
        in enumerate(DEFAULT_CRITERIA, start=1)
    ])


def unseed(apps, schema_editor):
    apps.get_model("evaluation", "CriteriaSet").objects.filter(
        year=DEFAULT_SET["year"], version=DEFAULT_SET["version"], created_by__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
