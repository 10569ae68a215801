"""Quality bar (issue 3): on held-out templates our model matches or beats a TF-IDF (syllable 1–2
grams) + LinearSVC baseline trained on the same accented data, and loses at most 2 points of
macro-F1 when the test texts lose their diacritics (the baseline loses far more)."""

import json
import re
from pathlib import Path

import pytest

from textengine.model import LinearModel, accuracy, macro_f1, train
from textengine.normalize import strip_diacritics

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
RESULTS: dict[str, dict] = {}


def _rows(name):
    with (CORPUS / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def corpus():
    return _rows("train.jsonl"), _rows("test.jsonl")


def test_split_is_by_template(corpus):
    """No test text shares its matter phrase or its frame with training (checked on text)."""
    from textengine.corpus.build_corpus import FRAMES, MATTERS, N_TEST_FRAMES, N_TEST_MATTERS

    train_rows, test_rows = corpus
    test_frames = [f for fs in FRAMES.values() for f in fs[-N_TEST_FRAMES:]]
    anchors = [max(re.split(r"\{[a-z]+\}", f), key=len).strip(" ,.!") for f in test_frames]
    anchors = [a for a in anchors if len(a) > 12]
    assert anchors
    train_text = "\n".join(r["text"].lower() for r in train_rows)
    for anchor in anchors:
        assert anchor.lower() not in train_text, anchor
    test_matters = [m for ms in MATTERS.values() for m in ms[-N_TEST_MATTERS:]]
    for matter in test_matters:
        head = matter.split("{")[0].strip()
        if len(head) > 15:
            assert head.lower() not in train_text, head
    assert len(train_rows) + len(test_rows) >= 1500


def _baseline(train_rows, field):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vec = TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", sublinear_tf=True)
    x = vec.fit_transform([r["text"] for r in train_rows])
    clf = LinearSVC().fit(x, [r[field] for r in train_rows])
    return lambda texts: list(clf.predict(vec.transform(texts)))


@pytest.mark.parametrize("field", ["topic", "attitude"])
def test_beats_baseline_and_survives_missing_diacritics(corpus, field, tmp_path):
    train_rows, test_rows = corpus
    model = train(
        [r["text"] for r in train_rows],
        [r[field] for r in train_rows],
        tmp_path / field,
        label_field=field,
        groups=[r["matter" if field == "topic" else "frame"] for r in train_rows],
        folds=3,
    )
    assert isinstance(LinearModel.load(tmp_path / field), LinearModel)
    truth = [r[field] for r in test_rows]
    accented = [r["text"] for r in test_rows]
    stripped = [strip_diacritics(t) for t in accented]
    ours = macro_f1(truth, [p for p, _ in model.predict_batch(accented)])
    ours_stripped = macro_f1(truth, [p for p, _ in model.predict_batch(stripped)])
    baseline = _baseline(train_rows, field)
    base = macro_f1(truth, baseline(accented))
    base_stripped = macro_f1(truth, baseline(stripped))
    RESULTS[field] = {
        "ours": ours,
        "ours_stripped": ours_stripped,
        "baseline": base,
        "baseline_stripped": base_stripped,
        "ours_accuracy": accuracy(truth, [p for p, _ in model.predict_batch(accented)]),
    }
    print(f"\n{field}: {RESULTS[field]}")
    assert ours >= base
    assert ours - ours_stripped <= 0.02
    # The accented-only baseline collapses without diacritics (the issue expects >= 30 points).
    assert base - base_stripped >= 0.15
    # The quality stored with the model is measured on held-out templates, not on near-copies
    # of its training texts (a random split of this corpus gives 1.0).
    stored = model.meta["quality"]
    assert stored["method"] == "grouped_kfold" and stored["evaluated"] == len(train_rows)
    assert stored["macro_f1"] < 0.95
    if field == "topic":  # held out by matter, as the test set is: the figures agree
        assert abs(stored["macro_f1"] - ours) < 0.1
