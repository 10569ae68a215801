"""Quality bar (issues 3 and 9): on held-out templates our model matches or beats a TF-IDF
(syllable 1–2 grams) + LinearSVC baseline trained on the same accented data, and loses at most 2
points of macro-F1 when the test texts lose their diacritics (the baseline loses far more).
Attitude reaches 0.70 macro-F1 on the test file, written or not with diacritics (issue 9; nothing
was tuned on that file: see docs/PERFORMANCE.md). ``predict_batch`` is what ``longdan text eval``
measures and what the app suggests (the model's probabilities with the lexicon's vote)."""

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
    if field == "attitude":  # issue 9: 0.52 before; the bar holds typed either way
        assert min(ours, ours_stripped) >= 0.70, RESULTS[field]
    # The app's own path (the batch pipeline, as a filed item is analysed) gives the same labels.
    from textengine.pipeline import analyse_batch
    from textengine.suggest import Suggester

    app = Suggester(**{f"{field}_model": model})
    assert [getattr(a, field) for a in analyse_batch(stripped[:200], app, None)] == [
        p for p, _ in model.predict_batch(stripped[:200])
    ]
    # The accented-only baseline collapses without diacritics (the issue expects >= 30 points).
    assert base - base_stripped >= 0.15
    # The quality stored with the model is measured on held-out templates, not on near-copies
    # of its training texts (a random split of this corpus gives 1.0).
    stored = model.meta["quality"]
    assert stored["method"] == "grouped_kfold" and stored["evaluated"] == len(train_rows)
    assert stored["macro_f1"] < 0.95
    if field == "topic":  # held out by matter, as the test set is: the figures agree
        assert abs(stored["macro_f1"] - ours) < 0.1


def test_a_model_of_the_previous_format_still_loads_and_predicts(corpus, tmp_path):
    """Models saved before issue 9 (format 1: same files, cues read on folded syllables) load and
    predict; a format this code does not know is refused with a Vietnamese message."""
    from textengine.model import FORMAT, ModelError

    train_rows, _ = corpus
    rows = train_rows[:400]
    model = train([r["text"] for r in rows], [r["attitude"] for r in rows], tmp_path / "m",
                  label_field="attitude", folds=2)
    assert model.meta["format"] == FORMAT == "longdan-textengine-linear/2"
    meta_path = tmp_path / "m" / model.version / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["format"] = "longdan-textengine-linear/1"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    old = LinearModel.load(tmp_path / "m")
    texts = ["Bà con rất bức xúc vì rác thải", "Chúng tôi kiên quyết phản đối việc thu phí"]
    assert old.predict_batch(texts) == model.predict_batch(texts)
    assert [p for p, _ in old.predict_batch(texts)] == ["buc_xuc", "phan_doi"]
    meta["format"] = "longdan-textengine-linear/9"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="Định dạng mô hình không được hỗ trợ"):
        LinearModel.load(tmp_path / "m")


def test_training_reads_each_text_with_and_without_diacritics(tmp_path):
    """Each text is trained as written and without its marks, and a text and its twin are held
    out together when quality is measured (else the twin would leak the answer)."""
    from textengine.model import _both_forms

    texts = ["Bà con sợ lắm", "Dân phản đối", "rất phấn khởi", "bức xúc quá"] * 3
    assert _both_forms(texts[:2]) == ["Bà con sợ lắm", "Dân phản đối", "Ba con so lam",
                                       "Dan phan doi"]
    labels = ["ban_khoan", "phan_doi", "dong_tinh", "buc_xuc"] * 3
    model = train(texts, labels, tmp_path / "m", label_field="attitude", folds=3)
    assert model.meta["training_size"] == len(texts)
    assert model.meta["quality"]["evaluated"] == len(texts)
    assert model.meta["training_forms"] == "each text as given and without diacritics"
