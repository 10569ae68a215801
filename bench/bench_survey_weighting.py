"""Raking plus every weighted frequency (with SE and 95 % CI): 100,000 responses x 60 questions.

Target (issue 4): under 5 s. Measured side by side with samplics 0.6.1 on the same data
(``SampleWeight.rake`` then one ``TaylorEstimator(prop)`` per question, on the rows that answered
it); the two must agree to 1e-6 before their speed is compared. No database: surveystats is pure.
Run: `.venv/bin/python bench/bench_survey_weighting.py [--runs 5] [--samplics-runs 3]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import warnings

import numpy as np
from _setup import git_revision, machine, timed

from surveystats import frequency_tables, rake_detailed

ROWS = 100_000
QUESTIONS = 60
TOLERANCE = 1e-6
MARGINS = {
    "khu_vuc": {f"KV{i}": float(p) for i, p in enumerate([9, 7, 6, 5, 4, 3, 3, 2], start=1)},
    "gioi_tinh": {"Nam": 19.0, "Nữ": 20.0},
    "nhom_tuoi": {"18-29": 10.0, "30-44": 11.0, "45-59": 10.0, "60+": 8.0},
}


def build_table(rng: np.random.Generator) -> tuple[dict, dict]:
    """Weighting variables skewed against the margins, and 60 select_one questions.

    Answers are Python strings in object arrays, as they come out of a CSV file or the database;
    each question has 2-7 options, unequal shares, and 0-15 % missing (skip logic).
    """
    weighting = {}
    for variable, margin in MARGINS.items():
        categories = list(margin)
        skew = rng.dirichlet(np.full(len(categories), 4.0))
        weighting[variable] = np.array(categories, dtype=object)[
            rng.choice(len(categories), ROWS, p=skew)
        ]
    questions = {}
    for q in range(QUESTIONS):
        options = np.array([f"Phương án {k + 1}" for k in range(rng.integers(2, 8))] + [""],
                           dtype=object)
        shares = rng.dirichlet(np.ones(len(options) - 1)) * (1 - (missing := rng.uniform(0, .15)))
        questions[f"c{q + 1:02d}"] = options[rng.choice(len(options), ROWS,
                                                        p=[*shares, missing])]
    return weighting, questions


def ours(weighting: dict, questions: dict):
    weights = rake_detailed(weighting, MARGINS, tolerance=TOLERANCE, max_iterations=200).weights
    return weights, frequency_tables(questions, weights)


def with_samplics(weighting: dict, questions: dict, modules: dict):
    weights = modules["SampleWeight"]().rake(
        samp_weight=np.ones(ROWS), margins=weighting, control=MARGINS, tol=TOLERANCE,
        ctrl_tol=TOLERANCE, max_iter=200,
    )
    tables = {}
    for name, values in questions.items():
        answered = values != ""
        estimator = modules["TaylorEstimator"](param=modules["PopParam"].prop)
        estimator.estimate(y=values[answered], samp_weight=weights[answered])
        tables[name] = estimator
    return weights, tables


def largest_difference(ours_result, reference) -> dict:
    our_weights, our_tables = ours_result
    ref_weights, ref_tables = reference
    gaps = {"weights_rel": float(np.max(np.abs(our_weights / ref_weights - 1)))}
    for field, attribute in [("proportion", "point_est"), ("se", "stderror"),
                             ("ci_low", "lower_ci"), ("ci_high", "upper_ci")]:
        gaps[field] = max(
            abs(getattr(estimate, field) - getattr(ref_tables[name], attribute)[estimate.category])
            for name, estimates in our_tables.items()
            for estimate in estimates
        )
    return gaps


def samplics_modules() -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam
        from samplics.weighting import SampleWeight
    return {"TaylorEstimator": TaylorEstimator, "PopParam": PopParam,
            "SampleWeight": SampleWeight}


def phase_times(weighting: dict, questions: dict) -> dict:
    start = time.perf_counter()
    weights = rake_detailed(weighting, MARGINS, tolerance=TOLERANCE, max_iterations=200)
    middle = time.perf_counter()
    frequency_tables(questions, weights.weights)
    end = time.perf_counter()
    return {"rake_s": round(middle - start, 4), "frequencies_s": round(end - middle, 4),
            "rake_iterations": weights.iterations}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samplics-runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    weighting, questions = build_table(np.random.default_rng(4))
    modules = samplics_modules()
    # Both must agree before their speed is compared.
    gaps = largest_difference(ours(weighting, questions),
                              with_samplics(weighting, questions, modules))
    assert max(gaps.values()) < 1e-6, gaps
    load_before = os.getloadavg()[0]
    ours_median, ours_all = timed(lambda: ours(weighting, questions), args.runs)
    ref_median, ref_all = timed(lambda: with_samplics(weighting, questions, modules),
                                args.samplics_runs)
    result = {
        "benchmark": f"raking (3 variables) + weighted frequencies with SE/CI, {ROWS:,} rows x "
                     f"{QUESTIONS} questions",
        "machine": machine(),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "revision": git_revision(),
        "date": dt.date.today().isoformat(),
        "ours_median_s": round(ours_median, 4),
        "ours_runs_s": [round(t, 4) for t in ours_all],
        "ours_phases": phase_times(weighting, questions),
        "samplics_median_s": round(ref_median, 4),
        "samplics_runs_s": [round(t, 4) for t in ref_all],
        "speedup": round(ref_median / ours_median, 1),
        "largest_difference": {key: float(f"{value:.3g}") for key, value in gaps.items()},
        "target_s": 5.0,
    }
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
