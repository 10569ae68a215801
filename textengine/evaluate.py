"""Measuring a trained model on labelled texts (pure: no Django)."""

from __future__ import annotations

from collections.abc import Sequence

from textengine.model import LinearModel, accuracy, macro_f1
from textengine.normalize import strip_diacritics as _strip

__all__ = ["evaluate"]


def evaluate(
    model: LinearModel, texts: Sequence[str], truth: Sequence[str], *,
    strip_diacritics: bool = False,
) -> dict:
    """Accuracy and macro-F1 of ``model`` on ``texts`` against ``truth`` (4 decimals), with the
    labels the model has never seen; ``strip_diacritics`` measures it on unaccented text."""
    if strip_diacritics:
        texts = [_strip(t) for t in texts]
    pred = [label for label, _ in model.predict_batch(list(texts))]
    return {
        "model_version": model.version,
        "n": len(truth),
        "accuracy": round(accuracy(truth, pred), 4),
        "macro_f1": round(macro_f1(truth, pred), 4),
        "strip_diacritics": bool(strip_diacritics),
        "unknown_labels": sorted(set(truth) - set(model.labels)),
    }
