"""What each filed item costs the text engine: masked once, normalised once, on every path.

Counted by wrapping the engine's functions where the pipeline and ``textengine.mask.clean`` look
them up. ``_prepare`` is the first step of every normalisation (the pipeline's word-by-word fast
path and ``normalize`` itself), so it counts normalisations, whichever path a text takes.
Grouping is not part of filing (it runs after commit, on the worker, and folds the stored
text for its own features).
"""

from __future__ import annotations

import importlib
from collections import Counter

import pytest

from core.models import Channel
from intake import services
from intake.models import Meeting, OpinionItem
from textengine import pipeline
from textengine.suggest import Suggester

# The modules, not the functions of the same name the package exports.
mask_mod = importlib.import_module("textengine.mask")
normalize_mod = importlib.import_module("textengine.normalize")

PHONE_TEXT = "Rác thải ùn ứ ở chợ Hoà Bình, gọi 0912 345 678 mà không ai nghe."
PLAIN_TEXT = "Đèn đường ngõ 62 hỏng cả tuần, đi tối rất nguy hiểm."
MARKERS = ("ùn ứ", "Đèn đường")


@pytest.fixture
def calls(monkeypatch) -> Counter:
    counts: Counter = Counter()

    def counting(name, fn):
        def wrapper(text, *args, **kwargs):
            # Only the items' own texts: topic and area names are folded too, elsewhere.
            if isinstance(text, str) and any(marker in text for marker in MARKERS):
                counts[name] += 1
            return fn(text, *args, **kwargs)

        return wrapper

    mask = counting("mask", mask_mod.mask)
    prepare = counting("normalise", normalize_mod._prepare)
    for module in (mask_mod, pipeline):
        monkeypatch.setattr(module, "mask", mask)
    for module in (normalize_mod, pipeline):
        monkeypatch.setattr(module, "_prepare", prepare)

    def no_second_path(self, text):
        raise AssertionError("filing must not run Suggester.suggest beside the pipeline")

    monkeypatch.setattr(Suggester, "suggest", no_second_path)
    return counts


def test_quick_report_masks_and_normalises_once(an, calls):
    item = services.file_item(
        user=an, text=PHONE_TEXT, channel=Channel.RESIDENTIAL, received_on=None, area=None,
        unit=None,
    )
    assert calls == {"mask": 1, "normalise": 1}
    assert "⟨SĐT⟩" in item.text and item.masked_kinds == ["phone"]


def test_text_with_nothing_to_mask_is_only_normalised(an, calls):
    services.file_item(
        user=an, text=PLAIN_TEXT, channel=Channel.RESIDENTIAL, received_on=None, area=None,
        unit=None,
    )
    assert calls == {"normalise": 1}


def test_public_form_masks_and_normalises_once(db, calls):
    services.submit_public_feedback(
        text=PHONE_TEXT, area_id=None, wants_reply=False, client_ip="10.0.0.7"
    )
    assert calls == {"mask": 1, "normalise": 1}


def test_import_masks_and_normalises_each_text_once(an, calls):
    data = f"Nội dung\n\"{PHONE_TEXT}\"\n\"{PLAIN_TEXT}\"\n".encode()
    batch = services.start_import(user=an, file_name="y-kien.csv", data=data)
    # Uploading cleans every cell once (the pending table is stored masked) ...
    assert calls == {"mask": 1, "normalise": 2}
    services.apply_import(user=an, batch=batch, mapping={"text": "Nội dung"})
    # ... and importing analyses the cleaned texts in one batch without cleaning them again.
    assert calls == {"mask": 1, "normalise": 2}
    items = list(OpinionItem.objects.order_by("pk"))
    assert len(items) == 2
    assert "⟨SĐT⟩" in items[0].text and items[0].masked_kinds == ["phone"]
    assert items[1].masked_kinds == []


def test_meeting_points_are_analysed_in_one_batch(an, calls, monkeypatch):
    batches = []
    real = pipeline.analyse_batch
    monkeypatch.setattr(
        pipeline, "analyse_batch", lambda texts, *a, **k: batches.append(len(texts)) or real(
            texts, *a, **k
        )
    )
    services.file_meeting(
        user=an, kind=Meeting.Kind.DIALOGUE, title="Đối thoại", held_on=an.date_joined.date(),
        place="Nhà văn hóa",
        points=[services.PointInput(PHONE_TEXT), services.PointInput(PLAIN_TEXT)],
    )
    assert batches == [2]
    assert calls == {"mask": 1, "normalise": 2}
