"""Seeded survey samples shared by the surveystats tests (no database)."""

from __future__ import annotations

import numpy as np

AREAS = ["KV1", "KV2", "KV3", "KV4"]
GENDERS = ["Nam", "Nữ"]
AGES = ["18-29", "30-44", "45-59", "60+"]
ANSWERS = ["Rất đồng ý", "Đồng ý", "Phân vân", "Không đồng ý", "Rất không đồng ý"]
OPTIONS = ["dien", "nuoc", "duong", "rac", "an_ninh"]

MARGINS = {
    "khu_vuc": {"KV1": 4200, "KV2": 3100, "KV3": 2500, "KV4": 1200},
    "gioi_tinh": {"Nam": 5300, "Nữ": 5700},
    "nhom_tuoi": {"18-29": 2600, "30-44": 3300, "45-59": 2900, "60+": 2200},
}


def make_sample(seed: int, n: int, *, missing: float = 0.05) -> dict[str, np.ndarray]:
    """A sample skewed against the margins (so weighting matters), with some missing answers."""
    rng = np.random.default_rng(seed)
    area = rng.choice(AREAS, n, p=[0.25, 0.25, 0.3, 0.2])
    gender = rng.choice(GENDERS, n, p=[0.4, 0.6])
    age = rng.choice(AGES, n, p=[0.15, 0.25, 0.3, 0.3])
    # Answers depend on age so that weighted and unweighted shares differ.
    old = np.isin(age, ["45-59", "60+"])
    answer = np.where(
        old,
        rng.choice(ANSWERS, n, p=[0.35, 0.3, 0.15, 0.15, 0.05]),
        rng.choice(ANSWERS, n, p=[0.1, 0.25, 0.3, 0.2, 0.15]),
    ).astype(object)
    answer[rng.random(n) < missing] = ""
    income = rng.lognormal(2.0, 0.5, n) + np.where(old, 1.5, 0.0)
    ticks = rng.random((n, len(OPTIONS))) < [0.5, 0.3, 0.2, 0.4, 0.1]
    multi = np.array(
        [" ".join(o for o, chosen in zip(OPTIONS, row, strict=True) if chosen) for row in ticks],
        dtype=object,
    )
    return {
        "khu_vuc": area,
        "gioi_tinh": gender,
        "nhom_tuoi": age,
        "y_kien": answer,
        "thu_nhap": income,
        "kien_nghi": multi,
        "base_weight": rng.lognormal(0.0, 0.4, n),
    }
