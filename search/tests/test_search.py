"""Search over items and issues, on SQLite (FTS5 + triggers) and PostgreSQL (GIN on tsvector).

Items are written the way the rest of the system writes them (``text_folded`` from the text
engine) and also with raw ``bulk_create``/``update()``/``delete()``, which only the database
triggers can follow.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import tokens
from core.models import Attitude, Channel, Topic
from intake.models import OpinionItem
from issues.models import Issue
from search import fts
from search.query import parse_query
from search.selectors import NO_ISSUE, search_issues, search_items
from search.templatetags.search_tags import highlight
from textengine.normalize import fold, normalize

DAY = dt.date(2025, 11, 10)


def make_item(text: str, unit, *, folded: bool = True, **fields) -> OpinionItem:
    text = normalize(text)
    fields.setdefault("channel", Channel.RESIDENTIAL)
    fields.setdefault("received_on", DAY)
    return OpinionItem.objects.create(
        text=text, text_folded=fold(text) if folded else "", unit=unit, **fields
    )


def found(page) -> list[int]:
    return [row.pk for row in page.results]


@pytest.fixture
def cast(vanphong, lanhdao, an, binh):
    return {"vanphong": vanphong, "lanhdao": lanhdao, "an": an, "binh": binh}


# --- matching -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Hòa Bình", "Hoà Bình", "hoa binh", "HOA BINH", "hòa   bình"])
def test_diacritics_and_tone_placement_do_not_matter(vanphong, cell_a, query):
    written = make_item("Rác tồn đọng ở chợ Hoà Bình mấy ngày nay", cell_a)
    typed_plain = make_item("rac ton dong o cho hoa binh may ngay nay", cell_a)
    other = make_item("Đèn đường hỏng ở ngõ 5", cell_a)

    ids = found(search_items(vanphong, query))

    assert written.pk in ids and typed_plain.pk in ids
    assert other.pk not in ids


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["đường điện", "duong dien", "Đường Điện", "DUONG"])
def test_d_with_stroke_matches_d(vanphong, cell_a, query):
    item = make_item("Đường điện trên phố Đông bị chập", cell_a)
    assert found(search_items(vanphong, query)) == [item.pk]


@pytest.mark.django_db
def test_raw_text_is_searched_when_the_folded_column_is_empty(vanphong, cell_a):
    item = make_item("Đề nghị sửa Đường Hoà Bình", cell_a, folded=False)
    for query in ("duong hoa binh", "Đường Hòa Bình", "de nghi"):
        assert found(search_items(vanphong, query)) == [item.pk], query


@pytest.mark.django_db
def test_whole_syllables_match_not_parts_of_words(vanphong, cell_a):
    item = make_item("Cống thoát nước bị tắc", cell_a)
    make_item("Khoa học công nghệ", cell_a)
    assert found(search_items(vanphong, "hoa")) == []
    assert found(search_items(vanphong, "thoat")) == [item.pk]


@pytest.mark.django_db
def test_every_word_must_appear_and_a_phrase_in_quotes_must_stand_together(vanphong, cell_a):
    together = make_item("Rác thải ở chợ", cell_a)
    apart = make_item("Thải nước bẩn ra đường, rác khắp nơi", cell_a)
    make_item("Rác ở chợ", cell_a)

    assert set(found(search_items(vanphong, "rac thai"))) == {together.pk, apart.pk}
    assert found(search_items(vanphong, '"rac thai"')) == [together.pk]
    assert found(search_items(vanphong, '"rác thải')) == [together.pk]  # unclosed quote


@pytest.mark.django_db
def test_words_standing_together_rank_first_then_the_most_recent(vanphong, cell_a):
    apart_new = make_item("Bình thường hòa nhã, nhưng đường xấu", cell_a, received_on=DAY)
    older = make_item("Phường Hòa Bình", cell_a, received_on=DAY - dt.timedelta(days=30))
    newer = make_item("Phường Hòa Bình", cell_a, received_on=DAY - dt.timedelta(days=1))

    assert found(search_items(vanphong, "hoa binh")) == [newer.pk, older.pk, apart_new.pk]


@pytest.mark.django_db
def test_prefix(vanphong, cell_a):
    item = make_item("Quán karaoke hát to", cell_a)
    assert found(search_items(vanphong, "karao*")) == [item.pk]
    assert found(search_items(vanphong, "karao")) == []


# (query, whether the item "Rác thải ở chợ (khu A) - bức xúc!" is found): operators are words.
SYNTAX_QUERIES = [
    ('"', False),
    ('""', False),
    ('"rác', True),
    ("rác*", True),
    ("*", False),
    ("**rác**", True),
    ("-rác", True),
    ("rác -thải", True),
    ("(rác thải)", True),
    ("(rác OR thải)", False),  # "or" is a word the item does not have
    ("rác)", True),
    ("NOT rác", False),
    ("rác NEAR thải", False),
    ("^rác", True),
    ("body:rác", False),
    ("khu:a", True),
    ("rác:*", True),
    ("'rác'", True),
    ("rác & thải | !chợ <-> (khu)", True),
    ("😀", False),
    ("rác 😡😡 thải", True),
    ("\x00rác\x00", True),
    ("% _ \\", False),
    ("a" * 5000, False),
    ("Rác " * 200, True),
    ("rác\nthải\tchợ", True),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), SYNTAX_QUERIES)
def test_query_syntax_characters_are_text_and_never_raise(vanphong, cell_a, query, expected):
    item = make_item("Rác thải ở chợ (khu A) - bức xúc!", cell_a)
    assert (item.pk in found(search_items(vanphong, query))) is expected
    assert search_issues(vanphong, query).total == 0


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=60))
def test_any_text_is_a_valid_query(vanphong, cell_a, query):
    search_items(vanphong, query)
    search_issues(vanphong, query, status=Issue.Status.DETECTED)


@pytest.mark.django_db
def test_nothing_to_search_gives_an_empty_page(vanphong, cell_a):
    make_item("Rác", cell_a)
    for query in ("", "   ", "😀 !!", None):
        page = search_items(vanphong, query)
        assert page.results == [] and page.total == 0 and not page.query


# --- the index follows every write --------------------------------------------------------------


@pytest.mark.django_db
def test_items_from_bulk_create_are_found(vanphong, cell_a):
    texts = [normalize(f"Ngập nước ở ngõ {n} phố Hòa Bình") for n in range(50)]
    OpinionItem.objects.bulk_create(
        OpinionItem(
            text=t, text_folded=fold(t), unit=cell_a, channel=Channel.PRESS, received_on=DAY
        )
        for t in texts
    )
    page = search_items(vanphong, "ngap hoa binh", page_size=100)
    assert page.total == 50
    assert found(search_items(vanphong, '"ngo 17"')) == list(
        OpinionItem.objects.filter(text__contains="ngõ 17 ").values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_updates_are_reflected(vanphong, cell_a):
    item = make_item("Đèn đường hỏng", cell_a)
    item.text = "Cây xanh sắp đổ"
    item.text_folded = fold(item.text)
    item.save()
    assert found(search_items(vanphong, "den duong")) == []
    assert found(search_items(vanphong, "cay xanh")) == [item.pk]

    OpinionItem.objects.filter(pk=item.pk).update(text="Chó thả rông", text_folded="cho tha rong")
    assert found(search_items(vanphong, "cay xanh")) == []
    assert found(search_items(vanphong, "chó thả rông")) == [item.pk]

    # Saving other fields leaves the index as it is.
    item.refresh_from_db()
    item.attitude = Attitude.AGGRIEVED
    item.save()
    assert found(search_items(vanphong, "cho tha rong")) == [item.pk]


@pytest.mark.django_db
def test_deletes_are_reflected(vanphong, cell_a):
    first = make_item("Mất điện cả tối", cell_a)
    make_item("Mất điện từ sáng", cell_a)
    first.delete()
    assert len(found(search_items(vanphong, "mat dien"))) == 1
    OpinionItem.objects.all().delete()
    assert found(search_items(vanphong, "mat dien")) == []
    # The index stays consistent: new rows are found after the deletes.
    again = make_item("Mất điện lần nữa", cell_a)
    assert found(search_items(vanphong, "mat dien")) == [again.pk]


@pytest.mark.django_db
def test_issue_edits_are_reflected(vanphong):
    issue = Issue.objects.create(code="VD-1", title="Ngập úng đường Hòa Bình", summary="")
    assert found(search_issues(vanphong, "ngap ung")) == [issue.pk]
    issue.title = "Rác thải ở chợ"
    issue.summary = "Điểm tập kết rác không được thu gom"
    issue.save()
    assert found(search_issues(vanphong, "ngap")) == []
    assert found(search_issues(vanphong, "thu gom")) == [issue.pk]
    issue.delete()
    assert found(search_issues(vanphong, "rac")) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers only")
@pytest.mark.django_db
def test_missing_triggers_are_recreated_and_the_index_refilled(vanphong, cell_a):
    with connection.cursor() as cursor:
        for name in sorted(fts.SQLITE_TRIGGERS):
            cursor.execute(f"DROP TRIGGER {name}")  # what a table rebuild does
    unseen = make_item("Sạt lở bờ kè", cell_a)
    assert found(search_items(vanphong, "sat lo")) == []

    assert fts.ensure_index(connection) is True
    assert found(search_items(vanphong, "sat lo")) == [unseen.pk]
    assert fts.ensure_index(connection) is False
    later = make_item("Sạt lở lần hai", cell_a)
    assert set(found(search_items(vanphong, "sat lo"))) == {unseen.pk, later.pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_is_reversible_and_refills_the_index(vanphong, cell_a):
    item = make_item("Ô nhiễm tiếng ồn công trường", cell_a)
    call_command("migrate", "search", "zero", verbosity=0)
    try:
        if connection.vendor == "sqlite":
            tables = connection.introspection.table_names()
            assert fts.ITEM_FTS not in tables and fts.ISSUE_FTS not in tables
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_indexes WHERE indexname = %s", [fts.ITEM_GIN]
                )
                assert cursor.fetchone()[0] == 0
        make_item("Ô nhiễm khói bụi", cell_a)  # written while there is no index
    finally:
        call_command("migrate", "search", verbosity=0)
    assert len(found(search_items(vanphong, "o nhiem"))) == 2
    assert found(search_items(vanphong, "tieng on")) == [item.pk]


# --- filters ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_filters(vanphong, cell_a, area_1):
    environment = Topic.objects.get(name="Môi trường")
    other_topic = Topic.objects.exclude(pk=environment.pk).first()
    issue = Issue.objects.create(code="VD-2", title="Rác", status=Issue.Status.ASSIGNED)
    match = make_item(
        "Rác ở chợ",
        cell_a,
        channel=Channel.PRESS,
        attitude=Attitude.AGGRIEVED,
        area=area_1,
        received_on=DAY,
        issue=issue,
    )
    match.topics.add(environment)
    miss = make_item(
        "Rác ở ngõ",
        cell_a,
        channel=Channel.SOCIAL_MEDIA,
        attitude=Attitude.AGREE,
        received_on=DAY - dt.timedelta(days=40),
    )
    miss.topics.add(other_topic)

    def ids(**filters):
        return set(found(search_items(vanphong, "rac", **filters)))

    assert ids() == {match.pk, miss.pk}
    assert ids(channel=Channel.PRESS) == {match.pk}
    assert ids(attitude=Attitude.AGGRIEVED) == {match.pk}
    assert ids(area=area_1) == {match.pk}
    assert ids(area=area_1.pk) == {match.pk}
    assert ids(topic=environment) == {match.pk}
    assert ids(topic=other_topic.pk) == {miss.pk}
    assert ids(date_from=DAY - dt.timedelta(days=1)) == {match.pk}
    assert ids(date_to=DAY - dt.timedelta(days=1)) == {miss.pk}
    assert ids(date_from=DAY, date_to=DAY) == {match.pk}
    assert ids(status=Issue.Status.ASSIGNED) == {match.pk}
    assert ids(status=NO_ISSUE) == {miss.pk}
    assert ids(status=Issue.Status.CLOSED) == set()
    assert ids(channel=Channel.PRESS, attitude=Attitude.AGREE) == set()


@pytest.mark.django_db
def test_unconfirmed_items_are_filtered_by_the_suggestion_like_the_lists(vanphong, cell_a):
    environment = Topic.objects.get(name="Môi trường")
    item = make_item(
        "Khói bụi", cell_a, suggested_topic=environment, suggested_attitude=Attitude.WORRIED
    )
    assert found(search_items(vanphong, "khoi bui", topic=environment)) == [item.pk]
    assert found(search_items(vanphong, "khoi bui", attitude=Attitude.WORRIED)) == [item.pk]
    item.topics.add(Topic.objects.exclude(pk=environment.pk).first())  # confirmed otherwise
    assert found(search_items(vanphong, "khoi bui", topic=environment)) == []


@pytest.mark.django_db
def test_issue_filters_and_title_weighs_more_than_summary(vanphong, cell_a):
    environment = Topic.objects.get(name="Môi trường")
    in_summary = Issue.objects.create(
        code="VD-3",
        title="Tiếng ồn công trình",
        summary="Ban đêm còn có rác",
        status=Issue.Status.WATCHING,
        last_seen_on=DAY,
    )
    in_title = Issue.objects.create(
        code="VD-4",
        title="Rác ở chợ Hòa Bình",
        topic=environment,
        status=Issue.Status.ASSIGNED,
        last_seen_on=DAY - dt.timedelta(days=90),
        first_seen_on=DAY - dt.timedelta(days=100),
    )
    Issue.objects.create(code="VD-5", title="Rác", merged_into=in_title)  # an alias
    make_item("Bức xúc vì rác", cell_a, issue=in_title, channel=Channel.PRESS)

    assert found(search_issues(vanphong, "rac")) == [in_title.pk, in_summary.pk]
    assert found(search_issues(vanphong, "rac", status=Issue.Status.WATCHING)) == [in_summary.pk]
    assert found(search_issues(vanphong, "rac", topic=environment)) == [in_title.pk]
    assert found(search_issues(vanphong, "rac", channel=Channel.PRESS)) == [in_title.pk]
    assert found(search_issues(vanphong, "rac", date_from=DAY - dt.timedelta(days=5))) == [
        in_summary.pk
    ]


# --- scope --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reporter_never_sees_another_units_items(cast, cell_a, cell_b):
    mine = make_item("Ngập ở tổ 1", cell_a)
    theirs = make_item("Ngập ở tổ 2", cell_b)
    nobodys = make_item("Ngập ở đâu đó", None)
    filed_by_an = make_item("Ngập ở tổ 2, An ghi nhận", cell_b, created_by=cast["an"])

    assert set(found(search_items(cast["an"], "ngap"))) == {mine.pk, filed_by_an.pk}
    assert set(found(search_items(cast["binh"], "ngap"))) == {theirs.pk, filed_by_an.pk}
    everything = {mine.pk, theirs.pk, nobodys.pk, filed_by_an.pk}
    assert set(found(search_items(cast["vanphong"], "ngap"))) == everything
    assert set(found(search_items(cast["lanhdao"], "ngap"))) == everything
    assert search_items(cast["an"], "ngap").total == 2


@pytest.mark.django_db
def test_a_reporter_sees_only_issues_of_their_units(cast, cell_a, cell_b):
    owned = Issue.objects.create(code="VD-6", title="Ngập tổ 1", owner_unit=cell_a)
    holds_mine = Issue.objects.create(code="VD-7", title="Ngập chung")
    make_item("Ngập", cell_a, issue=holds_mine)
    other = Issue.objects.create(code="VD-8", title="Ngập tổ 2", owner_unit=cell_b)

    assert set(found(search_issues(cast["an"], "ngap"))) == {owned.pk, holds_mine.pk}
    assert set(found(search_issues(cast["binh"], "ngap"))) == {other.pk}
    assert len(found(search_issues(cast["lanhdao"], "ngap"))) == 3


# --- pages and counts ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_pagination_and_capped_count(vanphong, cell_a, monkeypatch):
    OpinionItem.objects.bulk_create(
        OpinionItem(
            text=f"Nước bẩn số {n}",
            text_folded=f"nuoc ban so {n}",
            unit=cell_a,
            channel=Channel.OTHER,
            received_on=DAY - dt.timedelta(days=n),
        )
        for n in range(30)
    )
    first = search_items(vanphong, "nuoc ban", page_size=10)
    second = search_items(vanphong, "nuoc ban", page=2, page_size=10)
    assert (first.total, first.capped, first.num_pages) == (30, False, 3)
    assert not set(found(first)) & set(found(second))
    assert [i.received_on for i in first.results] == sorted(
        [i.received_on for i in first.results], reverse=True
    )
    assert first.results[0].received_on > second.results[0].received_on

    monkeypatch.setattr("search.selectors.COUNT_CAP", 12)
    capped = search_items(vanphong, "nuoc ban", page_size=10)
    assert (capped.total, capped.capped) == (12, True)


# --- page and API -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_page_highlights_and_scopes(client, an, cell_a, cell_b):
    make_item("Rác ở chợ Hoà Bình", cell_a)
    make_item("Bí mật của tổ 2: rác ở Hòa Bình", cell_b)
    client.force_login(an)

    response = client.get(reverse("search"), {"q": "hoa binh"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Hòa</mark> <mark>Bình</mark>" in body
    assert "Bí mật" not in body


@pytest.mark.django_db
def test_search_page_empty_states(client, vanphong):
    client.force_login(vanphong)
    assert "Gõ từ cần tìm" in client.get(reverse("search")).content.decode()
    body = client.get(reverse("search"), {"q": "xe cứu thương"}).content.decode()
    assert "Không tìm thấy ý kiến nào" in body and "Bớt từ" in body
    body = client.get(reverse("search"), {"q": "😀 ()"}).content.decode()
    assert "không có chữ hay số nào" in body
    response = client.get(reverse("search"), {"q": "rác", "kind": "issues", "page": "x"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_search_page_needs_login(client):
    response = client.get(reverse("search"), {"q": "rác"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_api(client, an, cell_a, cell_b):
    mine = make_item("Ngập đường Hòa Bình", cell_a, channel=Channel.PRESS)
    make_item("Ngập đường Hòa Bình tổ 2", cell_b)
    issue = Issue.objects.create(code="VD-9", title="Ngập đường", owner_unit=cell_a)
    auth = {"HTTP_AUTHORIZATION": f"Token {tokens.issue(an)[1]}"}

    response = client.get("/api/v1/search/", {"q": "ngap hoà bình"}, **auth)
    data = response.json()
    assert response.status_code == 200
    assert [row["id"] for row in data["items"]["results"]] == [mine.pk]
    assert data["items"]["count"] == 1 and data["items"]["count_capped"] is False
    assert data["issues"]["results"] == []  # "hoa binh" is not in the issue's title
    assert data["query"] == "ngap hoa binh"

    data = client.get("/api/v1/search/", {"q": "ngap", "kind": "issues"}, **auth).json()
    assert data["items"] is None and [r["id"] for r in data["issues"]["results"]] == [issue.pk]

    missing = client.get("/api/v1/search/", {"q": ""}, **auth)
    assert missing.status_code == 400 and missing.json()["field"] == "q"
    bad = client.get("/api/v1/search/", {"q": "ngap", "channel": "x"}, **auth)
    assert bad.status_code == 400 and bad.json()["field"] == "channel"
    assert client.get("/api/v1/search/", {"q": "ngap"}).status_code == 401


# --- pure parts ---------------------------------------------------------------------------------


def test_highlight_escapes_and_marks():
    html = highlight("<b>Hoà</b> Bình & đường", parse_query("hoa binh"))
    assert html == "&lt;b&gt;<mark>Hoà</mark>&lt;/b&gt; <mark>Bình</mark> &amp; đường"
    long_text = "Mở đầu. " * 100 + "Rác ở đây."
    snippet = highlight(long_text, parse_query("rác"), 80)
    assert snippet.startswith("…") and "<mark>Rác</mark>" in snippet and len(snippet) < 120


def test_query_parsing():
    assert parse_query("Hoà Bình").fts5() == parse_query("hoa binh").fts5()
    assert parse_query('"rác thải" đường').fts5() == '"rac thai" AND "duong"'
    assert parse_query("karao*").tsquery() == "'karao':*"
    assert parse_query("n*").fts5() == '"n"'  # too short to be a prefix
    assert parse_query("(a OR b) -c").fts5().count('"') == 2 * 4 + 2  # words quoted, boost
    assert not parse_query("😀 ( ) * -")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan")
@pytest.mark.django_db
def test_postgresql_query_uses_the_gin_index(vanphong, cell_a):
    # The query must repeat the indexed expression exactly, or PostgreSQL reads every row.
    from search.selectors import _issue_plan, _item_plan

    make_item("Ngập đường", cell_a)
    query = parse_query("ngap duong")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for plan, alias, index in (
            (_item_plan(query), "i", fts.ITEM_GIN),
            (_issue_plan(query), "s", fts.ISSUE_GIN),
        ):
            cursor.execute(
                f"EXPLAIN SELECT {alias}.id FROM {plan.source} WHERE {plan.match}",
                list(plan.match_params),
            )
            assert index in " ".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_filters_follow_changes_made_elsewhere(vanphong, cell_a, cell_b, area_1):
    # The SQLite index keeps filter values beside the text; every way they change is followed.
    issue = Issue.objects.create(code="VD-10", title="Ngập", status=Issue.Status.DETECTED)
    item = make_item("Ngập sâu", cell_a, issue=issue)
    environment = Topic.objects.get(name="Môi trường")

    issue.status = Issue.Status.RESOLVED
    issue.save()
    assert found(search_items(vanphong, "ngap", status=Issue.Status.RESOLVED)) == [item.pk]
    assert found(search_items(vanphong, "ngap", status=Issue.Status.DETECTED)) == []

    OpinionItem.objects.filter(pk=item.pk).update(
        unit=cell_b, area=area_1, channel=Channel.PRESS, received_on=dt.date(2024, 12, 31)
    )
    assert found(search_items(vanphong, "ngap", area=area_1, channel=Channel.PRESS)) == [item.pk]
    span = {"date_from": dt.date(2024, 12, 1), "date_to": dt.date(2025, 1, 31)}
    assert found(search_items(vanphong, "ngap", **span)) == [item.pk]

    item.topics.add(environment)
    assert found(search_items(vanphong, "ngap", topic=environment)) == [item.pk]
    item.topics.clear()
    assert found(search_items(vanphong, "ngap", topic=environment)) == []
    issue.delete()  # the item leaves the issue (SET NULL)
    assert found(search_items(vanphong, "ngap", status=NO_ISSUE)) == [item.pk]


def test_month_prefilter_spans():
    from search.selectors import _months

    assert _months(dt.date(2024, 11, 5), dt.date(2025, 2, 1)) == [
        "202411",
        "202412",
        "202501",
        "202502",
    ]
    assert _months(dt.date(2020, 1, 1), dt.date(2025, 1, 1)) == []  # too long: rows only
    assert _months(None, dt.date(2025, 1, 1)) == []


def test_relevance_prefers_words_together_and_short_texts():
    score = parse_query("hoa binh").scorer()
    together, apart = score("phuong hoa binh"), score("binh thuong hoa nha, nhung duong xau")
    assert together > apart > 0
    assert score("hoa binh") > score("hoa binh " + "chu " * 40)
    assert parse_query("karao*").scorer()("quan karaoke, hat to") > 0
    assert score("") == 0
