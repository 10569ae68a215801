"""A versioned linear text classifier (no Django import).

Training uses scikit-learn; prediction does not: a model is a folder of plain files read with numpy
and scored with a sparse dot product, so a suggestion while someone types costs microseconds.

Features: folded syllable unigrams and bigrams (teen-code expanded) plus one feature per lexicon
label whose cues occur, the cues read as the app reads them ("số" is not the cue "sợ"; a cue
marked "có dấu" needs the marks). Folding is why text typed without diacritics scores like text
with them; training on every text twice, as written and without diacritics, teaches the model
what a cue found (or not found) in either form means. Values are tf × idf divided by
sqrt(Σ idf²) over the text's known features. A model whose labels are a lexicon's predicts as the
app suggests: its probabilities blended with the lexicon's vote (``predict_batch``).

Layout of MODEL_DIR::

    MODEL_DIR/CURRENT            # name of the version in use, e.g. "v0003"
    MODEL_DIR/v0003/meta.json    # version, created_at, label_field, labels, training size, quality
    MODEL_DIR/v0003/vocab.json   # feature strings, in row order of weights.npy
    MODEL_DIR/v0003/weights.npy  # float32, features × labels
    MODEL_DIR/v0003/bias.npy     # float32, labels
    MODEL_DIR/v0003/idf.npy      # float32, features
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, repeat
from pathlib import Path

import numpy as np

from textengine import lexicon as lexicon_mod
from textengine.mask import mask_text
from textengine.normalize import normalize, strip_diacritics
from textengine.tokenize import bigrams, fold_and_tokens, tokens_folded

FORMAT = "longdan-textengine-linear/2"
# Format 1 (before issue 9): trained on the texts as given, cues read on folded syllables. Format 2:
# trained on each text and its twin without diacritics, cues read as the app reads them (marks
# included). Same files; a format-1 model loads and predicts as before in the app.
READABLE_FORMATS = ("longdan-textengine-linear/1", FORMAT)
_VERSION_RE = re.compile(r"^v(\d{4,})$")


class ModelError(Exception):
    """A model folder that cannot be read; the message is Vietnamese, for the user."""


def _cue_tokens(lexicon: lexicon_mod.Lexicon, words: list[str], toks: list[str]) -> list[str]:
    """The tokens a lexicon may match: a word written with diacritics that no cue writes its
    token with ("số" for the cue "sợ") matches nothing, as in the app (``Lexicon.conflicts``)."""
    flags = [f for word in words for f in lexicon.conflicts(word)]
    if len(flags) != len(toks):  # never expected: match on the tokens themselves
        return toks
    return ["" if flag else tok for tok, flag in zip(toks, flags, strict=True)]


def _features_of_tokens(toks: list[str], words: list[str] | None = None) -> list[str]:
    """Syllable 1–2 grams and one feature per cue found. ``words`` (the normalised words the
    tokens came from): cues are read as the app reads them, marks included."""
    feats = toks + bigrams(toks)
    for kind, prefix in (("topic", "#t:"), ("attitude", "#a:")):
        lexicon = lexicon_mod.default(kind)
        seen = toks if words is None else _cue_tokens(lexicon, words, toks)
        for cue, _pos in lexicon.match(seen):
            feats.append(prefix + cue.label)
    return feats


def text_features(folded: str) -> list[str]:
    """Feature strings of one folded text (syllable 1–2 grams + lexicon label cues)."""
    return _features_of_tokens(tokens_folded(folded))


def featurize(texts: Iterable[str], *, marks: bool = True) -> list[list[str]]:
    """Features of raw texts, exactly as the batch pipeline and the suggester see them: normalised,
    personal data masked (a phone number is never a feature), folded; cues read with the marks
    (``marks=False``: on folded syllables alone, as models of format 1 were trained)."""
    out = []
    for text in texts:
        masked = mask_text(normalize(text))
        toks = fold_and_tokens(masked)[1]
        out.append(_features_of_tokens(toks, masked.split() if marks else None))
    return out


@dataclass
class LinearModel:
    version: str
    meta: dict
    labels: list[str]
    vocab: dict[str, int]
    weights: np.ndarray  # (V, C) float32, idf already folded in
    bias: np.ndarray  # (C,)

    # -------------------------------------------------------------- prediction (numpy only)
    def decision(self, feats: Sequence[str]) -> np.ndarray:
        get = self.vocab.get
        idx = [j for j in map(get, feats) if j is not None]
        if not idx:
            return self.bias.copy()
        norm = float(np.sqrt((self._idf[idx] ** 2).sum())) or 1.0
        return self.weights[idx].sum(axis=0) / norm + self.bias

    def predict_features(self, feats: Sequence[str]) -> tuple[str, float, np.ndarray]:
        scores = self.decision(feats)
        probs = _softmax(scores)
        best = int(probs.argmax())
        return self.labels[best], float(probs[best]), probs

    def predict(self, text: str) -> tuple[str, float]:
        return self.predict_batch([text])[0]

    def decision_batch(
        self, feature_lists: Sequence[Sequence[str]], ids: np.ndarray | None = None
    ) -> np.ndarray:
        """Scores of many texts with one vectorised sparse product.

        ``ids`` (optional) are the vocabulary indices of the flattened features, -1 when unknown,
        for a caller that maps features once for several models.
        """
        n = len(feature_lists)
        lengths = np.fromiter(map(len, feature_lists), dtype=np.int64, count=n)
        if ids is None:
            flat = list(chain.from_iterable(feature_lists))
            ids = np.fromiter(map(self.vocab.get, flat, repeat(-1)), np.int64, len(flat))
        rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
        known = ids >= 0
        idx, rows = ids[known], rows[known]
        out = np.tile(self.bias, (n, 1))
        if not idx.size:
            return out
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        norms = np.sqrt(np.add.reduceat(self._idf[idx] ** 2, starts))
        sums = np.add.reduceat(self.weights[idx], starts, axis=0)
        out[rows[starts]] += sums / np.maximum(norms, 1e-12)[:, None]
        return out

    @property
    def kind(self) -> str | None:
        """The lexicon kind ("topic", "attitude") whose labels include all of this model's, if
        any: the app suggests that kind with this model and that lexicon together."""
        for kind in lexicon_mod.KINDS:
            if set(self.labels) <= set(lexicon_mod.default(kind).labels):
                return kind
        return None

    def predict_batch(
        self, texts: Sequence[str], *, lexicon: bool = True
    ) -> list[tuple[str, float]]:
        """Label and confidence of each text: what the app suggests with this model (the batch
        pipeline, the lexicon's vote blended in) when the model's labels are a lexicon's;
        ``lexicon=False`` or other labels: the model's own scores alone."""
        kind = self.kind if lexicon else None
        if kind is None:
            scores = self.decision_batch(featurize(texts))
            probs = _softmax(scores)
            best = probs.argmax(axis=1)
            return [(self.labels[b], float(probs[i, b])) for i, b in enumerate(best)]
        from textengine.pipeline import analyse_batch
        from textengine.suggest import Suggester

        if self._app is None:
            self._app = Suggester(**{f"{kind}_model": self})
        return [
            (getattr(a, kind), getattr(a, kind + "_score"))
            for a in analyse_batch(list(texts), self._app, None)
        ]

    # -------------------------------------------------------------- files
    @classmethod
    def load(cls, model_dir: str | Path, version: str | None = None) -> LinearModel:
        root = Path(model_dir)
        if not root.is_dir():
            raise ModelError(f"Không tìm thấy thư mục mô hình: {root}")
        version = version or current_version(root)
        if version is None:
            raise ModelError(f"Thư mục {root} chưa có phiên bản mô hình nào.")
        folder = root / version
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            vocab_list = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            weights = np.load(folder / "weights.npy", allow_pickle=False)
            bias = np.load(folder / "bias.npy", allow_pickle=False)
            idf = np.load(folder / "idf.npy", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ModelError(f"Không đọc được mô hình {folder}: {exc}") from exc
        if meta.get("format") not in READABLE_FORMATS:
            raise ModelError(f"Định dạng mô hình không được hỗ trợ: {meta.get('format')}")
        model = cls(
            version=version,
            meta=meta,
            labels=list(meta["labels"]),
            vocab={f: i for i, f in enumerate(vocab_list)},
            weights=(weights * idf[:, None]).astype(np.float32),
            bias=bias.astype(np.float32),
        )
        model._idf = idf.astype(np.float32)
        return model

    _idf: np.ndarray = None  # type: ignore[assignment]
    _app: object = None  # the Suggester that predict_batch runs this model in, made once


def _softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(z * 3.0)  # margins of a linear SVM are small; sharpen into a usable confidence
    return e / e.sum(axis=-1, keepdims=True)


def current_version(root: Path) -> str | None:
    pointer = root / "CURRENT"
    if pointer.is_file():
        name = pointer.read_text(encoding="utf-8").strip()
        if (root / name / "meta.json").is_file():
            return name
    versions = sorted(p.name for p in root.glob("v*") if _VERSION_RE.match(p.name))
    return versions[-1] if versions else None


def _next_version(root: Path) -> str:
    numbers = [int(m.group(1)) for p in root.glob("v*") if (m := _VERSION_RE.match(p.name))]
    return f"v{(max(numbers) + 1 if numbers else 1):04d}"


# ------------------------------------------------------------------ training (scikit-learn)
def _counts(feature_lists: Sequence[Sequence[str]]):
    """(rows × features) sparse matrix of feature counts, and the sorted feature strings."""
    from scipy.sparse import csr_matrix

    names = sorted(set(chain.from_iterable(feature_lists)))
    index = {f: i for i, f in enumerate(names)}
    n = len(feature_lists)
    lengths = np.fromiter(map(len, feature_lists), dtype=np.int64, count=n)
    flat = list(chain.from_iterable(feature_lists))
    cols = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    counts = csr_matrix((np.ones(len(flat), dtype=np.float64), (rows, cols)), shape=(n, len(names)))
    counts.sum_duplicates()
    return counts, names


def _weigh(counts, idf: np.ndarray):
    """tf × idf, divided by sqrt(Σ tf × idf²) over the row: what LinearModel.decision computes."""
    from scipy.sparse import diags

    x = counts.multiply(idf[None, :]).tocsr()
    norm = np.sqrt(np.asarray(x.multiply(idf[None, :]).sum(axis=1)).ravel())
    return diags(1.0 / np.where(norm > 0, norm, 1.0)) @ x


def _fit_counts(counts, y: Sequence[str], min_df: int = 1, c: float = 0.5):
    """Fit on a count matrix; returns (kept column mask, idf, coef, bias, labels)."""
    from sklearn.svm import LinearSVC

    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = df >= max(min_df, 1)
    n = counts.shape[0]
    idf = np.log((1 + n) / (1 + df[keep])) + 1.0
    x = _weigh(counts[:, keep], idf)
    labels = sorted(set(y))
    clf = LinearSVC(C=c, class_weight="balanced", random_state=0)
    clf.fit(x, list(y))
    coef = clf.coef_.T
    bias = clf.intercept_
    if len(labels) == 2:  # sklearn keeps one column for two classes
        coef = np.hstack([-coef, coef])
        bias = np.array([-bias[0], bias[0]])
    order = [list(clf.classes_).index(lbl) for lbl in labels]
    return keep, idf, coef[:, order], np.asarray(bias)[order], labels


def _fit(feature_lists: list[list[str]], y: list[str], min_df: int = 1, c: float = 0.5):
    counts, names = _counts(feature_lists)
    keep, idf, coef, bias, labels = _fit_counts(counts, y, min_df, c)
    vocab_list = [f for f, k in zip(names, keep.tolist(), strict=True) if k]
    return vocab_list, idf, coef, bias, labels


def macro_f1(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    labels = sorted(set(y_true) | set(y_pred))
    scores = []
    for lbl in labels:
        tp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == lbl and p == lbl)
        fp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t != lbl and p == lbl)
        fn = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == lbl and p != lbl)
        denom = 2 * tp + fp + fn
        scores.append(2 * tp / denom if denom else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def accuracy(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    if not y_true:
        return 0.0
    return sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == p) / len(y_true)


def train(
    texts: Sequence[str],
    y: Sequence[str],
    out_dir: str | Path,
    *,
    label_field: str = "label",
    groups: Sequence[object] | None = None,
    group_field: str | None = None,
    folds: int = 5,
    seed: int = 0,
) -> LinearModel:
    """Train on everything and save a new version; its measured quality goes into meta.json.

    Quality is measured out of fold, never on texts the scoring model trained on: with ``groups``
    (one template / source / case id per text) whole groups are held out together, so a test text
    never shares its template with training (a random split over template-made data measures
    memory, not generalisation); without groups, a stratified k-fold. ``meta["quality"]`` says
    which method was used.
    """
    if len(texts) != len(y) or (groups is not None and len(groups) != len(y)):
        raise ModelError("Số văn bản, số nhãn và số nhóm phải bằng nhau.")
    if len(set(y)) < 2:
        raise ModelError("Cần ít nhất hai nhãn khác nhau để huấn luyện.")
    y = list(y)
    counts, names = _counts(featurize(_both_forms(texts)))
    quality = measure_quality(counts, y, groups, folds=folds, seed=seed, twins=True)
    if groups is not None and group_field:
        quality["group_field"] = group_field
    keep, idf, coef, bias, labels = _fit_counts(counts, y + y)
    vocab_list = [f for f, k in zip(names, keep.tolist(), strict=True) if k]
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    version = _next_version(root)
    folder = root / version
    folder.mkdir()
    meta = {
        "format": FORMAT,
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "label_field": label_field,
        "labels": labels,
        "training_size": len(texts),
        "label_counts": dict(Counter(y)),
        "features": "folded syllable 1-2 grams + lexicon cues read with the marks, "
        "tf-idf / sqrt(sum idf^2)",
        "training_forms": "each text as given and without diacritics",
        "algorithm": "LinearSVC(C=0.5, class_weight=balanced)",
        "quality": quality,
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
    (folder / "vocab.json").write_text(json.dumps(vocab_list, ensure_ascii=False), "utf-8")
    np.save(folder / "weights.npy", coef.astype(np.float32))
    np.save(folder / "bias.npy", bias.astype(np.float32))
    np.save(folder / "idf.npy", idf.astype(np.float32))
    (root / "CURRENT").write_text(version + "\n", encoding="utf-8")
    return LinearModel.load(root, version)


def _both_forms(texts: Sequence[str]) -> list[str]:
    """The texts, then each text without its diacritics: the model learns what a text means
    whichever way it is typed (cues read with marks make the two forms' features differ)."""
    texts = list(texts)
    return texts + [strip_diacritics(t) for t in texts]


def _fold_of(y: list[str], groups: Sequence[object] | None, folds: int, seed: int):
    """Fold number of every row (or None when there is too little data), and the method."""
    import random

    rng = random.Random(seed)
    if groups is not None:
        distinct = sorted({str(g) for g in groups})
        k = min(folds, len(distinct))
        if k < 2:
            return None, "grouped_kfold", k
        rng.shuffle(distinct)
        fold_of_group = {g: i % k for i, g in enumerate(distinct)}
        return [fold_of_group[str(g)] for g in groups], "grouped_kfold", k
    per_label = Counter(y)
    k = min(folds, min(per_label.values()))
    if k < 2:
        return None, "stratified_kfold", k
    assign = [0] * len(y)
    by_label: dict[str, list[int]] = {}
    for i, lbl in enumerate(y):
        by_label.setdefault(lbl, []).append(i)
    for idxs in by_label.values():
        rng.shuffle(idxs)
        for j, i in enumerate(idxs):
            assign[i] = j % k
    return assign, "stratified_kfold", k


_METHOD_VI = {
    "grouped_kfold": "kiểm định chéo {k} phần theo nhóm: cả nhóm (mẫu câu, nguồn) được giữ lại "
    "cùng nhau, mô hình đo không bao giờ thấy nhóm của văn bản được đo",
    "stratified_kfold": "kiểm định chéo {k} phần phân tầng theo nhãn (dữ liệu không có trường "
    "nhóm; nếu nhiều văn bản chép từ cùng mẫu, kết quả có thể lạc quan)",
}


def measure_quality(
    counts,
    y: list[str],
    groups: Sequence[object] | None,
    *,
    folds: int = 5,
    seed: int = 0,
    twins: bool = False,
) -> dict:
    """Out-of-fold accuracy and macro-F1 (every text predicted by a model that did not see it).

    ``twins``: ``counts`` has 2 × len(y) rows, the texts then the same texts without diacritics
    (``_both_forms``); a text and its twin are always in the same fold, training uses both and
    the measure is on the texts as given."""
    assign, method, k = _fold_of(y, groups, folds, seed)
    if assign is None:
        return {"method": "none", "note": "quá ít dữ liệu (hoặc quá ít nhóm) để đo chất lượng"}
    fold_arr = np.array(assign)
    truth: list[str] = []
    pred: list[str] = []
    used = 0
    for f in range(k):
        train_idx = np.flatnonzero(fold_arr != f)
        test_idx = np.flatnonzero(fold_arr == f)
        if twins:
            train_idx = np.concatenate([train_idx, train_idx + len(y)])
        y_train = [y[i % len(y)] for i in train_idx]
        if not len(test_idx) or len(set(y_train)) < 2:
            continue
        keep, idf, coef, bias, labels = _fit_counts(counts[train_idx], y_train)
        x = _weigh(counts[test_idx][:, keep], idf)
        scores = np.asarray(x @ coef) + bias
        pred.extend(labels[j] for j in scores.argmax(axis=1).tolist())
        truth.extend(y[i] for i in test_idx)
        used += 1
    if not truth:
        return {"method": "none", "note": "quá ít dữ liệu (hoặc quá ít nhóm) để đo chất lượng"}
    return {
        "method": method,
        "folds": k,
        "folds_used": used,
        "description": _METHOD_VI[method].format(k=k),
        "evaluated": len(truth),
        "groups": len({str(g) for g in groups}) if groups is not None else None,
        "accuracy": round(accuracy(truth, pred), 4),
        "macro_f1": round(macro_f1(truth, pred), 4),
    }
