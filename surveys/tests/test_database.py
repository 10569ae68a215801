"""The survey database (R6): question bank search and the same question across rounds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from surveys.analysis import question_bank
from surveys.analysis.results import analyse
from surveys.analysis.vocabulary import NUMERIC
from surveys.models import Response, Survey
from surveys.tests.analysis_world import build_world

pytestmark = pytest.mark.django_db

SATISFIED_KEY = "ông/bà có hài lòng với việc chỉnh trang hòa bình không?"


def by_gender(survey: Survey) -> Survey:
    survey.weighting_method, survey.weighting_variables = "poststrat", ["gioi_tinh"]
    survey.save()
    return survey


@pytest.fixture
def rounds(cell_a):
    """Two rounds asking the same questions; in round 2 every woman is satisfied."""
    first = by_gender(build_world(cell_a, slug="dot-1", title="Khảo sát đợt 1 năm 2025"))
    Survey.objects.filter(pk=first.pk).update(starts_on=dt.date(2025, 7, 1),
                                              ends_on=dt.date(2025, 7, 31))
    second = by_gender(build_world(cell_a, slug="dot-2", title="Khảo sát đợt 2"))
    for response in Response.objects.filter(survey=second, gender="nu"):
        response.data["hai_long"] = "co"
        response.save()
    first.refresh_from_db()
    return first, second


def search(user, **criteria):
    return list(question_bank.search_questions(user, question_bank.BankCriteria(**criteria)))


def test_search_without_diacritics_finds_the_question(rounds, vanphong):
    for query in ("hoa binh", "Hoà Bình", "HÒA BÌNH", "chinh trang hoa binh"):
        hits = search(vanphong, q=query)
        assert {(q.form_version.survey.slug, q.name) for q in hits} == {
            ("dot-1", "hai_long"), ("dot-2", "hai_long")}, query
    # One row per survey even though both versions ask the question.
    assert len(search(vanphong, q="hai long")) == 2


def test_search_by_survey_title_and_variable_name(rounds, vanphong):
    hits = search(vanphong, q="dot 1 nam 2025")
    assert {q.form_version.survey.slug for q in hits} == {"dot-1"} and len(hits) == 10
    assert [q.name for q in search(vanphong, q="so_nguoi")] == ["so_nguoi", "so_nguoi"]


def test_search_filters(rounds, vanphong):
    first, second = rounds
    assert {q.form_version.survey_id for q in search(vanphong, survey_id=first.pk)} == {first.pk}
    assert {q.form_version.survey_id for q in search(vanphong, year=2025)} == {first.pk}
    assert {q.form_version.survey_id for q in search(vanphong, year=2026)} == {second.pk}
    assert [q.name for q in search(vanphong, type="select_multiple")] == ["kenh", "kenh"]
    assert {q.name for q in search(vanphong, type="text")} == {"y_kien"}
    assert search(vanphong, q="không có câu này") == []


def test_search_is_scoped(rounds, an, binh, lanhdao, vanphong):
    assert len(search(an, q="hoa binh")) == 2
    assert len(search(lanhdao, q="hoa binh")) == 2
    assert search(binh, q="hoa binh") == []
    Survey.objects.filter(slug="dot-2").update(unit=None)  # ward-wide: the office's
    assert len(search(an, q="hoa binh")) == 1
    assert len(search(vanphong, q="hoa binh")) == 2


def test_bank_page_paginates_and_links_series(client, rounds, cell_a, vanphong):
    build_world(cell_a, slug="dot-3", title="Khảo sát đợt 3")
    client.force_login(vanphong)
    first = client.get(reverse("question_bank")).content.decode()
    assert "30 câu hỏi." in first and "Trang 1 / 2" in first
    second = client.get(reverse("question_bank"), {"page": 2}).content.decode()
    assert second.count("<tr>") == 1 + 5  # header and the last five questions
    text = client.get(reverse("question_bank"), {"q": "hoa binh"}).content.decode()
    assert "3 câu hỏi." in text
    assert "3 đợt — xem chuỗi" in text
    assert reverse("question_series") + "?key=" in text
    empty = client.get(reverse("question_bank"), {"q": "xyz"}).content.decode()
    assert "Không có câu hỏi nào khớp." in empty


def test_bank_page_scoped_for_another_unit(client, rounds, binh):
    client.force_login(binh)
    text = client.get(reverse("question_bank"), {"q": "hoa binh"}).content.decode()
    assert "Không có câu hỏi nào khớp." in text and "dot-1" not in text


def test_series_across_rounds_with_confidence_intervals(rounds, vanphong):
    first, second = rounds
    series = question_bank.concept_series(vanphong, SATISFIED_KEY)
    assert [r.survey.slug for r in series.rounds] == ["dot-1", "dot-2"]  # oldest first
    assert series.categories == [("co", "Có"), ("khong", "Không")]
    one, two = (r.points["co"] for r in series.rounds)
    # Round 1: (3·150 + 2·66.7)/1000; round 2: every woman satisfied (3·150 + 6·66.7)/1000.
    assert one.value == pytest.approx(100 * (450 + 2 * 400 / 6) / 1000)
    assert two.value == pytest.approx(85.0)
    for round_, point in zip(series.rounds, (one, two), strict=True):
        assert round_.weighted
        assert point.low < point.value < point.high
        page_row = next(
            r for r in analyse(round_.survey).frequencies() if r.question.name == "hai_long"
        ).rows[0]
        assert (point.low, point.high) == (pytest.approx(page_row.ci_low),
                                           pytest.approx(page_row.ci_high))
    chart = series.chart()
    assert chart["labels"][0] == "Khảo sát đợt 1 năm 2025 (07/2025)"
    assert chart["series"][0]["values"] == [pytest.approx(58.33, abs=0.01), 85.0]


def test_series_says_when_a_round_is_not_weighted(rounds, vanphong):
    first, _ = rounds
    Survey.objects.filter(pk=first.pk).update(weighting_variables=["nhom_tuoi"])
    series = question_bank.concept_series(vanphong, SATISFIED_KEY)
    assert not series.rounds[0].weighted
    assert "nhóm tuổi" in series.rounds[0].note
    assert series.rounds[0].points["co"].value == pytest.approx(50.0)


def test_series_of_a_number(rounds, vanphong):
    series = question_bank.concept_series(vanphong, "số người trong hộ")
    assert series.kind == NUMERIC and series.categories == [("mean", "Trung bình")]
    assert all(r.points["mean"].n == 9 for r in series.rounds)


def test_series_page(client, rounds, vanphong, binh):
    client.force_login(vanphong)
    url = reverse("question_series")
    text = client.get(url, {"key": SATISFIED_KEY}).content.decode()
    assert 'id="series-data"' in text and "vendor/chart.umd.min.js" in text
    assert "Khảo sát đợt 1 năm 2025 (07/2025)" in text and "85,0%" in text
    assert client.get(url, {"key": "không có"}).status_code == 404
    assert client.get(url).status_code == 302
    client.force_login(binh)
    assert client.get(url, {"key": SATISFIED_KEY}).status_code == 404
