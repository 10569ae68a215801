"""``longdan survey weigh|estimate`` (``longdan.commands.surveystats``) end to end on files,
through main() and one subprocess."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from longdan.commands import main as longdan_main
from surveystats import estimate_mean, estimate_proportions, rake
from surveystats.tests.samples import MARGINS, make_sample

ROOT = Path(__file__).resolve().parents[2]
N = 400


def main(argv: list[str]) -> int:
    """``longdan survey ARGV…``."""
    return longdan_main(["survey", *argv])


@pytest.fixture
def files(tmp_path):
    sample = make_sample(41, N)
    data = tmp_path / "tra_loi.csv"
    names = ["ma", "khu_vuc", "gioi_tinh", "nhom_tuoi", "y_kien", "thu_nhap", "kien_nghi"]
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in range(N):
            writer.writerow([f"R{row:04d}", *(sample[name][row] for name in names[1:])])
    margins = tmp_path / "bien.json"
    margins.write_text(json.dumps(MARGINS, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"data": data, "margins": margins, "sample": sample, "dir": tmp_path}


def _weigh(files, *extra):
    out = files["dir"] / "trong_so.csv"
    code = main(["weigh", "--data", str(files["data"]), "--margins", str(files["margins"]),
                 "--out", str(out), *extra])
    return code, out


def test_weigh_then_estimate_json_equals_the_library(files, capsys):
    code, out = _weigh(files, "--method", "raking", "--id-column", "ma")
    assert code == 0
    assert "Đã ghi 400 trọng số" in capsys.readouterr().out
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["ma", "weight"] and rows[0]["ma"] == "R0000"
    sample = files["sample"]
    expected = rake({name: sample[name] for name in MARGINS}, MARGINS)
    np.testing.assert_allclose([float(r["weight"]) for r in rows], expected, rtol=1e-15)

    assert main(["estimate", "--data", str(files["data"]), "--weights", str(out),
                 "--var", "y_kien", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    reference = estimate_proportions(sample["y_kien"], expected)
    assert payload["weighted"] is True and payload["respondents"] == sum(e.n for e in reference)
    assert payload["df"] == payload["respondents"] - 1
    for got, want in zip(payload["estimates"], reference, strict=True):
        assert got["category"] == want.category
        for field in ("proportion", "se", "moe", "ci_low", "ci_high", "deff"):
            assert got[field] == pytest.approx(getattr(want, field), rel=1e-12)


def test_poststrat_by_row_number_and_readable_table(files, capsys):
    margins = files["dir"] / "kv.json"
    margins.write_text(json.dumps({"khu_vuc": MARGINS["khu_vuc"]}), encoding="utf-8")
    out = files["dir"] / "w.csv"
    assert main(["weigh", "--data", str(files["data"]), "--margins", str(margins),
                 "--method", "poststrat", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines()[:2][0] == "row,weight"
    capsys.readouterr()
    assert main(["estimate", "--data", str(files["data"]), "--weights", str(out),
                 "--var", "khu_vuc"]) == 0
    text = capsys.readouterr().out
    assert "Câu hỏi “khu_vuc” — 400 người trả lời, có gia quyền" in text
    assert "Khoảng tin cậy 95%" in text and "Hiệu ứng thiết kế (Kish" in text
    # Post-stratified on this very variable: the shares are the population's, 4200/11000.
    assert "KV1" in text and "38,2%" in text


def test_estimate_numeric_and_select_multiple(files, capsys):
    assert main(["estimate", "--data", str(files["data"]), "--var", "thu_nhap",
                 "--type", "numeric", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    expected = estimate_mean([f"{x}" for x in files["sample"]["thu_nhap"]])
    assert payload["weighted"] is False
    assert payload["estimate"]["mean"] == pytest.approx(expected.mean, rel=1e-12)
    assert main(["estimate", "--data", str(files["data"]), "--var", "kien_nghi",
                 "--type", "select_multiple", "--json"]) == 0
    options = [e["category"] for e in json.loads(capsys.readouterr().out)["estimates"]]
    assert options == sorted(["an_ninh", "dien", "duong", "nuoc", "rac"])


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Lỗi: ")
    return err.strip()


def test_unknown_category_names_file_line_and_column(files, capsys):
    lines = files["data"].read_text(encoding="utf-8").splitlines()
    parts = lines[3].split(",")
    parts[2] = "Khác"
    lines[3] = ",".join(parts)
    files["data"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _ = _weigh(files, "--method", "raking")
    assert code == 2
    assert _error(capsys).startswith(
        "Lỗi: Tệp tra_loi.csv, dòng 4, cột “gioi_tinh”: giá trị “Khác” không có trong biên"
    )


def test_empty_margin_category_points_at_the_margins_line(files, capsys):
    margins = dict(MARGINS)
    margins["khu_vuc"] = {**MARGINS["khu_vuc"], "KV5": 500}
    margins["gioi_tinh"] = {"Nam": 5300, "Nữ": 6200}
    margins["nhom_tuoi"] = {**MARGINS["nhom_tuoi"], "60+": 2700}
    files["margins"].write_text(json.dumps(margins, ensure_ascii=False, indent=1),
                                encoding="utf-8")
    code, out = _weigh(files, "--method", "raking")
    assert code == 2 and not out.exists()
    message = _error(capsys)
    line = next(number for number, text in enumerate(
        files["margins"].read_text(encoding="utf-8").splitlines(), start=1) if "KV5" in text)
    assert message.startswith(f"Lỗi: Tệp bien.json, dòng {line}: biến “khu_vuc”: nhóm “KV5”")
    assert "không thể gia quyền" in message


def test_raking_not_converging_exits_2(files, capsys):
    code, _ = _weigh(files, "--method", "raking", "--max-iterations", "1")
    assert code == 2
    assert "không hội tụ sau 1 vòng lặp" in _error(capsys)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["weigh", "--data", "x.csv"], "Lỗi: thiếu tham số bắt buộc"),
        (["weigh", "--data", "a", "--margins", "b", "--out", "c", "--method", "ipf"],
         "lựa chọn không hợp lệ"),
        (["estimate", "--data", "khong_co.csv", "--var", "q"],
         "Lỗi: Tệp khong_co.csv: không tìm thấy tệp."),
        (["nope"], "Lỗi: tham số LỆNH: lựa chọn không hợp lệ"),
    ],
)
def test_bad_arguments_are_one_vietnamese_line(argv, expected, capsys):
    assert main(argv) == 2
    assert expected in _error(capsys)


def test_estimate_refusals(files, capsys):
    data = str(files["data"])
    assert main(["estimate", "--data", data, "--var", "khong_co"]) == 2
    assert "không có cột “khong_co”" in _error(capsys)
    assert main(["estimate", "--data", data, "--var", "y_kien", "--type", "numeric"]) == 2
    assert _error(capsys).startswith("Lỗi: Tệp tra_loi.csv, dòng 2, cột “y_kien”: giá trị")
    short = files["dir"] / "short.csv"
    short.write_text("row,weight\n1,1.5\n", encoding="utf-8")
    assert main(["estimate", "--data", data, "--weights", str(short), "--var", "y_kien"]) == 2
    assert "dòng 3: tệp trọng số short.csv không có trọng số cho hàng số 2" in _error(capsys)


def test_base_weight_column_is_used_and_checked(files, capsys):
    code, out = _weigh(files, "--method", "raking", "--base-weight", "thu_nhap")
    assert code == 0
    sample = files["sample"]
    expected = rake({name: sample[name] for name in MARGINS}, MARGINS,
                    base_weights=[float(f"{x}") for x in sample["thu_nhap"]])
    with out.open(encoding="utf-8") as handle:
        got = [float(row["weight"]) for row in csv.DictReader(handle)]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    lines = files["data"].read_text(encoding="utf-8").splitlines()
    parts = lines[4].split(",")
    parts[5] = "0"
    lines[4] = ",".join(parts)
    files["data"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    code, _ = _weigh(files, "--method", "raking", "--base-weight", "thu_nhap")
    assert code == 2
    assert _error(capsys).startswith(
        "Lỗi: Tệp tra_loi.csv, dòng 5, cột “thu_nhap”: trọng số gốc phải là số dương"
    )


@pytest.mark.parametrize("argv", [["--help"], ["weigh", "--help"], ["estimate", "--help"]])
def test_help_exits_0(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: longdan survey")
    assert "tùy chọn" in out


def test_poststrat_with_two_variables_names_the_margins_file(files, capsys):
    code, _ = _weigh(files, "--method", "poststrat")
    assert code == 2
    assert _error(capsys).startswith("Lỗi: Tệp bien.json: hậu phân tầng cần đúng một biến")


def test_runs_as_a_program(files):
    out = files["dir"] / "w.csv"
    result = subprocess.run(
        [sys.executable, "-m", "longdan.commands", "survey", "weigh", "--data", str(files["data"]),
         "--margins", str(files["margins"]), "--method", "raking", "--out", str(out), "--json"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["n"] == N and summary["total"] == pytest.approx(11000)
    assert summary["iterations"] >= 2 and summary["deff_kish"] > 1


def test_file_only_commands_import_no_django(files):
    # weigh, estimate and the text engine work on files alone: Django is never loaded for them.
    out = files["dir"] / "w.csv"
    code = ("import sys; from longdan.commands import main; "
            f"assert main(['survey', 'weigh', '--data', {str(files['data'])!r}, '--margins', "
            f"{str(files['margins'])!r}, '--method', 'raking', '--out', {str(out)!r}]) == 0; "
            "assert main(['text', 'train', '--help']) == 0; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'django', 'pandas', 'polars', 'samplics'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
