"""Issue 4, end to end: 100,000 stored responses to a 60-question form, read from the database,
raked to the area/gender/age margins, and every question's weighted frequency with its CI.

`bench_survey_weighting.py` times the statistics alone on an in-memory table beside samplics; this
one times what the results page does, from a fresh SQLite file: load the responses (JSON answers),
factorise, rake, frequencies. Cold = the per-process table cache cleared before each run.

    .venv/bin/python bench/bench_survey_analysis.py [--responses 100000] [--runs 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _setup import django_on_fresh_sqlite, git_revision, machine  # noqa: E402

QUESTIONS = 60
AGES = ["18_29", "30_44", "45_59", "60_plus"]


def _form(areas: int) -> bytes:
    from odk.tests.builder import xlsx_bytes

    survey = [["type", "name", "label"],
              ["select_one khu_vuc", "khu_vuc", "Tổ dân phố"],
              ["select_one gioi_tinh", "gioi_tinh", "Giới tính"],
              ["select_one nhom_tuoi", "nhom_tuoi", "Nhóm tuổi"]]
    survey += [[f"select_one l{q % 6}", f"q{q:02d}", f"Câu hỏi số {q}"] for q in range(QUESTIONS)]
    choices = [["list_name", "name", "label"]]
    choices += [["khu_vuc", f"tdp_{a}", f"Tổ dân phố {a}"] for a in range(areas)]
    choices += [["gioi_tinh", "nam", "Nam"], ["gioi_tinh", "nu", "Nữ"]]
    choices += [["nhom_tuoi", age, age] for age in AGES]
    choices += [[f"l{k}", f"c{c}", f"Phương án {c}"] for k in range(6) for c in range(2 + k)]
    settings = [["form_title", "form_id", "version"], ["Đo tốc độ", "do_toc_do", "1"]]
    return xlsx_bytes(survey=survey, choices=choices, settings=settings)


def _world(responses: int, seed: int = 4):
    from orgs.models import Area, OrgUnit, User
    from surveys.design import services
    from surveys.models import PopulationMargin, Response, Survey

    ward = OrgUnit.objects.create(code="phuong", name="Phường đo tốc độ", kind="dang_uy")
    office = User.objects.create_user("vanphong", role=User.Role.OFFICE, unit=ward)
    areas = [Area.objects.create(name=f"Tổ dân phố {a}", population=4000 + 300 * a, unit=ward)
             for a in range(8)]
    total = sum(a.population for a in areas)
    survey = services.create_survey(user=office, data=services.SurveyInput(
        title="Đo tốc độ", slug="do-toc-do", form_id="do_toc_do",
        target_area_ids=tuple(a.pk for a in areas)))
    version = services.upload_form_version(user=office, survey=survey, content=_form(len(areas)),
                                           filename="do.xlsx")
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    for variable, shares in (("gioi_tinh", {"nam": 0.49, "nu": 0.51}),
                             ("nhom_tuoi", dict(zip(AGES, [0.24, 0.31, 0.26, 0.19], strict=True)))):
        counts = {k: round(total * v) for k, v in shares.items()}
        last = list(counts)[-1]
        counts[last] += total - sum(counts.values())
        PopulationMargin.objects.bulk_create(
            PopulationMargin(variable=variable, category=k, population=v)
            for k, v in counts.items()
        )
    rng = random.Random(seed)
    rows = []
    for n in range(responses):
        area = rng.randrange(len(areas))
        data = {"khu_vuc": f"tdp_{area}", "gioi_tinh": rng.choices(["nam", "nu"], [0.38, 0.62])[0],
                "nhom_tuoi": rng.choices(AGES, [0.12, 0.24, 0.30, 0.34])[0]}
        for q in range(QUESTIONS):
            if rng.random() > 0.08:  # some questions left unanswered
                data[f"q{q:02d}"] = f"c{rng.randrange(2 + q % 6)}"
        rows.append(Response(survey=survey, form_version=version, instance_id=f"uuid:{n}",
                             data=data, source=Response.Source.IMPORT, area=areas[area],
                             gender=data["gioi_tinh"], age_group=data["nhom_tuoi"]))
        if len(rows) == 5000:
            Response.objects.bulk_create(rows)
            rows = []
    Response.objects.bulk_create(rows)
    return Survey.objects.get(pk=survey.pk)


def _run_once(survey) -> dict:
    from surveys.analysis.frame import clear_table_cache
    from surveys.analysis.results import analyse, frequencies

    clear_table_cache()
    start = time.perf_counter()
    result = analyse(survey)
    loaded = time.perf_counter()
    tables = frequencies(result.table, result.questions, result.weights, result.mask)
    done = time.perf_counter()
    assert result.weighting.ok and len(tables) >= QUESTIONS
    return {"load_and_weigh_s": loaded - start, "frequencies_s": done - loaded,
            "total_s": done - start}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    django_on_fresh_sqlite("survey-analysis")
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    survey = _world(args.responses)
    build_s = time.perf_counter() - started
    runs = [_run_once(survey) for _ in range(args.runs)]
    totals = sorted(run["total_s"] for run in runs)
    report = {
        "benchmark": f"{args.responses} stored responses x {QUESTIONS} questions: load from SQLite,"
                     " rake (area, gender, age), every weighted frequency with CI",
        "machine": machine(), "revision": git_revision(), "date": time.strftime("%Y-%m-%d"),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "build_s": round(build_s, 1), "runs": runs,
        "median_total_s": round(totals[len(totals) // 2], 3), "target_s": 5.0,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{report['machine']} · {report['revision']} · tải {report['load_average_1min']}")
        print(f"Dựng {args.responses} phiếu: {build_s:.1f} s")
        for run in runs:
            print(f"  đọc + gia quyền {run['load_and_weigh_s']:.2f} s, tần suất"
                  f" {run['frequencies_s']:.2f} s, tổng {run['total_s']:.2f} s")
        print(f"Trung vị tổng: {report['median_total_s']:.2f} s (ngưỡng 5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
