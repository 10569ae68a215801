"""Scorecards on the constructed half-year of ``conftest``: hand-computed values and points, a
unit opened mid-year, the set in force, entered scores with evidence, comments, finalising
(locked, audited), the command line, and who reads which card."""

from __future__ import annotations

import io
import json

import pytest
from django.http import Http404
from openpyxl import load_workbook

from core.errors import LockedError, ServiceError
from core.models import AuditEntry
from evaluation import scoring, services
from evaluation.models import Criterion, EnteredScore, Scorecard
from evaluation.selectors import board_for, card_for, compute_board, criteria_set_for
from evaluation.tests.conftest import PERIOD, at, issue
from issues.models import IssueEvent
from longdan.commands import main
from reporting.periods import parse_period

KEY = parse_period(PERIOD)


def cards_by_unit(board):
    return {board.units[c.unit_id].code: c for c in board.cards}


def line(card, code):
    return next(item for item in card.lines if item.criterion.code == code)


def test_the_newest_version_of_the_year_is_in_force(half_year):
    assert criteria_set_for(KEY) == half_year
    assert half_year.version == 2  # the seeded default is version 1
    assert criteria_set_for(parse_period("2024")) is None


def test_hand_computed_scores(half_year):
    cards = cards_by_unit(compute_board(KEY))
    assert set(cards) == {"chi-bo-1", "chi-bo-2", "chi-bo-moi", "chi-bo-cu"}  # no ward, office
    a = cards["chi-bo-1"]
    assert a.months == 6
    on_time = line(a, "dung_han")
    assert (on_time.measurement.numerator, on_time.measurement.denominator) == (3, 6)
    assert on_time.points == 20  # 40 × 50%
    assert line(a, "van_de").measurement.value == 50 and line(a, "van_de").points == 10
    assert line(a, "chi_dao").points is None  # no direction due: excluded
    assert line(a, "ctv").points == 0  # no collaborator: the "zero" rule
    assert line(a, "tuyen_truyen").points is None  # not scored yet: excluded
    # 30 points over 40 + 20 + 10 = 70 counted → 42.9
    assert a.total == 42.9 and a.classification == scoring.FAILED


def test_a_unit_opened_mid_year_is_scored_on_its_months(half_year):
    card = cards_by_unit(compute_board(KEY))["chi-bo-moi"]
    assert card.months == 3
    on_time = line(card, "dung_han").measurement
    assert (on_time.numerator, on_time.denominator) == (3, 3)
    assert line(card, "chi_dao").points == 20
    collaborators = line(card, "ctv").measurement
    assert (collaborators.numerator, collaborators.denominator, collaborators.value) == (6, 3, 2)
    assert line(card, "ctv").points == 10
    assert card.total == 100 and card.classification == scoring.EXCELLENT


def test_units_with_nothing_and_the_ranking(half_year):
    board = compute_board(KEY)
    cards = cards_by_unit(board)
    closed = cards["chi-bo-cu"]
    assert closed.months == 3  # July to September
    assert line(closed, "dung_han").measurement.denominator == 3
    assert cards["chi-bo-2"].total == 0 and closed.total == 0
    assert [(board.units[c.unit_id].code, c.rank) for c in board.cards] == [
        ("chi-bo-moi", 1), ("chi-bo-1", 2), ("chi-bo-cu", 3), ("chi-bo-2", 3)]  # ties: tree order


def test_ranking_within_a_subtree(half_year, lanhdao, cell_new):
    board = board_for(lanhdao, KEY, subtree=cell_new)
    assert [(c.unit_id, c.rank) for c in board.cards] == [(cell_new.pk, 1)]


def test_entered_score_needs_evidence_and_counts(half_year, vanphong, an, cell_a):
    criterion = half_year.criteria.get(code="tuyen_truyen")
    with pytest.raises(ServiceError, match="minh chứng"):
        services.enter_score(actor=vanphong, criterion=criterion, unit=cell_a, period=PERIOD,
                             value="8", evidence=" ")
    with pytest.raises(ServiceError, match="0–10"):
        services.enter_score(actor=vanphong, criterion=criterion, unit=cell_a, period=PERIOD,
                             value="11", evidence="Biên bản")
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
        services.enter_score(actor=an, criterion=criterion, unit=cell_a, period=PERIOD,
                             value="8", evidence="Biên bản")
    services.enter_score(actor=vanphong, criterion=criterion, unit=cell_a, period=PERIOD,
                         value="8", evidence="Biên bản sinh hoạt chi bộ tháng 9",
                         evidence_ref="BB-09/2025")
    card = cards_by_unit(compute_board(KEY))["chi-bo-1"]
    assert line(card, "tuyen_truyen").points == 8
    # 38 points over 80 counted → 47.5
    assert card.total == 47.5
    assert AuditEntry.objects.filter(object_type="evaluation.enteredscore").count() == 1


def test_a_computed_criterion_is_not_entered(half_year, vanphong, cell_a):
    with pytest.raises(ServiceError, match="tính từ số liệu"):
        services.enter_score(actor=vanphong, criterion=half_year.criteria.get(code="van_de"),
                             unit=cell_a, period=PERIOD, value="5", evidence="x")


def test_finalised_cards_are_locked_and_audited(half_year, vanphong, an, binh, cell_a):
    services.comment_card(actor=an, unit=cell_a, period=PERIOD,
                          comment="Tháng 10 nộp muộn do mất điện.")
    with pytest.raises(ServiceError, match="đơn vị mình"):
        services.comment_card(actor=binh, unit=cell_a, period=PERIOD, comment="Xen vào.")
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
        services.finalise_cards(actor=an, period=PERIOD, unit_ids=[cell_a.pk])
    assert services.finalise_cards(actor=vanphong, period=PERIOD, unit_ids=[cell_a.pk]) == 1
    record = Scorecard.objects.get(unit=cell_a, period=PERIOD)
    assert record.is_final and record.total == 42.9
    assert record.comment == "Tháng 10 nộp muộn do mất điện."
    assert record.snapshot["evidence"]["issues_on_time"][0]["label"].startswith("Vấn đề VD-1")
    audits = AuditEntry.objects.filter(object_type="evaluation.scorecard",
                                       summary__startswith="Chốt phiếu")
    assert audits.count() == 1 and "42.9" in audits.get().summary

    # The data change; the finalised card does not.
    late = IssueEvent.objects.get(issue__code="VD-1")
    IssueEvent.objects.filter(pk=late.pk).update(at=at(15, 11))
    issue("VD-9", cell_a, KEY.end.replace(day=1))
    assert cards_by_unit(compute_board(KEY))["chi-bo-1"].total == 42.9
    view = card_for(an, cell_a.pk, KEY)
    assert view.is_final and view.card.total == 42.9
    assert [e["ok"] for e in view.evidence["issues_on_time"]] == [False, True]
    # Nothing more may be said or entered; finalising again changes nothing.
    with pytest.raises(LockedError):
        services.comment_card(actor=an, unit=cell_a, period=PERIOD, comment="Sửa.")
    with pytest.raises(LockedError):
        services.enter_score(actor=vanphong, criterion=half_year.criteria.get(code="tuyen_truyen"),
                             unit=cell_a, period=PERIOD, value="9", evidence="Muộn")
    assert services.finalise_cards(actor=vanphong, period=PERIOD, unit_ids=[cell_a.pk]) == 0
    # An unfinalised card follows the data.
    assert line(cards_by_unit(compute_board(KEY))["chi-bo-2"], "dung_han").points == 0


def test_a_new_version_does_not_change_finalised_cards(half_year, vanphong, cell_a):
    services.finalise_cards(actor=vanphong, period=PERIOD)
    changed = [dict(row, weight="10") if row["code"] == "dung_han" else row
               for row in half_year_rows(half_year)]
    newer = services.create_criteria_set(actor=vanphong, year=2025, name="Thử nghiệm 2",
                                         criteria=changed)
    assert newer.version == 3 and criteria_set_for(KEY) == newer
    assert cards_by_unit(compute_board(KEY))["chi-bo-1"].total == 42.9


def half_year_rows(criteria_set):
    return [{"code": c.code, "name": c.name, "weight": str(c.weight), "measure": c.measure,
             "target": str(c.target), "floor": str(c.floor), "missing": c.missing}
            for c in criteria_set.criteria.all()]


@pytest.mark.parametrize("row, fragment", [
    ({"weight": "0"}, "Tiêu chí dòng 1: trọng số phải lớn hơn 0"),
    ({"measure": "doan"}, "Tiêu chí dòng 1: cách đo 'doan'"),
    ({"target": "abc"}, "Tiêu chí dòng 1, mức đạt điểm tối đa: 'abc' không phải là số"),
    ({"target": "0", "floor": "5"}, "mức đạt điểm tối đa phải lớn hơn mức 0 điểm"),
    ({"target": "5", "floor": "5"},
     "Tiêu chí dòng 1: mức đạt điểm tối đa \\(5\\) và mức 0 điểm \\(5\\) phải khác nhau"),
    ({"target": "0", "floor": "0", "measure": "incidents"},
     "Tiêu chí dòng 1: mức đạt điểm tối đa \\(0\\) và mức 0 điểm \\(0\\) phải khác nhau"),
])
def test_a_bad_criteria_set_is_refused_whole(vanphong, row, fragment):
    good = {"code": "x", "name": "X", "weight": "10", "measure": "entered", "target": "10"}
    before = Criterion.objects.count()
    with pytest.raises(ServiceError, match=fragment):
        services.create_criteria_set(actor=vanphong, year=2026, name="Sai",
                                     criteria=[{**good, **row}])
    assert Criterion.objects.count() == before


def test_the_command_line_json_and_xlsx(half_year, capsys, tmp_path):
    target = tmp_path / "bang.xlsx"
    code = main(["scorecard", "--period", PERIOD, "--json", "--xlsx", str(target)])
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert data["criteria_set"]["version"] == 2
    units = {u["code"]: u for u in data["units"]}
    assert units["chi-bo-moi"]["total"] == 100 and units["chi-bo-moi"]["rank"] == 1
    assert units["chi-bo-1"]["classification_label"] == "Không hoàn thành nhiệm vụ"
    lines = {row["code"]: row for row in units["chi-bo-1"]["lines"]}
    assert lines["dung_han"] == {**lines["dung_han"], "value": 50.0, "points": 20.0,
                                 "numerator": 3, "denominator": 6}
    assert lines["chi_dao"]["missing"] is True and lines["chi_dao"]["points"] is None
    sheet = load_workbook(io.BytesIO(target.read_bytes())).active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Hạng", "Mã đơn vị", "Đơn vị"] and "Xếp loại" in header
    assert sheet.cell(row=2, column=2).value == "chi-bo-moi"


def test_the_command_line_refuses_in_one_line(half_year, capsys):
    assert main(["scorecard", "--period", "2025-13"]) == 2
    assert "Lỗi:" in capsys.readouterr().err
    assert main(["scorecard", "--period", PERIOD, "--unit", "khong-co"]) == 2
    assert "không tìm thấy đơn vị" in capsys.readouterr().err


# --- who reads which card -------------------------------------------------------------------------


def test_a_unit_reads_its_own_card_only(half_year, an, cell_a, cell_b):
    assert card_for(an, cell_a.pk, KEY).card.total == 42.9
    with pytest.raises(Http404):
        card_for(an, cell_b.pk, KEY)
    with pytest.raises(Http404):
        board_for(an, KEY)


def test_pages_scoped(half_year, client, an, lanhdao, vanphong, cell_a, cell_b):
    client.force_login(an)
    own = client.get(f"/danh-gia/don-vi/{cell_a.pk}/?ky={PERIOD}")
    assert own.status_code == 200
    assert {"42,9", "42.9"} & set(own.content.decode().split("data-total>")[1][:4].split())
    assert client.get(f"/danh-gia/don-vi/{cell_b.pk}/?ky={PERIOD}").status_code == 404
    table = client.get(f"/danh-gia/?ky={PERIOD}")
    assert table.status_code == 302 and f"/danh-gia/don-vi/{cell_a.pk}/" in table["Location"]
    assert client.get(f"/danh-gia/xuat.xlsx?ky={PERIOD}").status_code == 404
    assert client.get("/danh-gia/tieu-chi/moi/").status_code == 404
    client.force_login(lanhdao)
    page = client.get(f"/danh-gia/?ky={PERIOD}&sort=-total").content.decode()
    assert page.index("Chi bộ Khu đô thị mới") < page.index("Chi bộ Tổ dân phố 1")
    client.force_login(vanphong)
    export = client.get(f"/danh-gia/xuat.xlsx?ky={PERIOD}")
    assert export.status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT,
                                     object_type="evaluation.scorecard").exists()


def test_comment_and_finalise_through_the_pages(half_year, client, an, vanphong, cell_a):
    client.force_login(an)
    client.post(f"/danh-gia/don-vi/{cell_a.pk}/y-kien/", {"ky": PERIOD, "comment": "Đề nghị xem"
                " lại tháng 10."})
    assert Scorecard.objects.get(unit=cell_a, period=PERIOD).comment.startswith("Đề nghị")
    client.post("/danh-gia/chot/", {"ky": PERIOD, "unit": cell_a.pk})
    assert not Scorecard.objects.get(unit=cell_a, period=PERIOD).is_final  # not the office's
    client.force_login(vanphong)
    client.post("/danh-gia/chot/", {"ky": PERIOD, "unit": cell_a.pk})
    assert Scorecard.objects.get(unit=cell_a, period=PERIOD).is_final
    page = client.get(f"/danh-gia/don-vi/{cell_a.pk}/?ky={PERIOD}").content.decode()
    assert "Đã chốt" in page


def test_the_criteria_editor_makes_a_new_version(half_year, client, vanphong):
    client.force_login(vanphong)
    form = client.get(f"/danh-gia/tieu-chi/moi/?tu={half_year.pk}")
    assert form.status_code == 200 and "dung_han" in form.content.decode()
    rows = half_year_rows(half_year)
    data = {"year": "2026", "name": "Bộ 2026", "excellent_min": "85", "good_min": "70",
            "pass_min": "50", "rows": str(len(rows) + 1)}
    for index, row in enumerate(rows):
        data.update({f"row-{index}-{k}": v for k, v in row.items()})
    bad = {**data, "row-0-weight": "-1"}
    refused = client.post("/danh-gia/tieu-chi/moi/", bad)
    assert refused.status_code == 200 and "Tiêu chí dòng 1" in refused.content.decode()
    assert client.post("/danh-gia/tieu-chi/moi/", data).status_code == 302
    newest = criteria_set_for(parse_period("2026-03"))
    assert (newest.year, newest.version, newest.excellent_min) == (2026, 1, 85)
    assert newest.criteria.count() == len(rows)
    assert criteria_set_for(KEY) == half_year  # the past year keeps its set


def test_the_drill_down_names_what_counts(half_year, an, cell_a):
    evidence = card_for(an, cell_a.pk, KEY).evidence
    reports = [(e["label"], e["ok"]) for e in evidence["reports_on_time"]]
    assert reports == [
        ("Báo cáo Tháng 7/2025: nộp đúng hạn", True), ("Báo cáo Tháng 8/2025: nộp đúng hạn", True),
        ("Báo cáo Tháng 9/2025: nộp đúng hạn", True), ("Báo cáo Tháng 10/2025: nộp muộn", False),
        ("Báo cáo Tháng 11/2025: chưa nộp", False), ("Báo cáo Tháng 12/2025: chưa nộp", False),
    ]
    assert [e["label"] for e in evidence["issues_on_time"]] == [
        "Vấn đề VD-1, hạn 20/11/2025", "Vấn đề VD-2, hạn 10/12/2025"]
    assert "directions_on_time" not in evidence


def test_the_office_may_record_a_units_comment(half_year, vanphong, lanhdao, cell_a):
    record = services.comment_card(actor=vanphong, unit=cell_a, period=PERIOD,
                                   comment="Đơn vị gửi ý kiến bằng văn bản số 12.")
    assert record.commented_by == vanphong
    with pytest.raises(ServiceError):
        services.comment_card(actor=lanhdao, unit=cell_a, period=PERIOD, comment="Lãnh đạo.")


def test_entered_score_keeps_its_evidence_file(client, half_year, vanphong, an, binh, cell_a):
    from django.urls import reverse

    from plans.services import Upload
    from plans.tests.conftest import PDF

    criterion = half_year.criteria.get(code="tuyen_truyen")
    with pytest.raises(ServiceError, match="Loại tệp"):
        services.enter_score(actor=vanphong, criterion=criterion, unit=cell_a, period=PERIOD,
                             value="8", evidence="Biên bản", upload=Upload("x.exe", b"MZ\x90"))
    assert not EnteredScore.objects.exists()
    entry = services.enter_score(actor=vanphong, criterion=criterion, unit=cell_a,
                                 period=PERIOD, value="8", evidence="Biên bản sinh hoạt",
                                 upload=Upload("bien-ban.pdf", PDF))
    again = services.enter_score(actor=vanphong, criterion=criterion, unit=cell_a,
                                 period=PERIOD, value="9", evidence="Biên bản sinh hoạt")
    assert again.evidence_file_id == entry.evidence_file_id  # kept when none is sent
    url = reverse("plans:file", args=[entry.evidence_file_id])
    client.force_login(an)
    assert client.get(url).content == PDF
    client.force_login(binh)  # another chi bộ: not found
    assert client.get(url).status_code == 404
