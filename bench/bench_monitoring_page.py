"""The monitoring page (issue 9): search without diacritics over stored mentions, and the
request that confirms a 2,000-row social-network export.

1. A fresh database (SQLite, or PostgreSQL with ``--postgres URL``) is filled with ``--mentions``
   press articles of about 150 words (accented, a tenth on the ward's places), each with its
   ``folded`` search document computed as ``Mention.save`` does. For a set of queries typed
   with and without diacritics, one and several words, rare and common, the page's read
   (``page_selectors.filtered_mentions`` over every relevance: the count for the pager and the
   first page of 30, as the view does; the full-text index of ``monitoring.fulltext``) is
   timed: median and max. Baselines in the same run: the same read with a whole-word ``LIKE``
   on the folded column, and the same match done in Python by folding every stored title and
   text (what "folding rows in Python" costs once it is complete rather than cut to the newest
   rows). The three must find the same rows.
2. The office's "Nhập" on a previewed 2,000-row export: the request as it was (the rows
   imported in the request) against the request now (the upload queued for the worker on the
   database task backend); medians of ``--runs``.

Run: `.venv/bin/python bench/bench_monitoring_page.py [--mentions 20000] [--runs 3]
[--postgres postgres://root@127.0.0.1:5432/bench_monpage] [--skip-import]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from _setup import django_on_fresh_sqlite, django_on_postgres, git_revision, machine

WORDS = (
    "người dân phản ánh tình trạng rác thải ùn ứ nhiều ngày gây ô nhiễm môi trường ảnh hưởng"
    " sinh hoạt của các hộ gia đình chính quyền địa phương cho biết sẽ bố trí xe thu gom thêm"
    " trong thời gian tới đồng thời tăng cường kiểm tra xử lý vi phạm trật tự đô thị lấn chiếm"
    " vỉa hè giao thông ùn tắc giờ cao điểm học sinh phụ huynh lo lắng an toàn thực phẩm bếp ăn"
    " trường học dự án chậm tiến độ đền bù giải phóng mặt bằng khiếu nại kéo dài cấp nước sạch"
    " điện chiếu sáng công cộng cây xanh công viên nhà văn hóa sinh hoạt cộng đồng"
).split()
PLACES = [
    "phường Hòa Bình",
    "chợ Hòa Bình",
    "tổ dân phố 3",
    "đường Nguyễn Trãi",
    "Hà Nội",
    "tỉnh Hòa Bình",
    "thủy điện Hòa Bình",
    "quận Hà Đông",
]
QUERIES = [
    "hòa bình",
    "hoa binh",
    "rác thải",
    "rac thai",
    "giải phóng mặt bằng",
    "giai phong mat bang",
    "nước sạch",
    "khiếu nại kéo dài",
    "thuy dien",
    "xyzabc",
]
PAGE = 30
IMPORT_ROWS = 2000


def build(n: int, seed: int = 9) -> None:
    from monitoring.models import Mention, Source
    from monitoring.reading import search_document

    rng = random.Random(seed)
    source = Source.objects.create(name="Báo đo", url="https://bao.example/rss", kind="rss")
    batch = []
    for i in range(n):
        words = rng.choices(WORDS, k=140) + [rng.choice(PLACES)]
        rng.shuffle(words)
        title = " ".join(words[:10]).capitalize()
        text = " ".join(words) + "."
        relevance = "ward" if i % 10 == 0 else rng.choice(["city", "none"])
        batch.append(
            Mention(
                url=f"https://bao.example/{i}",
                site=f"bao{i % 40}.example",
                source=source,
                title=title,
                text=text,
                folded=search_document(title, text),
                relevance=relevance,
            )
        )
        if len(batch) == 2000:
            Mention.objects.bulk_create(batch)
            batch = []
    Mention.objects.bulk_create(batch)


def search_page(q: str) -> tuple[int, int]:
    from monitoring import page_selectors as pages

    rows = pages.filtered_mentions(pages.MentionFilters(relevance="", q=q))
    return rows.count(), len(pages.for_page(rows[:PAGE]))


def like_baseline(q: str) -> tuple[int, int]:
    """The same read with a whole-word ``LIKE '% word %'`` on the column instead of the index."""
    from monitoring import page_selectors as pages
    from monitoring.models import Mention
    from monitoring.reading import search_words

    rows = Mention.objects.annotate(seen=pages.SEEN).order_by("-seen", "-pk")
    for word in search_words(q):
        rows = rows.filter(folded__contains=f" {word} ")
    return rows.count(), len(pages.for_page(rows[:PAGE]))


def python_baseline(q: str) -> tuple[int, int]:
    from monitoring.models import Mention
    from monitoring.reading import search_document, search_words

    needles = [f" {w} " for w in search_words(q)]
    found = [
        pk
        for pk, title, text in Mention.objects.order_by("-published_at", "-pk")
        .values_list("pk", "title", "text")
        .iterator(chunk_size=2000)
        if all(n in search_document(title, text) for n in needles)
    ]
    return len(found), min(len(found), PAGE)


def time_queries(fn) -> dict:
    times, counts, each = [], {}, {}
    for q in QUERIES:
        start = time.perf_counter()
        counts[q] = fn(q)[0]
        times.append(time.perf_counter() - start)
        each[q] = round(times[-1] * 1000, 1)
    return {"median": statistics.median(times), "max": max(times), "counts": counts, "ms": each}


def import_request(runs: int) -> dict:
    """The confirm request on a previewed 2,000-row export, in the request and queued."""
    from django.conf import settings

    from monitoring import imports
    from monitoring.models import ExportUpload, Source
    from orgs.models import OrgUnit, User

    unit = OrgUnit.objects.create(
        code="bdd", name="Ban đo", kind=OrgUnit.Kind.OFFICE, opened_on="2026-01-01"
    )
    user = User.objects.create_user("do", password="x-Longdan-1", role=User.Role.OFFICE, unit=unit)
    lines = ["nội dung,thời gian,tác giả"] + [
        f"Bài {n}: {' '.join(random.Random(n).choices(WORDS, k=40))} ở phường Hòa Bình,"
        f"2026-11-{1 + n % 28:02d} 08:{n % 60:02d},Người {n % 97}"
        for n in range(IMPORT_ROWS)
    ]
    data = ("\r\n".join(lines) + "\r\n").encode()
    results = {}
    for label, limit in (("in the request (before)", 10**9), ("queued (now)", 200)):
        imports.BACKGROUND_ROWS = limit
        times = []
        for run in range(runs):
            name = f"Nhóm đo {label} {run}"
            upload = imports.start_upload(user=user, file_name="a.csv", data=data, new_source=name)
            start = time.perf_counter()
            imports.confirm_upload(user=user, upload_id=upload.pk)
            times.append(time.perf_counter() - start)
            ExportUpload.objects.all().delete()
            Source.objects.filter(name=name).delete()
        results[label] = statistics.median(times)
    results["backend"] = settings.TASKS["default"]["BACKEND"]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentions", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    if args.postgres:
        django_on_postgres(args.postgres)
        vendor = "PostgreSQL"
    else:
        django_on_fresh_sqlite("monitoring-page")
        vendor = "SQLite"
    print(f"# {machine()} · {git_revision()} · {vendor}")
    start = time.perf_counter()
    build(args.mentions)
    print(f"built {args.mentions} mentions in {time.perf_counter() - start:.1f} s")
    database = time_queries(search_page)
    like = time_queries(like_baseline)
    baseline = time_queries(python_baseline)
    assert database["counts"] == baseline["counts"] == like["counts"], (database, like, baseline)
    print(
        f"search, full-text index: median {database['median'] * 1000:.1f} ms,"
        f" max {database['max'] * 1000:.1f} ms"
    )
    print(
        f"search, LIKE on the folded column: median {like['median'] * 1000:.1f} ms,"
        f" max {like['max'] * 1000:.1f} ms"
    )
    print(
        f"search, Python folding baseline: median {baseline['median'] * 1000:.1f} ms,"
        f" max {baseline['max'] * 1000:.1f} ms"
    )
    print("matches:", database["counts"])
    print("full-text index, ms per query:", database["ms"])
    if not args.skip_import:
        result = import_request(args.runs)
        for label, value in result.items():
            shown = value if isinstance(value, str) else f"{value:.3f} s"
            print(f"confirm 2,000 rows, {label}: {shown}")


if __name__ == "__main__":
    main()
