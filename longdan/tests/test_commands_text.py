"""The ``longdan text`` command line (``longdan.commands.text``), through main() and one real
subprocess."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from longdan.commands import main as longdan_main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "textengine" / "corpus"


def main(argv: list[str]) -> int:
    """``longdan text ARGV…``."""
    return longdan_main(["text", *argv])


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "topic"
    code = main(
        [
            "train",
            "--data",
            str(CORPUS / "train.jsonl"),
            "--label-field",
            "topic",
            "--group-field",
            "matter",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


def test_train_writes_a_version(model_dir):
    assert (model_dir / "CURRENT").read_text().strip() == "v0001"
    meta = json.loads((model_dir / "v0001" / "meta.json").read_text(encoding="utf-8"))
    assert meta["training_size"] == 2600 and len(meta["labels"]) == 13
    assert {"created_at", "quality", "version"} <= set(meta)


def test_stored_quality_is_measured_on_unseen_templates(model_dir, capsys):
    """The stored figure is held out by template (a random split of template-made data gives
    1.0 and says nothing): it must be close to what eval measures on the truly unseen test set."""
    quality = json.loads((model_dir / "v0001" / "meta.json").read_text(encoding="utf-8"))["quality"]
    assert quality["method"] == "grouped_kfold" and quality["group_field"] == "matter"
    assert quality["evaluated"] == 2600 and quality["groups"] > 50
    assert "theo nhóm" in quality["description"]
    args = ["eval", "--model", str(model_dir), "--data", str(CORPUS / "test.jsonl")]
    assert main([*args, "--label-field", "topic", "--json"]) == 0
    measured = json.loads(capsys.readouterr().out)["macro_f1"]
    assert quality["macro_f1"] < 0.95
    assert abs(quality["macro_f1"] - measured) < 0.1


def _labelled(tmp_path, extra):
    rows = [
        {"text": t, "label": lbl, **extra(i)}
        for i, (t, lbl) in enumerate(
            [("rác bốc mùi quá", "mt"), ("học phí tăng cao", "gd"), ("nước thải ra kênh", "mt")] * 4
        )
    ]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return str(path)


def test_group_field_detected_or_asked(tmp_path, capsys):
    with_template = _labelled(tmp_path, lambda i: {"template": f"t{i % 3}"})
    assert main(["train", "--data", with_template, "--out", str(tmp_path / "a")]) == 0
    meta = json.loads((tmp_path / "a" / "v0001" / "meta.json").read_text(encoding="utf-8"))
    assert meta["quality"]["method"] == "grouped_kfold"
    assert meta["quality"]["group_field"] == "template"
    assert "theo nhóm “template”" in capsys.readouterr().out

    plain = _labelled(tmp_path, lambda i: {})
    assert main(["train", "--data", plain, "--out", str(tmp_path / "b")]) == 0
    meta = json.loads((tmp_path / "b" / "v0001" / "meta.json").read_text(encoding="utf-8"))
    assert meta["quality"]["method"] == "stratified_kfold"
    assert "phân tầng" in capsys.readouterr().out

    assert main(["train", "--data", plain, "--out", str(tmp_path / "c"), "--group-field", "x"]) == 2
    assert "trường nhóm “x”" in capsys.readouterr().err


def test_second_training_is_a_new_version(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text(
        "\n".join(
            json.dumps({"text": t, "label": lbl}, ensure_ascii=False)
            for t, lbl in [("rác bốc mùi", "mt"), ("học phí tăng", "gd")] * 5
        )
    )
    for expected in ("v0001", "v0002"):
        assert main(["train", "--data", str(data), "--out", str(tmp_path / "m")]) == 0
        assert (tmp_path / "m" / "CURRENT").read_text().strip() == expected


def test_eval_json_and_stripped(model_dir, capsys):
    args = [
        "eval",
        "--model",
        str(model_dir),
        "--data",
        str(CORPUS / "test.jsonl"),
        "--label-field",
        "topic",
        "--json",
    ]
    assert main(args) == 0
    accented = json.loads(capsys.readouterr().out)
    assert main([*args, "--strip-diacritics"]) == 0
    stripped = json.loads(capsys.readouterr().out)
    assert accented["macro_f1"] > 0.6 and accented["n"] == 900
    assert accented["macro_f1"] - stripped["macro_f1"] <= 0.02


def test_eval_plain_text(model_dir, capsys):
    assert (
        main(
            [
                "eval",
                "--model",
                str(model_dir),
                "--data",
                str(CORPUS / "test.jsonl"),
                "--label-field",
                "topic",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Macro-F1:" in out and "Độ chính xác" in out


def test_classify(model_dir, tmp_path):
    out = tmp_path / "pred.jsonl"
    assert (
        main(
            [
                "classify",
                "--model",
                str(model_dir),
                "--data",
                str(CORPUS / "test.jsonl"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 900
    first = json.loads(lines[0])
    assert {"text", "predicted", "score"} <= set(first)


def _write(tmp_path, content):
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "không có dòng dữ liệu nào"),
        ("\n\n", "không có dòng dữ liệu nào"),
        ('{"text": "a", "label": "x"}\n{bad json\n', "dòng 2"),
        ('{"text": "a", "label": "x"}\n{"text": "b"}\n', "dòng 2 của"),
        ('{"label": "x"}\n', "thiếu trường “text”"),
        ("[1, 2]\n", "không phải một đối tượng JSON"),
    ],
)
def test_bad_input_one_vietnamese_line(tmp_path, capsys, content, message):
    code = main(["train", "--data", _write(tmp_path, content), "--out", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_missing_file_and_model(tmp_path, capsys):
    assert main(["eval", "--model", str(tmp_path / "none"), "--data", "x.jsonl"]) == 2
    assert main(["train", "--data", str(tmp_path / "none.jsonl"), "--out", "x"]) == 2
    assert main(["classify", "--model", str(tmp_path), "--data", "x", "--out", "y"]) == 2
    err = capsys.readouterr().err
    assert "không tìm thấy" in err.lower() or "chưa có phiên bản" in err


def test_one_label_only(tmp_path, capsys):
    data = _write(tmp_path, '{"text": "a", "label": "x"}\n{"text": "b", "label": "x"}\n')
    assert main(["train", "--data", data, "--out", str(tmp_path / "m")]) == 2
    assert "hai nhãn" in capsys.readouterr().err


def test_group_delegates(tmp_path):
    pytest.importorskip("textengine.grouping")
    data = _write(
        tmp_path,
        "\n".join(
            json.dumps({"text": t}, ensure_ascii=False)
            for t in ["Rác ở tổ 5 bốc mùi", "rac o to 5 boc mui qua", "Học phí tăng cao"]
        ),
    )
    out = tmp_path / "groups.jsonl"
    assert main(["group", "--data", data, "--out", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_subprocess_exit_code_and_stderr(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "longdan.commands",
            "text",
            "eval",
            "--model",
            str(tmp_path),
            "--data",
            str(tmp_path / "missing.jsonl"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("Lỗi:")
