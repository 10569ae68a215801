"""Reads of the text side of the app: the process's suggester, the taxonomy's engine labels, the
suggestion shown while a person types (nothing is stored here).

One :class:`~textengine.suggest.Suggester` per process, built from the learned models under
``VAR_DIR/models/topic`` and ``VAR_DIR/models/attitude`` when they exist (lexicon alone otherwise)
and rebuilt when either ``CURRENT`` pointer changes, so a retrained model is picked up by every
worker without a restart. Those folders are a cache of the versions published in the database
(``textops.model_store``), so every machine of an installation uses the same models.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from django.db import DatabaseError

from core.text import fold as core_fold
from textengine.lexicon import TOPICS
from textengine.suggest import Suggester
from textops import model_store

logger = logging.getLogger(__name__)

MODEL_KINDS = ("topic", "attitude")
SUGGEST_MAX_CHARS = 5_000
CUSTOM_TOPIC_PREFIX = "topic_"  # label of a taxonomy topic the shipped lexicon does not know


def models_root() -> Path:
    """The local cache of the trained models (textops.model_store fills it from the database)."""
    return model_store.models_root()


def sync_models() -> None:
    """Mirror the models published in the database into :func:`models_root` (one query when
    nothing changed). A failure leaves the cache as it is: suggestions go on with what it has."""
    try:
        model_store.sync()
    except (DatabaseError, OSError, ValueError):
        logger.exception("Không cập nhật được mô hình văn bản từ cơ sở dữ liệu.")


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
    """The process's suggester and the model versions in it; reloaded when CURRENT changes
    (which a newer version published in the database does, through :func:`sync_models`)."""
    sync_models()
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


# --- labels of the taxonomy ------------------------------------------------------------------


_CODE_BY_FOLDED_NAME = {core_fold(name): code for code, name in TOPICS.items()}


def topic_code(topic) -> str:
    """The engine's label for a core.models.Topic: the lexicon code, or ``topic_<pk>``."""
    return _CODE_BY_FOLDED_NAME.get(topic.name_folded or core_fold(topic.name)) or (
        f"{CUSTOM_TOPIC_PREFIX}{topic.pk}"
    )


def topic_lookup_for_code(code: str | None) -> dict | None:
    """The field lookup that finds the core.models.Topic an engine label stands for (the first
    match in the topics' order), or None when the label stands for none. A writer that reads
    other topics anyway folds it into that query (``intake``: one query, not two)."""
    if not code:
        return None
    if code.startswith(CUSTOM_TOPIC_PREFIX) and code[len(CUSTOM_TOPIC_PREFIX) :].isdigit():
        return {"pk": int(code[len(CUSTOM_TOPIC_PREFIX) :])}
    name = TOPICS.get(code)
    if name is None:
        return None
    return {"name_folded": core_fold(name)}


def topic_for_code(code: str | None):
    """The core.models.Topic an engine label stands for, or None."""
    from core.models import Topic

    lookup = topic_lookup_for_code(code)
    return Topic.objects.filter(**lookup).first() if lookup else None


def suggestion_payload(text: str) -> dict:
    """A suggestion as JSON for the quick report and the API while the person types (nothing is
    stored). The one place that uses ``Suggester.suggest`` rather than the pipeline: it also says
    which words triggered the suggestion; its labels equal the pipeline's (textengine tests)."""
    from core.models import Attitude
    from textengine.lexicon import ATTITUDES
    from textengine.mask import clean

    engine, version = suggester()
    text = text[:SUGGEST_MAX_CHARS]
    result = engine.suggest(text)
    topic_s, attitude_s = result.topic, result.attitude
    topic = topic_for_code(topic_s.label)
    attitude = attitude_s.label if attitude_s.label in ATTITUDES else ""
    return {
        "topic_id": topic.pk if topic else None,
        "topic_name": topic.name
        if topic
        else (TOPICS.get(topic_s.label, topic_s.name) if topic_s.label else ""),
        "topic_score": round(float(topic_s.score), 3),
        "attitude": attitude,
        "attitude_label": dict(Attitude.choices).get(attitude, ""),
        "attitude_score": round(float(attitude_s.score), 3),
        "cues": list(dict.fromkeys((*topic_s.cues, *attitude_s.cues))),
        "masked_kinds": list(clean(text).kinds),
        "model": version,
    }
