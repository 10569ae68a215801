"""The ``longdan`` command (``longdan.commands``), in-process against the test database and as a
real subprocess."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.cache import caches

from core.pdf import CACHE
from longdan import demo
from longdan.commands import main
from orgs.models import OrgUnit
from reporting import services
from reporting.periods import parse_period

NOV = parse_period("2025-11")
ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, fragment: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Lỗi: ") and fragment in lines[0], lines[0]
    assert "Traceback" not in err


@pytest.fixture
def november(vanphong, an, binh, cell_a, cell_b, monthly, full_sections, stream):
    """cell_a submitted on 20 November 2025 (on time); cell_b never submitted (missing)."""
    period = services.ensure_period(NOV)
    with time_machine.travel(dt.datetime(2025, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        report = services.save_draft(user=an, template=monthly, period=period, unit=cell_a,
                                     sections=full_sections, streams=[stream],
                                     expected_version=None)
        services.submit_report(user=an, report=report, expected_version=report.version)
    return period


# --- compliance ----------------------------------------------------------------------------------


def test_compliance_prints_a_vietnamese_table_naming_missing_units(capsys, november):
    code, out, err = run(capsys, "compliance", "--period", "2025-11")
    assert code == 0, err
    assert "TỶ LỆ NỘP BÁO CÁO — THÁNG 11/2025 (hạn nộp 24/11/2025)" in out  # "trước ngày 25"
    assert "Phải nộp" in out and "50,0%" in out
    missing = out.split("Đơn vị chưa nộp (1):")[1]
    assert "Chi bộ Tổ dân phố 2" in missing
    assert "Chi bộ An Lư cũ" not in out  # closed in September: not expected in November


def test_compliance_json_is_the_compliance_view(capsys, november):
    code, out, _ = run(capsys, "compliance", "--period", "2025-11", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["expected"], data["submitted"], data["on_time"], data["missing"]) == (2, 1, 1, 1)
    assert data["missing_units"] == ["Chi bộ Tổ dân phố 2"]
    assert data["reporting_rate"] == 0.5
    assert len(data["trend"]) == 12


def test_compliance_for_one_unit(capsys, november, cell_a):
    code, out, _ = run(capsys, "compliance", "--period", "2025-11", "--json", "--unit", "chi-bo-1")
    assert code == 0
    assert json.loads(out)["expected"] == 1


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["compliance", "--period", "2025-13"], "tháng 13 không hợp lệ"),
        (["compliance", "--period", "tháng mười"], "không đúng định dạng"),
        (["compliance", "--period", "2025-11", "--template", "9999"], "mẫu báo cáo số 9999"),
        (["compliance", "--period", "2025-11", "--unit", "khong-co"], "không tìm thấy đơn vị"),
        (["compliance", "--period", "2025-H2", "--template", "1"], "không dùng cho"),
        (["compliance"], "thiếu tham số bắt buộc: --period"),
        (["khong-co-lenh"], "lựa chọn không hợp lệ"),
    ],
)
def test_bad_input_is_one_vietnamese_line(capsys, db, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert_one_line_error(code, err, fragment)


def _leaves(parser, path=()):
    """(command words, parser) of every runnable command below ``parser``."""
    sub = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not sub:
        yield path, parser
        return
    for name, child in sub[0].choices.items():
        yield from _leaves(child, (*path, name))


def test_every_command_says_its_handler_and_whether_it_needs_django():
    from longdan.commands import build_parser

    leaves = dict(_leaves(build_parser()))
    assert {"demo", "serve", "worker", "scheduler", "compliance", "consolidate"} <= {
        words[0] for words in leaves}
    assert {("text", "train"), ("survey", "import"), ("survey", "weigh")} <= set(leaves)
    for words, parser in leaves.items():
        defaults = parser._defaults
        assert callable(defaults.get("handler")), words
        assert defaults.get("needs_django") in (True, False), words
        # The text, survey and consult families work on files, but for `text remask` (stored
        # texts); `backup-key` writes a new key file, `data-key new` prints one.
        file_only = (words[0] in ("text", "survey", "consult") and words != ("text", "remask")
                     or words in (("backup-key",), ("data-key", "new")))
        assert defaults["needs_django"] == (not file_only), words


def test_help_is_vietnamese(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "Cách dùng: longdan" in out and "tỷ lệ nộp báo cáo" in out


# --- consolidate ---------------------------------------------------------------------------------


def test_consolidate_writes_docx_and_xlsx(capsys, november, tmp_path):
    pytest.importorskip("reporting.services.consolidation")
    import docx
    import openpyxl

    out, xlsx = tmp_path / "bao-cao.docx", tmp_path / "bang-bieu.xlsx"
    code, stdout, err = run(capsys, "consolidate", "--period", "2025-11", "--out", str(out),
                            "--xlsx", str(xlsx))
    assert code == 0, err
    document = docx.Document(out)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "ĐẢNG ỦY PHƯỜNG HÒA BÌNH" in text
    assert "tháng 11/2025" in text
    assert openpyxl.load_workbook(xlsx).sheetnames
    assert str(out) in stdout


@pytest.mark.parametrize("period", ["2025-H2", "2025"])
def test_consolidate_half_year_and_year(capsys, november, tmp_path, period):
    pytest.importorskip("reporting.services.consolidation")
    out = tmp_path / f"{period}.docx"
    code, _, err = run(capsys, "consolidate", "--period", period, "--out", str(out))
    assert code == 0, err
    assert out.stat().st_size > 1000


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: no PDF can be made")
def test_consolidate_writes_the_pdf_too(capsys, november, tmp_path):
    out, pdf = tmp_path / "bao-cao.docx", tmp_path / "bao-cao.pdf"
    code, stdout, err = run(capsys, "consolidate", "--period", "2025-11", "--out", str(out),
                            "--pdf", str(pdf))
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF-") and f"Đã ghi bản PDF vào {pdf}" in stdout


def test_consolidate_without_libreoffice_writes_nothing(capsys, settings, november, tmp_path):
    settings.LONGDAN_SOFFICE = "/khong/co/soffice"
    caches[CACHE].clear()  # no copy of this report made by another test
    out, pdf = tmp_path / "bao-cao.docx", tmp_path / "bao-cao.pdf"
    code, _, err = run(capsys, "consolidate", "--period", "2025-11", "--out", str(out),
                       "--pdf", str(pdf))
    assert_one_line_error(code, err, "Máy chủ chưa có LibreOffice")
    assert not out.exists() and not pdf.exists()


def test_consolidate_refuses_a_missing_folder(capsys, db, tmp_path):
    target = tmp_path / "khong-co" / "bc.docx"
    code, _, err = run(capsys, "consolidate", "--period", "2025-11", "--out", str(target))
    assert_one_line_error(code, err, "không tồn tại")
    assert not target.parent.exists()


def test_consolidate_refuses_a_wrong_suffix(capsys, db, tmp_path):
    code, _, err = run(capsys, "consolidate", "--period", "2025-11", "--out",
                       str(tmp_path / "bc.pdf"))
    assert_one_line_error(code, err, "đuôi .docx")


# --- demo and scheduler ---------------------------------------------------------------------


def test_demo_loads_once_then_prints_the_logins_again(capsys, db):
    # One month keeps the test short; the 18 months of the default are tested in test_demo.
    code, out, err = run(capsys, "demo", "--months", "1")
    assert code == 0, err
    assert "http://127.0.0.1:8000" in out and "longdan-demo" in out
    assert "vanphong" in out and "lanhdao" in out and "cb01" in out
    assert "đăng nhập hai bước" in out and "LONGDAN_2FA_ROLES=" in out
    assert OrgUnit.objects.filter(kind__in=demo.GRASSROOTS_KINDS, closed_on__isnull=True).count() \
        == 55
    # Last, where the leader should look first: the same story on the second run.
    leader = out.strip().splitlines()[-1]
    assert leader.startswith("Lãnh đạo: đăng nhập lanhdao / longdan-demo, mở /buc-tranh/")
    assert "chủ đề đang nóng lên" in leader and "2 tổ dân phố im lặng" in leader
    assert "dư luận tiềm ẩn" in leader
    code, again, err = run(capsys, "demo")
    assert code == 0, err
    assert "đã được nạp trước đó" in again and "cb01" in again
    assert again.strip().splitlines()[-1] == leader
    assert authenticate(username="cb01", password="longdan-demo") is not None


def test_demo_refuses_a_database_with_another_ward(capsys, db):
    OrgUnit.objects.create(code="xa-khac", name="Đảng ủy xã Khác", kind=OrgUnit.Kind.WARD_COMMITTEE)
    code, _, err = run(capsys, "demo")
    assert_one_line_error(code, err, "không thuộc dữ liệu mẫu")
    code, _, err = run(capsys, "demo", "--reset")
    assert_one_line_error(code, err, "không thuộc dữ liệu mẫu")
    assert OrgUnit.objects.filter(code="xa-khac").exists()


def test_scheduler_once_enqueues_every_periodic_task(capsys, db):
    from longdan.commands.serve import PERIODIC_TASKS

    code, out, err = run(capsys, "scheduler", "--once")
    assert code == 0, err
    assert f"Đã đưa {len(PERIODIC_TASKS)} tác vụ định kỳ vào hàng đợi" in out


def test_scheduler_refuses_a_bad_interval(capsys, db, monkeypatch):
    monkeypatch.setenv("LONGDAN_SCHEDULE_MINUTES", "mỗi giờ")
    code, _, err = run(capsys, "scheduler", "--once")
    assert_one_line_error(code, err, "LONGDAN_SCHEDULE_MINUTES")


# --- real subprocesses on a throw-away SQLite file -----------------------------------------------


def longdan(tmp_path: Path, *argv: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(*argv), env=_env(tmp_path), capture_output=True, text=True, timeout=timeout,
        cwd=ROOT,
    )


def _command(*argv: str) -> list[str]:
    # This checkout's code (an installed ``longdan`` script may belong to another checkout).
    return [sys.executable, "-m", "longdan.commands", *argv]


def test_the_console_script_is_this_main():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"]
    module, _, name = scripts["longdan"].partition(":")
    assert getattr(importlib.import_module(module), name) is main


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["LONGDAN_VAR_DIR"] = str(tmp_path)
    return env


def test_subprocess_bad_period_is_one_line_without_traceback(tmp_path):
    result = longdan(tmp_path, "compliance", "--period", "2025-13")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("Lỗi: ") and "Traceback" not in result.stderr


def test_subprocess_database_not_set_up(tmp_path):
    result = longdan(tmp_path, "compliance", "--period", "2025-11")
    assert result.returncode == 2
    assert "chưa được khởi tạo" in result.stderr and "Traceback" not in result.stderr


def test_subprocess_demo_then_compliance_then_reminders(tmp_path):
    # Four months keep the subprocess short (the merger and the new cell both lie before last
    # month, so it expects 55); the 18 months of the default are tested in test_demo.
    first = longdan(tmp_path, "demo", "--months", "4")
    assert first.returncode == 0, first.stderr
    assert "vanphong" in first.stdout and "http://127.0.0.1:8000" in first.stdout
    again = longdan(tmp_path, "demo")
    assert again.returncode == 0 and "đã được nạp trước đó" in again.stdout
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    report = longdan(tmp_path, "compliance", "--period", last_month, "--json")
    data = json.loads(report.stdout)
    assert data["expected"] == 55 and data["submitted"] > 40
    assert longdan(tmp_path, "scheduler", "--once").returncode == 0
    worker = longdan(tmp_path, "worker", "--batch")
    assert worker.returncode == 0, worker.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_subprocess_serve_answers_and_stops_on_sigterm(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        _command("serve", "--port", str(port), "--workers", "1"), env=_env(tmp_path), cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        status = _wait_for(f"http://127.0.0.1:{port}/dang-nhap/", server)
        assert status < 500
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert f"http://127.0.0.1:{port}" in out
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)


# A fresh server migrates a new database and collects (and compresses) 26 MB of static files
# before it listens: about 20 s of CPU, over a minute on a busy 2-core machine.
def _wait_for(url: str, server: subprocess.Popen, timeout: float = 300) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"longdan serve dừng sớm: {server.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            time.sleep(0.5)
    pytest.fail("longdan serve không trả lời")


def test_the_demo_prints_the_address_it_is_served_at(settings, capsys):
    """`make demo PORT=8080` sets LONGDAN_SITE_URL: the printed address follows it."""
    from longdan.commands import demo as demo_command

    settings.LONGDAN_SITE_URL = "http://127.0.0.1:8080"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = "/tmp/longdan-mail"
    demo_command._print_mail_place()
    demo_command._print_logins([], "longdan-demo")
    printed = capsys.readouterr().out
    assert "Mở http://127.0.0.1:8080 và đăng nhập" in printed and ":8000" not in printed
    assert "được ghi vào thư mục /tmp/longdan-mail" in printed
