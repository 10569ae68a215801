"""``longdan consult split DRAFT.docx --json``: the structure, with exactly its field names."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from consultations.tests.drafts import docx_bytes, with_chapters
from longdan.commands import main


def test_split_prints_the_structure_as_json(tmp_path, capsys):
    path = tmp_path / "du-thao.docx"
    path.write_bytes(docx_bytes(with_chapters()))
    assert main(["consult", "split", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    articles = data["articles"]
    assert [a["number"] for a in articles] == ["1", "2", "3", "4", "5"]
    for article in articles:
        assert set(article) == {"number", "title", "chapter", "clauses", "text"}
        for clause in article["clauses"]:
            assert set(clause) == {"number", "text", "points"}
            for point in clause["points"]:
                assert set(point) == {"number", "text"}
    assert articles[0] == {
        "number": "1", "title": "Phạm vi điều chỉnh", "chapter": "I", "clauses": [],
        "text": "Quy chế này quy định việc quản lý trật tự đô thị trên địa bàn phường.\n"
                "Việc quản lý vỉa hè thực hiện theo quy định riêng của thành phố.",
    }
    assert [p["number"] for p in articles[2]["clauses"][1]["points"]] == ["a", "b", "c", "d", "đ"]


def test_split_prints_an_outline_without_json(tmp_path, capsys):
    path = tmp_path / "du-thao.docx"
    path.write_bytes(docx_bytes(with_chapters()))
    assert main(["consult", "split", str(path)]) == 0
    text = capsys.readouterr().out
    assert "Chương I. QUY ĐỊNH CHUNG" in text and "Khoản 2: điểm a), b), c), d), đ)" in text
    assert "Tổng cộng: 2 chương, 5 điều, 7 khoản." in text


def test_split_refuses_in_vietnamese(tmp_path, capsys):
    not_docx = tmp_path / "ghi-chu.docx"
    not_docx.write_text("Điều 1. Đây là văn bản thường")
    assert main(["consult", "split", str(not_docx), "--json"]) == 2
    assert capsys.readouterr().err.startswith("Lỗi: Tệp không phải tệp Word (.docx)")
    empty = tmp_path / "trong.docx"
    empty.write_bytes(docx_bytes(["Không có điều nào."]))
    assert main(["consult", "split", str(empty)]) == 2
    assert "Không tìm thấy điều nào" in capsys.readouterr().err
    assert main(["consult", "split", str(tmp_path / "khong-co.docx")]) == 2
    assert "không tìm thấy tệp" in capsys.readouterr().err


def test_the_console_command_runs_without_django(tmp_path):
    path = tmp_path / "du-thao.docx"
    path.write_bytes(docx_bytes(with_chapters()))
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    done = subprocess.run([sys.executable, "-m", "longdan.commands", "consult", "split",
                           str(path), "--json"], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["articles"]) == 5
