"""Fetching against a local server: feeds, redirects and tracking variants, 304s, the guard on
internal addresses, a broken feed among good ones, stories, and no author name stored."""

from __future__ import annotations

from html import escape

import pytest
from django.db import connection

from monitoring import services
from monitoring.fetcher import FetchConfig, Fetcher, FetchError
from monitoring.models import Mention, Source, Story
from monitoring.tests.server import FIXTURES, page
from orgs.models import Area

pytestmark = pytest.mark.django_db

AUTHORS = ("Trần Thị Bích Ngọc", "Nguyễn Thị Thanh Hương", "Lê Văn Khánh")
PROVINCE = [
    "Mưa lớn kéo dài gây sạt lở đất tại nhiều huyện của tỉnh Hòa Bình trong đêm qua.",
    "Nhà máy thủy điện Hòa Bình mở thêm hai cửa xả đáy để điều tiết mực nước hồ chứa.",
    "Chính quyền tỉnh Hòa Bình đã sơ tán hàng trăm hộ dân khỏi vùng nguy hiểm an toàn.",
]
AN_LU = [
    "Người dân tổ dân phố An Lư 3 phản ánh tình trạng rác thải ùn ứ ở đầu ngõ nhiều ngày nay.",
    "Cán bộ phường đã xuống kiểm tra, yêu cầu đơn vị thu gom tăng thêm chuyến trong tuần tới.",
    "Bà con mong việc thu gom được duy trì đều đặn để giữ vệ sinh chung cho cả khu dân cư.",
]


def rss(site, links):
    items = "".join(
        f"<item><title>Tin {i}</title><link>{escape(site.url(link))}</link>"
        f"<pubDate>Fri, 20 Nov 2026 0{i}:00:00 +0700</pubDate></item>"
        for i, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo'
        f"</title><link>{site.url('/')}</link>{items}</channel></rss>"
    )


def atom(site, links):
    entries = "".join(
        f'<entry><title>Tin {i}</title><link href="{escape(site.url(link))}"/><id>{link}</id>'
        f"<updated>2026-11-21T0{i}:00:00Z</updated></entry>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Báo Atom</title><id>x</id><updated>2026-11-21T00:00:00Z</updated>{entries}"
        "</feed>"
    )


@pytest.fixture
def world(site, allow_local):
    """Two feeds and a broken one on the local server; the article reached by four addresses.
    The registry names a tổ dân phố, which the gazetteer then knows."""
    Area.objects.create(name="Tổ dân phố An Lư 3", former_ward="An Lư")
    site.add("/bai/duong-ven-song", (FIXTURES / "article.html").read_bytes())
    site.redirect("/r/42", site.url("/bai/duong-ven-song?fbclid=abc"))
    site.add("/bai/thuy-dien", page("Thủy điện Hòa Bình xả lũ", PROVINCE))
    site.add("/bai/an-lu", page("Rác thải ùn ứ ở An Lư", AN_LU))
    xml = "application/rss+xml"
    site.add(
        "/rss.xml",
        rss(
            site, ["/bai/duong-ven-song?utm_source=rss&utm_medium=feed", "/r/42", "/bai/thuy-dien"]
        ),
        content_type=xml,
        headers={"ETag": '"rss-1"'},
    )
    site.add(
        "/atom.xml",
        atom(site, ["/bai/an-lu", "/bai/duong-ven-song?utm_campaign=x"]),
        content_type="application/atom+xml",
        headers={"ETag": '"atom-1"'},
    )
    site.add("/broken.xml", "<rss><channel><item><title>Hỏng</titl", content_type=xml)
    for name, path, kind in (
        ("Báo RSS", "/rss.xml", "rss"),
        ("Báo Atom", "/atom.xml", "atom"),
        ("Báo hỏng", "/broken.xml", "rss"),
    ):
        Source.objects.create(name=name, url=site.url(path), kind=kind)
    return site


def test_fetch_stores_each_article_once_and_judges_it(world, client_fetcher):
    result = services.fetch_all(client=client_fetcher)
    assert result["new"] == 3
    assert result["errors"] == 1
    # Sources go in name order: Atom stores the river article first, then RSS meets it twice
    # more (a utm_ variant and a redirect to an fbclid variant).
    healthy = {"error": "", "failures": 0, "retry_at": None}
    assert result["sources"]["Báo Atom"] == {"new": 2, "duplicates": 0, "errors": 0} | healthy
    assert result["sources"]["Báo RSS"] == {"new": 1, "duplicates": 2, "errors": 0} | healthy
    urls = set(Mention.objects.values_list("url", flat=True))
    assert urls == {world.url(p) for p in ("/bai/duong-ven-song", "/bai/thuy-dien", "/bai/an-lu")}
    river = Mention.objects.get(url=world.url("/bai/duong-ven-song"))
    assert river.relevance == "ward" and "Hòa Bình" in river.places
    assert river.title == "Phường Hòa Bình nâng cấp tuyến đường ven sông"
    assert river.site == "127.0.0.1" and river.source.name == "Báo Atom"
    assert river.published_at is not None
    assert "Tin liên quan" not in river.text and "Bản quyền" not in river.text
    assert Mention.objects.get(url=world.url("/bai/thuy-dien")).relevance == "none"
    assert Mention.objects.get(url=world.url("/bai/an-lu")).relevance == "ward"


def test_broken_feed_error_on_its_source_only(world, client_fetcher):
    services.fetch_all(client=client_fetcher)
    broken = Source.objects.get(name="Báo hỏng")
    assert "không đúng định dạng RSS/Atom" in broken.last_error
    assert broken.last_error_at is not None and broken.last_success_at is None
    good = Source.objects.get(name="Báo RSS")
    assert good.last_error == "" and good.last_success_at is not None
    assert good.etag == '"rss-1"'


def test_second_fetch_stores_nothing_and_uses_304(world, client_fetcher):
    services.fetch_all(client=client_fetcher)
    count = Mention.objects.count()
    article_gets = len(world.statuses("/bai/duong-ven-song"))
    result = services.fetch_all(client=client_fetcher)
    assert result["new"] == 0
    assert Mention.objects.count() == count
    assert world.statuses("/rss.xml") == [200, 304]
    assert world.statuses("/atom.xml") == [200, 304]
    assert len(world.statuses("/bai/duong-ven-song")) == article_gets  # not fetched again


def test_internal_address_refused_unless_allowed(site, settings):
    site.add("/a", page("Phường Hòa Bình", AN_LU))
    settings.LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS = []
    with pytest.raises(FetchError, match="nội bộ"):
        services.store_link(site.url("/a"), client=services.fetcher())
    assert site.log == []  # refused before any request
    Source.objects.create(name="Nội bộ", url=site.url("/a"), kind="page")
    result = services.fetch_all(client=services.fetcher())
    assert result["errors"] == 1 and "nội bộ" in Source.objects.get().last_error
    settings.LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.LONGDAN_MONITOR_PAUSE = 0.0
    assert services.store_link(site.url("/a"), client=services.fetcher()) is not None


def test_redirect_to_internal_address_refused(site, client_fetcher):
    site.redirect("/go", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchError, match="nội bộ"):
        client_fetcher.get(site.url("/go"))


def test_limits_and_errors(site, allow_local):
    site.add("/big", b"<p>" + b"x" * 5000 + b"</p>")
    site.redirect("/loop-a", "/loop-b")
    site.redirect("/loop-b", "/loop-a")
    small = Fetcher(
        FetchConfig(
            allowed_private=frozenset({"127.0.0.1"}), pause=0.0, max_bytes=1000, backoff=0.0
        )
    )
    with pytest.raises(FetchError, match="quá lớn"):
        small.get(site.url("/big"))
    with pytest.raises(FetchError, match="vòng lặp"):
        small.get(site.url("/loop-a"))
    with pytest.raises(FetchError, match="404"):
        small.get(site.url("/missing"))


def test_robots_txt_honoured(site, client_fetcher):
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("/private/a", page("Bí mật", AN_LU))
    with pytest.raises(FetchError, match="robots.txt"):
        client_fetcher.get(site.url("/private/a"))
    assert "/private/a" not in [p for p, _s in site.log]


def test_syndicated_copies_share_a_story(site, allow_local, client_fetcher):
    original = [
        "Sáng 20/11, phường Hòa Bình khởi công nâng cấp tuyến đường ven sông Cấm dài hơn hai"
        " ki-lô-mét, đi qua tổ dân phố An Lư 3 và khu dân cư Thủy Hà của phường.",
        "Theo kế hoạch, công trình hoàn thành trong sáu tháng, mặt đường được mở rộng lên bảy"
        " mét, lắp đặt hệ thống chiếu sáng và thoát nước mới để chấm dứt ngập úng mùa mưa.",
        "Nhiều hộ dân bày tỏ phấn khởi vì con đường đã xuống cấp nhiều năm, xe cộ đi lại khó"
        " khăn, nhất là vào giờ tan học của học sinh các trường trên địa bàn.",
        "Đại diện phường cho biết sẽ công khai tiến độ thi công và lấy ý kiến người dân trong"
        " suốt quá trình thực hiện, bảo đảm an toàn giao thông khu vực công trường.",
    ]
    site.add("/goc", page("Phường Hòa Bình nâng cấp đường ven sông", original))
    # Another site: retitled, the last paragraph trimmed, a sentence of its own added.
    site.add(
        "/ban-sao",
        page(
            "Khởi công đường ven sông Cấm",
            original[:3] + ["Đây là một trong những công trình trọng điểm của địa phương năm nay."],
            author="Phạm Thu Hằng",
        ),
    )
    site.add("/khac", page("Rác thải ùn ứ ở An Lư", AN_LU))
    first = services.store_link(site.url("/goc"), client=client_fetcher)
    copy = services.store_link(site.url("/ban-sao", host="localhost"), client=client_fetcher)
    other = services.store_link(site.url("/khac"), client=client_fetcher)
    assert copy.story_id == first.story_id
    assert other.story_id != first.story_id
    story = Story.objects.get(pk=first.story_id)
    assert story.mention_count == 2 and story.site_count == 2
    assert story.first_mention_id == first.pk


def test_no_author_name_anywhere_in_the_database(world, client_fetcher):
    services.fetch_all(client=client_fetcher)
    assert Mention.objects.count() == 3
    with connection.cursor() as cursor:
        for table in (
            "monitoring_mention",
            "monitoring_story",
            "monitoring_source",
            "core_auditentry",
        ):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dump = repr(cursor.fetchall())
            for name in AUTHORS:
                assert name not in dump, (table, name)


def test_pasted_link_masks_personal_data(site, allow_local, client_fetcher):
    site.add(
        "/lien-he",
        page(
            "Phường Hòa Bình tiếp dân",
            [
                "Ông Nguyễn Văn Thành ở tổ dân phố An Lư 3 gọi số 0912345678 phản ánh ngập.",
                "Phường đã tiếp nhận phản ánh, hẹn trả lời trong tuần, người dân đồng tình.",
                "Cán bộ phường cũng hướng dẫn bà con cách gửi ý kiến qua cổng thông tin điện tử.",
            ],
        ),
    )
    mention = services.store_link(site.url("/lien-he?utm_source=zalo"), client=client_fetcher)
    assert mention.url == site.url("/lien-he")
    assert "0912345678" not in mention.text and "Nguyễn Văn Thành" not in mention.text
    assert "⟨SĐT⟩" in mention.text
    assert services.store_link(site.url("/lien-he"), client=client_fetcher) is None


def test_worker_fetches_only_due_sources(world, client_fetcher):
    import datetime as dt

    from django.utils import timezone

    from monitoring.tasks import fetch_due_sources

    Source.objects.exclude(name="Báo RSS").update(active=False)
    first = services.fetch_all(client=client_fetcher, due_only=True)
    assert first["new"] == 3 - 1  # the RSS feed: the river article and the province one
    assert services.fetch_all(client=client_fetcher, due_only=True)["sources"] == {}
    Source.objects.update(last_fetch_at=timezone.now() - dt.timedelta(minutes=61))
    assert list(fetch_due_sources.call()["sources"]) == ["Báo RSS"]
    assert world.statuses("/rss.xml") == [200, 304]


def test_sitemap_source(site, allow_local, client_fetcher):
    site.add("/bai/an-lu", page("Rác thải ùn ứ ở An Lư", AN_LU))
    site.add("/bai/tinh", page("Thủy điện Hòa Bình xả lũ", PROVINCE))
    urls = "".join(f"<url><loc>{site.url(p)}</loc></url>" for p in ("/bai/an-lu", "/bai/tinh"))
    site.add(
        "/sitemap.xml",
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/'
        f'schemas/sitemap/0.9">{urls}</urlset>',
        content_type="application/xml",
    )
    Source.objects.create(name="Sơ đồ", url=site.url("/sitemap.xml"), kind="sitemap")
    result = services.fetch_all(client=client_fetcher)
    assert (result["new"], result["errors"]) == (2, 0)


def test_a_page_that_is_not_html_is_an_error_on_its_source(site, allow_local, client_fetcher):
    site.add("/tep.pdf", b"%PDF-1.4", content_type="application/pdf")
    Source.objects.create(name="Tệp", url=site.url("/tep.pdf"), kind="page")
    result = services.fetch_all(client=client_fetcher)
    assert result["errors"] == 1
    assert "không phải trang tin" in Source.objects.get().last_error


def test_retry_after_a_503(site, client_fetcher):
    site.add("/bai", page("Phường Hòa Bình", AN_LU))
    site.routes["/bai"] = [(503, {"Content-Type": "text/plain"}, b"busy"), site.routes["/bai"]]
    assert client_fetcher.get(site.url("/bai")).status == 200
    assert site.statuses("/bai") == [503, 200]


def test_an_unexpected_failure_on_one_source_does_not_stop_the_others(
    world, client_fetcher, monkeypatch
):
    import feedparser

    real = feedparser.parse

    def odd(body, **kwargs):  # the library, not our code, fails on one feed
        if b"<feed" in body:
            raise RuntimeError("lxml went away")
        return real(body, **kwargs)

    monkeypatch.setattr(feedparser, "parse", odd)
    result = services.fetch_all(client=client_fetcher)
    assert result["sources"]["Báo Atom"]["errors"] == 1
    assert result["sources"]["Báo RSS"]["new"] == 2
    assert "Lỗi không mong đợi" in Source.objects.get(name="Báo Atom").last_error
