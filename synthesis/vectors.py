"""Text vectors for similarity: TF-IDF over character n-grams of the folded content words
(no Django import).

Two TF-IDF views are joined: syllables and syllable pairs (what the statement is about), and
character n-grams inside words ("char_wb", 2 to 4 characters: forgiving spelling and teen-code).
Neither needs a Vietnamese word segmenter or a model download.
The text is folded first (``textengine.fold``: no diacritics, lower case) so that a unit typing
without a Vietnamese keyboard reads the same, and the function words and the asking words
("đề nghị", "kiến nghị", "phản ánh") are left out through the text engine's own content words
(``textengine.grouping.content_features``), so two requests do not look alike only because both
begin "Đề nghị tăng cường…".
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from textengine import fold
from textengine.grouping import content_features

__all__ = ["matching_form", "tfidf_rows", "vectorise", "similar_pairs", "WORD_SHARE"]

# Words tell matters apart better (a shared "tăng cường tuyên truyền" is not the same request);
# characters forgive spelling and word-form variation. Measured on the constructed cases of
# synthesis/tests: paraphrases ≥ 0.5, different matters of one topic ≤ 0.39.
WORD_SHARE = 0.7
_CHUNK = 2048  # rows multiplied at once when looking for similar pairs (bounded memory)


@functools.lru_cache(maxsize=1 << 16)
def matching_form(text: str) -> str:
    """The folded content words of ``text``, in order (adjacent pairs left out); the whole folded
    text when it has no content word at all."""
    words = [f for f in content_features(text) if "_" not in f]
    return " ".join(words) if words else fold(text)


def vectorise(forms: Sequence[str]) -> sparse.csr_matrix:
    """L2-normalised rows whose dot product is ``WORD_SHARE`` × the cosine of word (syllable and
    syllable pair) TF-IDF + the rest × the cosine of character n-gram TF-IDF."""
    if not any(f.strip() for f in forms):
        return sparse.csr_matrix((len(forms), 1), dtype=np.float32)
    words = TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), token_pattern=r"\S+", sublinear_tf=True,
        dtype=np.float32, lowercase=False,
    ).fit_transform(forms)
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32,
        lowercase=False,
    ).fit_transform(forms)
    return sparse.hstack(
        [words * np.float32(WORD_SHARE**0.5), chars * np.float32((1 - WORD_SHARE) ** 0.5)],
        format="csr",
    )


def tfidf_rows(texts: Sequence[str], *, content: bool = False) -> sparse.csr_matrix:
    """Rows of ``texts`` for cosines (folded; content words only when ``content``)."""
    return vectorise([matching_form(t) if content else fold(t) for t in texts])


def similar_pairs(rows: sparse.csr_matrix, threshold: float) -> tuple[np.ndarray, ...]:
    """(i, j, cosine) of every pair i < j of ``rows`` whose cosine is at least ``threshold``,
    computed block by block of rows so that memory stays bounded."""
    n = rows.shape[0]
    transposed = rows.T.tocsc()
    out_i, out_j, out_s = [], [], []
    for start in range(0, n, _CHUNK):
        block = (rows[start:start + _CHUNK] @ transposed).tocoo()
        i = block.row.astype(np.int64) + start
        keep = (block.data >= threshold) & (block.col > i)
        out_i.append(i[keep])
        out_j.append(block.col[keep].astype(np.int64))
        out_s.append(block.data[keep])
    if not out_i:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=np.float32)
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)
