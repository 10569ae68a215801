"""Quota allocation of a sample across areas in proportion to their populations."""

from __future__ import annotations

import pytest

from surveys.collect.sampling import AllocationError, allocate


def test_allocation_is_proportional_and_sums_exactly():
    assert allocate(400, {"a": 820, "b": 640, "c": 540}) == {"a": 164, "b": 128, "c": 108}
    shares = allocate(10, {"a": 1, "b": 1, "c": 1})
    assert sum(shares.values()) == 10 and sorted(shares.values()) == [3, 3, 4]
    assert shares["a"] == 4  # a tie goes to the first named


def test_allocation_largest_remainder():
    # exact shares 4.29, 2.86, 2.14, 0.71: floors 4,2,2,0 leave 2 for the largest remainders
    shares = allocate(10, {"a": 300, "b": 200, "c": 150, "d": 50})
    assert shares == {"a": 4, "b": 3, "c": 2, "d": 1}


@pytest.mark.parametrize("size", [0, 1, 7, 399, 1000, 12345])
def test_allocation_sums_for_any_size(size):
    populations = {f"to_{i}": (i * 37) % 500 + 1 for i in range(40)}
    shares = allocate(size, populations)
    assert sum(shares.values()) == size
    total = sum(populations.values())
    for key, share in shares.items():
        assert abs(share - size * populations[key] / total) < 1


def test_allocation_refusals():
    with pytest.raises(AllocationError, match="Chưa có số dân"):
        allocate(5, {"a": 0, "b": 0})
    with pytest.raises(AllocationError, match="số nguyên không âm"):
        allocate(-1, {"a": 1})
    with pytest.raises(AllocationError, match="Dân số"):
        allocate(3, {"a": -4})
    assert allocate(0, {"a": 0}) == {"a": 0}
