"""Sample plans: share a sample size among areas in proportion to their population (no Django).

Largest-remainder (Hamilton) allocation: each area first gets the whole part of its exact share
``n × population / total``; the interviews left over go one each to the areas with the largest
remainders (ties: the larger population, then the order given). The shares always add up to
``n`` exactly, and no area is more than one interview away from its exact share. Integer
arithmetic throughout, so no rounding error can lose or add an interview.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping


class AllocationError(ValueError):
    """An allocation that cannot be made; ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def allocate(sample_size: int, populations: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """Interviews per area, summing to ``sample_size``, proportional to ``populations``."""
    if isinstance(sample_size, bool) or not isinstance(sample_size, int) or sample_size < 0:
        raise AllocationError("Cỡ mẫu phải là số nguyên không âm.")
    for key, population in populations.items():
        if isinstance(population, bool) or not isinstance(population, int) or population < 0:
            raise AllocationError(f"Dân số của “{key}” phải là số nguyên không âm.")
    total = sum(populations.values())
    if sample_size and total == 0:
        raise AllocationError(
            "Chưa có số dân của địa bàn nào: hãy nhập số nhân khẩu của các tổ dân phố trước khi"
            " phân bổ mẫu."
        )
    if not sample_size:
        return {key: 0 for key in populations}
    shares: dict[Hashable, int] = {}
    remainders: list[tuple[int, int, int, Hashable]] = []
    for order, (key, population) in enumerate(populations.items()):
        whole, remainder = divmod(sample_size * population, total)
        shares[key] = whole
        remainders.append((-remainder, -population, order, key))
    left = sample_size - sum(shares.values())
    for _, _, _, key in sorted(remainders, key=lambda r: r[:3])[:left]:
        shares[key] += 1
    return shares
