"""The trained text models are in the database (issue 10, "a city on several machines"): two
processes with their own ``LONGDAN_VAR_DIR`` on one database — one trains, the other, already
running with no model, uses the new version at its next suggestion, without a restart, and
suggests exactly what the trainer does."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from longdan.tests.processes import ROOT

pytestmark = pytest.mark.processes

_ORM = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'longdan.settings');"
        " django.setup(); ")


def test_a_model_trained_on_one_machine_is_used_on_another(process_db, tmp_path):
    trainer_var, reader_var = tmp_path / "may-1", tmp_path / "may-2"
    process_db.python(trainer_var, "from longdan.tests import fault_world;"
                                   " fault_world.labelled(80)")
    go = tmp_path / "go"
    reader = subprocess.Popen(
        [sys.executable, "-c", _ORM + "from longdan.tests import fault_world;"
                                      f" fault_world.suggester_reader({str(go)!r})"],
        env=process_db.env(reader_var), cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        before = json.loads(reader.stdout.readline() or "null")
        assert before is not None, reader.stderr.read()
        assert before["version"] == "lexicon"  # nothing trained yet
        trained = process_db.python(trainer_var, "from longdan.tests import fault_world;"
                                                 " fault_world.train_and_suggest()")
        assert trained["result"] == {"topic": "v0001", "attitude": "v0001"}
        assert trained["version"] == "topic:v0001 attitude:v0001"
        go.touch()
        after = json.loads(reader.stdout.readline() or "null")
        assert after is not None, reader.stderr.read()
    finally:
        reader.kill()
        reader.wait(timeout=30)
    # The other machine took the new version from the database, and it is the same model.
    assert after == {k: trained[k] for k in ("version", "topic", "attitude")}
    assert after["topic"][2] != "lexicon"
    for var in (trainer_var, reader_var):
        for kind in ("topic", "attitude"):
            folder = var / "models" / kind
            assert (folder / "CURRENT").read_text().strip() == "v0001"
    assert ((reader_var / "models" / "topic" / "v0001" / "weights.npy").read_bytes()
            == (trainer_var / "models" / "topic" / "v0001" / "weights.npy").read_bytes())
