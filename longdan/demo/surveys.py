"""Demo surveys: two rounds of a ward survey on urban upgrading, answered by a skewed sample.

The sample over-represents women and older residents (as door-to-door interviews do), so the
weighted results differ visibly from the raw ones; the second round repeats the first round's
questions, so the question bank shows them as a time series. Answers depend on age and area with
fixed probabilities from a seeded generator: the demo is the same every time.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook

from orgs.models import Area, Collaborator, OrgUnit, User
from surveys.models import PolicyStage, PopulationMargin, Response, Survey

GENDERS = [("nam", "Nam"), ("nu", "Nữ")]
AGE_GROUPS = [("18_29", "18–29 tuổi"), ("30_44", "30–44 tuổi"), ("45_59", "45–59 tuổi"),
              ("60_plus", "Từ 60 tuổi trở lên")]
# Shares in the ward's adult population (civil registry) and in the demo's door-to-door sample.
POPULATION_SHARE = {"nam": 0.49, "nu": 0.51,
                    "18_29": 0.24, "30_44": 0.31, "45_59": 0.26, "60_plus": 0.19}
SAMPLE_SHARE = {"nam": 0.38, "nu": 0.62,
                "18_29": 0.12, "30_44": 0.24, "45_59": 0.30, "60_plus": 0.34}

SATISFACTION = [("rat_hai_long", "Rất hài lòng"), ("hai_long", "Hài lòng"),
                ("binh_thuong", "Bình thường"), ("khong_hai_long", "Không hài lòng"),
                ("rat_khong_hai_long", "Rất không hài lòng")]
CONCERNS = [("moi_truong", "Ô nhiễm môi trường, rác thải"), ("giao_thong", "Giao thông, ùn tắc"),
            ("trat_tu", "Trật tự vỉa hè, lòng đường"), ("gia_ca", "Giá cả, đời sống"),
            ("viec_lam", "Việc làm, thu nhập"), ("y_te", "Y tế, khám chữa bệnh"),
            ("giao_duc", "Trường lớp, học phí")]
SOURCES = [("truyen_hinh", "Truyền hình"), ("bao_dien_tu", "Báo điện tử"),
           ("mang_xa_hoi", "Mạng xã hội"), ("hop_to", "Họp tổ dân phố"),
           ("loa", "Loa truyền thanh")]
AGREEMENT = [("dong_y", "Đồng ý"), ("khong_dong_y", "Không đồng ý"), ("chua_ro", "Chưa rõ")]
STATEMENTS = [
    ("st_via_he", "Việc lập lại trật tự vỉa hè trên địa bàn là cần thiết"),
    ("st_boi_thuong", "Mức bồi thường, hỗ trợ giải phóng mặt bằng là thỏa đáng"),
    ("st_cong_khai", "Phường công khai đầy đủ thông tin về đề án chỉnh trang"),
]
OPEN_ANSWERS = [
    "Đề nghị phường lắp thêm đèn chiếu sáng ở các ngõ nhỏ",
    "Xe tải chở vật liệu xây dựng làm bụi và hỏng đường, cần kiểm tra",
    "Can cong khai muc boi thuong cho cac ho bi anh huong",
    "Rác thải ở bãi đất trống chưa được thu gom, mùi rất khó chịu",
    "Nên giữ chỗ bán hàng cho người buôn bán nhỏ khi dẹp vỉa hè",
    "Mong phuong to chuc doi thoai voi dan truoc khi giai toa",
    "Cần thêm sân chơi cho trẻ em trong khu dân cư",
    "Giờ thu gom rác nên đổi sang buổi tối để đỡ ùn tắc",
]


@dataclass
class DemoSurveyRound:
    slug: str
    title: str
    version: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    stage: str
    responses: int
    # How much more satisfied residents are in this round than in the first (a visible trend).
    lift: float


def survey_rounds(today: dt.date) -> list[DemoSurveyRound]:
    first_start = today - dt.timedelta(days=150)
    second_start = today - dt.timedelta(days=20)
    return [
        DemoSurveyRound("chinh-trang-dot-1", "Khảo sát ý kiến về đề án chỉnh trang đô thị (đợt 1)",
                        "2026.1", first_start, first_start + dt.timedelta(days=30),
                        Survey.Status.CLOSED, PolicyStage.BEFORE, 820, 0.0),
        DemoSurveyRound("chinh-trang-dot-2", "Khảo sát ý kiến về đề án chỉnh trang đô thị (đợt 2)",
                        "2026.2", second_start, second_start + dt.timedelta(days=40),
                        Survey.Status.OPEN, PolicyStage.DURING, 640, 0.12),
    ]


def questionnaire_xlsx(*, form_id: str, title: str, version: str, areas: list[Area]) -> bytes:
    """The demo questionnaire as an XLSForm (what the office would upload)."""
    survey = [
        ("type", "name", "label::Tiếng Việt (vi)", "label::English (en)", "required",
         "relevant", "constraint", "constraint_message::Tiếng Việt (vi)"),
        ("select_one khu_vuc", "khu_vuc", "Ông/bà sinh sống ở tổ dân phố nào?",
         "Which residential group do you live in?", "yes", "", "", ""),
        ("select_one gioi_tinh", "gioi_tinh", "Giới tính", "Gender", "yes", "", "", ""),
        ("select_one nhom_tuoi", "nhom_tuoi", "Nhóm tuổi", "Age group", "yes", "", "", ""),
        ("integer", "so_nguoi", "Số người trong hộ gia đình", "Household size", "", "",
         ". >= 1 and . <= 30", "Số người trong hộ phải từ 1 đến 30"),
        ("select_one muc_do", "hai_long", "Mức độ hài lòng với môi trường sống ở địa bàn",
         "Satisfaction with the living environment", "yes", "", "", ""),
        ("select_multiple quan_tam or_other", "quan_tam",
         "Những vấn đề ông/bà quan tâm nhất (chọn nhiều)", "Main concerns", "", "", "", ""),
        ("select_one nguon", "nguon_tin", "Nguồn thông tin chính về chủ trương của phường",
         "Main source of information", "", "", "", ""),
        ("begin_group", "nhan_dinh", "Ông/bà có đồng ý với các nhận định sau?",
         "Do you agree with these statements?", "", "", "", ""),
        *[("select_one dong_y", name, label, label, "yes", "", "", "")
          for name, label in STATEMENTS],
        ("end_group", "", "", "", "", "", "", ""),
        ("select_one co_khong", "co_kien_nghi", "Ông/bà có kiến nghị gì thêm không?",
         "Any other suggestions?", "", "", "", ""),
        ("text", "kien_nghi", "Kiến nghị của ông/bà", "Your suggestion", "",
         "${co_kien_nghi} = 'co'", "", ""),
    ]
    choices = [("list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)")]
    choices += [("khu_vuc", area_code(index), area.name, area.name)
                for index, area in enumerate(areas)]
    choices += [("gioi_tinh", name, label, label) for name, label in GENDERS]
    choices += [("nhom_tuoi", name, label, label) for name, label in AGE_GROUPS]
    choices += [("muc_do", name, label, label) for name, label in SATISFACTION]
    choices += [("quan_tam", name, label, label) for name, label in CONCERNS]
    choices += [("nguon", name, label, label) for name, label in SOURCES]
    choices += [("dong_y", name, label, label) for name, label in AGREEMENT]
    choices += [("co_khong", "co", "Có", "Yes"), ("co_khong", "khong", "Không", "No")]
    settings = [("form_title", "form_id", "version", "default_language"),
                (title, form_id, version, "Tiếng Việt (vi)")]
    workbook = Workbook()
    for sheet_name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        sheet = workbook.active if sheet_name == "survey" else workbook.create_sheet(sheet_name)
        sheet.title = sheet_name
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def area_code(index: int) -> str:
    """The choice name of the index-th area (stable across reloads, unlike database ids)."""
    return f"tdp_{index + 1:02d}"


def ward_margins(total: int) -> list[PopulationMargin]:
    """Ward-wide gender and age margins, scaled to the areas' total so raking is consistent."""
    rows = []
    for variable, categories in (("gioi_tinh", GENDERS), ("nhom_tuoi", AGE_GROUPS)):
        shares = [POPULATION_SHARE[name] for name, _ in categories]
        counts = [round(total * share) for share in shares]
        counts[-1] += total - sum(counts)
        rows += [PopulationMargin(survey=None, variable=variable, category=name, population=count)
                 for (name, _), count in zip(categories, counts, strict=True)]
    return rows


class DemoSurveys:
    """Builds the demo surveys through the real upload service, then their responses in bulk."""

    def __init__(self, *, office: User, ward: OrgUnit, today: dt.date, seed: int = 2026):
        self.office, self.ward, self.today = office, ward, today
        self.rng = random.Random(seed)
        self.areas = list(Area.objects.order_by("pk"))
        self.interviewers = list(Collaborator.objects.filter(status=Collaborator.Status.ACTIVE)
                                 .order_by("pk")[:12])

    def build(self) -> dict[str, int]:
        from surveys.design import services

        total = sum(area.population for area in self.areas)
        PopulationMargin.objects.bulk_create(ward_margins(total))
        counts = {"surveys": 0, "responses": 0}
        for spec in survey_rounds(self.today):
            survey = services.create_survey(user=self.office, data=services.SurveyInput(
                title=spec.title, slug=spec.slug, form_id=spec.slug,
                kind=Survey.Kind.PERIODIC, purpose="Lấy ý kiến người dân về đề án chỉnh trang"
                " đô thị phường Hòa Bình giai đoạn 2026–2030.",
                starts_on=spec.starts_on, ends_on=spec.ends_on, unit_id=None,
                target_area_ids=tuple(area.pk for area in self.areas),
                target_population="Người dân từ 18 tuổi trở lên", sample_size=spec.responses,
                policy_title="Đề án chỉnh trang đô thị phường Hòa Bình 2026–2030",
                policy_stage=spec.stage, allow_public_link=True, allow_interviewers=True,
            ))
            content = questionnaire_xlsx(form_id=spec.slug, title=spec.title,
                                         version=spec.version, areas=self.areas)
            version = services.upload_form_version(
                user=self.office, survey=survey, content=content, filename=f"{spec.slug}.xlsx"
            )
            services.set_survey_status(user=self.office, survey=survey, status=Survey.Status.OPEN)
            self._answer(survey, version, spec)
            if spec.status == Survey.Status.OPEN:
                self._plan_and_links(survey)
            if spec.status == Survey.Status.CLOSED:
                services.set_survey_status(user=self.office, survey=survey, status=spec.status)
            survey.refresh_from_db()
            if spec.status == Survey.Status.CLOSED:
                Survey.objects.filter(pk=survey.pk).update(results_published=True)
            counts["surveys"] += 1
            counts["responses"] += spec.responses
        self._cell_draft(services)
        counts["surveys"] += 1
        return counts

    def _plan_and_links(self, survey: Survey) -> None:
        """Quotas from the population (areas) and the registry (gender, age); anonymous links."""
        from surveys.collect import services as collect

        collect.apply_population_plan(survey=survey, user=self.office)
        for dimension, categories in (("gioi_tinh", GENDERS), ("nhom_tuoi", AGE_GROUPS)):
            targets = {name: round(survey.sample_size * POPULATION_SHARE[name])
                       for name, _ in categories}
            collect.set_quotas(survey=survey, dimension=dimension, targets=targets,
                               user=self.office)
        # Handed out at a residents' meeting; only their hashes are kept, so none can be shown.
        collect.issue_tokens(survey=survey, count=40, batch="Họp tổ dân phố tháng 11",
                             user=self.office)

    def _cell_draft(self, services) -> None:
        """A grassroots cell preparing its own survey: a draft its reporter can see and edit."""
        area = next(a for a in self.areas if a.unit_id)
        survey = services.create_survey(user=self.office, data=services.SurveyInput(
            title=f"Lấy ý kiến về sửa chữa nhà văn hóa {area.name}", slug="nha-van-hoa",
            form_id="nha-van-hoa", kind=Survey.Kind.AD_HOC, unit_id=area.unit_id,
            purpose="Hỏi ý kiến các hộ về phương án sửa chữa và đóng góp kinh phí.",
            target_area_ids=(area.pk,), target_population="Đại diện các hộ gia đình",
            sample_size=120, policy_stage=PolicyStage.BEFORE,
            policy_title="Phương án sửa chữa nhà văn hóa tổ dân phố",
        ))
        content = questionnaire_xlsx(form_id="nha-van-hoa", title=survey.title,
                                     version="2026.1", areas=[area])
        services.upload_form_version(user=self.office, survey=survey, content=content,
                                     filename="nha-van-hoa.xlsx")

    # --- respondents -----------------------------------------------------------------------------

    def _pick(self, options: list[tuple[str, str]], weights: list[float]) -> str:
        return self.rng.choices([name for name, _ in options], weights=weights)[0]

    def _answers(self, spec: DemoSurveyRound) -> dict:
        gender = self._pick(GENDERS, [SAMPLE_SHARE[g] for g, _ in GENDERS])
        age = self._pick(AGE_GROUPS, [SAMPLE_SHARE[a] for a, _ in AGE_GROUPS])
        index = self.rng.choices(range(len(self.areas)),
                                 weights=[a.population for a in self.areas])[0]
        older = age in ("45_59", "60_plus")
        # Older residents are more satisfied, younger ones follow the news online.
        lift = spec.lift + (0.15 if older else -0.1)
        satisfaction = self._pick(SATISFACTION, [0.10 + lift / 2, 0.32 + lift, 0.30, 0.20 - lift,
                                                 0.08 - lift / 2])
        concerns = [name for name, _ in CONCERNS if self.rng.random() < 0.35]
        source = self._pick(SOURCES, [0.2, 0.15, 0.45, 0.1, 0.1] if not older
                            else [0.35, 0.1, 0.1, 0.3, 0.15])
        answers = {
            "khu_vuc": area_code(index), "gioi_tinh": gender, "nhom_tuoi": age,
            "so_nguoi": str(self.rng.randint(1, 7)), "hai_long": satisfaction,
            "quan_tam": " ".join(concerns or ["moi_truong"]), "nguon_tin": source,
            "st_via_he": self._pick(AGREEMENT, [0.78, 0.12, 0.10]),
            "st_boi_thuong": self._pick(AGREEMENT, [0.35 + spec.lift, 0.40 - spec.lift, 0.25]),
            "st_cong_khai": self._pick(AGREEMENT, [0.55 if older else 0.40, 0.25, 0.20]),
        }
        if self.rng.random() < 0.3:
            answers["co_kien_nghi"] = "co"
            answers["kien_nghi"] = self.rng.choice(OPEN_ANSWERS)
        else:
            answers["co_kien_nghi"] = "khong"
        return answers

    def _answer(self, survey: Survey, version, spec: DemoSurveyRound) -> None:
        areas = {area_code(index): area for index, area in enumerate(self.areas)}
        sources = [Response.Source.ODK_COLLECT] * 6 + [Response.Source.WEB] * 3 + [
            Response.Source.PUBLIC_LINK]
        days = max(1, (min(spec.ends_on, self.today) - spec.starts_on).days)
        rows = []
        for _ in range(spec.responses):
            answers = self._answers(spec)
            source = self.rng.choice(sources)
            interviewer = (self.rng.choice(self.interviewers)
                           if source != Response.Source.PUBLIC_LINK and self.interviewers else None)
            moment = dt.datetime.combine(
                spec.starts_on + dt.timedelta(days=self.rng.randrange(days)),
                dt.time(self.rng.randint(7, 20), self.rng.randrange(60)),
            )
            instance_id = f"uuid:{uuid.UUID(int=self.rng.getrandbits(128))}"
            rows.append(Response(
                survey=survey, form_version=version, instance_id=instance_id,
                data=answers, source=source, interviewer=interviewer,
                area=areas[answers["khu_vuc"]], gender=answers["gioi_tinh"],
                age_group=answers["nhom_tuoi"],
                submitted_at=timezone.make_aware(moment),
            ))
        Response.objects.bulk_create(rows, batch_size=500)
