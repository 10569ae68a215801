"""Retraining the text models on confirmed labels: only with enough new labels, versioned,
quality measured on held-out labels and shown to the office."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core.models import Topic
from intake.models import OpinionItem
from intake.tasks import MIN_NEW_LABELS, retrain_models, training_data
from intake.tests.conftest import client_for, file
from textengine.lexicon import TOPICS
from textops import selectors as text_selectors
from textops import services as textops

CORPUS = Path(__file__).resolve().parents[2] / "textengine" / "corpus" / "train.jsonl"


def corpus_rows(start: int, count: int) -> list[dict]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()[start : start + count]
    return [json.loads(line) for line in lines]


def file_labelled(user, rows) -> None:
    topics = {code: Topic.objects.get(name=name) for code, name in TOPICS.items()}
    for row in rows:
        file(user, row["text"], topic_ids=[topics[row["topic"]].pk], attitude=row["attitude"])


def versions(kind: str) -> list[str]:
    root = text_selectors.models_root() / kind
    return sorted(p.name for p in root.glob("v*")) if root.is_dir() else []


def test_no_model_with_too_few_labels(an):
    file_labelled(an, corpus_rows(0, MIN_NEW_LABELS - 1))
    file(an, "Ý kiến chưa gán nhãn")  # unconfirmed items do not count
    result = retrain_models.call()
    assert result["topic"]["trained"] is False and result["attitude"]["trained"] is False
    assert "cần ít nhất 50 nhãn mới" in result["topic"]["reason"]
    assert versions("topic") == [] and versions("attitude") == []


@pytest.mark.django_db
def test_enough_labels_train_a_version_with_measured_quality(an, vanphong):
    file_labelled(an, corpus_rows(0, MIN_NEW_LABELS + 30))
    texts, labels, groups = training_data("topic")
    assert len(texts) == MIN_NEW_LABELS + 30 and set(labels) <= set(TOPICS)
    assert not any("0912" in t for t in texts)  # masked text only
    result = retrain_models.call()
    assert result["topic"]["trained"] and result["attitude"]["trained"]
    assert versions("topic") == ["v0001"] and versions("attitude") == ["v0001"]
    meta = json.loads((text_selectors.models_root() / "topic" / "v0001" / "meta.json").read_text())
    assert meta["training_size"] == MIN_NEW_LABELS + 30
    assert 0 <= meta["quality"]["macro_f1"] <= 1
    assert meta["quality"]["evaluated"] == MIN_NEW_LABELS + 30  # every label predicted out of fold
    assert len(set(groups)) == len(groups)  # no issues yet: each item its own group
    # The engine picks the new version up without a restart.
    assert "topic:v0001" in textops.analyse("hoc phi tang").model_version
    page = client_for(vanphong).get(reverse("model_status")).content.decode()
    assert "v0001" in page and "đang dùng" in page and "Macro-F1" in page
    # The version's time in local time, not the engine's ISO UTC stamp.
    stamp = dt.datetime.fromisoformat(meta["created_at"]).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert stamp.strftime("%H:%M %d/%m/%Y") in page and meta["created_at"] not in page

    # Nothing new: no new version.
    again = retrain_models.call()
    assert again["topic"]["trained"] is False and versions("topic") == ["v0001"]
    # A few more labels are still not enough; enough more make v0002.
    file_labelled(an, corpus_rows(200, MIN_NEW_LABELS - 10))
    assert retrain_models.call()["topic"]["trained"] is False
    file_labelled(an, corpus_rows(300, 10))
    assert retrain_models.call()["topic"]["version"] == "v0002"
    assert versions("topic") == ["v0001", "v0002"]
    assert OpinionItem.objects.filter(labels_confirmed=True).count() == 2 * MIN_NEW_LABELS + 30


def test_force_trains_even_with_few_labels_but_needs_two_labels(an):
    file_labelled(an, [r for r in corpus_rows(0, 400) if r["topic"] == "moi_truong"][:10])
    result = retrain_models.call(force=True)
    assert result["topic"]["trained"] is False and "hai loại" in result["topic"]["reason"]


def test_the_model_page_shows_a_retraining_that_waits_or_runs(vanphong):
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    client = client_for(vanphong)
    assert "Đang huấn luyện lại" not in client.get(reverse("model_status")).content.decode()
    # Queued as the database backend queues it (the tests run tasks at once instead).
    DBTaskResult.objects.create(task_path="intake.tasks.retrain_models", args_kwargs={},
                                status=TaskResultStatus.READY, queue_name="default",
                                backend_name="default", priority=0)
    page = client.get(reverse("model_status")).content.decode()
    assert "Đã xếp hàng huấn luyện lại" in page and 'http-equiv="refresh"' in page
    DBTaskResult.objects.filter(task_path="intake.tasks.retrain_models").update(
        status=TaskResultStatus.RUNNING, started_at=dt.datetime.now(dt.UTC))
    page = client.get(reverse("model_status")).content.decode()
    assert "Đang huấn luyện lại" in page and "disabled" in page
    DBTaskResult.objects.filter(task_path="intake.tasks.retrain_models").update(
        status=TaskResultStatus.SUCCESSFUL)
    assert "refresh" not in client.get(reverse("model_status")).content.decode()
