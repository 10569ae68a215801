"""``longdan survey import`` (check, or store with --survey) and the weigh/estimate delegation."""

from __future__ import annotations

import json

import pytest

from longdan.commands import main as longdan_main
from odk.tests.builder import with_survey_rows, xls_bytes, xlsx_bytes
from surveys.models import FormVersion
from surveys.tests.conftest import standard_xlsform_bytes


def main(argv: list[str]) -> int:
    return longdan_main(["survey", *argv])


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "bang_hoi.xlsx"
    path.write_bytes(standard_xlsform_bytes(version="2026030101"))
    return path


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "loi.xlsx"
    rows = with_survey_rows(
        [["text", "a", "A", "", "", ""], ["integer", "b", "B", "", "foo(.)", ""]]
    )
    path.write_bytes(xlsx_bytes(**rows))
    return path


def test_import_valid_form(good, capsys):
    assert main(["import", str(good)]) == 0
    out = capsys.readouterr().out
    assert "form_id 'khao_sat_chuan', phiên bản '2026030101'" in out
    assert "18 câu hỏi" in out and "ngôn ngữ: Tiếng Việt, English" in out
    assert "Cảnh báo: Trang survey, dòng 13, cột type (A):" in out  # the or_other row
    assert out.strip().endswith("Kết quả: hợp lệ, 2 cảnh báo.")


def test_import_form_with_errors_exits_1(bad, capsys):
    assert main(["import", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "Lỗi: Trang survey, dòng 3, cột constraint (E): Hàm 'foo()'" in out
    assert "Kết quả: 1 lỗi, 0 cảnh báo — biểu mẫu chưa dùng được." in out


def test_import_json(bad, capsys):
    assert main(["import", str(bad), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["questions"] == []
    assert {k: data["errors"][0][k] for k in ("sheet", "row", "column", "column_letter")} == {
        "sheet": "survey", "row": 3, "column": "constraint", "column_letter": "E"
    }


def test_import_legacy_xls(tmp_path, capsys):
    path = tmp_path / "cu.xls"
    path.write_bytes(xls_bytes(**with_survey_rows([["text", "a", "Ý kiến", "", "", ""]])))
    assert main(["import", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["file_type"] == "xls" and data["questions"][0]["label"] == "Ý kiến"


def test_not_excel_and_missing_file(tmp_path, capsys):
    text = tmp_path / "a.xlsx"
    text.write_text("không phải excel")
    assert main(["import", str(text)]) == 1
    assert "không phải bảng tính Excel" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "khong_co.xlsx")]) == 2
    assert "Lỗi: không tìm thấy tệp" in capsys.readouterr().err
    assert main(["import"]) == 2
    assert "thiếu tham số bắt buộc" in capsys.readouterr().err


def test_longdan_dispatches_survey(good, capsys):
    assert longdan_main(["survey", "import", str(good)]) == 0
    assert "Kết quả: hợp lệ" in capsys.readouterr().out


def test_weigh_and_estimate_are_surveystats(capsys):
    assert longdan_main(["survey", "weigh", "--help"]) == 0
    assert "--margins" in capsys.readouterr().out
    assert longdan_main(["survey", "estimate", "--help"]) == 0
    assert "--var" in capsys.readouterr().out


def test_import_into_survey(draft_survey, vanphong, good, capsys):
    code = main(["import", str(good), "--survey", draft_survey.slug, "--user", "vanphong"])
    assert code == 0
    assert "Đã lưu phiên bản '2026030101'" in capsys.readouterr().out
    assert draft_survey.versions.get().uploaded_by == vanphong
    # The same version again is refused, nothing stored, exit 1 with the reason.
    assert main(["import", str(good), "--survey", draft_survey.slug, "--user", "vanphong",
                 "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["errors"][0]["column"] == "version"
    assert FormVersion.objects.count() == 1


def test_import_into_survey_refusals(draft_survey, an, good, capsys):
    assert main(["import", str(good), "--survey", draft_survey.slug]) == 2
    assert "cần --user" in capsys.readouterr().err
    assert main(["import", str(good), "--survey", "khong-co", "--user", "vanphong"]) == 2
    assert "không có cuộc khảo sát mã 'khong-co'" in capsys.readouterr().err
    assert main(["import", str(good), "--survey", draft_survey.slug, "--user", "an"]) == 2
    assert "không thuộc Ban Xây dựng Đảng" in capsys.readouterr().err
    assert not FormVersion.objects.exists()
