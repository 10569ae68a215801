"""Stored mentions masked again (issue 18): a title and a text stored before the masker learnt
names and house addresses are masked by ``remask_mentions``, audited, once."""

from __future__ import annotations

import pytest

from core.models import AuditEntry
from monitoring.models import Mention
from monitoring.services import remask_mentions
from textengine.normalize import normalize

TITLE = "Ông Trần Văn Bình ở nhà số 8 ngõ 12 phố Huế bức xúc vì rác thải"
TEXT = (
    "Phóng viên ghi nhận: chị Nguyễn Thị Lan, nhà số 45 ngõ 7 phố Hòa Bình, cho biết rác thải"
    " tồn đọng nhiều ngày, gọi ⟨SĐT⟩ không ai nghe."
)
CLEAN = "Phường Hòa Bình ra quân dọn vệ sinh đường Nguyễn Trãi."


def old_mention(url: str, title: str, text: str, kinds=()) -> Mention:
    return Mention.objects.create(
        url=url,
        site="baomoi.example",
        title=normalize(title),
        text=normalize(text),
        masked_kinds=list(kinds),
    )


@pytest.mark.django_db
def test_names_and_addresses_in_stored_mentions_are_masked_once_with_an_audit_entry():
    named = old_mention("https://baomoi.example/a", TITLE, TEXT, kinds=["phone"])
    clean = old_mention("https://baomoi.example/b", CLEAN, CLEAN)

    dry = remask_mentions(dry_run=True)
    assert (dry.checked, dry.changed) == (2, 1)
    assert Mention.objects.get(pk=named.pk).text == normalize(TEXT)

    result = remask_mentions()

    named.refresh_from_db()
    assert (result.checked, result.changed) == (2, 1)
    assert "⟨HỌ TÊN⟩" in named.title and "⟨ĐỊA CHỈ⟩" in named.title
    assert "Trần Văn Bình" not in named.title and "số 8" not in named.title
    assert "⟨HỌ TÊN⟩" in named.text and "Nguyễn Thị Lan" not in named.text
    assert "số 45" not in named.text and "⟨SĐT⟩" in named.text
    assert named.masked_kinds == ["address", "name", "phone"]
    # the search document follows: no unmasked name left to find
    assert "tran van binh" not in named.folded and "nguyen thi lan" not in named.folded
    assert " rac thai " in named.folded
    assert Mention.objects.get(pk=clean.pk).title == normalize(CLEAN)
    [entry] = AuditEntry.objects.filter(data__remask=True)
    assert (entry.object_type, entry.object_id) == ("monitoring.mention", str(named.pk))
    assert entry.actor is None and entry.data["fields"] == ["text", "title"]
    assert entry.data["masked_kinds"] == ["address", "name"]
    assert "Bình" not in entry.summary and "Lan" not in entry.summary

    again = remask_mentions()
    assert (again.checked, again.changed) == (2, 0)
    assert AuditEntry.objects.filter(data__remask=True).count() == 1
