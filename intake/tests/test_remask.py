"""Masking stored texts again (issue 18): rows stored before the masker learnt names and house
addresses are masked by ``intake.services.remask`` and ``longdan text remask``, with audit
entries, idempotently, in batches; a dry run writes nothing.

The old rows are written straight into the table (``objects.create``), as the old masker left
them: normalised, numbers masked, names and addresses not. The sentences are ones today's masker
catches (checked with ``textops.services.mask_everything``).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.errors import ServiceError
from core.models import AuditEntry, Channel
from intake import services
from intake.models import Meeting, OpinionItem
from longdan.commands import main
from search.selectors import search_items
from textengine.normalize import fold, normalize
from textops.services import mask_everything

DAY = dt.date(2025, 11, 10)
NAMED = "Tôi là Lê Văn Tám, nhà số 12 ngõ 5 phố Hòa Bình, phản ánh rác thải."
NAMED_2 = (
    "Chị Phạm Thị Duyên ở số nhà 34 ngách 7 ngõ 15 đường Lê Lợi đề nghị sửa đèn chiếu sáng."
)
# An old row whose phone number the old masker did catch.
NAMED_PHONE = "Bà Đỗ Thị Mến (số nhà 9 ngõ 3) phản ánh cống thoát nước bị tắc, gọi ⟨SĐT⟩."
CLEAN = "Dân phố Hòa Bình đề nghị sửa đường Nguyễn Trãi trước mùa mưa."
NOTES = (
    "Cử tri Hoàng Văn Lực, nhà 56 phố Trần Hưng Đạo, hỏi về tiến độ giải phóng mặt bằng."
)
NAMES = ("Lê Văn Tám", "Phạm Thị Duyên", "Đỗ Thị Mến", "Hoàng Văn Lực")
HOUSES = ("số 12", "số nhà 34", "số nhà 9", "nhà 56")


def old_item(text: str, unit=None, kinds=()) -> OpinionItem:
    text = normalize(text)
    return OpinionItem.objects.create(
        text=text,
        text_folded=fold(text),
        masked_kinds=list(kinds),
        channel=Channel.RESIDENTIAL,
        received_on=DAY,
        unit=unit,
    )


def old_meeting(notes: str, unit=None, delegates: str = "") -> Meeting:
    return Meeting.objects.create(
        kind=Meeting.Kind.VOTER_MEETING,
        title="Tiếp xúc cử tri quý IV",
        held_on=DAY,
        place="Nhà văn hóa tổ dân phố 1",
        delegates=delegates,
        notes=normalize(notes),
        unit=unit,
    )


def remask_entries():
    return AuditEntry.objects.filter(data__remask=True).order_by("pk")


@pytest.fixture
def old_rows(cell_a, cell_b):
    return {
        "named": old_item(NAMED, cell_a),
        "named_2": old_item(NAMED_2, cell_b),
        "phone": old_item(NAMED_PHONE, cell_a, kinds=["phone"]),
        "clean": old_item(CLEAN, cell_a),
        "meeting": old_meeting(NOTES, cell_a),
    }


def test_the_sentences_are_ones_todays_masker_catches():
    for text in (NAMED, NAMED_2, NAMED_PHONE, NOTES):
        masked, kinds = mask_everything(normalize(text))
        assert {"name", "address"} <= set(kinds), text
        assert not any(name in masked for name in NAMES), masked
    assert mask_everything(normalize(CLEAN)) == (normalize(CLEAN), ())


@pytest.mark.django_db
def test_names_and_house_addresses_are_masked_with_an_audit_entry_each(old_rows, cell_a):
    clean_before = OpinionItem.objects.values().get(pk=old_rows["clean"].pk)

    items = services.remask_items()
    meetings = services.remask_meetings()

    assert (items.checked, items.changed) == (4, 3)
    assert items.kinds == {"name": 3, "address": 3}
    assert (meetings.checked, meetings.changed) == (1, 1)
    for key in ("named", "named_2", "phone"):
        item = OpinionItem.objects.get(pk=old_rows[key].pk)
        assert "⟨HỌ TÊN⟩" in item.text and "⟨ĐỊA CHỈ⟩" in item.text
        assert not any(part in item.text for part in NAMES + HOUSES), item.text
        assert item.text_folded == fold(item.text)
    phone = OpinionItem.objects.get(pk=old_rows["phone"].pk)
    assert phone.masked_kinds == ["address", "name", "phone"]  # the old kinds kept
    assert "⟨SĐT⟩" in phone.text
    meeting = Meeting.objects.get(pk=old_rows["meeting"].pk)
    assert "⟨HỌ TÊN⟩" in meeting.notes and "Hoàng Văn Lực" not in meeting.notes
    assert "nhà 56" not in meeting.notes
    # The clean row: not written, not audited.
    assert OpinionItem.objects.values().get(pk=old_rows["clean"].pk) == clean_before

    entries = list(remask_entries())
    changed = {("intake.opinionitem", str(old_rows[k].pk)) for k in ("named", "named_2", "phone")}
    changed.add(("intake.meeting", str(old_rows["meeting"].pk)))
    assert {(e.object_type, e.object_id) for e in entries} == changed
    for entry in entries:
        assert entry.actor is None  # the system
        assert entry.action == AuditEntry.Action.UPDATE
        assert entry.data["masked_kinds"] == ["address", "name"]  # newly masked only
        assert "họ tên" in entry.summary and "địa chỉ nhà" in entry.summary
        logged = entry.summary + json.dumps(entry.data, ensure_ascii=False)
        assert not any(part in logged for part in NAMES + ("Hòa Bình", "ngõ 5")), logged
    by_item = {e.object_id: e for e in entries if e.object_type == "intake.opinionitem"}
    assert by_item[str(old_rows["named"].pk)].unit == cell_a  # the unit can read its log
    assert by_item[str(old_rows["named"].pk)].data["fields"] == ["text"]
    assert not remask_entries().filter(object_id=str(old_rows["clean"].pk)).exists()


@pytest.mark.django_db
def test_a_second_run_changes_nothing(old_rows):
    services.remask_items()
    services.remask_meetings()
    after = list(OpinionItem.objects.order_by("pk").values())
    notes = Meeting.objects.get(pk=old_rows["meeting"].pk).notes
    entries = remask_entries().count()

    again = services.remask_items(), services.remask_meetings()

    assert [(r.checked, r.changed) for r in again] == [(4, 0), (1, 0)]
    assert list(OpinionItem.objects.order_by("pk").values()) == after
    assert Meeting.objects.get(pk=old_rows["meeting"].pk).notes == notes
    assert remask_entries().count() == entries == 4


@pytest.mark.django_db
def test_a_dry_run_counts_what_would_change_and_writes_nothing(old_rows):
    before = list(OpinionItem.objects.order_by("pk").values())
    entries = AuditEntry.objects.count()

    items = services.remask_items(dry_run=True)
    meetings = services.remask_meetings(dry_run=True)

    assert (items.checked, items.changed, dict(items.kinds)) == (4, 3, {"name": 3, "address": 3})
    assert (meetings.checked, meetings.changed) == (1, 1)
    assert list(OpinionItem.objects.order_by("pk").values()) == before
    assert Meeting.objects.get(pk=old_rows["meeting"].pk).notes == normalize(NOTES)
    assert AuditEntry.objects.count() == entries
    # The real run then changes exactly what the dry run counted.
    assert services.remask_items().changed == 3


@pytest.mark.django_db
def test_search_finds_the_name_before_the_run_and_not_after(old_rows, vanphong):
    named = old_rows["named"].pk
    assert [row.pk for row in search_items(vanphong, "Lê Văn Tám").results] == [named]
    assert [row.pk for row in search_items(vanphong, "Tám").results] == [named]
    assert search_items(vanphong, "Duyên").total == 1

    services.remask_items()

    for query in ("Lê Văn Tám", "Tám", "Duyên", "Mến"):
        assert search_items(vanphong, query).total == 0, query
    # The rest of the text is still found (the row was re-indexed, not dropped).
    assert [row.pk for row in search_items(vanphong, "rác thải").results] == [named]


@pytest.mark.django_db
def test_batches_report_progress_and_an_interrupted_run_keeps_its_finished_batches(
    cell_a, monkeypatch
):
    rows = [old_item(text, cell_a) for text in (NAMED, NAMED_2, NAMED_PHONE, NAMED, CLEAN)]
    calls = []
    real_audit = services.remask.audit

    def failing_audit(**kwargs):
        if len(calls) == 1:  # the second batch, after the first one committed
            raise RuntimeError("mất kết nối")
        return real_audit(**kwargs)

    monkeypatch.setattr(services.remask, "audit", failing_audit)
    with pytest.raises(RuntimeError):
        services.remask_items(batch_size=2, progress=lambda *args: calls.append(args))
    texts = [OpinionItem.objects.get(pk=row.pk).text for row in rows]
    assert calls == [(2, 5)]
    assert all("⟨HỌ TÊN⟩" in text for text in texts[:2])
    assert all("⟨HỌ TÊN⟩" not in text for text in texts[2:])  # the second batch rolled back
    assert remask_entries().count() == 2

    monkeypatch.setattr(services.remask, "audit", real_audit)
    calls.clear()
    result = services.remask_items(batch_size=2, progress=lambda *args: calls.append(args))

    assert calls == [(2, 5), (4, 5), (5, 5)]
    assert (result.checked, result.changed) == (5, 2)
    assert all("⟨HỌ TÊN⟩" in OpinionItem.objects.get(pk=row.pk).text for row in rows[:4])
    assert remask_entries().count() == 4


@pytest.mark.django_db
def test_the_meetings_delegates_title_and_place_are_left_alone(cell_a):
    delegates = "Đồng chí Nguyễn Văn An, Bí thư Đảng ủy phường"
    meeting = old_meeting(NOTES, cell_a, delegates=delegates)
    empty = old_meeting("", cell_a)

    result = services.remask_meetings()

    meeting.refresh_from_db()
    assert result.checked == 1  # minutes without notes are not read
    assert meeting.delegates == delegates
    assert (meeting.title, meeting.place) == ("Tiếp xúc cử tri quý IV", "Nhà văn hóa tổ dân phố 1")
    assert Meeting.objects.get(pk=empty.pk).notes == ""


@pytest.mark.django_db
def test_a_person_who_runs_it_is_the_actor_and_must_be_the_office(old_rows, vanphong, an):
    with pytest.raises(ServiceError, match="Ban Xây dựng Đảng"):
        services.remask_items(actor=an)
    assert not remask_entries().exists()

    services.remask_items(actor=vanphong)

    assert {entry.actor for entry in remask_entries()} == {vanphong}


# --- longdan text remask ------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.django_db
def test_the_command_prints_a_vietnamese_summary(old_rows, capsys):
    code, out, err = run(capsys, "text", "remask")

    assert code == 0, err
    assert "Đã che lại 3 ý kiến, 1 biên bản, 0 tin, bài (đã xem 4 ý kiến, 1 biên bản" in out
    assert "họ tên (4)" in out and "địa chỉ nhà (4)" in out
    assert "ý kiến: đã xem 4/4" in out  # progress
    assert "nhật ký" in out
    assert remask_entries().count() == 4

    code, out, _ = run(capsys, "text", "remask")
    assert code == 0 and "Đã che lại 0 ý kiến, 0 biên bản, 0 tin, bài" in out


@pytest.mark.django_db
def test_the_command_dry_run_and_json(old_rows, capsys):
    code, out, err = run(capsys, "text", "remask", "--dry-run", "--json")

    assert code == 0, err
    data = json.loads(out)  # stdout is the JSON object alone; progress went to stderr
    assert data["dry_run"] is True
    assert data["items"] == {"checked": 4, "changed": 3, "kinds": {"address": 3, "name": 3}}
    assert data["meetings"]["changed"] == 1 and data["mentions"]["changed"] == 0
    assert "Chạy thử" in err
    assert not remask_entries().exists()
    assert OpinionItem.objects.get(pk=old_rows["named"].pk).text == normalize(NAMED)

    code, out, _ = run(capsys, "text", "remask", "--dry-run")
    assert "Chạy thử: sẽ che lại 3 ý kiến, 1 biên bản, 0 tin, bài" in out and "Chưa ghi gì" in out
