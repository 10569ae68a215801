"""`longdan text ...` reaches the text engine without a database."""

import json
from pathlib import Path

from longdan.commands import main

CORPUS = Path(__file__).resolve().parents[2] / "textengine" / "corpus"


def test_train_then_eval_through_longdan_text(tmp_path, capsys):
    model = tmp_path / "model"
    code = main(["text", "train", "--data", str(CORPUS / "train.jsonl"),
                 "--label-field", "topic", "--out", str(model)])
    assert code == 0
    capsys.readouterr()
    assert main(["text", "eval", "--model", str(model), "--data", str(CORPUS / "test.jsonl"),
                 "--label-field", "topic", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert 0.5 < result["macro_f1"] <= 1.0
    assert 0.5 < result["accuracy"] <= 1.0


def test_missing_file_is_one_vietnamese_line(tmp_path, capsys):
    code = main(["text", "eval", "--model", str(tmp_path), "--data", str(tmp_path / "x.jsonl"),
                 "--label-field", "topic"])
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
