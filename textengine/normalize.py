"""Vietnamese text normalisation and folding (no Django import).

``normalize`` gives one canonical spelling of the same words so that counting, grouping and search
do not split on how a keyboard or a font wrote them:

* legacy font encodings (TCVN3/ABC and VNI-Windows pasted as Unicode) converted to Unicode;
* NFC, one tone-mark placement (the classic one, kept here: ``hoà``→``hòa``, ``thuý``→``thúy``,
  ``qùy``→``quỳ``), one spelling of the i/y pairs the language allows (``lí``→``lý``, ``kĩ``→``kỹ``,
  ``qui``→``quy``);
* invisible characters removed, spaces and punctuation tidied.

``fold`` is the matching form: normalised, no diacritics, ``đ``→``d``, lower case, single spaces.
Work is done per whitespace token through a bounded cache: a ward's vocabulary is small, so after a
warm-up nearly every token is a dictionary hit, which keeps the batch pipeline fast.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "normalize",
    "fold",
    "fold_normalized",
    "fix_word",
    "words_fix_alone",
    "syllables",
    "strip_diacritics",
    "fix_syllable",
    "detect_legacy",
    "legacy_to_unicode",
]

# ---------------------------------------------------------------------------------------------
# Tone tables. Tones: 0 none, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng.
_TONE_MARKS = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_BASE_VOWELS = "aăâeêioôơuưy"
_SHAPED = set("ăâêôơư")  # vowels that carry a shape mark and attract the tone

_SPLIT: dict[str, tuple[str, int]] = {}  # composed char -> (base char, tone)
_JOIN: dict[tuple[str, int], str] = {}  # (base char, tone) -> composed char
for _base in _BASE_VOWELS + _BASE_VOWELS.upper():
    for _tone, _mark in enumerate(_TONE_MARKS):
        _ch = unicodedata.normalize("NFC", _base + _mark)
        _SPLIT[_ch] = (_base, _tone)
        _JOIN[(_base, _tone)] = _ch

_SYLLABLE_RE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
    r"([aăâeêioôơuưy]{1,3})"
    r"(ng|nh|ch|c|m|n|p|t)?$"
)
# Vowel clusters Vietnamese allows (after the initial; "qu" and "gi" take their vowel).
_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê "
    "iêu oai oay oao oeo uây uôi uya uyê uyu ươi ươu yêu".split()
)
# i/y pairs: a lone i/y after one of these single consonants is written with y (lý, kỹ, mỹ, sỹ, tỷ).
_IY_INITIALS = {"h", "k", "l", "m", "s", "t"}
# Toneless syllables where the i spelling also exists as a separate word (ti vi, lông mi, ki lô) are
# left alone; only these are unambiguous.
_IY_TONELESS = {"h", "l"}


def _tone_position(initial: str, vowels: str, final: str) -> int:
    """Index in ``vowels`` of the vowel that carries the tone (classic placement)."""
    shaped = [i for i, v in enumerate(vowels) if v in _SHAPED]
    if shaped:
        return shaped[-1]  # ươ -> ơ, uô -> ô, iê -> ê, ưa -> ư
    if len(vowels) == 1:
        return 0
    if len(vowels) == 3:
        return 1  # oai, oay, uya, uyu, oeo
    # Two plain vowels: on the second when a final consonant follows (hoàng), else the first
    # (hòa, thúy, mùa, tài) — the classic rule the project keeps.
    return 1 if final else 0


def fix_syllable(word: str) -> str:
    """Return ``word`` with its tone on the canonical vowel and the canonical i/y; non-Vietnamese
    words are returned unchanged."""
    bases = []
    tone = 0
    for ch in word:
        split = _SPLIT.get(ch)
        if split is None:
            bases.append(ch)
        else:
            bases.append(split[0])
            if split[1]:
                if tone and tone != split[1]:
                    return word  # two different tones: not a syllable we understand
                tone = split[1]
    lower = "".join(bases).lower()
    match = _SYLLABLE_RE.match(lower)
    if match is None:
        return word
    initial, vowels, final = match.group(1) or "", match.group(2), match.group(3) or ""
    if vowels not in _NUCLEI:
        return word
    start = len(initial)
    # i/y: "qui"->"quy" and "lí"->"lý" (same word, two spellings); only without a final consonant.
    if not final and vowels in ("i", "y"):
        if initial == "qu" or (initial in _IY_INITIALS and (tone or initial in _IY_TONELESS)):
            if vowels == "i":
                bases[start] = "Y" if bases[start].isupper() else "y"
    if not tone:
        return "".join(bases)
    target = start + _tone_position(initial, vowels, final)
    bases[target] = _JOIN[(bases[target], tone)]
    return "".join(bases)


# ---------------------------------------------------------------------------------------------
# Legacy encodings, as they look when a TCVN3 or VNI file is opened as Windows-1252/Latin-1.
_UNI_ORDER = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
# TCVN3 (ABC, .VnTime): one byte per lower-case letter; capitals with marks come from a second font
# with the same codes, so they convert to lower case (the best that can be done).
_TCVN3_LOWER = (
    "a\xb5\xb6\xb7\xb8\xb9\xa8\xbb\xbc\xbd\xbe\xc6\xa9\xc7\xc8\xc9\xca\xcb"
    "e\xcc\xce\xcf\xd0\xd1\xaa\xd2\xd3\xd4\xd5\xd6"
    "i\xd7\xd8\xdc\xdd\xde"
    "o\xdf\xe1\xe2\xe3\xe4\xab\xe5\xe6\xe7\xe8\xe9\xac\xea\xeb\xec\xed\xee"
    "u\xef\xf1\xf2\xf3\xf4\xad\xf5\xf6\xf7\xf8\xf9"
    "y\xfa\xfb\xfc\xfd\xfe\xae"
)
_TCVN3_MAP: dict[str, str] = {
    code: uni for code, uni in zip(_TCVN3_LOWER, _UNI_ORDER, strict=True) if code != uni
}
_TCVN3_MAP.update(
    {"\xa1": "Ă", "\xa2": "Â", "\xa3": "Ê", "\xa4": "Ô", "\xa5": "Ơ", "\xa6": "Ư", "\xa7": "Đ"}
)
_TCVN3_TABLE = str.maketrans(_TCVN3_MAP)

# VNI-Windows: a base letter followed by one or two mark bytes.
_VNI_TONES = {"ù": 1, "ø": 2, "û": 3, "õ": 4, "ï": 5}
_VNI_TONES_UP = {"Ù": 1, "Ø": 2, "Û": 3, "Õ": 4, "Ï": 5}
_VNI_HAT = {"â": (0,), "á": (1,), "à": (2,), "å": (3,), "ã": (4,), "ä": (5,)}  # â ê ô
_VNI_BREVE = {"ê": 0, "é": 1, "è": 2, "ú": 3, "ü": 4, "ë": 5}  # ă
_VNI_MAP: dict[str, str] = {}


def _build_vni() -> None:
    for upper in (False, True):
        tones = _VNI_TONES_UP if upper else _VNI_TONES

        def case(s: str, up: bool = upper) -> str:
            return s.upper() if up else s

        for base in "aeouy":
            for code, tone in tones.items():
                _VNI_MAP[case(base) + code] = _JOIN[(case(base), tone)]
        for base, hatted in (("a", "â"), ("e", "ê"), ("o", "ô")):
            for code, (tone,) in _VNI_HAT.items():
                _VNI_MAP[case(base) + case(code)] = _JOIN[(case(hatted), tone)]
        for code, tone in _VNI_BREVE.items():
            _VNI_MAP[case("a") + case(code)] = _JOIN[(case("ă"), tone)]
        # ơ = ô, ư = ö, then an optional tone byte.
        for code, shaped in (("ô", "ơ"), ("ö", "ư")):
            _VNI_MAP[case(code)] = case(shaped)
            for tcode, tone in tones.items():
                _VNI_MAP[case(code) + tcode] = _JOIN[(case(shaped), tone)]
        # i has its own single bytes; ỵ too; đ = ñ.
        for code, uni in (
            ("ì", "ì"),
            ("í", "í"),
            ("æ", "ỉ"),
            ("ó", "ĩ"),
            ("ò", "ị"),
            ("î", "ỵ"),
            ("ñ", "đ"),
        ):
            _VNI_MAP[case(code)] = case(uni)


_build_vni()
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI_MAP), key=len, reverse=True)))

# Characters a legacy text shows and genuine Vietnamese Unicode never needs.
_VI_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_LEGACY_HINT_RE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0xA1, 0x100) if chr(c) not in _VI_LATIN1) + "]"
)
_UNICODE_VI_RE = re.compile("[ăđĩũơưĂĐĨŨƠƯ\u1ea0-\u1ef9]")


def legacy_to_unicode(text: str, encoding: str) -> str:
    """Convert text in ``encoding`` ("tcvn3" or "vni") as displayed via Latin-1 to Unicode."""
    if encoding == "tcvn3":
        return text.translate(_TCVN3_TABLE)
    if encoding == "vni":
        return _VNI_RE.sub(lambda m: _VNI_MAP[m.group(0)], text)
    raise ValueError(encoding)


_WORD_RE = re.compile(r"[^\W\d_]+")


def _is_vietnamese_word(token: str) -> bool:
    """A token whose letter runs are all Vietnamese syllables, at least one of them marked."""
    marked = False
    runs = _WORD_RE.findall(token.lower())
    if sum(map(len, runs)) < 2:  # a lone letter is no evidence
        return False
    for run in runs:
        match = _SYLLABLE_RE.match("".join(_SPLIT.get(c, (c, 0))[0] for c in run))
        if match is None or match.group(2) not in _NUCLEI:
            return False
        marked = marked or not run.isascii()
    return marked and not _LEGACY_HINT_RE.search(token)


_UNIT_SPLIT_RE = re.compile(r"[\s\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")


def detect_legacy(text: str) -> str | None:
    """Return "tcvn3" or "vni" when ``text`` looks like that legacy encoding, else None.

    Only tokens that show characters genuine Vietnamese never uses are judged: an encoding wins
    when converting turns at least half of them into real Vietnamese syllables, so a stray "ü" or
    "°" in a Unicode text is left alone.
    """
    # Units split at spaces and ASCII punctuation (never part of a legacy code), so that gluing
    # punctuation or removing control characters cannot change the verdict on a second pass.
    suspects = [t for t in _UNIT_SPLIT_RE.split(text) if _LEGACY_HINT_RE.search(t)]
    if not suspects or len(_UNICODE_VI_RE.findall(text)) > len(suspects):
        return None
    best, best_fixed = None, 0
    for encoding in ("tcvn3", "vni"):
        fixed = sum(_is_vietnamese_word(legacy_to_unicode(t, encoding)) for t in suspects)
        if fixed > best_fixed:
            best, best_fixed = encoding, fixed
    return best if best_fixed * 2 >= len(suspects) else None


# ---------------------------------------------------------------------------------------------
# Whitespace and punctuation.
_CHAR_TABLE = str.maketrans(
    {
        **{
            c: " "
            for c in "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
            "\u2008\u2009\u200a\u202f\u205f\u3000\x0b\x0c"
        },
        # The soft hyphen stays: it is the TCVN3 code of "ư", and removing it would change what
        # legacy detection sees on a second pass (normalize must be idempotent).
        **{c: None for c in "\u200b\u200c\u200d\u2060\ufeff\ufffe"},
        # Bidirectional controls (LRM/RLM, embeddings, overrides, isolates) reorder what a reader
        # sees without changing what is stored ("0912" shown as "2190"): removed (issue 16).
        **{c: None for c in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"},
        **{c: None for c in "\u2066\u2067\u2068\u2069"},
        # Full-width ASCII ("０９１２", "＠") folded to ASCII, so masking sees digits and "@"
        # (the width folding of NFKC, without its other compatibility mappings).
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)},
        **{c: "\n" for c in "\r\u2028\u2029\x85"},
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        **{chr(c): None for c in range(0, 32) if chr(c) not in "\n\t\x0b\x0c\r"},
        "\x7f": None,
    }
)
_CHAR_NEEDS_RE = re.compile(
    "[" + "".join(re.escape(k if isinstance(k, str) else chr(k)) for k in _CHAR_TABLE) + "]"
)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_REPEAT_PUNCT_RE = re.compile(r"([!?.,])\1{3,}")
_ATTACH = frozenset(",.;:!?)]")

_CACHE: dict[str, str] = {}
_CACHE_MAX = 200_000


def _fix_once(token: str) -> str:
    fixed = _WORD_RE.sub(lambda m: fix_syllable(m.group(0)), token)
    if len(fixed) > 3:
        fixed = _REPEAT_PUNCT_RE.sub(r"\1\1\1", fixed)
    return fixed


def _fix_plain(token: str) -> str:
    fixed = _fix_once(token)
    # A stray combining mark after a syllable whose tone just moved can compose with the new
    # last letter ("Òa" + U+0300): compose and fix again until stable, so normalize is idempotent.
    for _ in range(4):
        if fixed.isascii() or unicodedata.is_normalized("NFC", fixed):
            break
        fixed = _fix_once(unicodedata.normalize("NFC", fixed))
    return fixed


def _fix_token(token: str) -> str:
    fixed = _fix_plain(token)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    _CACHE[token] = fixed
    return fixed


# After the character table, the only whitespace left inside a line is " " (every other
# str.isspace() character is in the table), so a literal search finds punctuation to glue.
_NEEDS_ATTACH_RE = re.compile(r" [,.;:!?)\]]")
# Anything the slow path exists for: table characters, legacy-only symbols, lone surrogates.
_SPECIAL_RE = re.compile(
    _CHAR_NEEDS_RE.pattern[:-1] + _LEGACY_HINT_RE.pattern[1:-1] + "\ud800-\udfff]"
)


def _glue(tokens: list[str]) -> list[str]:
    """Glue closing punctuation to the token before it ("a , b" -> "a, b")."""
    out: list[str] = []
    for token in tokens:
        if out and token[0] in _ATTACH:
            out[-1] += token
        else:
            out.append(token)
    return out


def _fixed_words(line: str) -> list[str]:
    """The line's words, each fixed, closing punctuation glued to the word before it. Gluing
    comes first so that a glued word ("a" + "!!!!") is fixed as a whole and a second pass finds
    nothing to do."""
    get = _CACHE.get
    raw = line.split()
    if _NEEDS_ATTACH_RE.search(line):
        raw = _glue(raw)
    return [get(t) or _fix_token(t) for t in raw]


def _join_tokens(line: str) -> str:
    return " ".join(_fixed_words(line))


def _prepare(text: str) -> tuple[str, bool]:
    """Whole-text steps before the word by word ones; True when the text needed the slow path
    (then normalize checks whether a second pass is due)."""
    if not _SPECIAL_RE.search(text):
        # The common case: clean Unicode. Only decomposed input needs work.
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            return text, False
        return unicodedata.normalize("NFC", text), True
    if _CHAR_NEEDS_RE.search(text):
        text = text.translate(_CHAR_TABLE)
    if not text.isascii():
        # Legacy detection must see the text before NFC and before soft hyphens (TCVN3 "ư").
        if _LEGACY_HINT_RE.search(text):
            encoding = detect_legacy(text)
            if encoding:
                text = legacy_to_unicode(text, encoding)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        # Lone surrogates (from broken decoders) cannot be encoded anywhere downstream.
        if _SURROGATE_RE.search(text):
            text = text.encode("utf-8", "replace").decode("utf-8")
    return text, True


def words_fix_alone(text: str) -> bool:
    """True when ``normalize(text)`` has the words of ``text`` each fixed on its own: clean NFC
    Unicode (nothing for the character table, no legacy-only symbol) with no closing punctuation
    to glue. Then ``normalize(text).split() == [fix_word(w) for w in text.split()]``, and a text
    already normal (what the app stores) is its own words: nothing to normalise again. Three
    C-level checks (the ones ``normalize`` starts with), no per-word work."""
    return not (
        _SPECIAL_RE.search(text)
        or _NEEDS_ATTACH_RE.search(text)
        or not (text.isascii() or unicodedata.is_normalized("NFC", text))
    )


def fix_word(word: str) -> str:
    """One whitespace-free word as ``normalize`` writes it (through its cache)."""
    return _CACHE.get(word) or _fix_token(word)


def _normalize_once(text: str) -> tuple[str, bool]:
    return _normalize_prepared(*_prepare(text))


def _normalize_prepared(text: str, slow: bool) -> tuple[str, bool]:
    """``_normalize_once`` after ``_prepare``: the word by word steps."""
    if "\n" in text:
        return "\n".join(filter(None, map(_join_tokens, text.split("\n")))), slow
    return _join_tokens(text), slow


_MAX_PASSES = 8


def normalize(text: str | None) -> str:
    """Canonical Unicode spelling of ``text`` (see module docstring). Never raises on str input.

    Idempotent: ``normalize(normalize(x)) == normalize(x)``. One pass suffices unless the text
    took the slow path and the result still shows characters only legacy encodings use: fixing
    tone marks may then have turned a non-word into something the legacy detector recognises
    ("ÌÊ0Ë"), so passes repeat until nothing changes. A further change converts legacy codes into
    Vietnamese letters, which never adds such characters, so this ends after a pass or two.
    """
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    return _settle(*_normalize_once(text))


def _settle(out: str, slow: bool) -> str:
    passes = 1
    while slow and passes < _MAX_PASSES and not out.isascii() and _LEGACY_HINT_RE.search(out):
        again, _slow = _normalize_once(out)
        if again == out:
            break
        out = again
        passes += 1
    return out


def normalize_words(text: str | None) -> tuple[str, list[str] | None]:
    """``normalize(text)`` and, for the common one-line text, its words (saves the batch
    pipeline a second split); None when the text has several lines or took the slow path."""
    if not text:
        return "", []
    if not isinstance(text, str):
        text = str(text)
    prepared, slow = _prepare(text)
    if slow or "\n" in prepared:
        return normalize(text), None
    words = _fixed_words(prepared)
    return " ".join(words), words


# ---------------------------------------------------------------------------------------------
# Folding.
_FOLD_MAP = {ch: base for ch, (base, _t) in _SPLIT.items()}
_FOLD_MAP.update(
    {
        "ă": "a",
        "â": "a",
        "ê": "e",
        "ô": "o",
        "ơ": "o",
        "ư": "u",
        "đ": "d",
        "Ă": "a",
        "Â": "a",
        "Ê": "e",
        "Ô": "o",
        "Ơ": "o",
        "Ư": "u",
        "Đ": "d",
    }
)
_FOLD_TABLE = str.maketrans({k: _FOLD_MAP.get(v, v).lower() for k, v in _FOLD_MAP.items()})


def strip_diacritics(text: str) -> str:
    """Remove every diacritic (keeps case): what text typed without a Vietnamese keyboard looks
    like. Used to measure robustness."""
    out = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in out if not _is_mark(c)))


def _is_mark(char: str) -> bool:
    # Some nonspacing marks have combining class 0 (U+034F COMBINING GRAPHEME JOINER), so the
    # class alone would let them through; the general category catches them too.
    return bool(unicodedata.combining(char)) or unicodedata.category(char) == "Mn"


_FOLD_CACHE: dict[str, str] = {}


def _fold_once(token: str) -> str:
    out = token.translate(_FOLD_TABLE).lower()
    if not out.isascii():
        # Symbols that only legacy encodings need are dropped, so folding twice changes nothing.
        out = _LEGACY_HINT_RE.sub("", strip_diacritics(out).lower())
    return out


def _fold_token(token: str) -> str:
    out = _fold_once(token)
    # The folded form must be normal itself, or fold(fold(x)) != fold(x): dropping marks or
    # symbols can leave "qui" ("qưi", "quºi") or "hi", which normalise to "quy" and "hy". The
    # i/y choice is therefore applied in the folded domain too, until nothing changes.
    for _ in range(4):
        again = _fold_once(_fix_plain(out))
        if again == out:
            break
        out = again
    if len(_FOLD_CACHE) >= _CACHE_MAX:
        _FOLD_CACHE.clear()
    _FOLD_CACHE[token] = out
    return out


def fold_normalized(text: str) -> str:
    """Fold text that already went through :func:`normalize`."""
    get = _FOLD_CACHE.get
    out = [f for f in [get(t) or _fold_token(t) for t in text.split()] if f]
    joined = " ".join(out)
    if _NEEDS_ATTACH_RE.search(joined):
        # A token emptied by folding can leave punctuation alone: glue it as normalize does, and
        # fold the glued token again ("a" + "!!" + "!!" is "a!!!" once normal).
        joined = " ".join([get(f) or _fold_token(f) for f in _glue(out)])
    return joined


def fold(text: str | None) -> str:
    """Matching form: normalised, no diacritics, đ→d, lower case, single spaces."""
    return fold_normalized(normalize(text))


_SYLLABLE_SPLIT_RE = re.compile(r"[^\W_]+")


def syllables(text: str | None, *, folded: bool = True) -> list[str]:
    """Syllables (runs of letters and digits) of ``text``, folded by default."""
    norm = normalize(text)
    return _SYLLABLE_SPLIT_RE.findall(fold_normalized(norm) if folded else norm.lower())
