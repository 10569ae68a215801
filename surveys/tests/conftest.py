"""Shared survey fixtures (helpers C, F, G): the standard questionnaire and surveys built from it.

- ``standard_xlsform_bytes(**settings)``: the standard questionnaire as ``.xlsx`` bytes; keyword
  arguments go to its settings sheet (``form_id``, ``version``, ``title``, ``default_language``).
  Questions (name → type): gioi_thieu note; group ``thong_tin`` with khu_vuc (select_one khu_vuc:
  to_1/to_2/to_3 labelled "Tổ dân phố 1..3"), gioi_tinh (nam/nu), nhom_tuoi
  (18_29/30_44/45_59/60+), so_nhan_khau integer (constraint 1..30), ngay_phong_van date
  (default today()); hai_long_chung select_one (required), biet_chu_truong select_one co/khong,
  kenh_thong_tin (relevant ``${biet_chu_truong} = 'co'``), van_de select_multiple or_other
  (+ van_de_other text), y_kien_khac text, dong_y_1..3 (list dong_y: dong_y/khong_dong_y/
  chua_ro), repeat ``thanh_vien`` (ten_thanh_vien, tuoi_thanh_vien), so_van_de calculate.
  Labels in label::Tiếng Việt and label::English; default language Tiếng Việt.
- ``draft_survey``: a ward-wide survey created by the office, no form uploaded yet.
- ``open_survey``: a ward-wide OPEN survey with one version (form_id ``khao_sat_chuan``,
  version ``2026010101``) of the standard questionnaire, made through the real services.
- ``survey_areas``: areas "Tổ dân phố 1..3" (populations 820/640/540) matching khu_vuc's labels.
"""

from __future__ import annotations

import datetime as dt

import pytest

from odk.tests import builder
from orgs.models import Area
from surveys.design import services
from surveys.models import Survey

STANDARD_FORM_ID = "khao_sat_chuan"
STANDARD_VERSION = "2026010101"


def standard_xlsform_bytes(**settings) -> bytes:
    """The standard questionnaire (see the module docstring) as ``.xlsx`` bytes."""
    settings.setdefault("form_id", STANDARD_FORM_ID)
    settings.setdefault("version", STANDARD_VERSION)
    return builder.standard_xlsx(**settings)


@pytest.fixture
def draft_survey(vanphong) -> Survey:
    return services.create_survey(
        user=vanphong,
        data=services.SurveyInput(
            title="Khảo sát ý kiến nhân dân về chỉnh trang đô thị",
            purpose="Nắm tâm trạng, ý kiến của nhân dân trước khi lát lại vỉa hè.",
            starts_on=dt.date(2026, 1, 5),
            ends_on=dt.date(2026, 1, 31),
            target_population="Người dân từ 18 tuổi trở lên",
            sample_size=400,
            policy_title="Dự án chỉnh trang vỉa hè các tuyến phố chính",
            policy_stage="truoc",
            allow_public_link=True,
            form_id=STANDARD_FORM_ID,
        ),
    )


@pytest.fixture
def open_survey(draft_survey, vanphong) -> Survey:
    services.upload_form_version(
        user=vanphong,
        survey=draft_survey,
        content=standard_xlsform_bytes(),
        filename="khao_sat_chuan.xlsx",
    )
    return services.set_survey_status(
        user=vanphong, survey=draft_survey, status=Survey.Status.OPEN
    )


@pytest.fixture
def survey_areas(area_1) -> list[Area]:
    return [
        area_1,
        Area.objects.create(name="Tổ dân phố 2", population=640),
        Area.objects.create(name="Tổ dân phố 3", population=540),
    ]
