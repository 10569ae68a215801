"""The fast signature path (syllable ids, CRC-32 combined on arrays, permutation by permutation)
gives exactly what hashing the shingle strings gives (``_minhash``, the reference): stored
signatures and grouper states stay valid."""

import json
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textengine import signature as sig
from textengine.normalize import fold, syllables
from textengine.signature import (
    shingles,
    shingles_of,
    signature,
    signatures,
    signatures_of_syllables,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "test.jsonl"

TRICKY = [
    "",
    None,
    "🙂🙂",
    "Rác",
    "một hai",
    "a , b",  # punctuation glued by normalize
    "Rác ! ! ! thải",
    "º, abc xyz",  # a legacy-only symbol folds away and leaves "," to glue
    "abc º, xyz",
    "x\ny z",  # several lines
    "ÌÊ0Ë abc",  # legacy-looking
    "qùy hoà thuý Hoà Bình",
    "ab\u0301c đường",  # decomposed: the slow path
    "Đường  Nguyễn\tTrãi\u00a0ngập",
    "https://x.y/abc?q=1 , ok",
    "a" * 70 + " " + "b" * 200 + " c",  # syllables longer than the tabulated shifts
    "𝕏 ngập 中文 nặng",
    "ko dc j, ae oi !!!! sao lai the",
]


def reference(texts):
    return sig._minhash([shingles(t) for t in texts])


def corpus_texts():
    with CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle]


def test_batch_equals_hashing_the_shingle_strings_on_the_corpus_raw_and_folded():
    texts = corpus_texts() + TRICKY
    for batch in (texts, [fold(t) for t in texts]):
        assert np.array_equal(signatures(batch), reference(batch))


def test_tricky_texts_one_by_one_and_together():
    together = signatures(TRICKY)
    for text, row in zip(TRICKY, together, strict=True):
        assert np.array_equal(row, reference([text])[0]), text
        assert np.array_equal(signature(text).values, row), text


def test_small_and_large_batches_take_different_paths_to_the_same_values():
    texts = corpus_texts()
    small = np.vstack([signatures([t]) for t in texts[:50]])
    large = signatures(texts)[:50]
    assert sum(len(shingles(t)) for t in texts) > sig._SMALL  # the permutation-by-permutation path
    assert np.array_equal(small, large)


def test_syllable_lists_give_the_same_rows():
    texts = corpus_texts()[:300] + TRICKY
    groups = [syllables(t) for t in texts]
    assert np.array_equal(
        signatures_of_syllables(groups), sig._minhash([shingles_of(g) for g in groups])
    )


@pytest.mark.parametrize("size", [0, 1, 2, 63, 64, 65, 130, 300])
def test_crc_of_a_concatenation_is_combined_from_the_parts(size):
    rng = np.random.default_rng(size)
    for _ in range(20):
        a = bytes(rng.integers(0, 256, int(rng.integers(0, 40))).tolist())
        b = bytes(rng.integers(0, 256, size).tolist())
        shifted = sig._zero_shift(np.array([zlib.crc32(a)], dtype=np.uint32), np.array([size]))
        assert int(shifted[0]) ^ zlib.crc32(b) == zlib.crc32(a + b)


def test_starting_the_vocabulary_again_changes_no_value(monkeypatch):
    texts = corpus_texts()[:200]
    before = signatures(texts)
    monkeypatch.setattr(sig._Syllables, "MAX", 10)
    sig._SYLLABLES.bound()
    assert len(sig._SYLLABLES.ids) == 0
    assert np.array_equal(signatures(texts[:100]), before[:100])
    assert np.array_equal(signatures(texts[100:]), before[100:])


words = st.sampled_from(
    "đường Đường ngập NGẬP ngap rác rac , . ! ? ) ] ( º ½ 🙂 hoà hòa thuý Thúy qùy ko dc 5 62"
    " \u0301 a\u0300 Ì Ê".split()
)
spacing = st.sampled_from([" ", "  ", "\t", "\n", "", "\u00a0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(words, spacing), max_size=12))
def test_any_mix_of_words_spaces_and_punctuation_matches_the_reference(pieces):
    text = "".join(w + s for w, s in pieces)
    assert np.array_equal(signatures([text, fold(text)]), reference([text, fold(text)]))
