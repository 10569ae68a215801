"""Seed the topic taxonomy named by the plan (III.2) and common social groups; both stay editable."""

from django.db import migrations

from core.text import fold

TOPICS = [
    "Kinh tế - xã hội",
    "Quốc phòng - an ninh",
    "Trật tự an toàn xã hội",
    "Đời sống",
    "Việc làm",
    "Thu nhập",
    "Giáo dục",
    "Y tế",
    "Văn hóa",
    "Môi trường",
    "Xây dựng Đảng",
    "Chính quyền",
    "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
]

SOCIAL_GROUPS = [
    "Cán bộ, đảng viên",
    "Công nhân",
    "Nông dân",
    "Trí thức",
    "Doanh nhân",
    "Tiểu thương",
    "Người cao tuổi, hưu trí",
    "Cựu chiến binh",
    "Phụ nữ",
    "Thanh niên",
    "Học sinh, sinh viên",
    "Đồng bào có đạo",
]


def seed(apps, schema_editor):
    Topic = apps.get_model("core", "Topic")
    SocialGroup = apps.get_model("core", "SocialGroup")
    for position, name in enumerate(TOPICS):
        Topic.objects.get_or_create(
            name=name, defaults={"name_folded": fold(name), "position": position}
        )
    for position, name in enumerate(SOCIAL_GROUPS):
        SocialGroup.objects.get_or_create(
            name=name, defaults={"name_folded": fold(name), "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
