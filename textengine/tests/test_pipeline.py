"""The vectorised batch pipeline gives, text by text, what the plain single-text path gives."""

import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from textengine import lexicon
from textengine.mask import clean
from textengine.model import train
from textengine.normalize import fold_normalized
from textengine.pipeline import analyse, analyse_batch
from textengine.suggest import Suggester
from textengine.tests.hypothesis_profiles import examples

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
LEXICON_ONLY = Suggester()


def _rows(name):
    with (CORPUS / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def with_models(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    rows = _rows("train.jsonl")[:800]
    for field in ("topic", "attitude"):
        train([r["text"] for r in rows], [r[field] for r in rows], root / field, folds=2)
    return Suggester.from_root(root)


def _assert_same(batch, suggester, texts, score_tol=0.0):
    for text, a in zip(texts, batch, strict=True):
        expected_text = clean(text).text
        assert a.text == expected_text
        assert a.folded == fold_normalized(expected_text)
        s = suggester.suggest(text)
        assert (a.topic, a.attitude) == (s.topic.label, s.attitude.label), text
        assert abs(a.topic_score - s.topic.score) <= score_tol
        assert abs(a.attitude_score - s.attitude.score) <= score_tol


# Words that start, continue and overlap lexicon phrases, so the batch trie walk and its
# longest-first, no-overlap rule meet the cases Lexicon.match handles one text at a time.
_CUE_WORDS = sorted(
    {w for kind in lexicon.KINDS for phrase in lexicon.default(kind).index for w in phrase}
)
cue_text = st.lists(
    st.one_of(
        st.sampled_from(_CUE_WORDS),
        st.sampled_from(["không", "đồng", "tình", "rác", "thải", "ko", "0912 345 678", ",", "\n"]),
        st.text(max_size=6),
    ),
    max_size=30,
).map(" ".join)


@examples(150)
@given(st.lists(st.one_of(cue_text, st.text()), max_size=8))
@example(["rác thải ko", "đồng tình"])  # a phrase must not run across two texts
@example(["", "😡", "\x00", " , ", "a , b"])
def test_lexicon_only_batch_equals_single(texts):
    _assert_same(analyse_batch(texts, LEXICON_ONLY, signature_fn=None), LEXICON_ONLY, texts)


def test_texts_do_not_leak_into_each_other():
    alone = analyse("Chúng tôi không", LEXICON_ONLY)
    together = analyse_batch(["Chúng tôi không", "đồng tình"], LEXICON_ONLY, signature_fn=None)
    assert together[0].attitude == alone.attitude
    assert together[1].attitude == analyse("đồng tình", LEXICON_ONLY).attitude == "dong_tinh"


def test_model_batch_equals_single(with_models):
    texts = [r["text"] for r in _rows("test.jsonl")[:300]]
    texts += ["", "😡🙏", "Gọi 0912 345 678 về rác", "ngập\núng , quá !!!!", "Ph\xad\xeang ngËp"]
    batch = analyse_batch(texts, with_models, signature_fn=None)
    _assert_same(batch, with_models, texts, score_tol=2e-4)


@examples(60)
@given(st.lists(st.one_of(cue_text, st.text()), max_size=5))
def test_model_batch_equals_single_on_any_text(with_models, texts):
    batch = analyse_batch(texts, with_models, signature_fn=None)
    _assert_same(batch, with_models, texts, score_tol=2e-4)


def test_bad_items_in_a_batch():
    out = analyse_batch([None, 42, "", "x" * 200_000], LEXICON_ONLY, signature_fn=None)
    assert [a.text for a in out[:3]] == ["", "42", ""]
    assert out[3].folded == "x" * 200_000
    assert analyse_batch([], LEXICON_ONLY) == []


def test_signature_step_gets_the_folded_masked_texts():
    seen = []
    out = analyse_batch(
        ["Gọi 0912 345 678", "Hoà Bình"], LEXICON_ONLY, signature_fn=lambda f: seen.extend(f) or f
    )
    assert seen == ["goi ⟨sdt⟩", "hoa binh"]
    assert [a.signature for a in out] == seen
