"""What grouping reads from a text: content features, places, and the MinHash signature and LSH
band keys of a whole batch of texts at once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from textengine.grouping.places import _place_keys
from textengine.grouping.words import _split_text
from textengine.signature import BANDS, band_keys, signatures_of_syllables


def analyse(text: str | None) -> tuple[list[str], list[str], list[str]]:
    """(folded syllables, content features, place keys) of a text, as of its normal form. A
    stored text is already normal (filing normalised it) and is not normalised again; see
    ``words._split_text``."""
    raw, folded, syl, words = _split_text(text)
    pairs = list(map("{}_{}".format, words, words[1:]))
    return syl, list(dict.fromkeys(words + pairs)), _place_keys(raw, folded)



@dataclass
class _Prepared:
    """The distinct texts of a batch: per text (features, places, signature, LSH band keys or
    None when empty), and the signatures, keys and emptiness as arrays for the batch passes."""

    entries: list[tuple[tuple, tuple, np.ndarray, list[int] | None]]
    sigs: np.ndarray
    keys: np.ndarray
    empty: np.ndarray


def _prepare_texts(texts: list) -> _Prepared:
    """Analyse each text once; the signatures and keys of the whole batch come from one
    vectorised computation."""
    analysed = [analyse(text) for text in texts]
    sigs = signatures_of_syllables([syl for syl, _f, _p in analysed])
    keys = band_keys(sigs) if texts else np.empty((0, BANDS), dtype=np.uint64)
    empty = (sigs == 0xFFFFFFFF).all(axis=1)
    entries = [
        (tuple(features), tuple(places), sig, None if blank else key)
        for (_syl, features, places), sig, key, blank in zip(
            analysed, sigs, keys.tolist(), empty.tolist(), strict=True
        )
    ]
    return _Prepared(entries, sigs, keys, empty)


def content_features(text: str | None) -> list[str]:
    """Distinct content words of ``text`` (folded) and adjacent content-word pairs."""
    return analyse(text)[1]

