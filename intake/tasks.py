"""Background work of the intake app: retraining the text models on the office's own labels.

``retrain_models`` is meant to be enqueued on a schedule (say nightly) and from the model page.
It trains a new version of a model only when at least ``MIN_NEW_LABELS`` confirmed labels arrived
since the version in use, so running it often costs nothing. Quality is measured by the text
engine out of fold on the confirmed labels (each part held out in turn, whole issues together)
and stored in the version's ``meta.json``, which the office's model page shows. A new version
is published in the database (``textops.model_store``): every machine's processes load it.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.models import Topic
from intake.models import OpinionItem
from textengine.model import LinearModel, ModelError, current_version, train
from textops import model_store
from textops import selectors as textops
from textops import services as textops_services

MIN_NEW_LABELS = 50
FOLDS = 5  # quality: out-of-fold, each fifth held out in turn (grouped by issue)
LOCK_NAME = "intake.text_models"


def training_data(kind: str) -> tuple[list[str], list[str], list[str]]:
    """(masked texts, labels, groups) of every item a person labelled, for one model kind.

    The group of an item is its issue: items about one matter are held out together when quality
    is measured, so a near-duplicate in training cannot flatter the score.
    """
    confirmed = OpinionItem.objects.filter(labels_confirmed=True).order_by("pk")
    if kind == "attitude":
        rows = list(
            confirmed.exclude(attitude="").values_list("pk", "text", "attitude", "issue_id")
        )
        return [r[1] for r in rows], [r[2] for r in rows], [_group(r[0], r[3]) for r in rows]
    first_topic: dict[int, Topic] = {}
    through = (
        OpinionItem.topics.through.objects.filter(opinionitem__labels_confirmed=True)
        .select_related("topic")
        .order_by("topic__position", "topic__name")
    )
    for link in through:
        first_topic.setdefault(link.opinionitem_id, link.topic)
    rows = list(confirmed.filter(pk__in=list(first_topic)).values_list("pk", "text", "issue_id"))
    return (
        [r[1] for r in rows],
        [textops.topic_code(first_topic[r[0]]) for r in rows],
        [_group(r[0], r[2]) for r in rows],
    )


def _group(pk: int, issue_id: int | None) -> str:
    return f"issue-{issue_id}" if issue_id else f"item-{pk}"


def _trained_on(kind: str) -> int:
    textops.sync_models()
    root = textops.models_root() / kind
    version = current_version(root) if root.is_dir() else None
    if version is None:
        return 0
    try:
        return int(LinearModel.load(root, version).meta.get("training_size", 0))
    except ModelError:
        return 0


def _retrain_one(kind: str, *, force: bool) -> dict:
    texts, labels, groups = training_data(kind)
    new = len(texts) - _trained_on(kind)
    if new < MIN_NEW_LABELS and not force:
        return {
            "trained": False,
            "new_labels": max(new, 0),
            "reason": f"cần ít nhất {MIN_NEW_LABELS} nhãn mới, hiện có {max(new, 0)}",
        }
    if len(set(labels)) < 2:
        return {
            "trained": False,
            "new_labels": max(new, 0),
            "reason": "cần nhãn của ít nhất hai loại khác nhau",
        }
    with tempfile.TemporaryDirectory(prefix=f"longdan-train-{kind}-") as scratch:
        model = train(texts, labels, Path(scratch), label_field=kind, groups=groups,
                      group_field="issue", folds=FOLDS)
        meta_path = Path(scratch) / model.version / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["source"] = "nhãn đã xác nhận của Ban Xây dựng Đảng và cộng tác viên"
        # In the database, so every machine uses it (textops.model_store); numbered there.
        row = model_store.publish(kind, Path(scratch) / model.version, meta)
    return {
        "trained": True,
        "version": row.version,
        "training_size": len(texts),
        "quality": meta.get("quality", {}),
    }


@task()
def retrain_models(force: bool = False) -> dict:
    """Train new topic/attitude model versions when enough new confirmed labels exist.

    Returns, per kind, whether a version was trained and why not. Arguments and result are JSON.
    """
    with transaction.atomic():
        # One retraining at a time: the lock row serialises workers (version folders are numbered).
        state = textops_services.lock_state(LOCK_NAME)
        result = {kind: _retrain_one(kind, force=force) for kind in textops.MODEL_KINDS}
        textops_services.record_run(
            state,
            meta={"last_run": timezone.now().isoformat(timespec="seconds"), "result": result},
            bump=any(r["trained"] for r in result.values()),
        )
    return result


@task()
def erase_expired_contacts() -> dict:
    """Erase residents' contact details whose retention has ended (intake.services.privacy);
    the scheduler runs it every tick, and a run with nothing due costs one query."""
    from intake.services.privacy import erase_expired_contacts as erase

    return {"erased": erase()}
