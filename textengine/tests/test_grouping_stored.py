"""Grouping what the app stores: texts that filing already masked and normalised.

The grouping task reads ``OpinionItem.text``, the filing pipeline's output (``textops.services``
-> ``textengine.pipeline``). The grouper does not normalise such a text again (``words.
_split_text``): these tests show that the groups, item for item, and the saved state are exactly
what normalising every text again gave, and count the normalisations of a grouping run.
"""

from __future__ import annotations

import importlib
import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textengine import pipeline
from textengine.grouping import Grouper, features, words
from textengine.grouping import grouper as grouping  # where _BATCH_NEAR is read

# The module, not the function of the same name the package exports.
normalize_mod = importlib.import_module("textengine.normalize")
normalize = normalize_mod.normalize

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# Texts filing sees besides the corpus: numbers to mask, glued punctuation, decomposed Unicode,
# legacy encodings, several lines, stray spaces.
ODD = [
    "Gọi 0912 345 678 . Không ai nghe máy",
    "CCCD 001234567890, sđt 0987654321!!!! rác ở ngõ 62",
    "Email a.b@gmail.com ,nhé: đèn đường tổ 5 hỏng",
    "nhà số 12 , ngõ 5 Hoàng Diệu ngập",
    "Ho\u0300a bi\u0300nh ngập nước",
    "\u00d0\u00eau c\u00f3 n\u00b8\u00edc s\u00b9ch",
    "dòng 1 ngập\n\n ở tổ 5 \n",
    "\u0110\u01b0\u1eddng  L\u00ea  L\u1ee3i\tngập",
    "",
    "🙂🙂",
]


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts + ODD


@pytest.fixture(scope="module")
def raw() -> list[str]:
    return corpus_texts()


@pytest.fixture(scope="module")
def stored(raw) -> list[str]:
    """What OpinionItem.text holds for each text: the filing pipeline's output."""
    return [a.text for a in pipeline.analyse_batch(raw, None, None)]


def renormalising(monkeypatch) -> None:
    """The grouper as it was: every text normalised again before its features are read."""
    monkeypatch.setattr(features, "_split_text", lambda text: words._split(normalize(text)))


def group(texts: list[str], batch: int | None = None) -> tuple[list[int], bytes]:
    grouper = Grouper()
    records = [(i, text, None) for i, text in enumerate(texts)]
    if batch is None:
        out = grouper.assign_many(records)
    else:
        out = []
        for lo in range(0, len(records), batch):
            out += grouper.assign_many(records[lo : lo + batch])
    return out, grouper.dumps()


def test_stored_texts_are_already_normal(stored):
    assert len(stored) > 3000
    assert all(normalize(text) == text for text in stored)
    # All but the legacy-encoded one take the no-normalisation path.
    assert sum(not normalize_mod.words_fix_alone(t) for t in stored if t) == 1


@pytest.mark.parametrize("batch", [None, 100])  # one large batch (array pass) and small ones
@pytest.mark.parametrize("form", ["stored", "raw"])
def test_groups_are_those_of_normalising_again(request, monkeypatch, form, batch):
    texts = request.getfixturevalue(form)
    assert len(texts) > grouping._BATCH_NEAR
    new = group(texts, batch)
    with monkeypatch.context() as patch:
        renormalising(patch)
        old = group(texts, batch)
    assert new[0] == old[0]  # every item in the same issue
    assert new[1] == old[1]  # and the same saved state
    assert len(set(new[0])) > 100  # a real grouping, not everything in one issue


def test_split_text_on_every_stored_text(stored, raw):
    for text in stored + raw:
        assert words._split_text(text) == words._split(normalize(text)), text


VIETNAMESE = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐ" + "\u0300\u0301\u0303\u0309\u0323"


@given(
    st.text(
        alphabet=st.sampled_from(VIETNAMESE + "bcdghklmnpqrstvx 0123456789,.!?;:)(\n\t\u00a0·Ð"),
        max_size=40,
    )
)
def test_split_text_is_split_of_normalize(text):
    assert words._split_text(text) == words._split(normalize(text))


@pytest.fixture
def counted(monkeypatch) -> Counter:
    """Calls of ``normalize`` (where the grouper's words look it up), of its first step
    ``_prepare`` (every normalisation starts there) and of the per-word fix."""
    counts: Counter = Counter()

    def counting(name, fn):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(words, "normalize", counting("normalize", words.normalize))
    monkeypatch.setattr(normalize_mod, "_prepare", counting("prepare", normalize_mod._prepare))
    monkeypatch.setattr(words, "fix_word", counting("fix_word", words.fix_word))
    monkeypatch.setattr(words, "_RAW_PIECES", {})  # a fresh process: no word seen yet
    return counts


def test_grouping_stored_texts_normalises_none(stored, counted):
    plain = [t for t in stored if t and normalize_mod.words_fix_alone(t)]
    distinct_words = len({w for t in plain for w in t.split()})
    Grouper().assign_many((i, t, None) for i, t in enumerate(plain))
    assert counted["normalize"] == 0
    assert counted["prepare"] == 0
    # Each distinct word is fixed once the first time it is seen (a cached look-up in the
    # process that filed it), not once per item.
    assert 0 < counted["fix_word"] <= distinct_words < len(plain) * 5
    counted.clear()
    Grouper().assign_many((i, t, None) for i, t in enumerate(plain))
    assert counted == {}  # warm: nothing at all


def test_renormalising_grouper_counted_once_per_item(stored, monkeypatch, counted):
    """The counter sees the old path's normalisations: one per distinct text grouped."""
    plain = [t for t in stored if t and normalize_mod.words_fix_alone(t)]
    monkeypatch.setattr(
        features, "_split_text", lambda text: words._split(words.normalize(text))
    )
    Grouper().assign_many((i, t, None) for i, t in enumerate(plain))
    assert counted["normalize"] == counted["prepare"] == len(set(plain))


def test_text_not_in_normal_form_is_still_normalised(counted):
    Grouper().assign_many(
        [(1, "Ho\u0300a bi\u0300nh ngập", None), (2, "ngập ,tổ 5", None), (3, "ngập ở tổ 5", None)]
    )
    assert counted["normalize"] == 2  # decomposed Unicode; punctuation to glue
