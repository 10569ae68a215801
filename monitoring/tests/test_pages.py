"""The monitoring pages: the newest mentions (filters, search without diacritics in the
database, sorting, pages, XLSX export), stories by spread, the sources' health and register;
the office writes, the leaders read, a unit's account finds nothing."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry, Topic
from monitoring.models import Mention, Source
from monitoring.tests.pages_support import mention, story, when
from monitoring.tests.test_fetch import rss

pytestmark = pytest.mark.django_db
LIST = "monitoring_list"


def _body(client, name=LIST, **params) -> str:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def desk():
    """A few mentions of several sources, topics, attitudes and days."""
    press = Source.objects.create(name="Báo Hà Nội Mới", url="https://hanoimoi.vn/rss", kind="rss")
    group = Source.objects.create(name="Nhóm Cư dân", kind="export")
    garbage = Topic.objects.get_or_create(name="Môi trường")[0]
    traffic = Topic.objects.get_or_create(name="Giao thông")[0]
    return {
        "press": press,
        "group": group,
        "rubbish": mention(
            "Rác thải ùn ứ ở chợ Hòa Bình", source=press, topic=garbage,
            attitude="buc_xuc", at=when(1), reactions=40,
        ),
        "road": mention(
            "Đường Nguyễn Trãi ngập sâu sau mưa", source=press, topic=traffic,
            attitude="ban_khoan", at=when(10), reactions=5,
        ),
        "post": mention(
            "Hoà Bình dọn rác cuối tuần", source=group, topic=garbage, attitude="dong_tinh",
            at=when(3), site="facebook.com", author_hash="a" * 64,
        ),
        "province": mention(
            "Thủy điện Hòa Bình xả lũ", relevance="none", at=when(0), site="vnexpress.net",
        ),
        "hoang": mention("Phố Hoàng Hoa Thám sửa chữa", at=when(2), text="Hoàng Hoa Thám."),
    }


def _titles(body: str, desk: dict) -> set[str]:
    return {key for key, m in desk.items() if isinstance(m, Mention) and m.title in body}


def test_list_shows_the_wards_mentions_newest_first(client, vanphong, desk):
    client.force_login(vanphong)
    body = _body(client)
    assert _titles(body, desk) == {"rubbish", "road", "post", "hoang"}  # not the province
    order = [body.index(desk[k].title) for k in ("rubbish", "hoang", "post", "road")]
    assert order == sorted(order)
    assert "4 tin, bài về phường" in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"relevance": "all"}, {"rubbish", "road", "post", "province", "hoang"}),
        ({"relevance": "none"}, {"province"}),
        ({"attitude": "buc_xuc"}, {"rubbish"}),
        ({"range": "7"}, {"rubbish", "post", "hoang"}),
        ({"range": "1", "relevance": "all"}, {"province"}),
    ],
)
def test_filters(client, vanphong, desk, params, expected):
    client.force_login(vanphong)
    assert _titles(_body(client, **params), desk) == expected


def test_filters_by_source_topic_and_dates(client, vanphong, desk):
    client.force_login(vanphong)
    assert _titles(_body(client, source=desk["group"].pk), desk) == {"post"}
    topic = Topic.objects.get(name="Môi trường")
    assert _titles(_body(client, topic=topic.pk), desk) == {"rubbish", "post"}
    since, until = when(4).date().isoformat(), when(2).date().isoformat()
    assert _titles(_body(client, since=since, until=until), desk) == {"post", "hoang"}


def test_a_wrong_filter_is_named_and_left_out(client, vanphong, desk):
    client.force_login(vanphong)
    body = _body(client, source="999999", since="2026-13-45")
    assert "Giá trị không có trong danh sách." in body and "Bộ lọc này tạm bỏ qua." in body
    assert _titles(body, desk) == {"rubbish", "road", "post", "hoang"}
    body = _body(client, since=when(1).date().isoformat(), until=when(5).date().isoformat())
    assert "Đến ngày phải sau hoặc bằng từ ngày." in body


def test_search_without_diacritics_matches_whole_words_in_the_database(client, vanphong, desk):
    client.force_login(vanphong)
    assert desk["post"].folded.startswith(" hoa binh don rac cuoi tuan ")
    with CaptureQueriesContext(connection) as queries:
        body = _body(client, q="hoa binh", relevance="all")
    # "Hòa Bình" and "Hoà Bình" alike; "Hoàng Hoa Thám" has "hoa" but not "binh"
    assert _titles(body, desk) == {"rubbish", "post", "province"}
    index = "MATCH" if connection.vendor == "sqlite" else "to_tsquery"
    assert any(index in q["sql"] for q in queries.captured_queries)  # the database's index
    assert _titles(_body(client, q="HOA", relevance="all"), desk) == {
        "rubbish", "post", "province", "hoang",
    }
    # a whole word: "hoa" does not find "hoang" alone, "hoang" does
    assert _titles(_body(client, q="hoang"), desk) == {"hoang"}
    assert _titles(_body(client, q="rác"), desk) == {"rubbish", "post"}
    body = _body(client, q="không có từ này")
    assert "Không có tin nào khớp bộ lọc" in body and "bỏ lọc" in body


def test_sorting_and_pages(client, vanphong, desk):
    client.force_login(vanphong)
    body = _body(client, sort="-reactions")
    assert body.index(desk["rubbish"].title) < body.index(desk["road"].title)
    body = _body(client, sort="reactions")
    assert body.index(desk["road"].title) < body.index(desk["rubbish"].title)
    assert "Lượt tương tác ▲" in body
    for n in range(35):
        mention(f"Tin thứ {n} về phường", at=when(20))
    first = _body(client)
    assert "Trang 1 / 2" in first and "Trang sau ›" in first
    second = _body(client, page=2)
    assert "Trang 2 / 2" in second and "‹ Trang trước" in second
    assert "39 tin, bài về phường" in second


def test_empty_states_say_what_to_do(client, vanphong, lanhdao):
    client.force_login(vanphong)
    body = _body(client)
    assert "Chưa có nguồn tin nào." in body and "Thêm nguồn tin" in body
    mention("Tin tỉnh khác", relevance="none")
    assert "Xem tin ở mọi mức liên quan" in _body(client)
    client.force_login(lanhdao)
    Mention.objects.all().delete()
    assert "Ban Xây dựng Đảng sẽ thêm các nguồn cần theo dõi." in _body(client)


def test_export_is_the_filtered_list_as_xlsx_audited(client, vanphong, desk):
    desk["rubbish"].title = '=HYPERLINK("http://x.vn","bấm")'
    desk["rubbish"].save()
    client.force_login(vanphong)
    response = client.get(reverse("monitoring_export"), {"q": "rac", "relevance": "all"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bao-chi-mang-xa-hoi')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Thời điểm đăng (giờ Việt Nam)", "Tiêu đề", "Trang")
    titles = {row[1] for row in rows[1:]}
    assert titles == {'=HYPERLINK("http://x.vn","bấm")', desk["post"].title}
    formula = next(c for c in sheet["B"] if c.value and str(c.value).startswith("="))
    assert formula.data_type == "s"  # kept as text, never run as a formula
    post = next(row for row in rows if row[1] == desk["post"].title)
    assert post[3] == "Nhóm Cư dân" and post[5] == "Về phường" and post[8] == "Môi trường"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.object_type == "monitoring.mention" and entry.data["rows"] == 2
    assert "q=rac" in entry.data["query"]


def test_stories_by_spread_with_voices_first_source_and_days(client, lanhdao):
    wide, narrow = story(when(5)), story(when(2))
    mention("Cháy chợ Hòa Bình", story=wide, at=when(5), site="a.vn")
    mention("Chợ Hòa Bình cháy lớn", story=wide, at=when(4), site="b.vn")
    mention("Cháy ở chợ", story=wide, at=when(2), site="c.vn", author_hash="1" * 64)
    mention("Cháy ở chợ (bình luận)", story=wide, at=when(2), site="c.vn", author_hash="2" * 64)
    mention("Họp dân tổ 3", story=narrow, at=when(2), site="a.vn")
    mention("Họp dân tổ 3 (đăng lại)", story=narrow, at=when(1), site="a.vn")
    client.force_login(lanhdao)
    body = _body(client, "monitoring_stories")
    assert body.index("Cháy chợ Hòa Bình") < body.index("Họp dân tổ 3")
    assert "4 ngày, đến" in body  # the wide one spread over four days
    body = client.get(reverse("monitoring_story", args=[wide.pk])).content.decode()
    assert "Cháy chợ Hòa Bình" in body and "a.vn" in body
    assert '<div class="kpi">3</div><div class="kpi-label">trang đăng' in body
    assert '<div class="kpi">2</div><div class="kpi-label">người viết' in body
    assert 'id="story-chart-data"' in body and "vendor/chart.umd.min.js" in body
    assert "cdn" not in body.lower()


def test_sources_health_and_register(client, vanphong, site, allow_local):
    site.add("/rss.xml", rss(site, ["/bai/a"]), content_type="application/rss+xml")
    press = Source.objects.create(
        name="Báo cũ", url="https://baocu.vn/rss", kind="rss",
        last_error="Nguồn tin không đúng định dạng RSS/Atom", last_error_at=when(0),
    )
    mention("Tin tuần này", source=press)
    old = mention("Tin cũ", source=press)
    Mention.objects.filter(pk=old.pk).update(fetched_at=when(30))
    client.force_login(vanphong)
    body = _body(client, "monitoring_sources")
    assert "Nguồn tin không đúng định dạng RSS/Atom" in body
    row = body[body.index(f'data-source="{press.pk}"'):]
    assert '<td class="num" data-label="Tin 7 ngày qua">1</td>' in row

    url = reverse("monitoring_sources")
    response = client.post(url, {"name": "Báo mới", "url": site.url("/rss.xml"),
                                 "fetch_interval_minutes": "30"})
    assert response.status_code == 302
    added = Source.objects.get(name="Báo mới")
    assert (added.kind, added.fetch_interval_minutes) == ("rss", 30)  # the kind detected
    assert AuditEntry.objects.filter(object_type="monitoring.source", action="create").count() == 1

    for data, message in [
        ({"name": "Báo mới", "url": site.url("/rss.xml"), "fetch_interval_minutes": "30"},
         "Tên nguồn: đã có nguồn tên"),
        ({"name": "", "url": site.url("/rss.xml"), "fetch_interval_minutes": "30"},
         "Tên nguồn: không được để trống."),
        ({"name": "X", "url": site.url("/rss.xml"), "fetch_interval_minutes": "1"},
         "Chu kỳ lấy tin: ít nhất 5 phút."),
        ({"name": "X", "url": "", "kind": "rss", "fetch_interval_minutes": "60"},
         "Địa chỉ: không được để trống."),
        ({"name": "X", "url": site.url("/khong-co"), "fetch_interval_minutes": "60"},
         "Địa chỉ:"),
    ]:
        body = client.post(url, data).content.decode()
        assert message in body, message
    assert Source.objects.count() == 2  # nothing half-written

    edit = reverse("monitoring_source_edit", args=[added.pk])
    response = client.post(edit, {"name": "Báo mới (RSS)", "kind": "rss",
                                  "url": site.url("/rss.xml"), "fetch_interval_minutes": "120",
                                  "active": "on"})
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.name, added.fetch_interval_minutes) == ("Báo mới (RSS)", 120)
    client.post(reverse("monitoring_source_toggle", args=[added.pk]))
    added.refresh_from_db()
    assert added.active is False
    summaries = list(
        AuditEntry.objects.filter(object_type="monitoring.source", action="update")
        .order_by("pk").values_list("summary", flat=True)
    )
    assert summaries == ["Sửa nguồn tin Báo mới (RSS)", "Ngừng theo dõi nguồn tin Báo mới (RSS)"]
    assert "ngừng theo dõi" in _body(client, "monitoring_sources")


def test_leaders_read_but_do_not_write(client, lanhdao, desk):
    client.force_login(lanhdao)
    body = _body(client)
    assert desk["rubbish"].title in body
    assert "Thêm tin từ đường dẫn" not in body
    assert "Thêm nguồn tin" not in _body(client, "monitoring_sources")
    assert client.get(reverse("monitoring_export")).status_code == 200
    response = client.post(
        reverse("monitoring_sources"),
        {"name": "Báo mới", "url": "https://x.vn/rss", "kind": "rss", "fetch_interval_minutes": 60},
    )
    assert response.status_code == 403
    assert "lãnh đạo xem được" in response.content.decode()
    press = desk["press"]
    assert client.post(reverse("monitoring_source_toggle", args=[press.pk])).status_code == 403
    press.refresh_from_db()
    assert press.active and not Source.objects.filter(name="Báo mới").exists()


@pytest.mark.parametrize(
    "name", ["monitoring_list", "monitoring_stories", "monitoring_sources", "monitoring_export"]
)
def test_a_units_account_finds_nothing(client, an, desk, name):
    client.force_login(an)
    assert client.get(reverse(name)).status_code == 404


def test_a_units_account_cannot_open_a_mention_story_or_write(client, an, desk):
    client.force_login(an)
    s = story(when(1))
    m = mention("Tin có câu chuyện", story=s)
    assert client.get(reverse("monitoring_mention", args=[m.pk])).status_code == 404
    assert client.get(reverse("monitoring_story", args=[s.pk])).status_code == 404
    press = desk["press"]
    assert client.post(reverse("monitoring_source_toggle", args=[press.pk])).status_code == 404
    assert client.get(reverse("monitoring_source_edit", args=[press.pk])).status_code == 404


def test_the_full_text_index_follows_writes_and_is_repaired_after_a_table_rebuild():
    from monitoring import fulltext
    from monitoring import page_selectors as pages

    def found(q: str) -> set[int]:
        return set(pages.filtered_mentions(pages.MentionFilters(relevance="", q=q))
                   .values_list("pk", flat=True))

    first = mention("Ngập úng ở ngõ Chợ Đôn")
    assert found("cho don") == {first.pk}
    first.title = "Cây đổ ở phố Quang Trung"
    first.text = "Cây đổ."
    first.save()
    assert found("cho don") == set() and found("quang trung") == {first.pk}
    Mention.objects.filter(pk=first.pk).delete()
    assert found("quang trung") == set()
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:  # what Django's rebuild of the table leaves
        for name in sorted(fulltext.TRIGGERS):
            cursor.execute(f"DROP TRIGGER {name}")
    second = mention("Đèn đường hỏng ở ngõ Văn Quán")
    assert found("van quan") == set()
    assert fulltext.ensure_index(connection) is True
    assert found("van quan") == {second.pk}
    assert fulltext.ensure_index(connection) is False
