"""Thin adapter between the intake app and the text engine (``textengine``).

One :class:`~textengine.suggest.Suggester` per process, built from the learned models under
``VAR_DIR/models/topic`` and ``VAR_DIR/models/attitude`` when they exist (lexicon alone otherwise)
and rebuilt when either ``CURRENT`` pointer changes, so a retrained model is picked up by every
worker without a restart.

Text is masked before anything else looks at it: masked once as received (so a number split by a
legacy encoding is still caught) and again after normalisation. Only the masked form leaves here.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from core.text import fold as core_fold
from textengine.lexicon import ATTITUDES, TOPICS
from textengine.mask import mask
from textengine.normalize import normalize
from textengine.signature import signature
from textengine.suggest import Suggester

MODEL_KINDS = ("topic", "attitude")
SUGGEST_MAX_CHARS = 5_000
CUSTOM_TOPIC_PREFIX = "topic_"  # label of a taxonomy topic the shipped lexicon does not know


@dataclass(frozen=True)
class Analysis:
    masked_text: str  # the text as received, personal data masked (not normalised)
    masked_kinds: tuple[str, ...]  # kinds of personal data that were masked
    normalised: str  # masked and normalised: the only form that may be stored
    folded: str  # matching form of ``normalised``
    suggested_topic_code: str | None
    suggested_topic_name: str
    topic_score: float
    suggested_attitude: str  # core.models.Attitude value, or ""
    attitude_score: float
    cues: tuple[str, ...]  # words that triggered the suggestions, for the person to see
    signature_bytes: bytes
    model_version: str  # "lexicon" or "topic:v0003 attitude:v0001"


def models_root() -> Path:
    return Path(settings.VAR_DIR) / "models"


def _pointer(kind: str) -> tuple:
    # A stat, not a read: this runs on every keystroke's suggestion. Training rewrites CURRENT.
    try:
        info = os.stat(models_root() / kind / "CURRENT")
    except OSError:
        return ()
    return (info.st_mtime_ns, info.st_size, info.st_ino)


_lock = threading.Lock()
_state: dict = {"key": None, "suggester": None}


def suggester() -> tuple[Suggester, str]:
    """The process's suggester and the model versions in it; reloaded when CURRENT changes."""
    key = (str(models_root()), *(_pointer(kind) for kind in MODEL_KINDS))
    if _state["key"] != key:
        with _lock:
            if _state["key"] != key:
                built = Suggester.from_root(models_root())
                _state["suggester"] = built
                _state["version"] = _version_label(built)
                _state["key"] = key
    return _state["suggester"], _state["version"]


def _version_label(built: Suggester) -> str:
    parts = [f"{kind}:{model.version}" for kind, model in built.models.items() if model is not None]
    return " ".join(parts) or "lexicon"


def mask_everything(text: str) -> tuple[str, tuple[str, ...]]:
    """Masked, normalised text and the kinds masked (two passes, see the module docstring)."""
    first = mask(text or "")
    second = mask(normalize(first.text))
    return second.text, tuple(sorted(set(first.kinds) | set(second.kinds)))


def analyse(text: str, *, sign: bool = True) -> Analysis:
    """Mask, normalise, fold, suggest a topic and an attitude, and sign ``text``.

    ``sign=False`` skips the near-duplicate signature (a suggestion while typing needs none).
    """
    raw_masked = mask(text or "")
    normalised, kinds = mask_everything(text)
    engine, version = suggester()
    result = engine.suggest(normalised)
    topic, attitude = result.topic, result.attitude
    cues = tuple(dict.fromkeys((*topic.cues, *attitude.cues)))
    return Analysis(
        masked_text=raw_masked.text,
        masked_kinds=kinds,
        normalised=normalised,
        folded=result.folded,
        suggested_topic_code=topic.label,
        suggested_topic_name=TOPICS.get(topic.label or "", topic.name) if topic.label else "",
        topic_score=float(topic.score),
        suggested_attitude=attitude.label if attitude.label in ATTITUDES else "",
        attitude_score=float(attitude.score),
        cues=cues,
        signature_bytes=signature(result.folded).to_bytes() if sign else b"",
        model_version=version,
    )


# --- labels of the taxonomy ------------------------------------------------------------------


_CODE_BY_FOLDED_NAME = {core_fold(name): code for code, name in TOPICS.items()}


def topic_code(topic) -> str:
    """The engine's label for a core.models.Topic: the lexicon code, or ``topic_<pk>``."""
    return _CODE_BY_FOLDED_NAME.get(topic.name_folded or core_fold(topic.name)) or (
        f"{CUSTOM_TOPIC_PREFIX}{topic.pk}"
    )


def topic_for_code(code: str | None):
    """The core.models.Topic an engine label stands for, or None."""
    from core.models import Topic

    if not code:
        return None
    if code.startswith(CUSTOM_TOPIC_PREFIX) and code[len(CUSTOM_TOPIC_PREFIX) :].isdigit():
        return Topic.objects.filter(pk=int(code[len(CUSTOM_TOPIC_PREFIX) :])).first()
    name = TOPICS.get(code)
    if name is None:
        return None
    return Topic.objects.filter(name_folded=core_fold(name)).first()


def suggestion_payload(text: str) -> dict:
    """A suggestion as JSON for the quick report and the API (nothing is stored)."""
    from core.models import Attitude

    analysis = analyse(text[:SUGGEST_MAX_CHARS], sign=False)
    topic = topic_for_code(analysis.suggested_topic_code)
    return {
        "topic_id": topic.pk if topic else None,
        "topic_name": topic.name if topic else analysis.suggested_topic_name,
        "topic_score": round(analysis.topic_score, 3),
        "attitude": analysis.suggested_attitude,
        "attitude_label": dict(Attitude.choices).get(analysis.suggested_attitude, ""),
        "attitude_score": round(analysis.attitude_score, 3),
        "cues": list(analysis.cues),
        "masked_kinds": list(analysis.masked_kinds),
        "model": analysis.model_version,
    }
