"""What one filing writes, now that its links and its topics cost one statement each: the same
rows and the same ``m2m_changed`` signals as ``set()``, the suggested topic as
``topic_for_code`` finds it, and the checks failing in the same order."""

from __future__ import annotations

import pytest
from django.db.models.signals import m2m_changed

from core.errors import ServiceError
from core.models import SocialGroup, Topic
from intake.models import OpinionItem
from intake.services.common import _topics_and_suggestion
from intake.tests.conftest import file
from textops import selectors as text_selectors


@pytest.fixture
def link_signals():
    """Every m2m_changed of an item's topics or groups: (relation, action, pk_set, model)."""
    sent = []

    def record(sender, action, instance, reverse, model, pk_set, **kwargs):
        sent.append((sender, action, reverse, model, set(pk_set or ()), instance.pk))

    for through in (OpinionItem.topics.through, OpinionItem.social_groups.through):
        m2m_changed.connect(record, sender=through, dispatch_uid=f"test-{through.__name__}")
    yield sent
    for through in (OpinionItem.topics.through, OpinionItem.social_groups.through):
        m2m_changed.disconnect(sender=through, dispatch_uid=f"test-{through.__name__}")


def test_a_new_items_links_are_written_and_announced_as_add_announces_them(
    an, env_topic, link_signals
):
    other = Topic.objects.exclude(pk=env_topic.pk).order_by("pk").first()
    group = SocialGroup.objects.order_by("pk").first()
    item = file(an, topic_ids=[other.pk, env_topic.pk], social_group_ids=[group.pk])
    assert set(item.topics.all()) == {env_topic, other}
    assert list(item.social_groups.all()) == [group]
    topics, groups = OpinionItem.topics.through, OpinionItem.social_groups.through
    assert link_signals == [
        (topics, "pre_add", False, Topic, {env_topic.pk, other.pk}, item.pk),
        (topics, "post_add", False, Topic, {env_topic.pk, other.pk}, item.pk),
        (groups, "pre_add", False, SocialGroup, {group.pk}, item.pk),
        (groups, "post_add", False, SocialGroup, {group.pk}, item.pk),
    ]


def test_an_item_without_labels_sends_no_link_signal(an, link_signals):
    item = file(an)
    assert link_signals == []
    assert not item.topics.exists() and not item.social_groups.exists()


def test_the_suggestion_is_the_first_topic_of_its_name_as_topic_for_code_finds_it(db):
    twin = Topic.objects.create(name="Moi truong", position=0)  # folds as "Môi trường"
    code = "moi_truong"
    lookup = text_selectors.topic_lookup_for_code(code)
    expected = text_selectors.topic_for_code(code)
    assert expected == twin  # position 0 comes first
    chosen = Topic.objects.exclude(name_folded="moi truong").order_by("pk").first()
    assert _topics_and_suggestion([chosen.pk], lookup) == ([chosen], expected)
    assert _topics_and_suggestion([], lookup) == ([], expected)
    assert _topics_and_suggestion([twin.pk], lookup) == ([twin], twin)
    custom = Topic.objects.create(name="Chuyển đổi số")
    by_pk = text_selectors.topic_lookup_for_code(text_selectors.topic_code(custom))
    assert _topics_and_suggestion([chosen.pk], by_pk) == ([chosen], custom)
    assert _topics_and_suggestion([chosen.pk], None) == ([chosen], None)
    assert _topics_and_suggestion([], None) == ([], None)


def test_a_missing_topic_is_refused_even_when_the_suggestion_is_found(db):
    lookup = text_selectors.topic_lookup_for_code("moi_truong")
    with pytest.raises(ServiceError) as caught:
        _topics_and_suggestion([999_999], lookup)
    assert caught.value.field == "topics"


def test_checks_fail_in_the_same_order_topics_before_unreadable_text(an, cell_b):
    with pytest.raises(ServiceError) as caught:
        file(an, "🙂🙂🙂", topic_ids=[999_999], unit=cell_b)
    assert caught.value.field == "topics"
    with pytest.raises(ServiceError) as caught:
        file(an, "🙂🙂🙂", unit=cell_b)
    assert caught.value.field == "unit"
    assert OpinionItem.objects.count() == 0
