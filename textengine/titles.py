"""Titles of issues built from the matter and the place, never from a resident's sentence.

An issue used to take its title from its first opinion's text, and so showed that resident's
name or house to everyone who may read the issue (issue 18). A title is now built from:

* the topic (a name from the office's vocabulary),
* the matter's key words: runs of lower-case content words of the item's (masked) text, as
  written. Capitalised words (names of persons, and of places a name may hide in), numbers,
  masking tokens, function words, the word before a number or a name ("nhà 12", "đường Trần
  Phú": a place marker) and whatever follows a self-introduction ("tôi là …") are left out,
* the place: the area's name (a quarter, a village), given by the caller.

"Môi trường — rác thải, chợ bốc mùi — Tổ dân phố 3". No Django import: the callers pass names.

A title must read as Vietnamese, and about a third of residents type without diacritics
("rac thai, cho boc mui"). ``title_words`` takes the key words of an issue's most
representative item written with diacritics (the one sharing most of its content words with the
others); only when no item has them are the words taken from the most representative item with
its diacritics restored (:mod:`textengine.diacritics`), and the caller may say so.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from textengine.diacritics import is_accented, restore
from textengine.grouping.words import STOPWORDS
from textengine.mask import _SURNAMES, mask_text
from textengine.normalize import fold
from textengine.tokenize import teencode_map

__all__ = ["TITLE_MAX", "build_title", "matter_words", "representative", "title_words"]

TITLE_MAX = 120
UNNAMED = "Vấn đề mới"

_TOKEN = re.compile(r"⟨[^⟩]*⟩|[^\W\d_]+|\d+|[^\w\s]")
# "tôi là …", "tên tôi là …", "tôi tên …": the next words are the writer's name.
_SELF_INTRO = frozenset(["toi la", "ten la", "toi ten", "em la", "chau la", "con la", "ten toi"])
# Function words as written: the folded list (``STOPWORDS``, for grouping) also catches content
# words that fold the same ("bộ" as "bố", "chợ" as "cho", "cỏ" as "có"), which a title needs.
_FUNCTION_WORDS = frozenset(
    """
    à ạ ai anh ấy bà bác bị bởi cả cái các càng chỉ chị chịu cho chú chưa chuyện có còn cũng của
    cứ đã đang để đến đều đi do đó được em gần gì hả hay hãy hết hiện họ hoặc hỏi hơn ít khá khác
    khi khiến không kia là lại làm lên lúc mà mấy mình mỗi một muốn này nếu ngay nghe ngoài nhé
    nhỉ nhiều như nhưng nó nói nữa ở ôi ông qua quá ra rằng rất rồi sao sẽ số sau tại tất thế thêm
    theo thì thôi thực tôi trên trong trước từ tuy ừ ứng và vẫn vào vậy về vì với vừa xin xong ý
    người dân con kính gửi đề nghị kiến phản ánh mong bảo đòi rồi
    """.split()
)
_WORD = re.compile(r"[^\W\d_]+")
_RUN_MAX = 6  # syllables in one key phrase (the rest of a longer run is left out)


def _is_break(token: str) -> bool:
    return not token[:1].isalpha()


def _function_word(token: str, folded: str) -> bool:
    lower = token.lower()
    if lower == folded:  # written without diacritics: only the folded list can tell
        return folded in STOPWORDS
    return lower in _FUNCTION_WORDS


def _sentence_start(tokens: list[str], i: int) -> bool:
    return i == 0 or tokens[i - 1] in {".", "!", "?", ":", ";", "-", "…", "\n"}


def _plain_capital(token: str, following: str) -> bool:
    """A capitalised first word that is no name: one word, not a surname, followed by a word in
    lower case ("Rác thải", not "Phạm Thị Hoa")."""
    return (
        token[:1].isupper()
        and token[1:] == token[1:].lower()
        and token.lower() not in _SURNAMES
        and following[:1].isalpha()
        and following == following.lower()
    )


def matter_words(text: str | None, limit: int = 3) -> list[str]:
    """Up to ``limit`` key phrases of ``text``: runs of lower-case content words, longest kinds
    first (two syllables or more before single words), in the order they are written."""
    tokens = _TOKEN.findall(text or "")
    runs: list[list[str]] = []
    run: list[str] = []
    silenced = False  # after a self-introduction, until the next punctuation
    folded = [fold(t) if t[:1].isalpha() else t for t in tokens]
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if _sentence_start(tokens, i) and _plain_capital(token, following):
            token = token.lower()  # "Rác thải …": a capital that only starts the sentence
        if _is_break(token) and not token.isdigit():
            silenced = False
        if i >= 1 and " ".join(folded[i - 1 : i + 1]) in _SELF_INTRO:
            silenced = True
            if run:
                runs.append(run)
            run = []
            continue
        content = (
            not silenced
            and token.isalpha()
            and token == token.lower()
            and not _function_word(token, folded[i])
            and len(folded[i]) > 1
            and not (following[:1].isdigit() or following[:1].isupper() or following[:1] == "⟨")
        )
        if content:
            run.append(token)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    runs = [r[:_RUN_MAX] for r in runs]
    phrases = [" ".join(r) for r in runs if len(r) >= 2] or [" ".join(r) for r in runs]
    return list(dict.fromkeys(phrases))[:limit]


def build_title(*, topic: str = "", words: tuple[str, ...] | list[str] = (), place: str = "",
                ) -> str:
    """"Topic — key words — place", each part when known; masked, cut at TITLE_MAX."""
    parts = [p.strip() for p in (topic, ", ".join(words), place) if p and p.strip()]
    if not parts or (len(parts) == 1 and place and parts[0] == place.strip()):
        parts.insert(0, UNNAMED)
    title = mask_text(" — ".join(parts))
    if len(title) > TITLE_MAX:
        title = title[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:— ") + "…"
    return title


def _content(text: str) -> set[str]:
    return {w for w in fold(text).split() if w.isalpha() and len(w) > 1 and w not in STOPWORDS}


def representative(texts: Sequence[str | None], among: Sequence[int] | None = None) -> int | None:
    """Index of the text (of ``among``, default all) whose content words the texts share most:
    the cosine of its word set with the issue's word counts. Ties go to the earlier text."""
    sets = [_content(t or "") for t in texts]
    counts: Counter[str] = Counter()
    for words in sets:
        counts.update(words)
    best, best_score = None, -1.0
    for i in range(len(texts)) if among is None else among:
        words = sets[i]
        score = sum(counts[w] for w in words) / math.sqrt(len(words)) if words else 0.0
        if score > best_score:
            best, best_score = i, score
    return best


def title_words(texts: Sequence[str | None], limit: int = 3) -> tuple[list[str], bool]:
    """(key phrases, restored) for an issue whose items say ``texts`` (oldest first): the words
    of the most representative text written with diacritics that has any; else of the most
    representative text with its diacritics restored (``restored`` is then True)."""
    accented = [i for i, t in enumerate(texts) if is_accented(t)]
    while accented:
        chosen = representative(texts, accented)
        words = matter_words(texts[chosen], limit)
        if words:
            return words, False
        accented.remove(chosen)
    chosen = representative(texts)
    if chosen is None:
        return [], False
    return matter_words(restore(_expand_teencode(texts[chosen] or "")), limit), True


def _expand_teencode(text: str) -> str:
    """Teen-code ("nhiu", "ko", "dc") as the words it stands for ("nhieu", "khong", "duoc"), so
    the restored title says "nhiều" (the engine's own table, ``lexicon/teencode.tsv``)."""
    table = teencode_map()

    def word(match: re.Match) -> str:
        typed = match.group(0)
        found = table.get(typed.lower()) if typed.isascii() else None
        return " ".join(found) if found else typed

    return _WORD.sub(word, text)
