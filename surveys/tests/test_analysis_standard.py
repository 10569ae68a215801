"""End to end: the standard questionnaire uploaded through the design services, responses
received the way ODK Collect sends them, then analysed, weighted and exported."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.analysis import exports
from surveys.analysis.consensus import statement_questions
from surveys.analysis.results import analyse
from surveys.collect.services import receive_submission
from surveys.models import PopulationMargin, Response
from surveys.tests.collect_support import standard_instance

pytestmark = pytest.mark.django_db

# (area, gender, age group, issues ticked)
PEOPLE = [
    ("to_1", "nam", "18_29", "rac_thai"),
    ("to_1", "nu", "30_44", "rac_thai giao_thong"),
    ("to_2", "nu", "45_59", "an_ninh"),
    ("to_2", "nam", "60+", "rac_thai other"),
    ("to_3", "nu", "18_29", "dat_dai"),
    ("to_3", "nam", "30_44", "giao_thong"),
]


@pytest.fixture
def collected(open_survey, survey_areas):
    for index, (area, gender, age, issues) in enumerate(PEOPLE, start=1):
        receive_submission(
            xml=standard_instance(instance_id=f"uuid:chuan-{index}", khu_vuc=area,
                                  gioi_tinh=gender, nhom_tuoi=age, van_de=issues,
                                  y_kien_khac=f"Gọi 0912 345 67{index} về đèn đường ngõ {index}"),
            source=Response.Source.ODK_COLLECT,
        )
    for category, population in (("nam", 990), ("nu", 1010)):
        PopulationMargin.objects.create(variable="gioi_tinh", category=category,
                                        population=population)
    return open_survey


def test_standard_questionnaire_is_analysed(collected):
    analysis = analyse(collected)
    names = [q.name for q in analysis.questions]
    assert "ten_thanh_vien" not in names and "tuoi_thanh_vien" not in names  # in the repeat
    assert "gioi_thieu" not in names and "so_van_de" not in names  # note and calculate
    assert [q.name for q in statement_questions(analysis.questions)] == [
        "dong_y_1", "dong_y_2", "dong_y_3"]
    assert analysis.n == 6
    weighting = analysis.weighting
    assert weighting.ok, weighting.error
    assert weighting.variables == ["khu_vuc", "gioi_tinh"]  # no age margins yet
    results = {r.question.name: r for r in analysis.frequencies()}
    area = {r.value: r for r in results["khu_vuc"].rows}
    assert area["to_1"].weighted_percent == pytest.approx(41.0)  # 820 of 2000
    van_de = {r.value: r for r in results["van_de"].rows}
    assert van_de["rac_thai"].n == 3 and van_de["other"].label == "Khác"
    assert results["so_nhan_khau"].mean.mean == pytest.approx(4.0)


def test_standard_questionnaire_pages_and_exports(client, collected, vanphong):
    client.force_login(vanphong)
    for name in ("survey_results", "survey_consensus", "survey_open_answers", "survey_weights"):
        response = client.get(reverse(name, args=[collected.slug]))
        assert response.status_code == 200, name
    open_text = client.get(reverse("survey_open_answers", args=[collected.slug]),
                           {"q": "y_kien_khac"}).content.decode()
    assert "0912 345 671" not in open_text and "đèn đường" in open_text
    analysis = analyse(collected)
    table = exports.build_export(analysis)
    header = [c.name for c in table.columns]
    assert "van_de/other" in header and "trong_so" in header
    assert len(exports.to_sav(table)) > 1000
