"""A small survey that can be checked by hand, for the analysis, export and database tests.

Two form versions: version "1" asks khu_vuc, gioi_tinh, nhom_tuoi, hai_long (yes/no), kenh
(select_multiple), so_nguoi (integer), y_kien (open text) and two agree/disagree statements;
version "2" asks the same and adds ``moi`` (yes/no). Ten responses, six on version 1 and four on
version 2:

====  ======  ====  =====  ========  ==========  ========  ===  =====  =====
 #    area    sex   age    hai_long  kenh        so_nguoi  moi  dy_1   dy_2
====  ======  ====  =====  ========  ==========  ========  ===  =====  =====
 1    TDP 1   nam   18_29  co        loa zalo    2         –    dy     kdy
 2    TDP 1   nam   30_44  co        loa         4         –    dy     dy
 3    TDP 1   nam   18_29  co        hop_to      3         –    dy     kdy
 4    TDP 2   nam   30_44  khong     zalo        5         –    kdy    kdy
 5    TDP 1   nu    18_29  co        loa         1         –    dy     chua_ro
 6    TDP 2   nu    30_44  co        loa hop_to  2         –    dy     dy
 7    TDP 2   nu    18_29  khong     –           3         co   dy     kdy
 8    TDP 2   nu    30_44  khong     zalo        4         co   chua_ro dy
 9    TDP 2   nu    18_29  khong     loa         –         khong kdy   kdy
 10   TDP 1   nu    30_44  khong     hop_to      6         co   dy     dy
====  ======  ====  =====  ========  ==========  ========  ===  =====  =====

Population (ward default margins): nam 600, nu 400. Post-stratified by gender, each man weighs
600/4 = 150 and each woman 400/6 = 66.67, so "hai_long = co" is 3 men and 2 women:
(3·150 + 2·66.67) / 1000 = 58.33 % weighted, against 5/10 = 50 % unweighted.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from orgs.models import Area, OrgUnit
from surveys.models import FormVersion, PopulationMargin, Question, Response, Survey


def _choices(*pairs: tuple[str, str]) -> list[dict]:
    return [{"name": name, "label": label} for name, label in pairs]


AREA_CHOICES = _choices(("to_1", "Tổ dân phố 1"), ("to_2", "Tổ dân phố 2"))
GENDER = _choices(("nam", "Nam"), ("nu", "Nữ"))
AGE = _choices(("18_29", "Từ 18 đến 29 tuổi"), ("30_44", "Từ 30 đến 44 tuổi"))
YES_NO = _choices(("co", "Có"), ("khong", "Không"))
CHANNELS = _choices(("loa", "Loa phát thanh"), ("hop_to", "Họp tổ dân phố"),
                    ("zalo", "Nhóm Zalo"))
AGREE = _choices(("dong_y", "Đồng ý"), ("khong_dong_y", "Không đồng ý"), ("chua_ro", "Chưa rõ"))

QUESTIONS_V1 = [
    ("khu_vuc", "select_one", "Ông/bà sống ở tổ dân phố nào?", AREA_CHOICES),
    ("gioi_tinh", "select_one", "Giới tính", GENDER),
    ("nhom_tuoi", "select_one", "Nhóm tuổi", AGE),
    ("hai_long", "select_one", "Ông/bà có hài lòng với việc chỉnh trang Hòa Bình không?", YES_NO),
    ("kenh", "select_multiple", "Ông/bà nhận thông tin qua kênh nào?", CHANNELS),
    ("so_nguoi", "integer", "Số người trong hộ", []),
    ("y_kien", "text", "Ý kiến khác của ông/bà", []),
    ("dong_y_1", "select_one", "Việc lát lại vỉa hè là cần thiết.", AGREE),
    ("dong_y_2", "select_one", "Chợ tạm nên chuyển vào trong khu dân cư.", AGREE),
]
NEW_IN_V2 = ("moi", "select_one", "Ông/bà có biết dự án mới không?", YES_NO)

D, K, C = "dong_y", "khong_dong_y", "chua_ro"
ROWS = [
    # area, sex, age, hai_long, kenh, so_nguoi, moi, dy1, dy2, y_kien
    (1, "nam", "18_29", "co", "loa zalo", "2", None, D, K, "Vỉa hè đường Nguyễn Trãi bị lấn chiếm"),
    (1, "nam", "30_44", "co", "loa", "4", None, D, D, ""),
    (1, "nam", "18_29", "co", "hop_to", "3", None, D, K, "Gọi tôi 0912345678 về rác thải"),
    (2, "nam", "30_44", "khong", "zalo", "5", None, K, K, "Rác thải ở chợ tồn đọng nhiều ngày"),
    (1, "nu", "18_29", "co", "loa", "1", None, D, C, ""),
    (2, "nu", "30_44", "co", "loa hop_to", "2", None, D, D, "Cần lắp thêm đèn chiếu sáng"),
    (2, "nu", "18_29", "khong", "", "3", "co", D, K, "Rác thải ở chợ tồn đọng nhiều ngày quá"),
    (2, "nu", "30_44", "khong", "zalo", "4", "co", C, D, ""),
    (2, "nu", "18_29", "khong", "loa", "", "khong", K, K, ""),
    (1, "nu", "30_44", "khong", "hop_to", "6", "co", D, D, ""),
]


def make_question(version: FormVersion, position: int, name: str, qtype: str, label: str,
                  choices, concept_key: str = "") -> Question:
    return Question.objects.create(
        form_version=version, name=name, path=f"/data/{name}", type=qtype,
        list_name=name if choices else "", label=label, choices=choices, position=position,
        concept_key=concept_key or label.lower(),
    )


def make_version(survey: Survey, code: str, questions, when: dt.datetime) -> FormVersion:
    version = FormVersion.objects.create(
        survey=survey, version=code, title=survey.title, xlsform=b"", xlsform_name="ks.xlsx",
        xform_xml="<h:html/>", xform_md5="0" * 32,
    )
    FormVersion.objects.filter(pk=version.pk).update(uploaded_at=when)
    for position, spec in enumerate(questions):
        make_question(version, position, *spec)
    return version


def build_world(unit: OrgUnit, *, slug: str = "ks-chinh-trang", with_margins: bool = True,
                title: str = "Khảo sát chỉnh trang đô thị Hòa Bình") -> Survey:
    area_1, _ = Area.objects.get_or_create(name="Tổ dân phố 1",
                                           defaults={"population": 820, "unit": unit})
    area_2, _ = Area.objects.get_or_create(name="Tổ dân phố 2",
                                           defaults={"population": 1180, "unit": unit})
    survey = Survey.objects.create(
        title=title, slug=slug, form_id=slug.replace("-", "_"), unit=unit,
        status=Survey.Status.OPEN, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 1, 31),
    )
    start = timezone.make_aware(dt.datetime(2026, 1, 5, 8, 0))
    v1 = make_version(survey, "1", QUESTIONS_V1, start)
    v2 = make_version(survey, "2", [*QUESTIONS_V1, NEW_IN_V2], start + dt.timedelta(days=3))
    areas = {1: area_1, 2: area_2}
    for index, (area, sex, age, hl, kenh, so, moi, dy1, dy2, text) in enumerate(ROWS, start=1):
        data = {"khu_vuc": f"to_{area}", "gioi_tinh": sex, "nhom_tuoi": age, "hai_long": hl,
                "kenh": kenh, "so_nguoi": so, "y_kien": text, "dong_y_1": dy1, "dong_y_2": dy2}
        if moi:
            data["moi"] = moi
        data = {k: v for k, v in data.items() if v}
        Response.objects.create(
            survey=survey, form_version=v1 if index <= 6 else v2,
            instance_id=f"uuid:{slug}-{index}", data=data, source=Response.Source.WEB,
            area=areas[area], gender=sex, age_group=age,
            submitted_at=start + dt.timedelta(days=index),
        )
    if with_margins:
        for category, population in (("nam", 600), ("nu", 400)):
            PopulationMargin.objects.get_or_create(
                survey=None, variable="gioi_tinh", category=category,
                defaults={"population": population},
            )
    return survey
