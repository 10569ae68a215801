"""Filing items, meetings and labels through the services; the engine adapter."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.errors import ConflictError, ServiceError
from core.models import Attitude, AuditEntry, Channel, Topic
from intake import services
from intake.models import Meeting, OpinionItem
from intake.tests.conftest import file
from textengine.model import train
from textops import selectors as text_selectors
from textops import services as textops


def test_file_item_stores_normalised_masked_text_and_suggestion(an, area_1, env_topic):
    item = file(
        an,
        "Rác thải ùn ứ ở chợ Hoà Bình, gọi 0912 345 678 mà không ai nghe, dân bức xúc.",
        area=area_1,
    )
    assert "0912" not in item.text and "⟨SĐT⟩" in item.text
    assert "Hòa Bình" in item.text  # one tone-mark placement
    assert item.text_folded.startswith("rac thai un u o cho hoa binh")
    assert item.masked_kinds == ["phone"]
    assert item.unit == an.unit
    assert item.suggested_topic == env_topic
    assert item.suggested_attitude == Attitude.AGGRIEVED
    assert item.suggestion_model == "lexicon"
    assert not item.labels_confirmed
    assert list(item.topics.all()) == []


def test_labels_chosen_by_a_person_are_confirmed(an, env_topic):
    item = file(an, topic_ids=[env_topic.pk], attitude=Attitude.WORRIED)
    assert item.labels_confirmed
    assert list(item.topics.all()) == [env_topic]
    assert item.attitude == Attitude.WORRIED


def test_each_filing_is_audited_without_its_text(an):
    item = file(an, "Đường ngập nặng sau mưa, nhà số 0987654321 bị ngập")
    entry = AuditEntry.objects.get(object_type="intake.opinionitem", object_id=str(item.pk))
    assert entry.actor == an and entry.action == "create"
    dumped = json.dumps(entry.data, ensure_ascii=False) + entry.summary
    assert "ngập" not in dumped and "0987654321" not in dumped


def test_grouping_is_enqueued_after_commit(an, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        file(an)
    assert any(isinstance(c, services.FiledItems) for c in callbacks)


@pytest.mark.parametrize(
    ("text", "kwargs", "field"),
    [
        ("   ", {}, "text"),
        ("🙂🙂🙂", {}, "text"),
        ("x" * 20_001, {}, "text"),
        ("Ý kiến", {"channel": "khong_co"}, "channel"),
        ("Ý kiến", {"received_on": dt.date.today() + dt.timedelta(days=3)}, "received_on"),
        ("Ý kiến", {"attitude": "vui"}, "attitude"),
        ("Ý kiến", {"topic_ids": [999_999]}, "topics"),
        ("Ý kiến", {"source_link": "javascript:alert(1)"}, "source_link"),
        ("Ý kiến", {"source_link": "https://x.vn/?sdt=0912345678"}, "source_link"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(an, text, kwargs, field):
    with pytest.raises(ServiceError) as caught:
        file(an, text, **kwargs)
    assert caught.value.field == field
    assert OpinionItem.objects.count() == 0


def test_reporter_cannot_file_for_another_unit(an, cell_b):
    with pytest.raises(ServiceError, match="đơn vị của mình"):
        file(an, unit=cell_b)


def test_office_may_file_for_any_unit(vanphong, cell_b):
    assert file(vanphong, unit=cell_b).unit == cell_b


def test_meeting_points_become_items_on_the_meeting_channel(an, area_1):
    meeting = services.file_meeting(
        user=an,
        kind=Meeting.Kind.VOTER_MEETING,
        title="Tiếp xúc cử tri trước kỳ họp",
        held_on=dt.date(2025, 11, 3),
        place="Nhà văn hóa tổ 1",
        delegates="Đại biểu HĐND phường",
        area=area_1,
        points=[
            services.PointInput("Đề nghị sửa đường ngõ 12 bị ngập"),
            services.PointInput("Cử tri lo lắng về học phí năm học mới"),
        ],
    )
    points = list(meeting.points.order_by("pk"))
    assert len(points) == 2
    assert {p.channel for p in points} == {Channel.VOTER_MEETING}
    assert {p.received_on for p in points} == {dt.date(2025, 11, 3)}
    assert {p.unit_id for p in points} == {an.unit_id}
    assert points[0].area == area_1
    dialogue = services.file_meeting(
        user=an,
        kind=Meeting.Kind.DIALOGUE,
        title="Đối thoại",
        held_on=dt.date(2025, 11, 4),
        place="UBND phường",
    )
    item = services.add_meeting_point(user=an, meeting=dialogue, text="Hỏi về giải phóng mặt bằng")
    assert item.channel == Channel.DIALOGUE and item.meeting == dialogue


def test_a_bad_point_refuses_the_whole_meeting(an):
    with pytest.raises(ServiceError, match="Ý kiến thứ 2"):
        services.file_meeting(
            user=an,
            kind=Meeting.Kind.VOTER_MEETING,
            title="Tiếp xúc",
            held_on=dt.date(2025, 11, 3),
            place="Nhà văn hóa",
            points=[services.PointInput("Một ý"), services.PointInput("  ")],
        )
    assert Meeting.objects.count() == 0 and OpinionItem.objects.count() == 0


def test_another_unit_cannot_add_points(an, binh):
    meeting = services.file_meeting(
        user=an,
        kind=Meeting.Kind.DIALOGUE,
        title="Đối thoại",
        held_on=dt.date(2025, 11, 4),
        place="UBND phường",
    )
    with pytest.raises(ServiceError):
        services.add_meeting_point(user=binh, meeting=meeting, text="Ý kiến lạ")


def test_confirm_labels_versions_and_audits(an, env_topic, vanphong):
    item = file(an)
    education = Topic.objects.get(name="Giáo dục")
    updated = services.confirm_labels(
        user=vanphong,
        item=item,
        topic_ids=[education.pk],
        attitude=Attitude.WORRIED,
        expected_version=1,
    )
    assert updated.version == 2 and updated.labels_confirmed
    assert list(updated.topics.all()) == [education]
    entry = AuditEntry.objects.filter(action="update", object_id=str(item.pk)).get()
    assert entry.data["after"] == {"topics": [education.pk], "attitude": Attitude.WORRIED}
    with pytest.raises(ConflictError):
        services.confirm_labels(
            user=an, item=item, topic_ids=[env_topic.pk], attitude="", expected_version=1
        )


def test_leader_and_other_units_cannot_relabel(an, binh, lanhdao, env_topic):
    item = file(an)
    for user in (binh, lanhdao):
        with pytest.raises(ServiceError, match="không có quyền"):
            services.confirm_labels(
                user=user, item=item, topic_ids=[env_topic.pk], attitude="", expected_version=None
            )


def test_suggestion_without_diacritics_matches_with_diacritics(db):
    plain = textops.analyse("rac thai un u o cho, dan rat buc xuc")
    accented = textops.analyse("Rác thải ùn ứ ở chợ, dân rất bức xúc")
    assert plain.suggested_topic_code == accented.suggested_topic_code == "moi_truong"
    assert plain.suggested_attitude == accented.suggested_attitude == Attitude.AGGRIEVED
    assert plain.folded == accented.folded


def test_engine_reloads_when_a_new_model_version_appears(db, private_var_dir):
    assert textops.analyse("hoc phi tang").model_version == "lexicon"
    texts = ["học phí tăng cao", "trường học thiếu phòng", "rác thải bốc mùi", "cống ngập nước"] * 5
    labels = ["giao_duc", "giao_duc", "moi_truong", "moi_truong"] * 5
    train(texts, labels, private_var_dir / "models" / "topic", label_field="topic")
    analysis = textops.analyse("hoc phi tang qua")
    assert analysis.model_version == "topic:v0001"
    assert analysis.suggested_topic_code == "giao_duc"
    train(texts, labels, private_var_dir / "models" / "topic", label_field="topic")
    assert textops.analyse("hoc phi").model_version == "topic:v0002"


def test_topic_codes_round_trip(db):
    for topic in Topic.objects.all():
        assert text_selectors.topic_for_code(text_selectors.topic_code(topic)) == topic
    custom = Topic.objects.create(name="Chuyển đổi số")
    assert text_selectors.topic_code(custom) == f"topic_{custom.pk}"
