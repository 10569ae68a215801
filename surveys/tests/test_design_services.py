"""Survey design writes: create/update (optimistic), XLSForm versions, status, concept keys."""

from __future__ import annotations

import pytest

from core.errors import ConflictError, ServiceError
from core.models import AuditEntry
from core.text import fold
from odk.tests.builder import coverage_rows, with_survey_rows, xls_bytes, xlsx_bytes
from surveys.design import services
from surveys.design.services import SurveyInput, XLSFormRejected
from surveys.models import FormVersion, Question, Survey
from surveys.tests.conftest import STANDARD_FORM_ID, standard_xlsform_bytes


def counts() -> tuple[int, int, int, int]:
    return (
        Survey.objects.count(),
        FormVersion.objects.count(),
        Question.objects.count(),
        AuditEntry.objects.count(),
    )


# --- create / update --------------------------------------------------------------------------


def test_create_survey_makes_slug_form_id_and_audit(vanphong, area_1):
    survey = services.create_survey(
        user=vanphong,
        data=SurveyInput(title="Lấy ý kiến về Chợ Hòa Bình", target_area_ids=(area_1.pk,),
                         policy_title="Đề án chợ", policy_stage="trong"),
    )
    assert survey.slug == "lay-y-kien-ve-cho-hoa-binh"
    assert survey.form_id == "lay_y_kien_ve_cho_hoa_binh"
    assert survey.title_folded == "lay y kien ve cho hoa binh"
    assert survey.status == Survey.Status.DRAFT
    assert list(survey.target_areas.all()) == [area_1]
    entry = AuditEntry.objects.get(object_type="surveys.survey", object_id=str(survey.pk))
    assert entry.action == "create" and entry.actor == vanphong
    again = services.create_survey(
        user=vanphong, data=SurveyInput(title="Lấy ý kiến về chợ Hoà Bình")
    )
    assert again.slug == "lay-y-kien-ve-cho-hoa-binh-2"
    assert again.form_id == "lay_y_kien_ve_cho_hoa_binh_2"


def test_reserved_slug_is_avoided(vanphong):
    survey = services.create_survey(user=vanphong, data=SurveyInput(title="Mới"))
    assert survey.slug == "moi-2"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "hang_tuan"}, "kind"),
        ({"policy_stage": "truoc"}, "policy_title"),
        ({"policy_stage": "sau_nua", "policy_title": "Đề án"}, "policy_stage"),
        ({"form_id": "mã có dấu"}, "form_id"),
        ({"area_field": "khu vực"}, "area_field"),
        ({"target_area_ids": (999_999,)}, "target_areas"),
        ({"unit_id": 999_999}, "unit"),
    ],
)
def test_create_refuses_bad_input(vanphong, changes, field):
    before = counts()
    with pytest.raises(ServiceError) as caught:
        services.create_survey(user=vanphong, data=SurveyInput(**{"title": "KS", **changes}))
    assert caught.value.field == field
    assert counts() == before


def test_create_refuses_taken_form_id(vanphong, draft_survey):
    with pytest.raises(ServiceError, match="đã dùng cho cuộc khảo sát khác"):
        services.create_survey(user=vanphong, data=SurveyInput(title="Khác",
                                                                form_id=STANDARD_FORM_ID))


def test_only_office_designs(an, lanhdao):
    for user in (an, lanhdao):
        with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
            services.create_survey(user=user, data=SurveyInput(title="KS"))
    assert not Survey.objects.exists()


def test_update_is_optimistic(vanphong, draft_survey):
    version = draft_survey.version
    data = SurveyInput(title="Tên mới", sample_size=500, form_id=STANDARD_FORM_ID)
    updated = services.update_survey(
        user=vanphong, survey=draft_survey, data=data, expected_version=version
    )
    assert (updated.title, updated.sample_size, updated.version) == ("Tên mới", 500, version + 1)
    with pytest.raises(ConflictError) as caught:
        services.update_survey(
            user=vanphong, survey=draft_survey, data=SurveyInput(title="Ghi đè"),
            expected_version=version,
        )
    assert caught.value.status_code == 409 and "tải lại" in caught.value.message
    assert Survey.objects.get(pk=draft_survey.pk).title == "Tên mới"


def test_form_id_is_fixed_once_a_version_exists(vanphong, open_survey):
    with pytest.raises(ServiceError, match="Không đổi được mã biểu mẫu"):
        services.update_survey(
            user=vanphong, survey=open_survey, data=SurveyInput(title="X", form_id="khac"),
            expected_version=open_survey.version,
        )


# --- upload -----------------------------------------------------------------------------------


def test_open_survey_fixture_stores_everything(open_survey):
    version = open_survey.versions.get()
    assert (version.version, version.title) == ("2026010101",
                                                "Khảo sát ý kiến nhân dân về chỉnh trang đô thị")
    assert version.languages == ["Tiếng Việt", "English"]
    assert version.default_language == "Tiếng Việt"
    assert version.xlsform_name == "khao_sat_chuan.xlsx"
    assert bytes(version.xlsform).startswith(b"PK\x03\x04")  # the file as uploaded
    assert 'id="khao_sat_chuan" version="2026010101"' in version.xform_xml
    assert len(version.xform_md5) == 32
    assert version.definition["id_string"] == STANDARD_FORM_ID
    assert all(w["level"] == "warning" for w in version.warnings) and version.warnings
    questions = {q.name: q for q in version.questions.all()}
    assert len(questions) == 18
    khu_vuc = questions["khu_vuc"]
    assert (khu_vuc.path, khu_vuc.type, khu_vuc.list_name, khu_vuc.group_path) == (
        "/data/thong_tin/khu_vuc", "select_one", "khu_vuc", "thong_tin"
    )
    assert khu_vuc.required
    assert khu_vuc.labels["English"] == "Which residential group do you live in?"
    assert khu_vuc.concept_key == fold("Ông/bà sống ở tổ dân phố nào?")
    assert khu_vuc.label_folded == khu_vuc.concept_key
    assert questions["ten_thanh_vien"].in_repeat
    assert questions["so_van_de"].concept_key == "so_van_de"  # no label: its name
    assert open_survey.status == Survey.Status.OPEN
    assert AuditEntry.objects.filter(object_type="surveys.formversion").count() == 1


def test_explicit_concept_column(vanphong, draft_survey):
    rows = coverage_rows()
    rows["settings"][1][1] = STANDARD_FORM_ID
    version = services.upload_form_version(
        user=vanphong, survey=draft_survey, content=xlsx_bytes(**rows), filename="c.xlsx"
    )
    assert version.questions.get(name="tuoi").concept_key == "tuoi_nguoi_tra_loi"
    assert version.questions.get(name="thu_nhap").concept_key == "thu nhap (trieu dong)"


def test_legacy_xls_upload(vanphong, draft_survey):
    rows = coverage_rows()
    rows["settings"][1][1] = STANDARD_FORM_ID
    version = services.upload_form_version(
        user=vanphong, survey=draft_survey, content=xls_bytes(**rows), filename="cu.xls"
    )
    assert version.questions.count() == 13
    assert bytes(version.xlsform).startswith(b"\xd0\xcf\x11\xe0")


def test_new_version_keeps_the_old(vanphong, open_survey):
    content = standard_xlsform_bytes(version="2026020101")
    services.upload_form_version(
        user=vanphong, survey=open_survey, content=content, filename="v2.xlsx"
    )
    assert list(open_survey.versions.order_by("id").values_list("version", flat=True)) == [
        "2026010101", "2026020101"
    ]
    assert Question.objects.filter(form_version__survey=open_survey, name="khu_vuc").count() == 2


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"not excel at all", "không phải bảng tính Excel"),
        (b"PK\x03\x04broken zip", "bị hỏng"),
        (xlsx_bytes(**with_survey_rows([])), "chưa có câu hỏi"),
        (xlsx_bytes(**with_survey_rows([["text", "a", "A", "foo(1)", "", ""]])), "Hàm 'foo()'"),
    ],
)
def test_bad_files_store_nothing(vanphong, draft_survey, content, fragment):
    before = counts()
    with pytest.raises(XLSFormRejected) as caught:
        services.upload_form_version(
            user=vanphong, survey=draft_survey, content=content, filename="x.xlsx"
        )
    assert fragment in caught.value.issues[0].message
    assert caught.value.as_dict()["errors"][0]["message"] == caught.value.issues[0].message
    assert counts() == before


def test_duplicate_version_refused(vanphong, open_survey):
    before = counts()
    with pytest.raises(XLSFormRejected) as caught:
        services.upload_form_version(
            user=vanphong, survey=open_survey, content=standard_xlsform_bytes(),
            filename="lai.xlsx",
        )
    issue = caught.value.issues[0]
    assert (issue.sheet, issue.column) == ("settings", "version")
    assert "'2026010101' đã được tải lên" in issue.message
    assert counts() == before


def test_other_form_id_refused_after_first_version(vanphong, open_survey):
    before = counts()
    with pytest.raises(XLSFormRejected) as caught:
        services.upload_form_version(
            user=vanphong, survey=open_survey,
            content=standard_xlsform_bytes(form_id="bang_hoi_khac", version="2"),
            filename="khac.xlsx",
        )
    message = caught.value.issues[0].message
    assert "'bang_hoi_khac'" in message and "'khao_sat_chuan'" in message
    assert "tạo cuộc khảo sát mới" in message
    assert counts() == before


def test_first_upload_adopts_the_form_id(vanphong):
    survey = services.create_survey(user=vanphong, data=SurveyInput(title="Khảo sát mới"))
    services.upload_form_version(
        user=vanphong, survey=survey, content=standard_xlsform_bytes(form_id="ks_rieng"),
        filename="a.xlsx",
    )
    survey.refresh_from_db()
    assert survey.form_id == "ks_rieng"


def test_first_upload_cannot_take_another_surveys_form_id(vanphong, open_survey):
    survey = services.create_survey(user=vanphong, data=SurveyInput(title="Khảo sát mới"))
    before = counts()
    with pytest.raises(XLSFormRejected, match="đã được dùng"):
        services.upload_form_version(
            user=vanphong, survey=survey, content=standard_xlsform_bytes(), filename="a.xlsx"
        )
    assert counts() == before


def test_form_without_form_id_takes_the_surveys(vanphong, open_survey):
    rows = with_survey_rows([["text", "a", "A", "", "", ""]])
    rows["settings"] = [["version"], ["9"]]
    version = services.upload_form_version(
        user=vanphong, survey=open_survey, content=xlsx_bytes(**rows), filename="khong_id.xlsx"
    )
    assert 'id="khao_sat_chuan" version="9"' in version.xform_xml


def test_upload_by_non_office_refused(an, open_survey):
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
        services.upload_form_version(
            user=an, survey=open_survey, content=standard_xlsform_bytes(version="3"),
            filename="a.xlsx",
        )


# --- status -----------------------------------------------------------------------------------


def test_cannot_open_without_a_form(vanphong, draft_survey):
    with pytest.raises(ServiceError, match="Chưa có biểu mẫu"):
        services.set_survey_status(user=vanphong, survey=draft_survey, status="dang_thu")
    assert Survey.objects.get(pk=draft_survey.pk).status == Survey.Status.DRAFT


def test_close_and_reopen_keep_data(vanphong, open_survey):
    from surveys.models import Response

    version = open_survey.versions.get()
    Response.objects.create(survey=open_survey, form_version=version, instance_id="uuid:1",
                            data={"khu_vuc": "to_1"}, source=Response.Source.WEB)
    closed = services.set_survey_status(user=vanphong, survey=open_survey, status="da_dong")
    assert closed.status == Survey.Status.CLOSED and closed.responses.count() == 1
    assert not closed.is_open
    reopened = services.set_survey_status(user=vanphong, survey=closed, status="dang_thu")
    assert reopened.is_open and reopened.responses.count() == 1
    summaries = list(
        AuditEntry.objects.filter(object_type="surveys.survey").values_list("summary", flat=True)
    )
    assert any(s.startswith("Đóng") for s in summaries)
    assert any(s.startswith("Mở lại") for s in summaries)


def test_status_moves_are_checked(vanphong, open_survey):
    with pytest.raises(ServiceError, match="Không chuyển được"):
        services.set_survey_status(user=vanphong, survey=open_survey, status="nhap")
    with pytest.raises(ServiceError, match="không hợp lệ"):
        services.set_survey_status(user=vanphong, survey=open_survey, status="xoa")
    with pytest.raises(ConflictError):
        services.set_survey_status(user=vanphong, survey=open_survey, status="da_dong",
                                   expected_version=open_survey.version - 1)


# --- concept keys -----------------------------------------------------------------------------


def test_set_concept_key(vanphong, an, open_survey):
    question = Question.objects.get(form_version__survey=open_survey, name="hai_long_chung")
    services.set_concept_key(user=vanphong, question=question, concept_key="Hài lòng chung")
    question.refresh_from_db()
    assert question.concept_key == "hai long chung"
    with pytest.raises(ServiceError, match="không được để trống"):
        services.set_concept_key(user=vanphong, question=question, concept_key="  ")
    with pytest.raises(ServiceError):
        services.set_concept_key(user=an, question=question, concept_key="x")
    assert AuditEntry.objects.filter(object_type="surveys.question").count() == 1
