"""The demo's monitoring desk (issue 9): press sources with their health, the articles and posts
of the demo's months, stories, issue links, a spreading story's alert, the watch-list's hits and
a rumour marked false with its correction.

Nothing is hand-set: the invented sites (``press_data``) are served from memory by
:class:`_DemoSites`, a :class:`monitoring.fetcher.Fetcher` whose only difference is where a
request goes, so every week ``monitoring.services.fetch_all`` reads the feeds (feedparser), the
pages (trafilatura), masks, judges relevance, assigns stories and records each source's health,
ETag and 404s as in real use. The ward's group posts arrive as a weekly CSV export through
``monitoring.imports.import_file`` (authors hashed, texts masked); ``monitoring.linking``
groups the mentions into issues every half year and at the end (the spreading story of the
last day opens an issue and raises its alert); the watch-list and the finding go through
``monitoring.watch`` and ``monitoring.misinformation``. After each step, what those services
stamped with the real clock is moved back to when it is supposed to have happened.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import html
import io
import random
from collections import Counter
from typing import TYPE_CHECKING

from django.db.models import Q

from core.models import AuditEntry, Notification, Topic
from core.services import audit
from issues import services as issue_services
from issues.models import Issue, IssueEvent
from longdan.demo import names
from longdan.demo import press_data as data
from longdan.demo.constants import SEED
from monitoring import imports, linking, misinformation, services, watch
from monitoring.addresses import canonical_url
from monitoring.fetcher import FetchConfig, Fetcher, Response
from monitoring.models import Mention, MentionBand, Misinformation, Place, Source, WatchHit
from orgs.models import Area

if TYPE_CHECKING:
    from longdan.demo.builder import _Builder

LINK_EVERY_WEEKS = 26  # the worker groups every tick; the demo twice a year (load time)
POSTS_PER_WEEK = 1.6
CITY_PER_WEEK = 0.35
ELSEWHERE_PER_WEEK = 0.25
RUMOUR_DAYS_AGO = 24
SEASONS = {"ngap_ung": {5, 6, 7, 8, 9, 10}}
RECENT_ONLY = {"nuoc_sach": 42}  # the rising matter: written about only in its last weeks
_SOURCE_TIMES = ("last_fetch_at", "last_success_at", "last_error_at")


class _DemoSites(Fetcher):
    """The fetcher, with the invented sites served from memory instead of the network (no
    robots.txt, a 404 for an unknown address, a 304 when the ETag matches)."""

    def __init__(self):
        super().__init__(FetchConfig(pause=0.0, retries=0))
        self.pages: dict[str, tuple[dict[str, str], bytes]] = {}

    def serve(self, url: str, body: str, content_type: str, *, etag: str = "") -> None:
        headers = {"content-type": f"{content_type}; charset=utf-8"}
        if etag:
            headers["etag"] = etag
        self.pages[canonical_url(url)] = (headers, body.encode())

    def drop(self, url: str) -> None:
        self.pages.pop(canonical_url(url), None)

    def _request(self, url: str, *, etag: str = "", last_modified: str = "") -> Response:
        self.requests += 1
        page = self.pages.get(canonical_url(url))
        if page is None:
            return Response(url=url, status=404, headers={"content-type": "text/html"})
        headers, body = page
        if etag and headers.get("etag") == etag:
            return Response(url=url, status=304, headers=dict(headers))
        return Response(url=url, status=200, headers=dict(headers), body=body)


class DemoPress:
    """Builds the desk on top of the demo's issues (run after ``opinions``)."""

    def __init__(self, builder: _Builder):
        self.b = builder
        self.rng = random.Random(SEED + 9)
        self.office = builder.office_user
        self.loading = builder.loading
        self.sites = _DemoSites()
        self.articles: list[dict] = []  # {"site", "url", "title", "paragraphs", "at"}
        self.posts: list[dict] = []  # {"text", "at", "link", "author", "reactions"}
        self.number = 0
        self.matter_of: dict[str, str] = {}  # article address → the matter it is about
        areas = list(Area.objects.order_by("sort_key", "name").values_list("name", "former_ward"))
        self.places = {
            "hb": [n for n, f in areas if f == "Hòa Bình cũ"],
            "al": [n for n, f in areas if f == "An Lư"],
            "th": [n for n, f in areas if f == "Thủy Hà"],
        }
        self.voices = [self._voice() for _ in range(45)]

    # --- the build -------------------------------------------------------------------------------

    def build(self) -> dict:
        start = self.b.opinion_start
        first = dt.datetime.combine(start, dt.time(7, 0), tzinfo=self.b.tz)
        self.sources = self._stamp(first, self._sources)
        self._stamp(first, self._watch_list)
        self._schedule(start)
        cycles = self._cycles(first)
        moved_from = cycles[-1] - dt.timedelta(weeks=data.MOVED_WEEKS) if cycles else first
        previous = first
        for number, at in enumerate(cycles, start=1):
            self._publish(previous, at, moved=at > moved_from)
            self._stamp(at, services.fetch_all, client=self.sites)
            self._stamp(at, self._import_week, since=previous, until=at)
            if number % LINK_EVERY_WEEKS == 0 or at == cycles[-1]:
                self._stamp(at, linking.process_mentions, now=at)
            previous = at
        self._restamp_issues()
        self._merge_story_issues()
        self._mark_rumour()
        counts = {
            "sources": Source.objects.count(),
            "mentions": Mention.objects.count(),
            "ward": Mention.objects.filter(relevance=Mention.Relevance.WARD).count(),
            "linked": Mention.objects.filter(issue__isnull=False).count(),
            "watch_hits": WatchHit.objects.count(),
            "findings": Misinformation.objects.count(),
        }
        self.b.say(f"  {counts['mentions']} tin báo chí, mạng xã hội ({counts['ward']} về phường,"
                   f" {counts['linked']} gắn với vấn đề), {counts['watch_hits']} tin khớp danh"
                   " sách theo dõi.")
        return counts

    def _cycles(self, first: dt.datetime) -> list[dt.datetime]:
        """The weekly fetches, the last one at the demo's "now"."""
        end = self.b.now
        cycles, at = [], first + dt.timedelta(weeks=1)
        while at < end - dt.timedelta(days=1):
            cycles.append(at)
            at += dt.timedelta(weeks=1)
        return [*cycles, end]

    def _stamp(self, at: dt.datetime, service, **kwargs):
        """Run a service, then move what it stamped with the real clock back to ``at``."""
        result = service(**kwargs)
        # Strictly after the loading began: the last step's "now" may be that very instant.
        loading = self.loading
        Mention.objects.filter(fetched_at__gt=loading).update(fetched_at=at)
        MentionBand.objects.filter(fetched_at__gt=loading).update(fetched_at=at)  # its copy
        Mention.objects.filter(processed_at__gt=loading).update(processed_at=at)
        fetched = Source.objects.filter(
            Q(last_fetch_at__gt=loading) | Q(last_success_at__gt=loading)
            | Q(last_error_at__gt=loading)
        )
        for source in fetched.filter(retry_at__isnull=False):  # the back-off after this fetch
            wait = services.backoff(source.fetch_interval_minutes, source.failures)
            Source.objects.filter(pk=source.pk).update(retry_at=at + wait)
        for name in _SOURCE_TIMES:
            Source.objects.filter(**{f"{name}__gt": loading}).update(**{name: at})
        AuditEntry.objects.filter(at__gt=loading).update(at=at)
        WatchHit.objects.filter(created_at__gt=loading).update(created_at=at)
        Notification.objects.filter(created_at__gt=loading).update(created_at=at)
        IssueEvent.objects.filter(at__gt=loading).update(at=at)
        Issue.objects.filter(updated_at__gt=loading, created_at__lte=loading).update(updated_at=at)
        return result

    # --- sources and the watch-list --------------------------------------------------------------

    def _sources(self) -> dict[str, Source]:
        # Landmarks and streets the office added to the gazetteer (in the admin): a post about
        # "chợ Hòa Bình" is about the ward although it names neither the ward nor the city.
        for name, kind in data.PLACES:
            place = Place.objects.create(name=name, kind=kind)
            audit(actor=self.office, action=AuditEntry.Action.CREATE, obj=place,
                  summary=f"Thêm địa danh {name} vào danh sách địa danh của phường")
        made = {}
        for name, kind, url, interval in data.SOURCES:
            made[name] = services.add_source(actor=self.office, name=name, url=url, kind=kind,
                                             fetch_interval_minutes=interval)
        # A sitemap the office stopped following: its page shows it, the worker skips it.
        services.set_source_active(actor=self.office, source_id=made[data.SITEMAP].pk,
                                   active=False)
        title, text = data.PORTAL_PAGE
        self.sites.serve(made[data.PORTAL].url, _page(title, [text], None, data.PORTAL),
                         "text/html", etag='"lich-tiep-dan-1"')
        return made

    def _watch_list(self) -> None:
        for phrase in data.WATCH_KEYWORDS:
            watch.add_watch_term(user=self.office, kind="keyword", phrase=phrase)
        topic = Topic.objects.filter(name=data.WATCH_TOPIC).first()
        if topic is not None:
            watch.add_watch_term(user=self.office, kind="topic", topic=topic)

    # --- what is published -----------------------------------------------------------------------

    def _schedule(self, start: dt.date) -> None:
        """Every article and post of the demo's months, drawn week by week."""
        end = self.b.now - dt.timedelta(days=1, hours=2)  # the last day is the spreading story's
        moved_from = self.b.now - dt.timedelta(weeks=data.MOVED_WEEKS, days=1)
        week = dt.datetime.combine(start, dt.time(0, 0), tzinfo=self.b.tz)
        while week < end:
            for site, rate in data.WARD_SITES.items():
                if site == data.MOVED_SITE and week >= moved_from:
                    continue  # its feed moved; nothing of it is read any more
                for _ in range(self._draws(rate)):
                    self._ward_article(site, self._when(week, end))
            for _ in range(self._draws(CITY_PER_WEEK)):
                site = self.rng.choice([data.HAIPHONG, data.NATIONAL_SITE])
                self._plain_article(site, self.rng.choice(data.CITY_ARTICLES),
                                    self._when(week, end))
            for _ in range(self._draws(ELSEWHERE_PER_WEEK)):
                self._plain_article(data.NATIONAL_SITE, self.rng.choice(data.ELSEWHERE_ARTICLES),
                                    self._when(week, end))
            for _ in range(self._draws(POSTS_PER_WEEK)):
                self._post(self._when(week, end))
            week += dt.timedelta(weeks=1)
        self._spreading_story()
        self._rumour()

    def _draws(self, rate: float) -> int:
        whole = int(rate)
        return whole + (1 if self.rng.random() < rate - whole else 0)

    def _when(self, week: dt.datetime, end: dt.datetime) -> dt.datetime:
        at = week + dt.timedelta(days=self.rng.randrange(7), hours=self.rng.randint(6, 21),
                                 minutes=self.rng.randrange(60))
        return min(at, end - dt.timedelta(minutes=self.rng.randint(5, 600)))

    def _matter(self, at: dt.datetime, pool) -> str | None:
        choices = [key for key in pool if self._in_season(key, at)]
        return self.rng.choice(choices) if choices else None

    def _in_season(self, key: str, at: dt.datetime) -> bool:
        if key in SEASONS and at.month not in SEASONS[key]:
            return False
        recent = RECENT_ONLY.get(key)
        return recent is None or at >= self.b.now - dt.timedelta(days=recent)

    def _place(self, key: str) -> str:
        former = {"ngap_ung": "al", "gpmb": "th", "nuoc_sach": "th"}.get(key, "hb")
        return self.rng.choice(self.places[former] or ["phường Hòa Bình"])

    def _ward_article(self, site: str, at: dt.datetime) -> None:
        key = self._matter(at, data.WARD_ARTICLES)
        if key is None:
            return
        matter = data.WARD_ARTICLES[key]
        fill = {"day": f"{at:%d/%m/%Y}", "place": self._place(key)}
        body = [self.rng.choice(matter["ledes"]),
                *self.rng.sample(matter["paragraphs"], min(2, len(matter["paragraphs"])))]
        self._article(site, self.rng.choice(matter["titles"]), [p.format(**fill) for p in body],
                      at)
        self.matter_of[self.articles[-1]["url"]] = key

    def _plain_article(self, site: str, article: tuple[str, str], at: dt.datetime) -> None:
        title, text = article
        self._article(site, title, [text.format(day=f"{at:%d/%m/%Y}")], at)

    def _article(self, site: str, title: str, paragraphs: list[str], at: dt.datetime) -> None:
        self.number += 1
        host = self._host(site)
        url = f"{host}/tin/{_slug(title)}-{self.number}.html"
        self.articles.append({"site": site, "url": url, "title": title,
                              "paragraphs": paragraphs, "at": at})

    def _host(self, site: str) -> str:
        url = next(u for name, _kind, u, _i in data.SOURCES if name == site)
        return "/".join(url.split("/")[:3])

    def _post(self, at: dt.datetime, text: str | None = None) -> None:
        if text is None:
            key = self._matter(at, data.GROUP_POSTS)
            text = self.rng.choice(data.GROUP_POSTS[key or "khac"])
        self.number += 1
        group = next(u for name, _k, u, _i in data.SOURCES if name == data.GROUP)
        self.posts.append({
            "text": text, "at": at, "link": f"{group}/posts/{100000 + self.number}",
            "author": self.rng.choice(self.voices), "reactions": self.rng.randint(0, 240),
        })

    def _voice(self) -> str:
        """An invented group member's name (hashed on import, never stored)."""
        female = self.rng.random() < 0.5
        middle = names.MIDDLE_NAMES_FEMALE if female else names.MIDDLE_NAMES_MALE
        given = names.GIVEN_NAMES_FEMALE if female else names.GIVEN_NAMES_MALE
        family = self.rng.choices([n for n, _ in names.FAMILY_NAMES],
                                  [w for _, w in names.FAMILY_NAMES])[0]
        return " ".join((family, self.rng.choice(middle), self.rng.choice(given)))

    def _spreading_story(self) -> None:
        """One site tells it, two others retitle and trim it within hours, the group shares it:
        three sites in a day (the last before the demo's "now")."""
        now = self.b.now
        story = data.SPREAD_STORY
        paragraphs = story["paragraphs"]
        copies = [
            (data.HAIPHONG, story["titles"][0], paragraphs, 20),
            (data.DATCANG, story["titles"][2], paragraphs[:3] + paragraphs[4:], 14),
            (data.NATIONAL_SITE, story["titles"][1], paragraphs[:4], 7),
        ]
        for site, title, body, hours_ago in copies:
            self._article(site, title, body, now - dt.timedelta(hours=hours_ago))
        self._post(now - dt.timedelta(hours=11), "Chia sẻ: " + paragraphs[0])

    def _rumour(self) -> None:
        """A false rumour shared in the group for four days around its correction."""
        day = self.b.now - dt.timedelta(days=RUMOUR_DAYS_AGO)
        for offset, prefix in zip((0, 5, 20, 30, 98), data.RUMOUR_SHARES, strict=True):
            text = prefix + (data.RUMOUR[0].lower() + data.RUMOUR[1:] if prefix else data.RUMOUR)
            self._post(day + dt.timedelta(hours=offset), text)

    # --- serving and importing -------------------------------------------------------------------

    def _publish(self, since: dt.datetime, until: dt.datetime, *, moved: bool) -> None:
        """Put the articles published in (since, until] on their sites and in their feeds."""
        for name, kind, url, _interval in data.SOURCES:
            if kind not in ("rss", "atom"):
                continue
            if moved and name == data.MOVED_SITE:
                self.sites.drop(url)  # the feed moved: its old address answers 404
                continue
            new = [a for a in self.articles if a["site"] == name and since < a["at"] <= until]
            for article in new:
                self.sites.serve(article["url"], _page(article["title"], article["paragraphs"],
                                                       article["at"], name), "text/html")
            items = [(a["title"], a["url"] + "?utm_source=rss&utm_medium=feed", a["at"])
                     for a in new]
            body = _rss(name, url, items) if kind == "rss" else _atom(name, url, items)
            self.sites.serve(url, body, f"application/{kind}+xml")

    def _import_week(self, *, since: dt.datetime, until: dt.datetime) -> None:
        rows = [p for p in self.posts if since < p["at"] <= until]
        if not rows:
            return
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["Nội dung", "Thời gian", "Liên kết", "Người đăng", "Lượt tương tác"])
        for post in sorted(rows, key=lambda p: p["at"]):
            writer.writerow([post["text"], f"{post['at']:%d/%m/%Y %H:%M}", post["link"],
                             post["author"], post["reactions"]])
        imports.import_file(actor=self.office, source_name=data.GROUP,
                            file_name=f"nhom-cu-dan-{until:%Y-%m-%d}.csv",
                            data=out.getvalue().encode("utf-8"))

    # --- the office's finding --------------------------------------------------------------------

    def _mark_rumour(self) -> None:
        rumour = Mention.objects.filter(source=self.sources[data.GROUP],
                                        folded__contains=" cat nuoc toan bo ")
        first = rumour.order_by("published_at", "pk").first()
        if first is None:
            return
        corrected = first.published_at + dt.timedelta(days=2)
        self._stamp(
            corrected, misinformation.mark, actor=self.office, verdict="false",
            note=data.RUMOUR_NOTE, mention_id=first.pk,
            correction_url=data.RUMOUR_CORRECTION_URL, correction_text=data.RUMOUR_CORRECTION,
            corrected_on=corrected.astimezone(self.b.tz).date(),
        )
        Misinformation.objects.filter(created_at__gt=self.loading).update(
            created_at=corrected, updated_at=corrected
        )

    def _merge_story_issues(self) -> None:
        """A story the press spread about a matter residents had already raised opened an issue
        of its own (the articles' words grouped apart from the residents' items): the office
        merges it into the matter's issue some days later, and its stories and mentions follow
        (``monitoring.receivers``). The story of the last day keeps its new issue."""
        main = getattr(self.b, "main_issues", {})
        opened = Issue.objects.filter(
            merged_into__isnull=True, events__note__startswith="Phát hiện từ câu chuyện",
            last_seen_on__lt=self.b.today - dt.timedelta(days=7),
        ).distinct().order_by("pk")
        for issue in opened:
            urls = issue.mentions.values_list("url", flat=True)
            keys = Counter(self.matter_of[u] for u in urls if u in self.matter_of)
            keep = main.get(keys.most_common(1)[0][0]) if keys else None
            if keep is None:
                continue
            keep = Issue.objects.get(pk=keep.pk)
            if keep.merged_into_id:
                keep = Issue.objects.get(pk=keep.merged_into_id)
            at = min(issue.created_at + dt.timedelta(days=self.rng.randint(1, 4)),
                     self.b.now - dt.timedelta(hours=1))
            last_change = keep.updated_at
            self._stamp(at, issue_services.merge_issues, user=self.office, keep=keep,
                        other=issue)
            Issue.objects.filter(pk=keep.pk).update(updated_at=max(last_change, at))

    def _restamp_issues(self) -> None:
        """Issues a spreading story opened: on the story's day (the worker groups every tick;
        the demo only every ``LINK_EVERY_WEEKS``), never after the run that opened them."""
        for issue in Issue.objects.filter(created_at__gt=self.loading):
            first = issue.events.order_by("at").values_list("at", flat=True).first()
            if first is None:
                continue
            if issue.first_seen_on:
                first = min(first, dt.datetime.combine(issue.first_seen_on, dt.time(20, 0),
                                                       tzinfo=self.b.tz))
            Issue.objects.filter(pk=issue.pk).update(created_at=first, updated_at=first)


# --- the invented sites' pages -----------------------------------------------------------------


def _slug(title: str) -> str:
    from django.utils.text import slugify

    from core.text import fold

    return slugify(fold(title))[:60] or "tin"


def _page(title: str, paragraphs: list[str], at: dt.datetime | None, site: str) -> str:
    """An article page with real boilerplate: menu, related news, readers' comments, footer."""
    esc = html.escape
    published = (f'<meta property="article:published_time" content="{at.isoformat()}">'
                 if at else "")
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{esc(title)} | {esc(site)}</title>
<meta property="og:title" content="{esc(title)}">{published}</head><body>
<header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/kinh-te">Kinh tế</a></li><li><a href="/the-thao">Thể thao</a></li></ul></nav></header>
<main><article><h1>{esc(title)}</h1>
{body}
</article>
<section class="related"><h3>Tin liên quan</h3><ul>
<li><a href="/tin/gia-vang">Giá vàng hôm nay biến động nhẹ</a></li>
<li><a href="/tin/thoi-tiet">Dự báo thời tiết cuối tuần có mưa rào</a></li></ul></section>
<section id="comments" class="comments"><h3>Bình luận</h3>
<div class="comment"><b>Bạn đọc</b><p>Cảm ơn tòa soạn đã đưa tin kịp thời.</p></div></section>
</main><footer><p>Bản quyền thuộc về {esc(site)}. Trang tin mẫu, mọi nội dung là hư cấu.</p>
</footer></body></html>"""


def _rss(name: str, url: str, items: list[tuple[str, str, dt.datetime]]) -> str:
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link>"
        f"<pubDate>{email.utils.format_datetime(at)}</pubDate></item>"
        for t, u, at in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{html.escape(name)}</title><link>{html.escape(url)}</link>"
            f"<description>Tin mới</description>{entries}</channel></rss>")


def _atom(name: str, url: str, items: list[tuple[str, str, dt.datetime]]) -> str:
    entries = "".join(
        f'<entry><title>{html.escape(t)}</title><link href="{html.escape(u)}"/>'
        f"<id>{html.escape(u)}</id><updated>{at.isoformat()}</updated></entry>"
        for t, u, at in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{html.escape(name)}</title><id>{html.escape(url)}</id>"
            f"<updated>2000-01-01T00:00:00Z</updated>{entries}</feed>")
