"""The watch-list: topics and keywords, never persons; matched without diacritics on whole words
against new relevant mentions, told to the office once per term and story; the office's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import ServiceError
from core.models import AuditEntry, Notification, Topic
from monitoring import linking, watch
from monitoring.models import WatchHit, WatchTerm
from monitoring.tests.test_linking import ARTICLE, MARKET, mention

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "term",
    [
        "Nguyễn Văn An",  # the masker's full name
        "ông Tư",  # honorific + a capitalised name
        "ông tư",  # the same typed in lower case
        "ong Tu",  # and without diacritics
        "chị Lan",
        "đồng chí Hùng", "d/c Hùng",
        "nguyễn văn an",  # a full name in lower case
        "tran thi binh",  # and without diacritics
        "Lê Văn Lương",  # a street named after a person, written without its place word
    ],
)
def test_a_person_is_refused_in_vietnamese(term):
    assert watch.person_reason(term)
    with pytest.raises(ServiceError) as exc:
        watch.clean_phrase(term)
    assert "trông như họ tên hoặc cách gọi một người" in exc.value.message
    assert exc.value.field == "phrase"


@pytest.mark.parametrize(
    "term",
    [
        "cắt nước", "cat nuoc", "đường Nguyễn Trãi", "đường Lê Văn Lương", "bà con",
        "chú ý", "đỗ xe trái phép", "Hòa Bình", "trần nhà dột", "sạt lở", "An Lư 3",
        "bác sĩ trạm y tế", "ong nuoc vo", "o to do trai phep", "anh sang",
    ],
)
def test_matters_and_places_are_accepted(term):
    assert watch.person_reason(term) == ""
    assert watch.clean_phrase(term)[0] == term


def test_other_personal_data_and_empty_terms_are_refused():
    for term, words in (("0912345678", "thông tin cá nhân"), ("  ", "không được để trống"),
                        ("!!", "hai chữ cái"), ("x" * 101, "dài quá 100")):
        with pytest.raises(ServiceError) as exc:
            watch.clean_phrase(term)
        assert words in exc.value.message


def test_adding_is_the_office_s_audited_and_never_twice(vanphong, an):
    term = watch.add_watch_term(user=vanphong, kind="keyword", phrase=" Cắt  nước ")
    assert (term.phrase, term.folded) == ("Cắt nước", "cat nuoc")
    assert AuditEntry.objects.filter(object_type="monitoring.watchterm").count() == 1
    with pytest.raises(ServiceError, match="đã có từ khóa"):
        watch.add_watch_term(user=vanphong, kind="keyword", phrase="cat nuoc")
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
        watch.add_watch_term(user=an, kind="keyword", phrase="sạt lở")
    watch.deactivate_watch_term(user=vanphong, term_id=term.pk)
    assert AuditEntry.objects.filter(object_type="monitoring.watchterm").count() == 2
    assert not WatchTerm.objects.get(pk=term.pk).active
    watch.add_watch_term(user=vanphong, kind="keyword", phrase="cắt nước")  # again, once stopped


@pytest.fixture
def an_lu(db):
    from orgs.models import Area

    return Area.objects.create(name="Tổ dân phố An Lư 3", former_ward="An Lư")


def test_a_new_relevant_mention_matching_a_keyword_tells_the_office_once_per_story(
    an_lu, vanphong
):
    term = watch.add_watch_term(user=vanphong, kind="keyword", phrase="CAT NUOC")
    miss = watch.add_watch_term(user=vanphong, kind="keyword", phrase="nuoc s")  # no whole word
    stopped = watch.add_watch_term(user=vanphong, kind="keyword", phrase="sinh hoạt")
    watch.deactivate_watch_term(user=vanphong, term_id=stopped.pk)
    first = mention("a.example", "1", ARTICLE, "An Lư 3 mất nước")
    mention("b.example", "2", ARTICLE, "Mất nước ở An Lư 3")  # a copy: the same story
    mention("c.example", "3", MARKET, "Chợ có khu lưu niệm")  # relevant, no match
    run = linking.process_mentions()
    assert run.watch_hits == 1
    hit = WatchHit.objects.get()
    assert (hit.term, hit.mention, hit.story_id) == (term, first, first.story_id)
    notes = Notification.objects.filter(user=vanphong, text__contains="từ khóa “CAT NUOC”")
    assert notes.count() == 1 and notes.get().url == reverse("monitoring_watch")
    assert not miss.hits.exists() and not stopped.hits.exists()
    linking.process_mentions()
    assert WatchHit.objects.count() == 1


def test_a_topic_term_and_an_irrelevant_mention(an_lu, vanphong):
    from monitoring.models import Mention

    province = mention("d.example", "4", ["Thủy điện Hòa Bình xả lũ, tỉnh Hòa Bình sơ tán dân"
                                           " vùng hạ du an toàn, cắt nước một số xã."], "Xả lũ")
    assert province.relevance == Mention.Relevance.NONE
    m = mention("a.example", "1", ARTICLE, "An Lư 3 mất nước")
    topic = m.topic or Topic.objects.first()
    Mention.objects.filter(pk=m.pk).update(topic=topic)
    watch.add_watch_term(user=vanphong, kind="topic", topic=topic)
    watch.add_watch_term(user=vanphong, kind="keyword", phrase="cắt nước")
    linking.process_mentions()
    assert set(WatchHit.objects.values_list("mention_id", flat=True)) == {m.pk}
    assert WatchHit.objects.count() == 2  # the topic and the keyword, each once


def test_the_page_is_the_office_s_and_refuses_a_person(client, vanphong, an):
    url = reverse("monitoring_watch")
    client.force_login(an)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "add", "kind": "keyword", "phrase": "x y"}).status_code \
        == 404
    client.force_login(vanphong)
    response = client.post(url, {"action": "add", "kind": "keyword", "phrase": "ông Tư"})
    body = response.content.decode()
    assert response.status_code == 200 and "trông như họ tên hoặc cách gọi một người" in body
    assert not WatchTerm.objects.exists()
    response = client.post(url, {"action": "add", "kind": "topic"})
    assert "Chủ đề: hãy chọn một chủ đề." in response.content.decode()
    response = client.post(url, {"action": "add", "kind": "keyword", "phrase": "ngập úng"})
    assert response.status_code == 302
    term = WatchTerm.objects.get()
    assert "ngập úng" in client.get(url).content.decode()
    response = client.post(url, {"action": "deactivate", "term": term.pk}, follow=True)
    assert "Đã ngừng theo dõi" in response.content.decode()
    response = client.post(url, {"action": "deactivate", "term": 9999}, follow=True)
    assert "Không tìm thấy mục theo dõi này." in response.content.decode()
