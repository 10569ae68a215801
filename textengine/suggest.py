"""Topic and attitude suggestion (no Django import).

Works from the first day with the team's lexicon alone; when a learned model exists (trained on the
office's confirmed labels) its probabilities are combined with the lexicon's. Every suggestion says
which words triggered it, so a collaborator can see why and correct it: the words *as the text
writes them* ("buc xuc", "số"), never the lexicon's own spelling of a cue, which matching on
folded syllables may have found in another word ("sợ" for "số", issue 17).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from textengine import lexicon as lexicon_mod
from textengine.mask import clean
from textengine.model import LinearModel, ModelError
from textengine.normalize import fold_normalized
from textengine.tokenize import bigrams, fold_and_tokens, tokens_folded

__all__ = ["LabelSuggestion", "Suggestion", "Suggester", "suggest"]

MODEL_WEIGHT = 0.7  # share of the learned model when both speak; the lexicon keeps a voice


@dataclass(frozen=True)
class LabelSuggestion:
    label: str | None  # None: nothing to go on
    name: str
    score: float  # 0..1
    cues: tuple[str, ...]  # the text's own words or phrases that triggered the label
    source: str  # "lexicon", "model", "model+lexicon" or "none"


@dataclass(frozen=True)
class Suggestion:
    topic: LabelSuggestion
    attitude: LabelSuggestion
    folded: str = field(default="", repr=False)


_NONE = LabelSuggestion(None, "", 0.0, (), "none")


class Suggester:
    def __init__(
        self,
        topic_model: LinearModel | None = None,
        attitude_model: LinearModel | None = None,
        lexicons: dict[str, lexicon_mod.Lexicon] | None = None,
    ):
        self.models = {"topic": topic_model, "attitude": attitude_model}
        self.lexicons = lexicons or {k: lexicon_mod.default(k) for k in lexicon_mod.KINDS}

    @classmethod
    def from_root(cls, root: str | Path | None) -> Suggester:
        """Models under ``root/topic`` and ``root/attitude`` when they exist; lexicon otherwise."""
        models: dict[str, LinearModel | None] = {"topic": None, "attitude": None}
        if root:
            for kind in models:
                try:
                    models[kind] = LinearModel.load(Path(root) / kind)
                except ModelError:
                    models[kind] = None
        return cls(models["topic"], models["attitude"])

    def suggest(self, text: str) -> Suggestion:
        # Masked like the batch pipeline and training: a phone number is never a feature, and
        # the same text gets the same suggestion on both paths.
        masked = clean(text).text
        folded, toks = fold_and_tokens(masked)
        evidence = _Evidence(masked, toks)
        # Lexicon cues of both kinds, computed once: they vote and they are model features.
        matches = {
            kind: self.lexicons[kind].match(evidence.lexicon_tokens(self.lexicons[kind]))
            for kind in ("topic", "attitude")
        }
        feats = None
        if self.models["topic"] is not None or self.models["attitude"] is not None:
            feats = toks + bigrams(toks)
            feats += ["#t:" + c.label for c, _ in matches["topic"]]
            feats += ["#a:" + c.label for c, _ in matches["attitude"]]
        out = {
            kind: self._one(kind, matches[kind], feats, self.models[kind], evidence)
            for kind in ("topic", "attitude")
        }
        return Suggestion(out["topic"], out["attitude"], folded)

    def _one(self, kind, matches, feats, model, evidence: _Evidence) -> LabelSuggestion:
        lex = self.lexicons[kind]
        lex_scores: dict[str, float] = {}
        lex_cues: dict[str, list[str]] = {}
        for cue, pos in matches:
            lex_scores[cue.label] = lex_scores.get(cue.label, 0.0) + cue.weight
            lex_cues.setdefault(cue.label, []).append(evidence.at(pos, _cue_length(cue.phrase)))
        if model is None:
            if not lex_scores:
                return _NONE
            label = max(lex_scores, key=lambda k: (lex_scores[k], k))
            total = sum(lex_scores.values())
            # Confidence grows with the winner's share and with how much evidence there is.
            score = (lex_scores[label] / total) * (1 - 0.5 ** lex_scores[label])
            return LabelSuggestion(
                label,
                lex.labels.get(label, label),
                round(score, 4),
                tuple(dict.fromkeys(lex_cues[label])),
                "lexicon",
            )
        _label, _score, probs = model.predict_features(feats)
        source = "model"
        if lex_scores:
            lex_vec = np.array([lex_scores.get(lbl, 0.0) for lbl in model.labels], dtype=np.float32)
            if lex_vec.sum() > 0:
                probs = MODEL_WEIGHT * probs + (1 - MODEL_WEIGHT) * lex_vec / lex_vec.sum()
                source = "model+lexicon"
        best = int(np.argmax(probs))
        label = model.labels[best]
        cues = tuple(dict.fromkeys(lex_cues.get(label, []))) or tuple(
            dict.fromkeys(evidence.of(f) for f in _top_features(model, feats, best))
        )
        return LabelSuggestion(
            label, lex.labels.get(label, label), round(float(probs[best]), 4), cues, source
        )


_EDGE = re.compile(r"^[^\w⟨]+|[^\w⟩]+$")


def _cue_length(phrase: str) -> int:
    return len(tokens_folded(fold_normalized(phrase)))


class _Evidence:
    """The words of the (masked) text that a run of its folded tokens came from."""

    def __init__(self, text: str, toks: list[str]):
        self.words = text.split()
        self.toks = toks
        self.owner: list[int] = []
        for i, word in enumerate(self.words):
            self.owner += [i] * len(tokens_folded(fold_normalized(word)))
        if len(self.owner) != len(toks):  # never expected: fall back to the tokens themselves
            self.owner = []

    def lexicon_tokens(self, lexicon: lexicon_mod.Lexicon) -> list[str]:
        """The tokens a lexicon matches: a word written with diacritics no cue writes its token
        with ("số" for "sợ") matches nothing (``Lexicon.conflicts``)."""
        if not self.owner:
            return self.toks
        flags = [f for word in self.words for f in lexicon.conflicts(word)]
        return [("" if flag else tok) for tok, flag in zip(self.toks, flags, strict=True)]

    def at(self, pos: int, length: int) -> str:
        if not self.owner:
            return " ".join(self.toks[pos : pos + length])
        spans = dict.fromkeys(self.owner[pos : pos + max(1, length)])
        return " ".join(_EDGE.sub("", self.words[i]) for i in spans)

    def of(self, feature: str) -> str:
        """The text's words for a model feature (a folded token or bigram of the text)."""
        parts = feature.split()
        for pos in range(len(self.toks) - len(parts) + 1):
            if self.toks[pos : pos + len(parts)] == parts:
                return self.at(pos, len(parts))
        return feature


def _top_features(model: LinearModel, feats, column: int, k: int = 3) -> tuple[str, ...]:
    """Features that pushed the model most towards ``column`` (for an explanation)."""
    seen = {f for f in feats if f in model.vocab and not f.startswith("#")}
    ranked = sorted(seen, key=lambda f: -float(model.weights[model.vocab[f], column]))
    return tuple(f for f in ranked[:k] if model.weights[model.vocab[f], column] > 0)


_DEFAULT: Suggester | None = None


def suggest(text: str) -> Suggestion:
    """Lexicon-only suggestion with the shipped lexicon (no model needed)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Suggester()
    return _DEFAULT.suggest(text)
