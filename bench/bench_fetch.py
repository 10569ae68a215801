"""Fetching and processing press articles from a local HTTP server (issue 9), with the extractor's
own cost measured alone in the same run.

A local ``ThreadingHTTPServer`` (never the internet) serves N article pages with real
boilerplate (menu, "Tin liên quan", readers' comments, footer; 4 paragraphs of about 120 words
drawn from ``bench_grouping.generate``, some naming the ward, some the city, some nothing) and
their RSS feeds (``--per-feed`` items each, one source per feed). On a fresh SQLite database,
each round starts with no mention stored and times:

* ``fetch_all``: every source fetched once through ``monitoring.services`` (the fetcher with its
  robots.txt, per-host turn and size limits; feedparser; trafilatura; masking, text analysis,
  relevance, signature, story; one row per article) — the worker's path;
* the extractor alone: ``monitoring.extract.article`` over the same N page bodies, in memory;
* the HTTP fetches alone: ``Fetcher.get`` of the N pages (no extraction, nothing stored).

Each round's timings go to stderr as it ends. Memory: the N pages and their
bodies are held in memory for the whole run, so the peak grows with N (reported as
``max_rss_mb``; about 10,000 pages fit easily); the database is a file.

Run: ``nice -n 10 .venv/bin/python bench/bench_fetch.py [--articles 2000] [--rounds 3] [--json]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _setup import django_on_fresh_sqlite, git_revision, machine

PLACES = [
    "tổ dân phố An Lư 3, phường Hòa Bình", "phường Hòa Bình, thành phố Hải Phòng",
    "thành phố Hải Phòng", "khu dân cư Thủy Hà", "tỉnh Hòa Bình", "nhà máy thủy điện Hòa Bình",
]
CLOSERS = [
    "Chính quyền địa phương cho biết sẽ rà soát, trả lời người dân trong thời gian sớm nhất.",
    "Người dân mong các cơ quan chức năng sớm có giải pháp căn cơ, lâu dài.",
    "Phóng viên sẽ tiếp tục theo dõi và thông tin tới bạn đọc.",
]
NAV = ('<header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a>'
       '</li><li><a href="/kinh-te">Kinh tế</a></li><li><a href="/the-thao">Thể thao</a></li>'
       "</ul></nav></header>")
RELATED = ('<section class="related"><h3>Tin liên quan</h3><ul><li><a href="/tin/1">Giá vàng'
           ' hôm nay tăng mạnh</a></li><li><a href="/tin/2">Dự báo thời tiết cuối tuần</a></li>'
           '</ul></section><section id="comments"><h3>Bình luận</h3><div class="comment"><b>Bạn'
           " đọc</b><p>Cảm ơn tòa soạn đã đưa tin kịp thời.</p></div></section>")
FOOTER = "<footer><p>Bản quyền thuộc về Báo điện tử mẫu. Giấy phép số 123/GP-BTTTT.</p></footer>"


def articles(n: int, seed: int = 20261205) -> list[tuple[str, list[str]]]:
    """``n`` (title, paragraphs): four paragraphs of resident-like sentences around a place."""
    from bench_grouping import generate

    rng = random.Random(seed)
    texts, _truth = generate(n * 3, seed=seed)
    out = []
    for i in range(n):
        place = rng.choice(PLACES)
        body = texts[3 * i: 3 * i + 3]
        lede = f"Ngày {1 + i % 28}/{1 + i % 12}, người dân ở {place} phản ánh: {body[0]}"
        paragraphs = [lede, " ".join(body[1:]), rng.choice(CLOSERS), " ".join(rng.sample(body, 2))]
        out.append((body[0][:80].rstrip(" ,.") + f" ({i})", paragraphs))
    return out


def page(title: str, paragraphs: list[str], day: int) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2026-11-{day:02d}T08:00:00+07:00">'
            f"</head><body>{NAV}<main><article><h1>{title}</h1>{body}</article>{RELATED}</main>"
            f"{FOOTER}</body></html>").encode()


def feed(base: str, items: list[tuple[int, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}/tin/{i}.html?utm_source=rss</link>"
        f"<pubDate>Fri, {1 + i % 28:02d} Nov 2026 08:00:00 +0700</pubDate></item>"
        for i, t in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo mẫu'
            f"</title><link>{base}/</link><description>Tin</description>{entries}</channel>"
            "</rss>").encode()


class Server:
    """Pages by path, served from memory by a thread per connection."""

    def __init__(self, routes: dict[str, tuple[str, bytes]]):
        table = routes

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - http.server's name
                content_type, body = table.get(self.path.split("?", 1)[0], ("text/plain", b""))
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--per-feed", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS"] = "127.0.0.1"
    os.environ["LONGDAN_MONITOR_PAUSE"] = "0"
    django_on_fresh_sqlite("fetch")

    from django.db.models import Count

    from monitoring import extract, services
    from monitoring.models import Mention, MentionBand, Source, Story

    made = articles(args.articles)
    routes: dict[str, tuple[str, bytes]] = {}
    bodies = []
    for i, (title, paragraphs) in enumerate(made):
        body = page(title, paragraphs, 1 + i % 28)
        routes[f"/tin/{i}.html"] = ("text/html; charset=utf-8", body)
        bodies.append((body, i))
    server = Server(routes)
    base = f"http://127.0.0.1:{server.port}"
    for start in range(0, len(made), args.per_feed):
        items = [(i, made[i][0]) for i in range(start, min(start + args.per_feed, len(made)))]
        routes[f"/rss/{start}.xml"] = ("application/rss+xml", feed(base, items))
        Source.objects.create(name=f"Báo mẫu {start}", kind="rss", url=f"{base}/rss/{start}.xml")

    headers = {"content-type": "text/html; charset=utf-8"}
    rounds = []
    for _round in range(args.rounds):
        Story.objects.update(first_mention=None)
        MentionBand.objects.all().delete()
        Mention.objects.all().delete()
        Story.objects.all().delete()
        Source.objects.update(etag="", last_modified="")
        started = time.perf_counter()
        result = services.fetch_all()
        pipeline = time.perf_counter() - started
        assert result["new"] == len(made), result

        started = time.perf_counter()
        for body, i in bodies:
            extract.article(body, f"{base}/tin/{i}.html", headers)
        extractor = time.perf_counter() - started

        client = services.fetcher()
        started = time.perf_counter()
        for _body, i in bodies:
            client.get(f"{base}/tin/{i}.html")
        http = time.perf_counter() - started
        rounds.append({"pipeline_s": pipeline, "extractor_s": extractor, "http_s": http})
        # Each round as it ends (a long run interrupted still says what it measured).
        print(f"lượt {_round + 1}: " + json.dumps(rounds[-1] | {"load": os.getloadavg()}),
              file=sys.stderr, flush=True)

    relevance = dict(Mention.objects.values_list("relevance").annotate(n=Count("pk")))
    n = len(made)
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    report = {
        "machine": machine(),
        "revision": git_revision(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "articles": n,
        "rounds": rounds,
        "median": median,
        "articles_per_s": n / median["pipeline_s"],
        "extractor_per_s": n / median["extractor_s"],
        "http_per_s": n / median["http_s"],
        "ms_per_article": {k.removesuffix("_s"): 1000 * v / n for k, v in median.items()},
        "pipeline_over_extractor": median["pipeline_s"] / median["extractor_s"],
        "stories": Story.objects.count(),
        # The pages are served from memory: the process's peak size grows with --articles.
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_average": os.getloadavg(),
        "relevance": relevance,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(f"{report['machine']} · {report['revision']} · {report['date']}")
    print(f"{n} bài, {args.rounds} lượt; trung vị:")
    for key, value in median.items():
        print(f"  {key}: {value:.2f} s ({1000 * value / n:.2f} ms/bài, {n / value:.1f} bài/s)")
    print(f"  toàn bộ / trình trích xuất: {report['pipeline_over_extractor']:.2f}×")
    print(f"  câu chuyện: {report['stories']}, mức liên quan: {relevance}")
    print(f"  bộ nhớ lớn nhất: {report['max_rss_mb']:.0f} MB, tải: {report['load_average']}")


if __name__ == "__main__":
    main()
