"""Comments on a draft: a 200-article draft, 20,000 comments grouped and the bản tổng hợp exported.

Target (issue 12): under 10 s for grouping every clause's comments (``consultations.services.
group_draft``: the text engine's grouper, one per provision) plus exporting the Bản tổng hợp,
tiếp thu, giải trình ý kiến góp ý as DOCX (``export_synthesis``: the rows read from the database,
the landscape HD 36 table written). The draft (200 articles of 3 clauses with points, in 10
chapters) is built with python-docx and put through ``upload_draft`` (split and stored: timed
apart). The comments are written with ``bulk_create`` (not timed): 25 a provision on average,
drawn from a few matters per provision, reworded (a word added, diacritics dropped, a case
changed) so that grouping has work to do; 60 % residents, 30 % units, 10 % organisations.
Before each run every group is deleted, so each run groups all 20,000 comments from scratch.

Baseline, in the same run: grouping by exact (case-folded) text with a dict and writing the same
rows as a plain python-docx table without any layout: what the engine's grouping and the layout
cost on top of the least one could do.
Run: `.venv/bin/python bench/bench_consult.py [--runs 5] [--postgres URL]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import time

from _setup import django_on_fresh_sqlite, django_on_postgres, git_revision, machine, timed

ARTICLES = 200
COMMENTS = 20_000
UNITS = 55
MATTERS = [
    "Đề nghị quy định rõ thời gian thu gom rác thải sinh hoạt tại các ngõ nhỏ",
    "Đề nghị giảm mức phí sử dụng tạm thời vỉa hè đối với hộ kinh doanh nhỏ",
    "Cần làm rõ trách nhiệm của tổ trưởng tổ dân phố trong việc kiểm tra, nhắc nhở",
    "Đề nghị bổ sung chế tài xử lý đối với hành vi đổ phế thải xây dựng ra lòng đường",
    "Nên quy định cụ thể vị trí trông giữ xe ở khu vực chợ và trường học",
    "Đề nghị bỏ quy định cấm bán hàng rong vì ảnh hưởng đến sinh kế của người dân",
    "Cần có lộ trình thực hiện phù hợp, tuyên truyền trước khi xử phạt",
    "Đề nghị công khai mức thu và cách sử dụng tiền phí tại nhà văn hóa tổ dân phố",
    "Quy định về giờ hoạt động của quán ăn đêm cần tính đến khu dân cư đông người",
    "Đề nghị bổ sung quy định về lắp đặt camera giám sát tại các tuyến phố chính",
    "Cần thống nhất cách hiểu về phần vỉa hè được sử dụng, tránh mỗi nơi áp dụng một kiểu",
    "Đề nghị giao Ủy ban Mặt trận Tổ quốc phường giám sát việc thực hiện quy chế",
]
TAILS = ["", ".", " cho phù hợp thực tế.", " để người dân dễ thực hiện.", " ạ."]
OPENERS = ["", "Theo tôi, ", "Chúng tôi thấy ", "Qua thảo luận, ", "Ý kiến chung là "]
REASONS = [
    "vì hiện nay nhiều hộ chưa nắm được quy định", "do thực tế mỗi tổ làm một kiểu",
    "tránh gây khó khăn cho người cao tuổi", "nhất là vào giờ cao điểm buổi sáng",
    "vì khu vực này thường xuyên ùn tắc", "để bảo đảm công bằng giữa các hộ",
    "do kinh phí của tổ dân phố còn hạn chế", "như nhiều cử tri đã phản ánh tại hội nghị",
    "vì trước đây đã có trường hợp khiếu nại", "để thuận tiện cho việc kiểm tra, giám sát",
    "do nhiều hộ là người thuê trọ", "tránh phát sinh thủ tục không cần thiết",
    "vì đây là vấn đề nhân dân rất quan tâm", "cho phù hợp với quy định của thành phố",
    "để cán bộ tổ dân phố có căn cứ nhắc nhở", "do mặt bằng ngõ hẹp",
]


def _fold(text: str) -> str:
    from textengine.normalize import strip_diacritics

    return strip_diacritics(text)


def reworded(rng: random.Random, matter: str) -> str:
    """One resident's wording of a matter: an opener, the matter, often a reason of their own,
    an ending; sometimes typed without diacritics or in lower case."""
    text = rng.choice(OPENERS) + (matter[:1].lower() + matter[1:] if rng.random() < 0.5
                                  else matter)
    if rng.random() < 0.7:
        text += ", " + rng.choice(REASONS)
    text += rng.choice(TAILS)
    roll = rng.random()
    if roll < 0.15:
        text = _fold(text)  # typed without diacritics
    elif roll < 0.25:
        text = text.lower()
    return text


def build_world(rng: random.Random):
    from consultations import services
    from consultations.models import Comment
    from consultations.tests.drafts import docx_bytes, large
    from orgs.models import OrgUnit, User

    ward = OrgUnit.objects.create(code="dang-uy", name="Đảng ủy phường Hòa Bình",
                                  kind=OrgUnit.Kind.WARD_COMMITTEE)
    office_unit = OrgUnit.objects.create(code="ban-xdd", name="Ban Xây dựng Đảng",
                                         kind=OrgUnit.Kind.OFFICE, parent=ward)
    office = User.objects.create(username="vanphong", role=User.Role.OFFICE, unit=office_unit)
    units = [OrgUnit.objects.create(code=f"chi-bo-{n}", name=f"Chi bộ Tổ dân phố {n}",
                                    kind=OrgUnit.Kind.PARTY_CELL, parent=ward)
             for n in range(1, UNITS + 1)]
    data = docx_bytes(large(ARTICLES))
    start = time.perf_counter()
    today = dt.date.today()
    draft = services.upload_draft(
        user=office, title="Quy chế quản lý trật tự đô thị", issuing_body="UBND phường Hòa Bình",
        opens_on=today, closes_on=today + dt.timedelta(days=30), file_name="quy-che.docx",
        data=data)
    upload_s = time.perf_counter() - start
    provisions = list(draft.provisions.all())
    organisations = ["Hội Cựu chiến binh phường", "Hội Liên hiệp Phụ nữ phường",
                     "Đoàn Thanh niên phường", "Hợp tác xã Dịch vụ Hòa Bình"]
    comments = []
    for _ in range(COMMENTS):
        provision = rng.choice(provisions)
        # each provision draws on 3-4 of the matters: some comments agree, some differ
        local = MATTERS[provision.position % len(MATTERS):][:4] or MATTERS[:4]
        source = rng.choices(["resident", "unit", "organisation"], weights=[6, 3, 1])[0]
        comments.append(Comment(
            provision=provision, source=source, unit=rng.choice(units),
            organisation=rng.choice(organisations) if source == "organisation" else "",
            text=reworded(rng, rng.choice(local)), created_by=office))
    Comment.objects.bulk_create(comments, batch_size=2000)
    return office, draft, upload_s, len(provisions), len(data)


def reset_groups(draft) -> None:
    from consultations.models import Comment, CommentGroup

    Comment.objects.filter(provision__draft=draft).update(group=None)
    CommentGroup.objects.filter(provision__draft=draft).delete()


def ours(office, draft) -> tuple[int, int]:
    from consultations import services

    groups = services.group_draft(draft)
    content = services.export_synthesis(user=office, draft=draft)
    return groups, len(content)


def baseline(draft) -> tuple[int, int]:
    from docx import Document

    from consultations.models import Comment

    groups: dict[tuple[int, str], list] = {}
    rows = Comment.objects.filter(provision__draft=draft).values_list(
        "provision_id", "text", "source", "unit__name", "organisation")
    for provision_id, text, source, unit, organisation in rows.iterator(chunk_size=5000):
        groups.setdefault((provision_id, " ".join(text.split()).casefold()), []).append(
            (text, source, unit, organisation))
    document = Document()
    # All rows in one go (python-docx's add_row, row by row, is quadratic in the table's size).
    table = document.add_table(rows=len(groups) + 1, cols=5)
    rows = list(table.rows)  # indexing table.rows recounts the rows each time
    for number, ((provision_id, _), members) in enumerate(sorted(groups.items()), start=1):
        cells = rows[number].cells
        cells[0].text, cells[1].text = str(number), str(provision_id)
        cells[2].text = members[0][0]
        cells[3].text = "; ".join(sorted({m[2] for m in members if m[1] == "unit"}))
    buffer = io.BytesIO()
    document.save(buffer)
    return len(groups), len(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", metavar="URL",
                        help="a PostgreSQL database of the benchmark's own (created anew)")
    args = parser.parse_args()
    if args.postgres:
        django_on_postgres(args.postgres)
        database = "PostgreSQL"
    else:
        django_on_fresh_sqlite("consult")
        database = "SQLite"
    rng = random.Random(12)
    office, draft, upload_s, provisions, size = build_world(rng)
    print(f"Máy: {machine()} · git {git_revision()} · {database}")
    print(f"Dự thảo {ARTICLES} điều, {provisions} điều/khoản, tệp {size // 1024} KB: tách và lưu"
          f" {upload_s:.2f} s", flush=True)
    results = {}

    cpu_times = []

    def run_ours():
        reset_groups(draft)
        start, cpu = time.perf_counter(), time.process_time()
        results["ours"] = ours(office, draft)
        cpu_times.append(time.process_time() - cpu)
        return time.perf_counter() - start

    times = []
    for _ in range(args.runs):
        times.append(run_ours())
        print(f"  một lần nhóm + xuất: {times[-1]:.2f} s (CPU {cpu_times[-1]:.2f} s)", flush=True)
    times.sort()
    median_ours = times[len(times) // 2]
    from consultations import services

    reset_groups(draft)
    start = time.perf_counter()
    services.group_draft(draft)
    grouping_s = time.perf_counter() - start
    median_export, _ = timed(lambda: services.export_synthesis(user=office, draft=draft),
                             args.runs)
    median_base, _ = timed(lambda: results.__setitem__("base", baseline(draft)),
                           max(1, args.runs // 2))
    groups, docx_size = results["ours"]
    print(f"{COMMENTS:,} ý kiến → {groups:,} nhóm; DOCX {docx_size // 1024} KB")
    print(f"Nhóm + xuất (trung vị {args.runs} lần): {median_ours:.2f} s "
          f"(các lần: {', '.join(f'{t:.2f}' for t in times)}); mục tiêu < 10 s")
    cpu_times.sort()
    print(f"  thời gian CPU của tiến trình (trung vị): {cpu_times[len(cpu_times) // 2]:.2f} s;"
          f" tải máy lúc đo: {os.getloadavg()[0]:.1f}")
    print(f"  trong đó nhóm ≈ {grouping_s:.2f} s, xuất DOCX {median_export:.2f} s (trung vị)")
    print(f"Đối chứng (gộp trùng nguyên văn + bảng python-docx không trình bày):"
          f" {median_base:.2f} s, {results['base'][0]:,} nhóm")


if __name__ == "__main__":
    main()
