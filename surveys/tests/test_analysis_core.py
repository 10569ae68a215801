"""surveys.analysis on the hand-checkable survey of ``analysis_world`` (numbers worked by hand)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from scipy import stats

from orgs.models import Area
from surveys.analysis.consensus import consensus_result, group_labels_for, statement_questions
from surveys.analysis.crosstab import crosstab_result, significance_reading
from surveys.analysis.filters import AnalysisFilter
from surveys.analysis.frame import clear_table_cache, load_responses
from surveys.analysis.open_answers import open_answers
from surveys.analysis.questions import survey_questions
from surveys.analysis.results import analyse, suppress_small_cells
from surveys.analysis.vocabulary import AGE_GROUP, AREA, MULTIPLE, NUMERIC
from surveys.models import PopulationMargin, Question, Response
from surveys.tests.analysis_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(cell_a):
    return build_world(cell_a)


def poststrat_by_gender(survey):
    survey.weighting_method = "poststrat"
    survey.weighting_variables = ["gioi_tinh"]
    survey.save()
    return survey


def result_of(results, name):
    return next(r for r in results if r.question.name == name)


def row_of(result, value):
    return next(r for r in result.rows if r.value == value)


# --- questions across versions ---------------------------------------------------------------


def test_questions_are_matched_by_name_across_versions(survey):
    questions = survey_questions(survey)
    names = [q.name for q in questions]
    assert names == ["khu_vuc", "gioi_tinh", "nhom_tuoi", "hai_long", "kenh", "so_nguoi",
                     "y_kien", "dong_y_1", "dong_y_2", "moi"]
    by_name = {q.name: q for q in questions}
    assert by_name["hai_long"].versions == ["1", "2"]
    assert by_name["moi"].versions == ["2"]
    assert by_name["kenh"].kind == MULTIPLE
    assert by_name["so_nguoi"].kind == NUMERIC
    assert [q.name for q in statement_questions(questions)] == ["dong_y_1", "dong_y_2"]


def test_label_comes_from_the_latest_version_and_old_choices_keep_their_labels(survey):
    old = Question.objects.get(form_version__survey=survey, form_version__version="1",
                               name="hai_long")
    old.label = "Nhãn cũ của câu hỏi"
    old.choices = [*old.choices, {"name": "khong_biet", "label": "Không biết"}]
    old.save()
    question = next(q for q in survey_questions(survey) if q.name == "hai_long")
    assert question.label == "Ông/bà có hài lòng với việc chỉnh trang Hòa Bình không?"
    assert question.choices == [("co", "Có"), ("khong", "Không"), ("khong_biet", "Không biết")]


def test_a_question_added_in_v2_counts_only_the_responses_asked(survey):
    analysis = analyse(survey, weighted=False)
    moi = result_of(analysis.frequencies(), "moi")
    assert (moi.asked, moi.respondents) == (4, 4)
    assert [(r.value, r.n) for r in moi.rows] == [("co", 3), ("khong", 1)]
    assert row_of(moi, "co").percent == pytest.approx(75.0)


# --- frequencies and weights -----------------------------------------------------------------


def test_unweighted_frequencies(survey):
    results = analyse(survey, weighted=False).frequencies()
    hai_long = result_of(results, "hai_long")
    assert [(r.value, r.n, r.percent) for r in hai_long.rows] == [("co", 5, 50.0),
                                                                    ("khong", 5, 50.0)]
    assert hai_long.rows[0].weighted_percent is None
    kenh = result_of(results, "kenh")
    # 9 people answered (row 7 left it empty); loa 5, hop_to 3, zalo 3 of them.
    assert kenh.respondents == 9
    assert [(r.value, r.n) for r in kenh.rows] == [("loa", 5), ("hop_to", 3), ("zalo", 3)]
    assert row_of(kenh, "loa").percent == pytest.approx(500 / 9)
    mean = result_of(results, "so_nguoi").mean
    assert mean.n == 9 and mean.mean == pytest.approx(30 / 9)


def test_poststratified_share_matches_the_hand_computation(survey):
    poststrat_by_gender(survey)
    analysis = analyse(survey)
    weights = analysis.weighting.weights
    assert analysis.weighting.ok and analysis.weighting.variables == ["gioi_tinh"]
    # 4 men share 600, 6 women share 400.
    assert weights[:4] == pytest.approx([150.0] * 4)
    assert weights[4:] == pytest.approx([400 / 6] * 6)
    co = row_of(result_of(analysis.frequencies(), "hai_long"), "co")
    assert co.n == 5
    assert co.percent == pytest.approx(50.0)
    assert co.weighted_percent == pytest.approx(100 * (3 * 150 + 2 * 400 / 6) / 1000)  # 58.33
    # Taylor-linearised standard error of a ratio, with-replacement design, by hand.
    w = np.array(weights)
    y = np.array([1, 1, 1, 0, 1, 1, 0, 0, 0, 0], dtype=float)
    p = (w * y).sum() / w.sum()
    n = len(w)
    se = math.sqrt(n / (n - 1) * ((w * (y - p)) ** 2).sum()) / w.sum()
    assert co.se == pytest.approx(100 * se, rel=1e-9)
    assert co.moe == pytest.approx(100 * stats.t.ppf(0.975, n - 1) * se, rel=1e-9)
    assert co.deff == pytest.approx(n * (w**2).sum() / w.sum() ** 2)  # 1.1667
    assert co.ci_low < co.weighted_percent < co.ci_high


def test_raking_reproduces_every_margin(survey):
    PopulationMargin.objects.create(variable="nhom_tuoi", category="18_29", population=300)
    PopulationMargin.objects.create(variable="nhom_tuoi", category="30_44", population=700)
    analysis = analyse(survey)
    weighting = analysis.weighting
    assert weighting.ok, weighting.error
    assert weighting.variables == ["khu_vuc", "gioi_tinh", "nhom_tuoi"]
    results = analysis.frequencies()
    # Areas 820/1180; gender 600/400 and ages 300/700 scaled to the same total.
    assert row_of(result_of(results, "khu_vuc"), "to_1").weighted_percent == pytest.approx(41.0)
    assert row_of(result_of(results, "gioi_tinh"), "nam").weighted_percent == pytest.approx(60.0)
    assert row_of(result_of(results, "nhom_tuoi"), "30_44").weighted_percent == pytest.approx(
        70.0)
    assert weighting.weights.sum() == pytest.approx(2000)
    assert any("khác tổng" in note for note in weighting.notes)


def test_survey_margins_replace_the_ward_default(survey):
    poststrat_by_gender(survey)
    PopulationMargin.objects.create(survey=survey, variable="gioi_tinh", category="nam",
                                    population=300)
    PopulationMargin.objects.create(survey=survey, variable="gioi_tinh", category="nu",
                                    population=700)
    analysis = analyse(survey)
    assert analysis.weighting.margins["gioi_tinh"].source == "Riêng cuộc khảo sát này"
    co = row_of(result_of(analysis.frequencies(), "hai_long"), "co")
    assert co.weighted_percent == pytest.approx(100 * (3 * 75 + 2 * 700 / 6) / 1000)  # 45.83


def test_missing_margins_give_a_clear_message(survey):
    survey.weighting_variables = ["nhom_tuoi"]
    survey.save()
    analysis = analyse(survey)
    assert not analysis.weighting.ok
    assert "Chưa có cơ cấu dân số cho nhóm tuổi" in analysis.weighting.error
    # Results still come, unweighted.
    hai_long = result_of(analysis.frequencies(), "hai_long")
    assert hai_long.rows[0].weighted_percent is None


def test_no_margin_at_all(cell_a):
    survey = build_world(cell_a, with_margins=False)
    Area.objects.update(population=0)
    weighting = analyse(survey).weighting
    assert not weighting.ok
    assert weighting.error.startswith("Chưa có cơ cấu dân số nào")


def test_a_response_without_gender_is_named(survey):
    poststrat_by_gender(survey)
    Response.objects.filter(instance_id="uuid:ks-chinh-trang-7").update(gender="")
    weighting = analyse(survey).weighting
    assert not weighting.ok
    assert "Có 1 phiếu chưa có thông tin giới tính" in weighting.error
    assert "uuid:ks-chinh-trang-7" in weighting.error


def test_a_category_without_population_is_refused_by_label(survey):
    poststrat_by_gender(survey)
    Response.objects.filter(instance_id="uuid:ks-chinh-trang-7").update(gender="khac")
    weighting = analyse(survey).weighting
    assert not weighting.ok
    assert weighting.error.startswith("Không tính được trọng số:")
    assert "khac" in weighting.error and "Giới tính" in weighting.error


def test_poststratification_needs_exactly_one_variable(survey):
    survey.weighting_method = "poststrat"
    survey.weighting_variables = ["khu_vuc", "gioi_tinh"]
    survey.save()
    weighting = analyse(survey).weighting
    assert "Hậu phân tầng cần đúng một biến" in weighting.error


# --- filters ---------------------------------------------------------------------------------


def test_filters(survey):
    area_1 = Area.objects.get(name="Tổ dân phố 1")
    cases = [
        (AnalysisFilter(gender="nu"), 6),
        (AnalysisFilter(area_id=area_1.pk), 5),
        (AnalysisFilter(version="2"), 4),
        (AnalysisFilter(age_group="30_44", gender="nam"), 2),
        (AnalysisFilter(answers=(("hai_long", "co"),)), 5),
        (AnalysisFilter(answers=(("kenh", "zalo"),)), 3),  # select_multiple: contains
        (AnalysisFilter(source="odk"), 0),
        (AnalysisFilter(date_from=dt.date(2026, 1, 8), date_to=dt.date(2026, 1, 10)), 3),
    ]
    for filters, expected in cases:
        assert analyse(survey, filters).n == expected, filters


def test_weights_come_from_the_whole_sample_before_filtering(survey):
    poststrat_by_gender(survey)
    analysis = analyse(survey, AnalysisFilter(gender="nu"))
    # Women keep their whole-sample weight; within women, hai_long=co is 2 of 6 either way.
    assert analysis.weights[analysis.mask] == pytest.approx([400 / 6] * 6)
    co = row_of(result_of(analysis.frequencies(), "hai_long"), "co")
    assert (co.n, co.weighted_percent) == (2, pytest.approx(100 * 2 / 6))
    words = analysis.filter_words()
    assert words == ["Giới tính: Nữ"]


# --- cross-tabs, consensus, open answers, small cells ----------------------------------------


def test_crosstab_unweighted_is_pearson(survey):
    analysis = analyse(survey, weighted=False)
    table = crosstab_result(analysis.table, analysis.question("gioi_tinh"),
                            analysis.question("hai_long"))
    assert table.counts == [[3, 1], [2, 4]]
    assert table.row_percent[0] == pytest.approx([75.0, 25.0])
    expected = stats.chi2_contingency([[3, 1], [2, 4]], correction=False)
    assert table.statistic == pytest.approx(expected.statistic)
    assert table.p_value == pytest.approx(expected.pvalue)
    assert table.df == 1
    assert "Chưa thấy khác biệt có ý nghĩa thống kê" in table.reading
    assert table.caution  # expected counts below 5 in a table of 10


def test_crosstab_weighted_uses_rao_scott(survey):
    poststrat_by_gender(survey)
    analysis = analyse(survey)
    table = crosstab_result(analysis.table, analysis.question("khu_vuc"),
                            analysis.question("hai_long"), analysis.weights)
    assert table.weighted and table.method.startswith("Rao–Scott")
    assert 0 <= table.p_value <= 1


def test_significance_reading():
    assert "Có sự khác biệt có ý nghĩa thống kê (p = 0,012)" in significance_reading(
        0.012, "Giới tính", "Hài lòng")
    assert "p < 0,001" in significance_reading(0.0001, "a", "b")
    assert significance_reading(None, "a", "b").startswith("Không đủ dữ liệu")


def test_group_informed_consensus_by_area(survey):
    analysis = analyse(survey, weighted=False)
    groups = group_labels_for(analysis.table, AREA, analysis.choice_labels)
    ranked = consensus_result(analysis.table, analysis.questions, groups)
    assert [r.question.name for r in ranked] == ["dong_y_1", "dong_y_2"]
    # dong_y_1: area 1 agrees 5 of 5 -> 6/7; area 2 agrees 2 of 5 -> 3/7.
    assert ranked[0].consensus == pytest.approx(6 / 7 * 3 / 7)
    assert ranked[1].consensus == pytest.approx(3 / 7 * 3 / 7)
    assert ranked[0].agree_share == pytest.approx(70.0)
    assert dict((g, share) for g, _, share in ranked[0].groups) == {
        "Tổ dân phố 1": pytest.approx(100.0), "Tổ dân phố 2": pytest.approx(40.0)}


def test_consensus_by_age_group_uses_the_choice_labels(survey):
    analysis = analyse(survey, weighted=False)
    groups = group_labels_for(analysis.table, AGE_GROUP, analysis.choice_labels)
    ranked = consensus_result(analysis.table, analysis.questions, groups)
    assert {g for g, _, _ in ranked[0].groups} == {"Từ 18 đến 29 tuổi", "Từ 30 đến 44 tuổi"}


def test_open_answers_are_masked_grouped_and_labelled(survey):
    analysis = analyse(survey, weighted=False)
    result = open_answers(analysis.table, analysis.question("y_kien"), analysis.mask)
    assert result.answered == 5
    examples = [text for group in result.groups for text in group.examples]
    assert not any("0912345678" in text for text in examples)
    assert any("⟨SĐT⟩" in text for text in examples)
    market = [g for g in result.groups if any("chợ" in t for t in g.examples)]
    assert market and market[0].size == 2
    assert sum(count for _, count in result.topics) == 5
    assert "Môi trường" in dict(result.topics)


def test_small_cells_are_hidden_with_a_complement(survey):
    results = analyse(survey, weighted=False).frequencies()
    dong_y_1 = result_of(results, "dong_y_1")  # dong_y 7, khong_dong_y 2, chua_ro 1
    moi = result_of(results, "moi")  # 4 respondents: below the threshold
    kenh = result_of(results, "kenh")
    suppress_small_cells([dong_y_1, moi, kenh])
    assert [r.suppressed for r in dong_y_1.rows] == ["", "small", "small"]
    assert moi.hidden and moi.rows == []
    assert all(r.suppressed == "small" for r in kenh.rows if r.value != "loa")
    assert row_of(kenh, "loa").suppressed == ""

    hai_long = result_of(analyse(survey, weighted=False).frequencies(), "dong_y_2")
    # dong_y 4 and chua_ro 1 are small; khong_dong_y 5 stays.
    suppress_small_cells([hai_long])
    assert [(r.value, r.suppressed) for r in hai_long.rows] == [
        ("dong_y", "small"), ("khong_dong_y", ""), ("chua_ro", "small")]
    hidden = [r for r in hai_long.rows if r.suppressed]
    assert all(r.n == 0 and r.weighted_percent is None for r in hidden)


def test_a_single_small_cell_takes_the_next_smallest_with_it(survey):
    Response.objects.filter(instance_id__in=["uuid:ks-chinh-trang-4",
                                             "uuid:ks-chinh-trang-9"]).update(
        data={"dong_y_1": "dong_y", "hai_long": "co"})
    results = analyse(survey, weighted=False).frequencies()
    dong_y_1 = result_of(results, "dong_y_1")  # dong_y 9, chua_ro 1
    suppress_small_cells([dong_y_1])
    assert [(r.value, r.suppressed) for r in dong_y_1.rows] == [
        ("dong_y", "complement"), ("khong_dong_y", ""), ("chua_ro", "small")]


def test_large_tables_are_cached_until_a_response_arrives(survey, monkeypatch):
    monkeypatch.setattr("surveys.analysis.frame._TABLE_CACHE_MIN_ROWS", 1)
    clear_table_cache()
    questions = survey_questions(survey)
    first = load_responses(survey, questions)
    assert load_responses(survey, questions) is first
    version = survey.versions.get(version="2")
    Response.objects.create(survey=survey, form_version=version, instance_id="uuid:moi",
                            data={"hai_long": "co"}, source=Response.Source.WEB)
    fresh = load_responses(survey, questions)
    assert fresh is not first and fresh.n == 11
    clear_table_cache()


def test_answers_that_are_not_answers_are_missing(survey):
    version = survey.versions.get(version="2")
    Response.objects.create(survey=survey, form_version=version, instance_id="uuid:la",
                            data={"hai_long": ["co"], "kenh": "  ", "so_nguoi": "ba"},
                            source=Response.Source.WEB, gender="nam")
    results = analyse(survey, weighted=False).frequencies()
    assert result_of(results, "hai_long").respondents == 10
    assert result_of(results, "kenh").respondents == 9
    so_nguoi = result_of(results, "so_nguoi")
    assert so_nguoi.respondents == 9 and "1 câu trả lời không phải là số" in so_nguoi.note
