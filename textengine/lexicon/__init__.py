"""The team's cue lexicon: one plain-text file per topic and per attitude (no Django import).

Layout (edit the files, no code change needed)::

    lexicon/topic/<code>.txt      # first line "# name: <Vietnamese name>", then one cue a line
    lexicon/attitude/<code>.txt
    lexicon/teencode.tsv

A cue line is a word or phrase written normally (with diacritics), optionally followed by a TAB and
a weight (default 1), and optionally by a second TAB and ``có dấu``: a one-syllable cue so marked
matches only a word written with its marks, never the same letters typed without them ("so" is
far more often "số", "so" or "sở" than "sợ"; which cues need it was read from the training
texts, see docs/PERFORMANCE.md). Matching is on the folded form, longest phrase first, so
"không đồng tình" (phản đối) wins over "đồng tình" (đồng tình) and a cue typed without
diacritics still matches. A word the text writes *with* diacritics that no cue writes that way
is not matched, though: "số" is not the cue "sợ", whatever its folded form
(``Lexicon.conflicts``, issue 17).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]+")

LEXICON_DIR = Path(__file__).resolve().parent
KINDS = ("topic", "attitude")

# Codes of the taxonomy topics (core.models.Topic names, seeded from the plan III.2) and attitudes.
TOPICS: dict[str, str] = {
    "kinh_te_xa_hoi": "Kinh tế - xã hội",
    "quoc_phong_an_ninh": "Quốc phòng - an ninh",
    "trat_tu_an_toan_xa_hoi": "Trật tự an toàn xã hội",
    "doi_song": "Đời sống",
    "viec_lam": "Việc làm",
    "thu_nhap": "Thu nhập",
    "giao_duc": "Giáo dục",
    "y_te": "Y tế",
    "van_hoa": "Văn hóa",
    "moi_truong": "Môi trường",
    "xay_dung_dang": "Xây dựng Đảng",
    "chinh_quyen": "Chính quyền",
    "mat_tran_to_quoc": "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
}
ATTITUDES: dict[str, str] = {
    "dong_tinh": "đồng tình, phấn khởi",
    "ban_khoan": "băn khoăn, lo lắng",
    "buc_xuc": "bức xúc",
    "phan_doi": "phản đối",
}


@dataclass(frozen=True)
class Cue:
    label: str
    weight: float
    phrase: str  # as written in the file


@dataclass
class Lexicon:
    """Folded phrase index for one kind (topic or attitude)."""

    kind: str
    labels: dict[str, str]
    index: dict[tuple[str, ...], list[Cue]] = field(default_factory=dict)
    max_len: int = 1
    # token trie: {token: (cues ending here, {next token: ...})}; most tokens start nothing
    trie: dict = field(default_factory=dict)
    # folded token -> the ways (lower case) the cues write it; None: some cue writes it without
    # marks or through teen-code, so any way of writing it may be that cue
    forms: dict[str, frozenset[str] | None] = field(default_factory=dict)
    # folded tokens of one-syllable cues marked "có dấu": typed without marks, they match nothing
    marked_only: set[str] = field(default_factory=set)
    _conflicts: dict[str, tuple[bool, ...]] = field(default_factory=dict, repr=False)

    def add(self, label: str, phrase: str, weight: float, marked_only: bool = False) -> None:
        from textengine.normalize import fold, normalize
        from textengine.tokenize import tokens

        key = tuple(tokens(phrase))
        if not key:
            return
        self._conflicts.clear()  # the forms change
        written = _WORD.findall(normalize(phrase).lower())
        plain = len(written) == len(key) and all(
            fold(w) == t for w, t in zip(written, key, strict=True)
        )
        for i, token in enumerate(key):
            form = written[i] if plain else ""
            known = self.forms.get(token, frozenset())
            if not form or form.isascii() or known is None:
                self.forms[token] = None
            else:
                self.forms[token] = known | {form}
        if marked_only and len(key) == 1 and not phrase.isascii():
            self.marked_only.add(key[0])
        self.index.setdefault(key, []).append(Cue(label, weight, phrase))
        self.max_len = max(self.max_len, len(key))
        level = self.trie
        for pos, tok in enumerate(key):
            node = level.setdefault(tok, ([], {}))
            if pos == len(key) - 1:
                node[0].append(Cue(label, weight, phrase))
            level = node[1]

    def conflicts(self, word: str) -> tuple[bool, ...]:
        """For each token of ``word`` (one word of a normalised text, as the tokenizer cuts it):
        True when the word is one syllable written with diacritics that no cue writes its token
        with ("số" for the cue "sợ"), or one syllable typed without marks whose cue is marked
        "có dấu" ("so"), so it must not match a cue. Cached per word (a ward's vocabulary is
        small)."""
        out = self._conflicts.get(word)
        if out is None:
            if len(self._conflicts) >= 200_000:
                self._conflicts.clear()
            out = self._conflicts[word] = self._word_conflicts(word)
        return out

    def _word_conflicts(self, word: str) -> tuple[bool, ...]:
        from textengine.normalize import fold_normalized
        from textengine.tokenize import tokens_folded

        toks = tokens_folded(fold_normalized(word))
        core = _WORD.findall(word.lower())
        if len(toks) != 1 or len(core) != 1 or fold_normalized(core[0]) != toks[0]:
            return (False,) * len(toks)  # several syllables or teen-code ("đc")
        if core[0].isascii():  # typed without marks
            return (toks[0] in self.marked_only,)
        forms = self.forms.get(toks[0])
        return (bool(forms) and core[0] not in forms,)

    def match(self, toks: list[str]) -> list[tuple[Cue, int]]:
        """Cues found in the folded tokens, longest phrase first, each token used once."""
        found: list[tuple[Cue, int]] = []
        trie, n = self.trie, len(toks)
        free = 0  # first token not yet used by a longer phrase
        for i in [i for i, t in enumerate(toks) if t in trie]:
            if i < free:
                continue
            node = trie[toks[i]]
            best, end, j = node[0], i + 1, i + 1
            while j < n and toks[j] in node[1]:
                node = node[1][toks[j]]
                j += 1
                if node[0]:
                    best, end = node[0], j
            if best:
                found.extend((cue, i) for cue in best)
                free = end
        return found


_MARKED_ONLY = "co dau"


def _read(path: Path) -> tuple[str | None, list[tuple[str, float, bool]]]:
    from textengine.normalize import fold

    name = None
    entries: list[tuple[str, float, bool]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if stripped[1:].strip().lower().startswith("name:"):
                name = stripped.split(":", 1)[1].strip()
            continue
        phrase, _, rest = line.partition("\t")
        weight, _, flag = rest.partition("\t")
        try:
            value = float(weight) if weight.strip() else 1.0
        except ValueError:
            value = 1.0
        entries.append((phrase.strip(), value, fold(flag) == _MARKED_ONLY))
    return name, entries


def load(kind: str, directory: Path | None = None) -> Lexicon:
    """Read ``<directory>/<kind>/*.txt`` (default: the files shipped beside this module)."""
    folder = (directory or LEXICON_DIR) / kind
    defaults = TOPICS if kind == "topic" else ATTITUDES
    lexicon = Lexicon(kind=kind, labels=dict(defaults))
    for path in sorted(folder.glob("*.txt")):
        label = path.stem
        name, entries = _read(path)
        lexicon.labels[label] = name or lexicon.labels.get(label, label)
        for phrase, weight, marked_only in entries:
            lexicon.add(label, phrase, weight, marked_only)
    return lexicon


@lru_cache(maxsize=4)
def default(kind: str) -> Lexicon:
    return load(kind)
