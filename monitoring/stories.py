"""Candidate look-up for stories (no Django import): the band keys of a MinHash signature.

A mention joins a story when the estimated Jaccard overlap of its shingles with an earlier
mention is at least ``THRESHOLD`` (0.4: a retitled copy with a paragraph trimmed or added stays
well above it, two different articles are near 0). Comparing a new mention with every mention of
the last two weeks would read them all at each insert, so each mention stores ``BANDS`` keys, one
per pair of signature values; two mentions sharing any key are candidates and only those are
compared in full. Rows of 2 make the look-up generous: a pair at Jaccard 0.4 shares a key with
probability 1-(1-0.4²)³² ≈ 0.996, at 0.3 about 0.95, and at 0.05 (unrelated) about 0.08.
The grouper's own banding (16 bands of 4, ``textengine.signature.band_keys``) is tuned for
near-identical short opinions and would miss most copies at 0.4.
"""

from __future__ import annotations

import numpy as np

from textengine.signature import NUM_PERM

__all__ = ["BANDS", "THRESHOLD", "band_keys", "shares"]

THRESHOLD = 0.4
ROWS = 2
BANDS = NUM_PERM // ROWS
_MASK = (1 << 64) - 1
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)


def band_keys(values: np.ndarray) -> list[int]:
    """``BANDS`` signed 64-bit keys (a database BigInteger) of one signature's values."""
    keys = []
    pairs = np.asarray(values, dtype=np.uint64).reshape(BANDS, ROWS)
    for band, (a, b) in enumerate(pairs.tolist()):
        key = (a * _MIX[0] + b * _MIX[1] + (band + 1) * _MIX[2]) & _MASK
        keys.append(key - (1 << 64) if key >= 1 << 63 else key)
    return keys


def shares(values: np.ndarray, stored: list[bytes]) -> np.ndarray:
    """The estimated Jaccard of ``values`` with each stored signature (``Sig.to_bytes`` form)."""
    if not stored:
        return np.zeros(0)
    matrix = np.frombuffer(b"".join(bytes(s)[1:] for s in stored), dtype="<u4")
    return (matrix.reshape(-1, NUM_PERM) == np.asarray(values, dtype=np.uint32)).mean(axis=1)
