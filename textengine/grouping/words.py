"""Words of a text for grouping: tokens as written and folded, syllables, content words
(function words and fillers left out)."""

from __future__ import annotations

import re

from textengine.normalize import fix_word, fold_normalized, normalize, words_fix_alone

# Folded Vietnamese function words and fillers: they say nothing about which matter an item is
# about. Folding merges some content words into them (cỏ→co, đá→da); the loss is small because
# issues are recognised by several words at once.
STOPWORDS = frozenset(
    """
    a ah ai anh ay ba bac bi bo boi ca cai cac cang cha chi chiu cho chu chua chuyen co con
    cu cua cung da dang de den deu di do du duoc em gan gi ha hay het hien ho hoac
    hoi hon it ja kha khac khi khien khong kia la lai lam len luc ma may minh moi mot muon nay
    neu ngay nghe ngoai nhe nhi nhieu nhu nhung no noi nua o oi ong qua ra rang rat roi rui sao
    se so sau tai tat the them theo thi thoi thuc toi tren trong truoc tu tuy uh ung va van
    vao vay ve vi voi vua xin xong y
    ko k khg hok kg dc dk đc ng nguoi dan ba con kinh gui de nghi kien nghi phan anh mong
    """.split()
)
_TOKEN_RE = re.compile(r"[^\W_]+|[^\w\s]")


def _tokens(text: str | None) -> tuple[list[str], list[str]]:
    """Word and punctuation tokens of the normalised text, as written and folded (aligned)."""
    return _split_text(text)[:2]


def _split_text(text: str | None) -> tuple[list[str], list[str], list[str], list[str]]:
    """``_split(normalize(text))``, without normalising the text as a whole.

    What grouping reads is the stored text, which filing already masked and normalised
    (``textops.services.analyse``). Such a text passes ``words_fix_alone``, so its normal form
    is its own words each fixed, and a word of a normal text is its own fix: each word is looked
    up once, in ``_RAW_PIECES`` (raw word -> the pieces of its fixed form), and the text is
    neither normalised again nor rebuilt. A word is fixed the first time it is seen (once per
    distinct word, through ``normalize``'s own cache); a text that needs more (decomposed Unicode,
    punctuation to glue, a symbol only legacy encodings use: a stored text only in that last,
    rare case) is normalised first, as before.
    Either way the result is exactly ``_split(normalize(text))``."""
    if not text:
        return [], [], [], []
    if not isinstance(text, str):
        text = str(text)
    if not words_fix_alone(text):
        return _split(normalize(text))
    raw: list[str] = []
    folded: list[str] = []
    syl: list[str] = []
    words: list[str] = []
    get = _RAW_PIECES.get
    for position, token in enumerate(text.split()):
        entry = get(token) or _raw_pieces(token)
        if position and entry[4]:
            return _split_whole(normalize(text))
        raw += entry[0]
        folded += entry[1]
        syl += entry[2]
        words += entry[3]
    if len(folded) != len(raw):
        return _split_whole(normalize(text))
    return raw, folded, syl, words


def _split(norm: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """(raw pieces, folded pieces, folded syllables, content words) of a normalised text.

    Pieces never cross a space, so the text's pieces are its space-separated words' pieces in
    turn; a ward's vocabulary is small, so each word is looked up in ``_PIECES`` rather than
    folded and searched again. A word whose folded form would be glued to the word before it
    (it starts with closing punctuation) takes the whole-text path, which does that gluing."""
    raw: list[str] = []
    folded: list[str] = []
    syl: list[str] = []
    words: list[str] = []
    get = _PIECES.get
    for position, token in enumerate(norm.split()):
        entry = get(token) or _pieces(token)
        if position and entry[4]:
            return _split_whole(norm)
        raw += entry[0]
        folded += entry[1]
        syl += entry[2]
        words += entry[3]
    if len(folded) != len(raw):
        return _split_whole(norm)
    return raw, folded, syl, words


def _split_whole(norm: str) -> tuple[list[str], list[str], list[str], list[str]]:
    raw = _TOKEN_RE.findall(norm)
    folded = _TOKEN_RE.findall(fold_normalized(norm))
    if len(folded) != len(raw):  # a rare letter folded into two tokens: fold one by one
        folded = [fold_normalized(t) or t for t in raw]
    syl = [f for f in folded if f[0].isalnum()]
    return raw, folded, syl, [s for s in syl if s not in STOPWORDS]


_PIECES: dict[str, tuple] = {}
_PIECES_MAX = 200_000


_RAW_PIECES: dict[str, tuple] = {}  # a word as it comes -> _PIECES entry of its fixed form


def _raw_pieces(token: str) -> tuple:
    fixed = fix_word(token)
    entry = _PIECES.get(fixed) or _pieces(fixed)
    if len(_RAW_PIECES) >= _PIECES_MAX:
        _RAW_PIECES.clear()
    _RAW_PIECES[token] = entry
    return entry


def _pieces(token: str) -> tuple:
    fold = fold_normalized(token)
    raw = _TOKEN_RE.findall(token)
    folded = _TOKEN_RE.findall(fold)
    syl = [f for f in folded if f[0].isalnum()]
    glued = bool(fold) and fold[0] in ",.;:!?)]"
    entry = (raw, folded, syl, [s for s in syl if s not in STOPWORDS], glued)
    if len(_PIECES) >= _PIECES_MAX:
        _PIECES.clear()
    _PIECES[token] = entry
    return entry

