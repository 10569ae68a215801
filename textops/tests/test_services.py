"""The text side of the app: the pipeline as the app calls it, and the engine's saved state."""

from __future__ import annotations

from django.db import transaction

from textengine.mask import clean
from textengine.pipeline import analyse_batch
from textops import selectors, services
from textops.models import EngineState


def test_one_text_and_a_batch_give_the_same_analysis(db):
    texts = ["Rác thải ùn ứ ở chợ, gọi 0912 345 678", "hoc phi tang qua", "", "Đồng tình!"]
    batch = services.analyse_many(texts)
    assert batch == [services.analyse(t) for t in texts]
    first = batch[0]
    assert first.normalised == clean(texts[0]).text and first.masked_kinds == ("phone",)
    assert first.suggested_topic_code == "moi_truong" and first.suggested_topic_name
    assert first.model_version == "lexicon" and first.signature == b""


def test_the_app_runs_the_engine_pipeline(db):
    texts = ["Đường ngập, gọi 0987 654 321", "Karaoke ồn ào đến nửa đêm"]
    engine, _version = selectors.suggester()
    expected = analyse_batch(texts, engine, None)
    got = services.analyse_many(texts)
    assert [g.normalised for g in got] == [e.text for e in expected]
    assert [g.folded for g in got] == [e.folded for e in expected]
    assert [g.suggested_topic_code for g in got] == [e.topic for e in expected]


def test_cleaned_texts_are_not_cleaned_again_and_keep_their_kinds(db):
    stored = clean("CCCD 001203004567 bị giữ, gọi 0912345678").text
    (again,) = services.analyse_many([stored], cleaned=True)
    assert again.normalised == stored
    assert again.masked_kinds == ("cccd", "phone")


def test_a_number_hidden_by_normalising_is_still_masked(db):
    # Normalising glues " ." to the number before it: "496553001.7" reads as a decimal.
    text, kinds = services.mask_everything("Mã 496553001 .7 của tôi")
    assert "496553001" not in text and kinds == ("cmnd",)


def test_signature_only_on_request(db):
    (signed,) = services.analyse_many(["Rác thải ùn ứ"], sign=True)
    assert len(signed.signature) > 1


def test_state_rows_lock_and_record(db):
    with transaction.atomic():
        state = services.lock_state("job")
        services.record_run(state, meta={"ok": True}, bump=True)
    row = EngineState.objects.get(name="job")
    assert (row.version, row.meta) == (2, {"ok": True})
    assert EngineState._meta.db_table == "issues_enginestate"  # the table kept its name


def test_grouper_state_round_trip(db):
    grouper, version = services.load_grouper()
    assert len(grouper) == 0 and version == 1

    def work(g):
        g.assign(1, "Rác thải ùn ứ ở chợ", None)
        return "done"

    assert services.with_grouper(work) == "done"
    loaded, new_version = services.load_grouper()
    assert len(loaded) == 1 and new_version == 2
