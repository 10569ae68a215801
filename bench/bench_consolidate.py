"""Consolidating 55 submitted unit reports into the ward's DOCX on SQLite.

Target (issue 2): under 2 s for generate_consolidated + export_docx. The 55 reports (4 narrative
sections of a few paragraphs, 3-6 opinion streams each) are written through the real services
(save_draft + submit_report), in a fresh SQLite database.

Baseline measured in the same run: the same consolidated text and tables written with python-docx
as plain paragraphs and a default table, with no layout at all (no header block, fonts, widths,
borders). "ours - baseline" is what the 36-HD/VPTW layout costs on top of writing a DOCX at all.
The split (generation alone, export alone) and the SQL query counts of each step are printed too.
Run: `.venv/bin/python bench/bench_consolidate.py [--runs 5]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import sys
import time

from _setup import django_on_fresh_sqlite, git_revision, machine, timed

UNITS = 55
PERIOD = "2025-11"
SENTENCES = [
    "Nhân dân trên địa bàn cơ bản phấn khởi, tin tưởng vào sự lãnh đạo của Đảng ủy và sự điều"
    " hành của chính quyền phường.",
    "Một bộ phận người dân băn khoăn về giá cả một số mặt hàng thiết yếu tăng vào dịp cuối năm.",
    "Cán bộ, đảng viên đồng tình với chủ trương sắp xếp tổ dân phố, đề nghị làm rõ phương án bố"
    " trí cán bộ không chuyên trách.",
    "Tình trạng rác thải tồn đọng tại khu vực chợ và các ngõ nhỏ gây bức xúc trong nhân dân.",
    "Người dân mong muốn sớm nâng cấp tuyến đường nội bộ, lắp thêm đèn chiếu sáng và camera.",
    "Một số hộ kinh doanh lo lắng về việc chuyển đổi sang hóa đơn điện tử.",
]


def _text(rng: random.Random, paragraphs: int) -> str:
    return "\n".join(
        " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4)))
        for _ in range(paragraphs)
    )


def build_world(rng: random.Random):
    from core.models import Attitude, Channel, Reach, SocialGroup, Topic
    from orgs.models import Area, OrgUnit, User
    from reporting import services
    from reporting.models import ReportTemplate
    from reporting.periods import parse_period

    ward = OrgUnit.objects.create(code="dang-uy", name="Đảng ủy phường Hòa Bình",
                                  kind=OrgUnit.Kind.WARD_COMMITTEE)
    office_unit = OrgUnit.objects.create(code="ban-xdd", name="Ban Xây dựng Đảng",
                                         kind=OrgUnit.Kind.OFFICE, parent=ward)
    office = User.objects.create(username="vanphong", role=User.Role.OFFICE, unit=office_unit)
    template = ReportTemplate.objects.get(period_kind="month")
    topics = list(Topic.objects.values_list("pk", flat=True))
    groups = list(SocialGroup.objects.values_list("pk", flat=True))
    period = services.ensure_period(parse_period(PERIOD))
    units = []
    for number in range(1, UNITS + 1):
        units.append(OrgUnit.objects.create(
            code=f"chi-bo-{number}", name=f"Chi bộ Tổ dân phố {number}",
            kind=OrgUnit.Kind.PARTY_CELL, parent=ward,
        ))
    template.units.set(units)
    for unit in units:
        reporter = User.objects.create(username=f"bt{unit.pk}", role=User.Role.REPORTER, unit=unit)
        area = Area.objects.create(name=f"Tổ dân phố {unit.code}", population=850, unit=unit)
        sections = {key: _text(rng, rng.randint(2, 4)) for key in template.section_keys()}
        streams = [
            services.StreamInput(
                topic_id=rng.choice(topics),
                summary=_text(rng, 1),
                attitude=rng.choice(Attitude.values),
                reach=rng.choice(Reach.values),
                channel=rng.choice(Channel.values),
                area_id=area.pk,
                social_group_ids=tuple(rng.sample(groups, 2)),
                latent=rng.random() < 0.15,
            )
            for _ in range(rng.randint(3, 6))
        ]
        report = services.save_draft(user=reporter, template=template, period=period, unit=unit,
                                     sections=sections, streams=streams, expected_version=None)
        services.submit_report(user=reporter, report=report, expected_version=report.version)
    return office, parse_period(PERIOD)


def plain_docx(consolidated) -> bytes:
    """The baseline: the same words and tables, python-docx defaults, no layout."""
    import docx

    from reporting.services import party_document

    data = party_document(consolidated)
    document = docx.Document()
    document.add_paragraph(data.title)
    for section in data.sections:
        document.add_paragraph(section.heading)
        for line in (section.text or "").splitlines():
            document.add_paragraph(line)
        for table in section.tables:
            document.add_paragraph(table.title)
            grid = document.add_table(rows=1, cols=len(table.headers))
            for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
                cell.text = str(header)
            for row in table.rows:
                for cell, value in zip(grid.add_row().cells, row, strict=False):
                    cell.text = "" if value is None else str(value)
    for line in data.recipients:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def query_counts(office, period) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.services import export_docx, generate_consolidated

    with CaptureQueriesContext(connection) as generate:
        consolidated = generate_consolidated(user=office, period=period)
    with CaptureQueriesContext(connection) as export:
        export_docx(user=office, consolidated=consolidated, out=io.BytesIO())
    return {"generate": len(generate), "export_docx": len(export)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    django_on_fresh_sqlite("consolidate")
    from reporting.services import export_docx, generate_consolidated

    start = time.perf_counter()
    office, period = build_world(random.Random(25))
    setup_s = time.perf_counter() - start
    state = {}

    def generate():
        state["consolidated"] = generate_consolidated(user=office, period=period)

    def export():
        buffer = io.BytesIO()
        export_docx(user=office, consolidated=state["consolidated"], out=buffer)
        state["size"] = len(buffer.getvalue())

    def ours():
        generate()
        export()

    ours()  # warm-up: imports, the first draft row, the python-docx template
    assert state["consolidated"].data["report_count"] == UNITS, state["consolidated"].data
    ours_median, ours_all = timed(ours, args.runs)
    generate_median, _ = timed(generate, args.runs)
    export_median, _ = timed(export, args.runs)
    base_median, base_all = timed(lambda: plain_docx(state["consolidated"]), args.runs)
    result = {
        "benchmark": f"consolidate {UNITS} submitted unit reports into DOCX (SQLite)",
        "machine": machine(),
        "revision": git_revision(),
        "date": dt.date.today().isoformat(),
        "reports": UNITS,
        "streams": state["consolidated"].data["stream_count"],
        "docx_bytes": state["size"],
        "setup_s": round(setup_s, 2),
        "ours_median_s": round(ours_median, 4),
        "ours_runs_s": [round(t, 4) for t in ours_all],
        "generate_only_median_s": round(generate_median, 4),
        "export_only_median_s": round(export_median, 4),
        "baseline": "python-docx, same text and tables as plain paragraphs, no layout",
        "baseline_median_s": round(base_median, 4),
        "baseline_runs_s": [round(t, 4) for t in base_all],
        "queries": query_counts(office, period),
        "target_s": 2.0,
    }
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
