"""The office's watch-list of topics and keywords (never of persons), and the matching of new
relevant mentions against it (``monitoring.linking`` calls :func:`match_mentions`).

A keyword is matched without diacritics, in lower case, on whole words: "cắt nước" finds "CẮT
NUOC" and "cat  nuoc", not "cắt nướcx" nor "tắt nước". A topic matches the mentions the text
engine put in it.

**Never a person.** Watching a person is profiling, which the mission forbids: a term that looks
like someone's name or the way one addresses a person is refused (:func:`person_reason`):

1. the masker (``textengine.mask.find_names``) would mask part of it as a name as typed
   ("Nguyễn Văn An", "ông Tư", "chị Lan"); a name after a place word is a place and passes
   ("đường Nguyễn Trãi");
2. it starts with an honorific or kinship word followed by one to three words ("ông tư", "bà
   năm"), unless the pair is an everyday word ("bà con", "chú ý", "anh em", "bác sĩ" …); typed
   without diacritics, only before a capitalised word ("ong Tu"), as "ong nuoc" is "ống nước";
3. it is a full name typed in lower case or without diacritics: three or four words, a common
   surname then a common middle name ("nguyễn văn an", "tran thi binh"). Streets named after a
   person ("Lê Văn Lương") are then written with their place word ("đường Lê Văn Lương").

The rules err on refusing: the office can always rephrase a matter ("đỗ xe trái phép"), never a
person. A term holding other personal data (a phone number, an e-mail) is refused too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import ServiceError
from core.models import AuditEntry, Topic
from core.services import audit, notify, require_office
from core.text import fold
from monitoring.models import Mention, WatchHit, WatchTerm
from orgs.models import User
from textengine.mask import find_names
from textops.services import mask_everything

PHRASE_MAX = 100
RELEVANT = (Mention.Relevance.WARD, Mention.Relevance.CITY)

HONORIFICS = (
    "đồng chí", "đ/c", "d/c", "ông", "bà", "anh", "chị", "cô", "chú", "bác", "cháu", "em", "cụ",
    "thím", "dì", "cậu", "mợ", "thầy", "dượng",
)
# The same typed without diacritics: "ong" is also "ống" (ống nước), "anh" also "ánh", so these
# count only before a capitalised word ("ong Tu").
FOLDED_HONORIFICS = ("dong chi", "d/c", "ong", "ba", "anh", "chi", "co", "chu", "bac", "chau",
                     "em", "cu", "thay")
EVERYDAY = frozenset(
    fold(w)
    for w in (
        "bà con", "chú ý", "anh em", "chị em", "ông bà", "cô giáo", "thầy giáo", "cô đơn",
        "cô lập", "cụ thể", "bác sĩ", "em bé", "anh hùng", "cậu bé", "cháu bé", "thầy thuốc",
        "ông cha", "cha ông", "bà mẹ", "em út", "chú thích", "anh chị", "cô bác", "cô chú",
        "chú bác", "cô dâu", "chị gái", "anh trai", "em gái", "em trai", "bác bỏ", "cụ già",
        "ông già", "bà già", "cô nhi", "cô hồn", "ông trời", "o nhiễm",
    )
)
SURNAMES = frozenset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh trinh doan lam "
    "mai truong cao ta luu quach la vuong kieu thai tong ha lai luong trieu dao".split()
)
MIDDLE_NAMES = frozenset(
    "van thi duc huu ngoc minh quoc xuan thanh cong dinh quang hoang kim thu hong manh trong "
    "tuan anh bao gia hai tien thai the dieu my phuong khanh dang viet nhu".split()
)

PERSON_MESSAGE = (
    "Từ khóa “{term}” trông như họ tên hoặc cách gọi một người. Danh sách theo dõi chỉ gồm chủ"
    " đề và từ khóa về sự việc, không theo dõi cá nhân. Nếu đây là tên đường, trường, công"
    " trình, hãy ghi kèm “đường”, “phố”, “trường”… (ví dụ “đường Nguyễn Trãi”)."
)


# --- the rule against persons -------------------------------------------------------------------


def person_reason(term: str) -> str:
    """Why ``term`` looks like a person ("" when it does not); see the module docstring."""
    words = term.split()
    if find_names(term):
        return "name"
    lowered = " ".join(words).lower()
    folded_words = fold(lowered).split()
    accented = lowered != fold(lowered)
    for honorific in HONORIFICS if accented else ():
        size = len(honorific.split())
        if words[:size] and " ".join(w.lower() for w in words[:size]) == honorific:
            return _after_honorific(words, size)
    if not accented:
        for honorific in FOLDED_HONORIFICS:
            size = len(honorific.split())
            if " ".join(folded_words[:size]) == honorific and words[size:size + 1] and \
                    words[size][:1].isupper():
                return _after_honorific(words, size)
    if (
        3 <= len(folded_words) <= 4
        and folded_words[0] in SURNAMES
        and folded_words[1] in MIDDLE_NAMES
    ):
        return "full name"
    return ""


def _after_honorific(words: list[str], size: int) -> str:
    rest = words[size:]
    if not 1 <= len(rest) <= 3:
        return ""
    if fold(" ".join(words[: size + 1])) in EVERYDAY:
        return ""
    return "honorific"


# --- keeping the list ----------------------------------------------------------------------------


def _pattern(folded: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(w) for w in folded.split())
    return re.compile(rf"(?<![0-9a-z]){body}(?![0-9a-z])")


def clean_phrase(phrase: str) -> tuple[str, str]:
    """The phrase as kept and its folded form, or a ServiceError in Vietnamese."""
    phrase = " ".join((phrase or "").split())
    if not phrase:
        raise ServiceError("Từ khóa: không được để trống.", field="phrase")
    if len(phrase) > PHRASE_MAX:
        raise ServiceError(f"Từ khóa: dài quá {PHRASE_MAX} ký tự.", field="phrase")
    folded = " ".join(fold(phrase).split())
    if len(folded.replace(" ", "")) < 2 or not re.search(r"[0-9a-z]", folded):
        raise ServiceError("Từ khóa: cần ít nhất hai chữ cái hoặc chữ số.", field="phrase")
    if person_reason(phrase):
        raise ServiceError(PERSON_MESSAGE.format(term=phrase), field="phrase")
    _masked, kinds = mask_everything(phrase)
    if kinds:
        raise ServiceError(
            "Từ khóa: có thông tin cá nhân (số điện thoại, thư điện tử, số giấy tờ…); danh sách"
            " theo dõi không theo dõi cá nhân.",
            field="phrase",
        )
    return phrase, folded


def add_watch_term(
    *, user, kind: str, phrase: str = "", topic: Topic | None = None
) -> WatchTerm:
    """Add a topic or a keyword to the watch-list (the office only; never a person)."""
    require_office(user, "sửa danh sách theo dõi")
    if kind == WatchTerm.Kind.TOPIC:
        if topic is None:
            raise ServiceError("Chủ đề: hãy chọn một chủ đề.", field="topic")
        phrase = folded = ""
        same = WatchTerm.objects.filter(kind=kind, topic=topic, active=True)
        label = f"chủ đề “{topic.name}”"
    elif kind == WatchTerm.Kind.KEYWORD:
        phrase, folded = clean_phrase(phrase)
        topic = None
        same = WatchTerm.objects.filter(kind=kind, folded=folded, active=True)
        label = f"từ khóa “{phrase}”"
    else:
        raise ServiceError("Loại: chọn “Chủ đề” hoặc “Từ khóa”.", field="kind")
    with transaction.atomic():
        if same.select_for_update().exists():
            raise ServiceError(
                f"Danh sách theo dõi đã có {label}.", field="topic" if topic else "phrase"
            )
        term = WatchTerm.objects.create(
            kind=kind, topic=topic, phrase=phrase, folded=folded, created_by=user
        )
        audit(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=term,
            summary=f"Thêm vào danh sách theo dõi báo chí, mạng xã hội: {label}",
            data={"kind": kind, "topic": topic.pk if topic else None, "phrase": phrase},
        )
    return term


def deactivate_watch_term(*, user, term_id: int) -> WatchTerm:
    """Stop watching a term (kept, with its matches, for the record)."""
    require_office(user, "sửa danh sách theo dõi")
    with transaction.atomic():
        term = WatchTerm.objects.select_for_update().filter(pk=term_id).first()
        if term is None:
            raise ServiceError("Không tìm thấy mục theo dõi này.", field="term")
        if term.active:
            term.active, term.deactivated_at = False, timezone.now()
            term.save(update_fields=["active", "deactivated_at"])
            audit(
                actor=user,
                action=AuditEntry.Action.UPDATE,
                obj=term,
                summary=f"Ngừng theo dõi: {term}",
                data={"active": False},
            )
    return term


# --- matching new mentions -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Matcher:
    term: WatchTerm
    pattern: re.Pattern[str] | None

    def matches(self, mention: Mention, folded: str) -> bool:
        if self.pattern is None:
            return mention.topic_id is not None and mention.topic_id == self.term.topic_id
        return bool(self.pattern.search(folded))


def matchers() -> list[_Matcher]:
    terms = WatchTerm.objects.filter(active=True).select_related("topic").order_by("pk")
    return [
        _Matcher(t, _pattern(t.folded) if t.kind == WatchTerm.Kind.KEYWORD else None)
        for t in terms
    ]


def match_mentions(mentions: list[Mention], found: list[_Matcher] | None = None) -> int:
    """Record and tell the office each new match of a relevant mention with an active term, at
    most once per term and story (the syndicated copies of a story are told once). Call inside
    the caller's transaction; returns the matches recorded."""
    found = matchers() if found is None else found
    if not found:
        return 0
    office: list[User] | None = None
    hits, page = 0, reverse("monitoring_watch")
    for mention in mentions:
        if mention.relevance not in RELEVANT or mention.story_id is None:
            continue
        folded = fold(f"{mention.title} {mention.text}")
        for matcher in found:
            if not matcher.matches(mention, folded) or not _claim(matcher.term, mention):
                continue
            hits += 1
            if office is None:
                office = list(User.objects.filter(role=User.Role.OFFICE, is_active=True))
            notify(
                office,
                text=f"Báo chí, mạng xã hội — tin khớp {_label(matcher.term)}:"
                f" {mention.title or mention.site} ({mention.site}).",
                url=page,
            )
    return hits


def _label(term: WatchTerm) -> str:
    if term.kind == WatchTerm.Kind.TOPIC:
        return f"chủ đề “{term.topic.name if term.topic else ''}”"
    return f"từ khóa “{term.phrase}”"


def _claim(term: WatchTerm, mention: Mention) -> bool:
    if WatchHit.objects.filter(term=term, story_id=mention.story_id).exists():
        return False
    try:
        with transaction.atomic():  # a savepoint: another worker's row wins quietly
            WatchHit.objects.create(term=term, story_id=mention.story_id, mention=mention)
    except IntegrityError:
        return False
    return True
