"""Search over 1,000,000 opinion items in SQLite (search.selectors.search_items; FTS5 + triggers).

Target (issue 3): p95 under 100 ms. A fresh SQLite database is migrated, then filled with short
Vietnamese items written the way residents write (matters × places × openings and closings, a
third typed without diacritics, house numbers and names for a long tail of rare words), inserted
in batches through plain INSERTs into the items table so that the search triggers index them
exactly as in production (the build time includes indexing).

Measured in the same run, for 200 varied queries (common and rare words, with and without
diacritics, quoted phrases, prefixes, with and without filters, as the office and as a reporter
whose scope is one unit), each returning the first page (25 rows loaded through the ORM) and a
total counted up to 1,000:
* ``search_items``: p50 / p95 / max;
* the baseline, ``text_folded__icontains`` for every word (``LIKE '%…%'``), same filters, same
  scope, newest first, same page and capped count;
* optionally (``--trigram``) the FTS5 ``trigram`` tokeniser built over the same folded text, the
  same phrases matched as substrings, to compare with ``unicode61``.

Run: `.venv/bin/python bench/bench_search.py [--items 1000000] [--queries 200] [--trigram]
[--json]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from _setup import django_on_fresh_sqlite, git_revision, machine

PLACES = [
    "đường Hòa Bình",
    "ngõ {n} Lê Lợi",
    "tổ dân phố {t}",
    "chợ Hòa Bình",
    "khu tập thể Đồng Tâm",
    "đường Nguyễn Trãi",
    "ngách {n} Trần Phú",
    "phố Quang Trung",
    "khu đô thị Văn Quán",
    "đường Tô Hiệu",
    "ngõ {n} Phùng Hưng",
    "cầu Đen",
    "đường Lý Thường Kiệt",
    "khu phố Yên Phúc",
    "đường Bà Triệu",
    "ngõ {n} Xa La",
    "khu Mỗ Lao",
    "đường Chu Văn An",
    "phố Phan Đình Giót",
    "ngõ {n} Vạn Phúc",
    "đường Ngô Thì Nhậm",
    "khu dân cư số {t}",
    "hẻm {n} Điện Biên Phủ",
]
MATTERS = [
    "{p} ngập nặng mỗi khi mưa to, nước tràn vào nhà dân",
    "Cống thoát nước ở {p} bị tắc nên mưa là ngập",
    "Rác thải tập kết bừa bãi ở {p}, bốc mùi hôi thối",
    "Xe thu gom rác không đến {p}, rác ùn ứ cả tuần",
    "Đèn đường ở {p} hỏng cả tháng nay, tối đi rất nguy hiểm",
    "Quán karaoke tại {p} mở loa rất to sau 22 giờ",
    "Hàng quán lấn chiếm vỉa hè ở {p}, người đi bộ phải xuống lòng đường",
    "Mặt đường {p} xuống cấp, ổ gà ổ voi rất nhiều",
    "Nước sinh hoạt ở {p} bị mất liên tục, có ngày mất cả ngày",
    "Gần đây {p} liên tục mất trộm xe máy, đề nghị công an tăng cường tuần tra",
    "Đối tượng nghiện ma túy tụ tập ở {p} vào ban đêm, bà con sợ",
    "Chó thả rông không rọ mõm ở {p}, trẻ em bị chó cắn",
    "Công trình xây dựng tại {p} không che chắn, vật liệu rơi xuống đường",
    "Giờ tan học cổng trường {p} tắc đường kéo dài",
    "Thực phẩm bày bán ở {p} không rõ nguồn gốc, không che đậy",
    "Điện ở {p} chập chờn, mất điện cả buổi tối",
    "Cây xanh ở {p} bị nghiêng sắp đổ, mùa mưa bão rất nguy hiểm",
    "Giá điện tăng cao, hóa đơn tiền điện tháng này tăng gấp đôi",
    "Thủ tục cấp sổ đỏ ở phường còn chậm, người dân phải đi lại nhiều lần",
    "Bà con đồng tình với việc mở rộng {p}, mong sớm hoàn thành",
    "Chính sách bảo hiểm y tế hộ gia đình cần hướng dẫn rõ hơn",
    "Việc sáp nhập tổ dân phố làm người dân băn khoăn về địa chỉ trên giấy tờ",
    "Học phí năm nay tăng, phụ huynh ở {p} lo lắng",
    "Trạm y tế phường đông người, chờ khám rất lâu",
]
OPENINGS = [
    "",
    "",
    "",
    "Kính gửi Đảng ủy, ",
    "Bà con phản ánh: ",
    "Cử tri {name} cho biết ",
    "Ý kiến của hộ ông {name}: ",
    "Nhiều người dân nói ",
]
CLOSINGS = [
    "",
    "",
    ".",
    ". Đề nghị phường sớm giải quyết.",
    ". Mong các cấp quan tâm.",
    ", nhà số {n}.",
    ". Liên hệ tổ trưởng {name}.",
]
NAMES = [
    "Nguyễn Văn Hùng",
    "Trần Thị Lan",
    "Lê Đức Thọ",
    "Phạm Minh Đức",
    "Hoàng Thị Huế",
    "Đỗ Quang Vinh",
    "Bùi Thị Thủy",
    "Vũ Đình Khôi",
    "Đặng Thị Ngọc",
    "Ngô Bảo Châu",
]
QUERIES = [
    # common words, with and without diacritics, including the same word written two ways
    "rác",
    "rac",
    "ngập",
    "ngap",
    "điện",
    "dien",
    "đường",
    "duong",
    "nước",
    "nuoc",
    "mất",
    # Vietnamese words of two syllables (loose: AND + adjacency boost)
    "Hòa Bình",
    "Hoà Bình",
    "hoa binh",
    "rác thải",
    "rac thai",
    "đèn đường",
    "den duong",
    "karaoke",
    "ổ gà",
    "o ga",
    "ma túy",
    "ma tuy",
    "vỉa hè",
    "via he",
    "sổ đỏ",
    "so do",
    "bảo hiểm y tế",
    "bao hiem y te",
    "trộm xe máy",
    "trom xe may",
    "học phí",
    "hoc phi",
    # places and names: the long tail
    "Lê Lợi",
    "le loi",
    "Văn Quán",
    "Xa La",
    "Mỗ Lao",
    "Phan Đình Giót",
    "Yên Phúc",
    "Trần Thị Lan",
    "tran thi lan",
    "Đỗ Quang Vinh",
    "ngõ 17",
    "nhà số 123",
    "tổ dân phố 7",
    # quoted phrases and prefixes
    '"cống thoát nước"',
    '"mat dien"',
    '"chó thả rông"',
    "sáp*",
    "karao*",
    "nghi*",
    # rarely matching or not at all
    "xe cứu thương",
    "sạt lở",
    "động đất",
    "hoa hồng",
    "cầu đen ngập",
]
FILTER_KINDS = ["none", "none", "channel", "attitude", "topic", "dates", "area", "reporter"]


def build_world(n_items: int, seed: int = 7):
    """Units, areas, a reporter, ``n_items`` items with a topic each; what the queries need."""
    from django.db import connection, transaction

    from core.models import Attitude, Channel, Topic
    from intake.models import OpinionItem
    from orgs.models import Area, OrgUnit, User
    from textengine.normalize import fold, strip_diacritics

    rng = random.Random(seed)
    ward = OrgUnit.objects.create(
        code="ward", name="Đảng ủy phường", kind=OrgUnit.Kind.WARD_COMMITTEE
    )
    office = OrgUnit.objects.create(
        code="office", name="Ban XDĐ", kind=OrgUnit.Kind.OFFICE, parent=ward
    )
    cells = [
        OrgUnit.objects.create(
            code=f"cell-{i}", name=f"Chi bộ {i}", kind=OrgUnit.Kind.PARTY_CELL, parent=ward
        )
        for i in range(1, 21)
    ]
    areas = [Area.objects.create(name=f"Tổ dân phố {i}", unit=cells[i % 20]) for i in range(1, 41)]
    office_user = User.objects.create(username="office", role=User.Role.OFFICE, unit=office)
    reporter = User.objects.create(username="reporter", role=User.Role.REPORTER, unit=cells[0])
    topics = list(Topic.objects.values_list("pk", flat=True))
    channels = list(Channel.values)
    attitudes = list(Attitude.values) + [""]

    # Texts are made of pieces; each piece is folded once (folding works word by word).
    fold_cache: dict[str, str] = {}

    def piece(text: str, plain: bool) -> tuple[str, str]:
        if plain:
            text = strip_diacritics(text)
        folded = fold_cache.get(text)
        if folded is None:
            folded = fold_cache[text] = fold(text)
        return text, folded

    def one_text() -> tuple[str, str]:
        plain = rng.random() < 0.33
        fill = {"n": rng.randint(1, 400), "t": rng.randint(1, 30), "name": rng.choice(NAMES)}
        place = rng.choice(PLACES).format(**fill)
        parts = [
            rng.choice(OPENINGS).format(**fill),
            rng.choice(MATTERS).format(p=place),
            rng.choice(CLOSINGS).format(**fill),
        ]
        pieces = [piece(p, plain) for p in parts if p]
        return "".join(t for t, _ in pieces), " ".join(f for _, f in pieces)

    item_fields = [f for f in OpinionItem._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in item_fields]
    defaults = {}
    for f in item_fields:
        # get_default() also gives "" for text fields that may be blank.
        defaults[f.column] = f.get_db_prep_save(f.get_default(), connection)
    defaults["created_at"] = "2025-11-01 08:00:00"
    topic_table = OpinionItem.topics.through._meta.db_table
    insert_items = (
        f"INSERT INTO {OpinionItem._meta.db_table} (id, {', '.join(columns)}) "
        f"VALUES (%s, {', '.join(['%s'] * len(columns))})"
    )
    insert_topics = f"INSERT INTO {topic_table} (opinionitem_id, topic_id) VALUES (%s, %s)"
    start_day = dt.date(2023, 1, 1)
    batch = 20_000
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for first in range(1, n_items + 1, batch):
            rows, links = [], []
            for pk in range(first, min(first + batch, n_items + 1)):
                text, folded = one_text()
                area = rng.choice(areas)
                values = dict(defaults)
                values.update(
                    text=text,
                    text_folded=folded,
                    channel=rng.choice(channels),
                    # ids grow with time, as in production; dates spread over three years
                    received_on=(start_day + dt.timedelta(days=pk * 1095 // n_items)).isoformat(),
                    area_id=area.pk,
                    unit_id=area.unit_id,
                    attitude=rng.choice(attitudes),
                )
                rows.append([pk, *(values[c] for c in columns)])
                links.append((pk, rng.choice(topics)))
            with transaction.atomic():
                cursor.executemany(insert_items, rows)
                cursor.executemany(insert_topics, links)
    build_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "office": office_user,
        "reporter": reporter,
        "topics": topics,
        "areas": areas,
        "channels": channels,
        "attitudes": [a for a in attitudes if a],
        "build_seconds": build_seconds,
    }


def load_world():
    """The world of an earlier run (``--reuse``); its build time is not known here."""
    from core.models import Attitude, Channel, Topic
    from intake.models import OpinionItem
    from orgs.models import Area, User

    return {
        "office": User.objects.get(username="office"),
        "reporter": User.objects.get(username="reporter"),
        "topics": list(Topic.objects.values_list("pk", flat=True)),
        "areas": list(Area.objects.order_by("pk")),
        "channels": list(Channel.values),
        "attitudes": list(Attitude.values),
        "build_seconds": float("nan"),
        "items": OpinionItem.objects.count(),
    }


def make_cases(world, n_queries: int):
    rng = random.Random(11)
    cases = []
    for i in range(n_queries):
        query = QUERIES[i % len(QUERIES)]
        kind = FILTER_KINDS[(i // len(QUERIES) + i) % len(FILTER_KINDS)]
        user = world["office"]
        filters: dict = {}
        if kind == "channel":
            filters["channel"] = rng.choice(world["channels"])
        elif kind == "attitude":
            filters["attitude"] = rng.choice(world["attitudes"])
        elif kind == "topic":
            filters["topic"] = rng.choice(world["topics"])
        elif kind == "dates":
            day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
            filters.update(date_from=day, date_to=day + dt.timedelta(days=90))
        elif kind == "area":
            filters["area"] = rng.choice(world["areas"]).pk
        elif kind == "reporter":
            user = world["reporter"]
        cases.append((query, user, filters, kind))
    return cases


def baseline(user, query: str, filters: dict):
    """What a list page does without an index: LIKE '%word%' per word, newest first."""
    from intake.models import OpinionItem
    from orgs.selectors import visible_unit_ids
    from search.query import parse_query

    items = OpinionItem.objects.all()
    for term in parse_query(query).terms:
        items = items.filter(text_folded__icontains=" ".join(term.words))
    units = visible_unit_ids(user)
    if units is not None:
        items = items.filter(unit_id__in=units)
    lookups = {
        "topic": "topics",
        "area": "area_id",
        "channel": "channel",
        "attitude": "attitude",
        "date_from": "received_on__gte",
        "date_to": "received_on__lte",
    }
    items = items.filter(**{lookups[k]: v for k, v in filters.items()})
    page = list(
        items.select_related("area", "unit", "issue")
        .prefetch_related("topics")
        .order_by("-received_on", "-id")[:25]
    )
    total = items[:1001].count()
    return page, total


def percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": p95 * 1000,
        "max_ms": ordered[-1] * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
    }


def run_cases(fn, cases) -> tuple[list[float], list[int]]:
    times, totals = [], []
    for query, user, filters, _kind in cases:
        start = time.perf_counter()
        total = fn(user, query, filters)
        times.append(time.perf_counter() - start)
        totals.append(total)
    return times, totals


def trigram(cases) -> dict:
    """The same folded text in an FTS5 trigram table; phrases matched as substrings, no filters."""
    from django.db import connection

    from search.query import parse_query

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'bench_tri'")
        if not cursor.fetchone()[0]:
            cursor.execute(
                "CREATE VIRTUAL TABLE bench_tri USING fts5(body, content='', tokenize='trigram')"
            )
            cursor.execute(
                "INSERT INTO bench_tri(rowid, body) SELECT id, text_folded FROM intake_opinionitem"
            )
    build = time.perf_counter() - started
    times = []
    with connection.cursor() as cursor:
        for query, _user, _filters, _kind in cases:
            terms = parse_query(query).terms
            expr = " AND ".join('"' + " ".join(t.words) + '"' for t in terms)
            start = time.perf_counter()
            # The text match alone, the newest 1,001 matches read as search_items reads them.
            cursor.execute(
                "SELECT i.id, i.text_folded FROM bench_tri CROSS JOIN intake_opinionitem AS i "
                "ON i.id = bench_tri.rowid WHERE bench_tri MATCH %s "
                "ORDER BY bench_tri.rowid DESC LIMIT 1001",
                [expr],
            )
            cursor.fetchall()
            times.append(time.perf_counter() - start)
    return {"build_seconds": build, **percentiles(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--baseline-queries",
        type=int,
        default=None,
        help="run the LIKE baseline on the first N queries only (default: all)",
    )
    parser.add_argument("--trigram", action="store_true")
    parser.add_argument(
        "--reuse", metavar="FOLDER", help="time the queries again on an earlier run's database"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    if args.reuse:
        folder = Path(args.reuse)
        os.environ["LONGDAN_VAR_DIR"] = str(folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longdan.settings")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
    else:
        folder = django_on_fresh_sqlite("search")
    from django.db import connection

    from search.selectors import search_items

    world = load_world() if args.reuse else build_world(args.items)
    args.items = world.get("items", args.items)
    size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    fts_mb = _fts_size_mb(connection)
    cases = make_cases(world, args.queries)

    def ours(user, query, filters):
        page = search_items(user, query, **filters)
        return page.total + (1 if page.capped else 0)

    def like(user, query, filters):
        return baseline(user, query, filters)[1]

    run_cases(ours, cases[:20])  # warm the page cache and the statement cache
    times, totals = run_cases(ours, cases)
    base_cases = cases[: args.baseline_queries] if args.baseline_queries else cases
    base_times, base_totals = run_cases(like, base_cases)
    result = {
        "benchmark": "search_items over SQLite FTS5 (unicode61 remove_diacritics 2) + triggers",
        "machine": machine(),
        "revision": git_revision(),
        "items": args.items,
        "build_seconds_including_index": round(world["build_seconds"], 1),
        "database_mb": round(size_mb, 1),
        "fts_index_mb": round(fts_mb, 1) if fts_mb is not None else None,
        "queries": len(cases),
        "search": {k: round(v, 2) for k, v in percentiles(times).items()},
        "baseline_like": {k: round(v, 2) for k, v in percentiles(base_times).items()},
        "baseline_queries": len(base_cases),
        "results_capped_at_1000": sum(t > 1000 for t in totals),
        "results_empty": sum(t == 0 for t in totals),
        "target_p95_ms": 100,
    }
    result["meets_target"] = result["search"]["p95_ms"] < 100
    # Slowest queries, so a regression can be read off at once.
    slow = sorted(zip(times, cases, strict=True), key=lambda x: -x[0])[:5]
    result["slowest"] = [{"ms": round(t * 1000, 1), "query": c[0], "filter": c[3]} for t, c in slow]
    if args.trigram:
        result["trigram"] = {k: round(v, 2) for k, v in trigram(cases).items()}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"Tìm kiếm trên {args.items:,} ý kiến (SQLite) · {result['machine']}")
    print(
        f"  dựng dữ liệu + chỉ mục: {result['build_seconds_including_index']} s, "
        f"CSDL {result['database_mb']} MB, chỉ mục FTS {result['fts_index_mb']} MB"
    )
    s, b = result["search"], result["baseline_like"]
    print(
        f"  search_items: p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms, "
        f"max {s['max_ms']:.1f} ms ({len(cases)} truy vấn)"
    )
    print(
        f"  baseline LIKE: p50 {b['p50_ms']:.1f} ms, p95 {b['p95_ms']:.1f} ms, "
        f"max {b['max_ms']:.1f} ms ({len(base_cases)} truy vấn)"
    )
    if "trigram" in result:
        t = result["trigram"]
        print(
            f"  trigram: dựng {t['build_seconds']:.1f} s, p50 {t['p50_ms']:.1f} ms, "
            f"p95 {t['p95_ms']:.1f} ms"
        )
    for row in result["slowest"]:
        print(f"    chậm: {row['ms']} ms  {row['query']!r} [{row['filter']}]")
    print("  ĐẠT" if result["meets_target"] else "  CHƯA ĐẠT", "mục tiêu p95 < 100 ms")
    sys.stdout.flush()


def _fts_size_mb(connection) -> float | None:
    """Pages used by the item index's shadow tables (needs SQLite's dbstat table)."""
    from django.db import DatabaseError

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_item_fts%'")
            return (cursor.fetchone()[0] or 0) / 1e6
    except DatabaseError:
        return None


if __name__ == "__main__":
    main()
