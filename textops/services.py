"""The text side of the app: analysing what is filed, and the grouper's shared state.

Every filed item goes through :func:`analyse` (one text: a quick report, the public form, the
API) or :func:`analyse_many` (a batch: an import, a meeting's points), which call the engine's
pipeline (``textengine.pipeline``): each text is normalised once, masked once (twice only when
normalising exposed another number, see ``textengine.mask.clean``), folded once and scored in
one pass. Only the masked form leaves here.

The grouper's state is stored in :class:`~textops.models.EngineState` ``name="grouper"``.
Workers share it with an optimistic version: a write first bumps the row's version *from the one
it loaded* (``UPDATE … WHERE version = v``), which also locks the row until the transaction
ends; if another worker got there first the update touches no row, the transaction rolls back
and the work is redone on the fresh state (:func:`with_grouper`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import ConflictError, ServiceError
from textengine import pipeline
from textengine.grouping import Grouper
from textengine.lexicon import ATTITUDES, TOPICS
from textengine.mask import clean
from textengine.signature import Sig, signatures
from textops.models import EngineState
from textops.selectors import suggester

GROUPER_STATE = "grouper"
STATE_RETRIES = 5

T = TypeVar("T")


# --- analysing text --------------------------------------------------------------------------


@dataclass(frozen=True)
class Analysis:
    normalised: str  # masked and normalised: the only form that may be stored
    masked_kinds: tuple[str, ...]  # kinds of personal data that were masked
    folded: str  # matching form of ``normalised``
    suggested_topic_code: str | None
    suggested_topic_name: str
    topic_score: float
    suggested_attitude: str  # core.models.Attitude value, or ""
    attitude_score: float
    model_version: str  # "lexicon" or "topic:v0003 attitude:v0001"
    signature: bytes = b""  # the near-duplicate signature, only when asked for (``sign=True``)


def analyse_many(
    texts: Sequence[str], *, cleaned: bool = False, sign: bool = False
) -> list[Analysis]:
    """Mask, normalise, fold and suggest a topic and an attitude for each text, in one batch.

    ``cleaned=True``: the texts are already in stored form (an import's table is masked and
    normalised when it is uploaded), so they are not normalised or masked again.
    ``sign=True`` also returns the near-duplicate signature (nothing in the app stores it: the
    grouper computes signatures itself, in its own batch)."""
    engine, version = suggester()
    names = engine.lexicons["topic"].labels
    results = pipeline.analyse_batch(
        list(texts), engine, signatures if sign else None, cleaned=cleaned
    )
    return [
        Analysis(
            normalised=a.text,
            masked_kinds=tuple(a.masked),
            folded=a.folded,
            suggested_topic_code=a.topic,
            suggested_topic_name=(TOPICS.get(a.topic) or names.get(a.topic, a.topic))
            if a.topic
            else "",
            topic_score=float(a.topic_score),
            suggested_attitude=a.attitude if a.attitude in ATTITUDES else "",
            attitude_score=float(a.attitude_score),
            model_version=version,
            signature=Sig(a.signature).to_bytes() if sign else b"",
        )
        for a in results
    ]


def analyse(text: str, *, sign: bool = False) -> Analysis:
    """:func:`analyse_many` of one text (the same pipeline, so the same result)."""
    return analyse_many([text], sign=sign)[0]


def mask_everything(text: str) -> tuple[str, tuple[str, ...]]:
    """Masked, normalised text and the kinds masked (free text that is stored but not analysed:
    survey answers, a meeting's notes, the cells of an uploaded table)."""
    result = clean(text or "")
    return result.text, result.kinds


# --- the grouper's shared state ----------------------------------------------------------------


def state_row(name: str = GROUPER_STATE) -> EngineState:
    """The state row ``name``, created empty when missing (two workers may race: one wins)."""
    state = EngineState.objects.filter(name=name).first()
    if state is None:
        try:
            with transaction.atomic():
                state = EngineState.objects.create(name=name, data=b"", version=1)
        except IntegrityError:  # another worker created it at the same moment
            state = EngineState.objects.get(name=name)
    return state


def lock_state(name: str) -> EngineState:
    """The state row ``name``, locked until the caller's transaction ends (serialises a job)."""
    return EngineState.objects.select_for_update().get(pk=state_row(name).pk)


def record_run(state: EngineState, *, meta: dict, bump: bool = False) -> None:
    """Write a job's outcome on its locked state row (and a new version when it changed one)."""
    if bump:
        state.version += 1
    state.meta = meta
    state.save()


def clear_states() -> None:
    """Forget every saved state (the demo's reset: the grouper's state names the old items)."""
    EngineState.objects.all().delete()


def load_grouper() -> tuple[Grouper, int]:
    """The saved grouper and the version it was loaded at (a fresh grouper on a new install)."""
    state = state_row()
    data = bytes(state.data or b"")
    if not data:
        return Grouper(), state.version
    try:
        return Grouper.loads(data), state.version
    except ValueError as exc:
        raise ServiceError(
            f"Không đọc được trạng thái nhóm ý kiến đã lưu: {exc}", field="grouper"
        ) from exc


def claim_grouper(version: int) -> None:
    """Bump the state's version from ``version``, locking the row for this transaction.

    Raises ConflictError when another writer saved since ``version`` was loaded."""
    claimed = EngineState.objects.filter(name=GROUPER_STATE, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not claimed:
        raise ConflictError(
            "Trạng thái nhóm ý kiến vừa được người khác thay đổi; hãy thử lại.", field="grouper"
        )


def store_grouper(grouper: Grouper, meta: dict | None = None) -> None:
    """Write the grouper's state (call after :func:`claim_grouper`, in the same transaction)."""
    values: dict[str, Any] = {"data": grouper.dumps(), "updated_at": timezone.now()}
    if meta is not None:
        values["meta"] = meta
    EngineState.objects.filter(name=GROUPER_STATE).update(**values)


def with_grouper(work: Callable[[Grouper], T]) -> T:
    """Run ``work(grouper)`` and save the grouper, in one transaction, redone on a conflict."""
    for _attempt in range(STATE_RETRIES):
        grouper, version = load_grouper()
        try:
            with transaction.atomic():
                claim_grouper(version)
                result = work(grouper)
                store_grouper(grouper, {"items": len(grouper), "issues": len(grouper.issues())})
                return result
        except ConflictError as exc:
            if exc.field != "grouper":
                raise
            continue
    raise ConflictError(
        "Nhiều người đang cùng thay đổi cách nhóm ý kiến; hãy thử lại sau ít phút.",
        field="grouper",
    )
