"""Masking of personal data in free text, before it is stored or analysed (no Django import).

The product listens to opinion in aggregate and never profiles a person, so numbers and addresses
that identify someone are replaced by a token naming their kind:

    ⟨SĐT⟩ phone · ⟨CCCD⟩ citizen ID (12 digits) · ⟨CMND⟩ old ID (9 digits) · ⟨EMAIL⟩ e-mail ·
    ⟨STK⟩ bank account (after a context word such as "STK", "số tài khoản", a bank's name) ·
    ⟨BIỂN SỐ⟩ licence plate · ⟨HỌ TÊN⟩ a person's name · ⟨ĐỊA CHỈ⟩ a house address

The patterns err on the side of masking: a 9- or 12-digit number is masked unless a currency word
follows it (money amounts are opinion, not identity).

Obfuscated forms are masked too (issue 16): e-mails written ``ten (at) gmail dot com``,
``ten [at] gmail [dot] com`` or ``ten @ gmail . com``, and numbers spelled out in Vietnamese digit
words ("không chín một hai …", nine words or more). Full-width digits and bidi controls are
handled by ``textengine.normalize`` (``clean`` masks the normalised text).

Person names are found by rules (:func:`_mask_names`): capitalised syllables after an honorific
or kinship title ("ông", "chị", "cháu", "đồng chí" …), or a full name of 2-4 capitalised
syllables that starts with a common surname. A name after a place or organisation word
("đường Nguyễn Trãi", "trường Trần Phú", "phường Hòa Bình") is a place and is kept, as are
historical figures whose names are streets and places ("Chủ tịch Hồ Chí Minh").

House addresses (:data:`_ADDRESS`): a house number ("nhà 12", "nhà số 12", "số nhà 7", "căn hộ
305", or "số 34" when a lane or street follows) is where one household lives, so it is masked
together with the lanes, alleys and street that follow it ("nhà 12 ngõ 5" and "số nhà 7, ngách 3,
ngõ 45 Trần Phú" each become one ⟨ĐỊA CHỈ⟩). A lane, an alley or a street without a house number
("ngõ 5", "ngách 3", "đường Nguyễn Trãi") names a place many people share, the very thing an
opinion is about, and is kept.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from textengine.normalize import normalize

__all__ = [
    "MaskResult",
    "clean",
    "find_addresses",
    "find_names",
    "mask",
    "mask_text",
    "needs_mask",
    "needs_mask_raw",
    "TOKENS",
]

TOKENS = {
    "email": "⟨EMAIL⟩",
    "stk": "⟨STK⟩",
    "phone": "⟨SĐT⟩",
    "cccd": "⟨CCCD⟩",
    "cmnd": "⟨CMND⟩",
    "plate": "⟨BIỂN SỐ⟩",
    "name": "⟨HỌ TÊN⟩",
    "address": "⟨ĐỊA CHỈ⟩",
}

_MONEY_AFTER = (
    r"(?!\s*(?:đ|đồng|dong|vnd|vnđ|tỷ|tỉ|ty|triệu|trieu|nghìn|nghin|ngàn|ngan|k|usd|%)\b)"
)
_SEP = r"[ .\-]?"

_BANK_CONTEXT = (
    r"stk|số\s*tk|so\s*tk|số\s*tài\s*khoản|so\s*tai\s*khoan|tài\s*khoản|tai\s*khoan|"
    r"tk\s*ngân\s*hàng|tk\s*ngan\s*hang|ngân\s*hàng|ngan\s*hang|account|acc|"
    r"vietcombank|vcb|techcombank|tcb|agribank|bidv|vietinbank|mb\s*bank|mbbank|tpbank|acb|"
    r"sacombank|vpbank|shb|hdbank|ocb|momo|zalopay|zalo\s*pay"
)

# A context word never starts right after "⟨", and the gap between it and its number never
# crosses a "⟨": the "CMND" in an earlier "⟨CMND⟩" token, or a "STK" before an already masked
# account, must not announce the next number, or masking twice would mask more than once.
_EMAIL = r"(?P<email>(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+)"
# "ten (at) gmail dot com", "ten [at] gmail [dot] com", "ten @ gmail . com": an "at" in brackets
# or a spaced "@", then a domain whose dots may be "dot", "(dot)", "[dot]" or a spaced ".".
_AT = r"(?:\s*[(\[{<]\s*(?:at|@)\s*[)\]}>]\s*|\s+@\s*|\s*@\s+|\s+at\s+(?=[\w\-]+\s+(?:dot|chấm)\s))"
_DOT = r"(?:\s*[(\[{<]\s*(?:dot|chấm|\.)\s*[)\]}>]\s*|\s+(?:dot|chấm)\s+|\s*\.\s*)"
_OBF_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.+\-]*\w" + _AT + r"[\w\-]+(?:" + _DOT + r"[a-z]{2,10}(?![\w\-]))+",
    re.IGNORECASE,
)
_OBF_EMAIL_HINT = re.compile(r"[(\[{<]\s*(?:at|@)\s*[)\]}>]|\s@|@\s|\sdot\s", re.IGNORECASE)

# Numbers spelled out, one word per digit: nine words or more is an identifier or a phone.
_DIGIT_WORDS = {
    "không": "0", "khong": "0", "linh": "0", "lẻ": "0",
    "một": "1", "mot": "1", "mốt": "1",
    "hai": "2",
    "ba": "3",
    "bốn": "4", "bon": "4", "tư": "4",
    "năm": "5", "nam": "5", "lăm": "5", "lam": "5",
    "sáu": "6", "sau": "6",
    "bảy": "7", "bẩy": "7", "bay": "7",
    "tám": "8", "tam": "8",
    "chín": "9", "chin": "9",
}
# The digit words as a hand-made trie: an alternation of 27 words scans twice as slowly.
_DIGIT_WORD = (
    r"(?:kh[ôo]ng|linh|lẻ|m[ộốo]t|hai|b(?:a|ốn|on|ảy|ẩy|ay)|tư|n[ăa]m|l[ăa]m|s[áa]u|t[áa]m"
    r"|ch[íi]n)"
)
# Phone and citizen ID numbers start with 0: a spelled number is looked for only where a zero
# word is followed by another digit word (one cheap scan; the full pattern costs 4 µs a text).
_ZERO_WORD = re.compile(
    r"(?:[kK][hH][ôoÔO][nN][gG]|[lL][iI][nN][hH]|[lL][ẻẺ])[\s,.\-]{1,3}(?i:"
    r"kh[ôo]ng|linh|lẻ|m[ộốo]t|hai|b(?:a|ốn|on|ảy|ẩy|ay)|tư|n[ăa]m|l[ăa]m|s[áa]u|t[áa]m|ch[íi]n)"
    r"(?!\w)"
)
_SPELLED = re.compile(
    r"(?<!\w)" + _DIGIT_WORD + r"(?:[\s,.\-]{1,3}" + _DIGIT_WORD + r"){8,14}(?!\w)",
    re.IGNORECASE,
)
_NUMBERS = (
    # an ID number announced as such ("CCCD", "CMND", "căn cước"): masked even before "đồng"
    r"(?P<id_ctx>(?<![\w⟨])(?:cccd|cmnd|cmt|căn\s*cước(?:\s*công\s*dân)?|can\s*cuoc|"
    r"chứng\s*minh(?:\s*nhân\s*dân|\s*thư)?|chung\s*minh(?:\s*nhan\s*dan|\s*thu)?)(?!\w)"
    r"[^\d\n⟨]{0,15}?)(?P<idnum>(?<!\d)\d(?:[ .]?\d){8,11})(?!\d)"
    # bank account: context word, optional "số"/":", then 8-15 digits (separators allowed)
    rf"|(?P<stk_ctx>(?<![\w⟨])(?:{_BANK_CONTEXT})(?!\w)[^\d\n⟨]{{0,20}}?)"
    r"(?P<stk>(?<![\d])\d(?:[ .\-]?\d){7,14})(?![\d])"
    # phone: +84 / 84 / (+84) / 0, then a mobile (3,5,7,8,9) or landline (2) number
    r"|(?P<phone>(?<![\w+])(?:\(?\+?\s?84\)?[ .\-]?0?|0)[235789](?:[ .\-]?\d){8,9})(?![\d])"
    # licence plate: 15A-123.45, 29H1-12345, 29-H1 123.45, 30E 9999, 29LD-12345
    r"|(?P<plate>(?<![\w.])\d{2}[ \-]?[A-Za-z]{1,2}\d?[ \-.]?\d{3}\.?\d{1,2})(?![\w])"
    # CCCD: 12 digits, plain or in groups of 3/4
    rf"|(?P<cccd>(?<![\d.,])(?:\d{{12}}|\d{{3}}(?:[ .]\d{{3}}){{3}}|\d{{4}}(?: \d{{4}}){{2}}))"
    rf"(?![\d])(?!,\d){_MONEY_AFTER}"
    # CMND: 9 digits, plain or in groups of 3 with spaces
    rf"|(?P<cmnd>(?<![\d.,])(?:\d{{9}}|\d{{3}} \d{{3}} \d{{3}}))(?![\d])(?![.,]\d){_MONEY_AFTER}"
)
# The e-mail pattern comes first (it wins where both would match), and only when there is an "@".
_PATTERN = re.compile(_EMAIL + "|" + _NUMBERS, re.IGNORECASE)
# Without an "@", every match starts with a digit, a space, "(", "+" or the first letter of a
# context word (cccd, stk, số, tài, ngân, account, vietcombank, bidv, mb, hdbank, ocb, zalopay...):
# a leading look-ahead on those characters lets the engine skip every other position cheaply
# (3-4x faster) and finds exactly the same matches.
_PATTERN_NO_AT = re.compile(r"(?=[\d\s(+cstnavmbhzo])(?:" + _NUMBERS + ")", re.IGNORECASE)
# Every pattern needs an "@" or a run of at least four digits (single separators allowed): most
# texts have neither and skip the big pattern. (A pattern that starts with a character class
# scans about three times faster than one that starts with an alternation.)
_FOUR_DIGITS = re.compile(r"\d[ .\-]?\d[ .\-]?\d[ .\-]?\d")


# --- Person names -------------------------------------------------------------------------------
_UPPER = "".join(
    ch
    for ch in map(chr, [*range(0x41, 0x5B), *range(0xC0, 0x1B1), *range(0x1EA0, 0x1EFA)])
    if ch.isupper() and ch.isalpha()
)
_LOWER = "".join(
    ch
    for ch in map(chr, [*range(0x61, 0x7B), *range(0xDF, 0x1B1), *range(0x1EA0, 0x1EFA)])
    if ch.islower() and ch.isalpha()
)
# A capitalised syllable ("Hùng", "A"; not "UBND"), and runs of them separated by single spaces.
_CAP_WORD = f"[{_UPPER}][{_LOWER}]*(?![\\w])"
_CAP_RUN = re.compile(f"(?<![\\w⟨])(?:{_CAP_WORD})(?: (?:{_CAP_WORD}))*")
# A name needs a capitalised syllable after a space: texts without one skip name detection.
# (a lower-case word then a capitalised one, or two capitalised words in a row).
_NAME_HINT = re.compile(f"[{_LOWER}] [{_UPPER}]|[{_UPPER}][{_LOWER}]* [{_UPPER}]")

_SURNAMES = frozenset(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đào đoàn vương "
    "trịnh trương đinh tô tạ lương quách lưu kiều mạc đàm chu tăng lại khúc triệu phùng nghiêm "
    "doãn từ diệp tống hứa lục thân lã nông hầu mẫn ninh khổng tôn bạch âu giáp".split()
)
# Words before a name that say a person follows (lower case; "đ/c" is "đồng chí").
_PERSON_TITLES = frozenset(
    "ông bà anh chị cô chú bác em cháu cụ dì cậu mợ thím dượng con bé cu thằng chàng nàng "
    "đ/c ô.".split()
) | frozenset(
    [
        "đồng chí", "bạn", "vợ", "chồng", "mẹ", "bố", "ba", "má", "cha", "chủ hộ", "tên",
        "họ tên", "anh trai", "chị gái", "em trai", "em gái", "con trai", "con gái", "ông bà",
        "cán bộ", "tổ trưởng", "trưởng thôn", "bí thư", "chủ tịch", "phó chủ tịch", "công an",
        "thầy", "bác sĩ", "ca sĩ", "giám đốc", "trưởng phố", "khu trưởng", "bạn tôi",
    ]
)
# Words before capitalised syllables that make them a place, a street or an organisation.
_PLACE_WORDS = frozenset(
    "đường phố ngõ ngách hẻm kiệt phường xã quận huyện tỉnh thôn xóm làng bản ấp khu khối tổ "
    "cụm chợ cầu bến sông hồ núi đảo trường đình chùa đền nhà cty hãng viện trạm sân quán tiệm "
    "hiệu tp tp. thành vùng miền tại ở về từ đến qua cảng ga dốc đèo vịnh đồi bãi mỏ kênh "
    "rạch đầm cống số báo đài hội đội lớp".split()
) | frozenset(
    [
        "thành phố", "thị xã", "thị trấn", "tổ dân phố", "khu phố", "khu dân cư", "bệnh viện",
        "công viên", "nhà văn hóa", "sân vận động", "trường học", "ủy ban", "đại học",
        "tiểu học", "trung học", "mầm non", "công ty", "siêu thị", "ngân hàng", "hợp tác xã",
        "tập đoàn", "khách sạn", "cửa hàng", "nhà máy", "xí nghiệp", "đại lộ", "chiến thắng",
        "quốc lộ", "tỉnh lộ", "khu đô thị", "chung cư", "tòa nhà", "nhà thờ", "giáo xứ",
    ]
)
# Historical figures (also street and place names) and places that look like names.
_NOT_NAMES = frozenset(
    [
        "hồ chí minh", "bác hồ", "cụ hồ", "võ nguyên giáp", "trần hưng đạo", "lê lợi",
        "nguyễn trãi", "lý thường kiệt", "hai bà trưng", "bà triệu", "nguyễn huệ", "quang trung",
        "lê duẩn", "phạm văn đồng", "tôn đức thắng", "trần phú", "nguyễn du", "lê thánh tông",
        "ngô quyền", "nguyễn văn cừ", "lê hồng phong", "hoàng văn thụ", "trần quốc toản",
        "nguyễn thị minh khai", "võ thị sáu", "phan bội châu", "phan chu trinh", "lê văn lương",
        "nguyễn đình chiểu", "trần nhân tông", "lý thái tổ", "lý công uẩn", "đinh tiên hoàng",
        "lê đại hành", "trần quang khải", "phạm ngũ lão", "nguyễn chí thanh", "lê quý đôn",
        "chu văn an", "tô hiến thành", "lê lai", "đinh bộ lĩnh", "ngô gia tự", "phan đình phùng",
        "nguyễn văn linh", "trường chinh", "lê chân", "hồ tây", "hồ gươm", "hồ hoàn kiếm",
        "bà rịa", "bà chiểu", "bà điểm", "cô tô", "bà huyện thanh quan", "ông ích khiêm",
        "hoàng hoa thám", "tô ngọc vân", "lê thánh tôn", "đào duy từ", "phùng hưng",
        "nguyễn tất thành", "kim đồng", "lê văn tám", "võ văn kiệt", "tôn thất tùng",
        "hồ xuân hương", "nguyễn bỉnh khiêm", "lương thế vinh", "hồ quý ly", "lê thái tổ",
        "bạch đằng", "lý nam đế", "lê hoàn", "trần khánh dư", "trần thái tông", "trương định",
        "nguyễn trung trực", "phan đăng lưu", "nguyễn thái học", "trần khát chân", "hùng vương",
        "lạc long quân", "âu cơ", "lý tự trọng", "nguyễn văn trỗi", "trần quốc tuấn",
    ]
)
# Titles before which a historical figure's name is the figure (any other person title makes
# it a resident who shares the name).
_HERO_TITLES = frozenset(["chủ tịch", "đồng chí", "đ/c", "đại tướng", "anh hùng", "liệt sĩ"])
# Words by which a writer introduces themself: the name that follows is theirs, whatever it is.
_SELF_INTRO = frozenset(["tôi là", "tên là", "tôi tên", "em là", "cháu là", "con là", "tên tôi"])
# Capitalised first words of titles ("Trưởng thôn", "Chủ tịch"): never the name itself.
_TITLE_WORDS = frozenset("trưởng chủ phó bí giám cán thầy".split())
_MAX_NAME = 4


_BREAK = re.compile("[,;:!?()\n\"'⟩]")


def _words_before(text: str, start: int) -> list[str]:
    """Up to three words before ``start`` (lower case), nearest last; none across punctuation."""
    head = text[max(0, start - 32) : start]
    if _BREAK.search(head):
        head = _BREAK.split(head)[-1]
    return head.lower().split()[-3:]


def _context(words: list[str]) -> tuple[str, str] | None:
    """("person" or "place", the phrase) from the longest title or place phrase that ends
    ``words``."""
    while words and (words[-1].strip(".,/-").replace("/", "").isdigit() or words[-1] == "số"):
        words = words[:-1]  # "ngõ 5 Lê Văn Hưu", "số 12 Trần Phú": the number belongs to the place
    for n in (3, 2, 1):
        if len(words) >= n:
            phrase = " ".join(words[-n:])
            if phrase in _PERSON_TITLES:
                return "person", phrase
            if phrase in _PLACE_WORDS:
                return "place", phrase
    return None


def _name_span(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """The span of the person's name in a run of capitalised syllables, or None."""
    words = match.group().split(" ")
    lower = [w.lower() for w in words]
    if len(words) == 1 and (lower[0] in _PERSON_TITLES or lower[0] in _PLACE_WORDS):
        return None  # "Bà con …", "Phường …": a lone title or place word
    before = _words_before(text, match.start())
    titled = False
    skip = 0
    # Capitalised titles at the start of the run: "Ông Nguyễn Văn Hùng", "Bác Hồ".
    while skip < len(words) - 1:
        if lower[skip] in _PERSON_TITLES:
            titled = True
            skip += 1
        elif " ".join(lower[skip : skip + 2]) in _PERSON_TITLES:
            titled = True
            skip += 2
        else:
            break
    full = " ".join(lower)
    if not skip and " ".join(before[-2:]) in _SELF_INTRO and 2 <= len(words) <= _MAX_NAME:
        return match.start(), match.end()  # "tôi là Lê Văn Tám": a resident, even a hero's name
    title = " ".join(lower[:skip])
    if not skip:
        kind, title = _context(before) or ("", "")
        if kind == "place":
            return None
        titled = kind == "person"
    name = lower[skip:]
    # "ông Lê Văn Tám", "chị Võ Thị Sáu": a resident who shares a hero's name (an honorific or
    # kinship title says so); "Chủ tịch Hồ Chí Minh", "đồng chí Lê Duẩn" are the figures.
    hero = not titled or title in _HERO_TITLES
    if hero and (full in _NOT_NAMES or " ".join(name) in _NOT_NAMES
                 or " ".join(name[:3]) in _NOT_NAMES):
        return None
    if name[0] in _TITLE_WORDS:
        return None  # "Ông Trưởng thôn …", "Bà Chủ tịch …": a title, the name comes after
    if name[0] in _PLACE_WORDS and not titled:
        return None  # "Hồ Tây", "Từ Sơn": "ông Hồ Văn Cường" is a person
    if len(name) == 1 and (
        " ".join((before[-1:] if not skip else [lower[skip - 1]]) + name) in _NOT_NAMES
    ):
        return None  # "Bác Hồ", "bà Triệu" ("bà Triệu Thị Mai" is a resident)
    if not titled and not (2 <= len(name) <= _MAX_NAME and name[0] in _SURNAMES):
        return None
    if not titled and len(name) > _MAX_NAME:
        return None
    start = match.start() + sum(len(w) + 1 for w in words[:skip])
    end = start + len(" ".join(words[skip : skip + _MAX_NAME]))
    return start, end


def find_names(text: str) -> list[tuple[int, int]]:
    """Spans of the person names in ``text`` (what masking replaces by ⟨HỌ TÊN⟩)."""
    if not _NAME_HINT.search(text):
        return []
    spans = (_name_span(text, match) for match in _CAP_RUN.finditer(text))
    return [span for span in spans if span is not None]


def _mask_names(text: str) -> tuple[str, bool]:
    """``text`` with person names replaced by ⟨HỌ TÊN⟩; True when one was."""
    out: list[str] = []
    last = 0
    for start, end in find_names(text):
        out += [text[last:start], TOKENS["name"]]
        last = end
    if not out:
        return text, False
    out.append(text[last:])
    return "".join(out), True


# --- House addresses ----------------------------------------------------------------------------
_HOUSE_NO = r"\d+[a-zA-Z]?(?:[/\-]\d+[a-zA-Z]?)*(?!\w)"
# "nhà 2 tầng", "có 12 nhà 4 gian": a count, not a house number.
_NOT_HOUSE = (
    r"(?!\s*(?i:tầng|tang|lầu|lau|gian|căn|can|cái|cai|chiếc|người|nguoi|hộ|ho|m|m2|mét|met|"
    r"tỷ|tỉ|triệu|trieu|đồng|dong|năm|nam|tháng|thang|ngày|ngay|lần|lan|phòng|dãy|bên|tấm|"
    r"khẩu|nhân|con)(?!\w))"
)
_LANE = r"(?:ngõ|ngo|ngách|ngach|hẻm|hem|kiệt|kiet|đường|duong|phố|pho)"
# What follows a house number and belongs to the address: lanes and streets, each with a number
# or a capitalised name ("ngõ 5", "ngách 3/12", "đường Trần Phú", "phố Hàng Bông").
_LANE_PART = (
    rf"(?:,?\s+{_LANE}\s+(?:số\s+)?(?:{_HOUSE_NO}(?: {_CAP_WORD}(?: {_CAP_WORD}){{0,3}})?"
    rf"|{_CAP_WORD}(?: {_CAP_WORD}){{0,3}}))"
)
_NOT_AFTER_UNIT = "".join(
    f"(?<!{w} )"
    for w in "phố pho tổ to khu xóm xom thôn thon đội doi ngõ ngo ngách hẻm kiệt đường phường "
    "ấp bản lô dãy tòa tầng phòng".split()
)
_ADDRESS = re.compile(
    r"(?<![\w⟨])(?i:"
    r"(?:số\s+nhà|so\s+nha|nhà\s+số|nha\s+so|nhà|nha|căn\s+hộ|can\s+ho)\s+(?:số\s+)?"
    rf"){_HOUSE_NO}{_NOT_HOUSE}{_LANE_PART}*"
    # "số 34" is a house only when a lane or street follows, and not the number of a quarter,
    # a group or a lane itself ("tổ dân phố số 15, ngõ 123", "ngõ số 5, đường …")
    rf"|(?<![\w⟨]){_NOT_AFTER_UNIT}(?i:số|so)\s+{_HOUSE_NO}(?=,?\s+(?i:{_LANE})\s){_LANE_PART}+"
)
# Every address has "nhà", "hộ" or "số" before a digit: texts without one skip the pattern.
_ADDRESS_HINT = re.compile(r"[nNhHsS](?:[hH][àÀaA]|[ộỘ]|[ốỐoO])(?: [sS][ốỐoO])? \d")


def find_addresses(text: str) -> list[tuple[int, int]]:
    """Spans of the house addresses in ``text`` (what masking replaces by ⟨ĐỊA CHỈ⟩)."""
    if not _ADDRESS_HINT.search(text):
        return []
    return [match.span() for match in _ADDRESS.finditer(text)]


def _mask_addresses(text: str) -> tuple[str, bool]:
    """``text`` with house addresses replaced by ⟨ĐỊA CHỈ⟩; True when one was."""
    if not _ADDRESS_HINT.search(text):
        return text, False
    masked, n = _ADDRESS.subn(TOKENS["address"], text)
    return masked, bool(n)


def _maybe_obfuscated_email(text: str) -> bool:
    return "@" in text or "at" in text or "AT" in text or "At" in text


def needs_mask_raw(text: str) -> bool:
    """False when ``text`` certainly holds no number or e-mail to mask (cheap): what normalising
    could hide, so ``clean`` masks the text as received when this is true."""
    return (
        "@" in text
        or _FOUR_DIGITS.search(text) is not None
        or (_ZERO_WORD.search(text) is not None and _SPELLED.search(text) is not None)
        or (_maybe_obfuscated_email(text) and _OBF_EMAIL_HINT.search(text) is not None)
    )


def needs_mask(text: str) -> bool:
    """False when ``text`` certainly holds nothing to mask (cheap)."""
    return (
        _NAME_HINT.search(text) is not None
        or _ADDRESS_HINT.search(text) is not None
        or needs_mask_raw(text)
    )


def has_personal_data(text: str) -> bool:
    """``needs_mask`` made exact for names: False unless a name or a number may be masked (a
    capitalised word that is a place, "phường Hòa Bình", does not count)."""
    return needs_mask_raw(text) or bool(find_addresses(text)) or bool(find_names(text))


class MaskResult(NamedTuple):
    text: str
    kinds: tuple[str, ...]  # sorted, distinct kinds that were masked


def mask(text: str | None) -> MaskResult:
    """Replace personal data in ``text`` by kind tokens; return the text and the kinds found."""
    if not text:
        return MaskResult("", ())
    if not isinstance(text, str):
        text = str(text)
    if not needs_mask(text):
        return MaskResult(text, ())
    result = _mask_contacts(text)
    addressed, found = _mask_addresses(result.text)
    if found:
        result = MaskResult(addressed, tuple(sorted({*result.kinds, "address"})))
    if _NAME_HINT.search(result.text):  # (find_names checks again: one cheap search)
        named, found = _mask_names(result.text)
        if found:
            return MaskResult(named, tuple(sorted({*result.kinds, "name"})))
    return result


def _mask_contacts(text: str) -> MaskResult:
    """Numbers and e-mails (every kind but names): what normalising could hide."""
    extra: set[str] = set()
    if _maybe_obfuscated_email(text) and _OBF_EMAIL_HINT.search(text):
        text, n = _OBF_EMAIL.subn(TOKENS["email"], text)
        if n:
            extra.add("email")
    if _ZERO_WORD.search(text) and _SPELLED.search(text):
        text = _SPELLED.sub(lambda m: _spelled_token(m.group(), extra), text)
    result = (
        _mask_with(_PATTERN if "@" in text else _PATTERN_NO_AT, text)
        if "@" in text or _FOUR_DIGITS.search(text)
        else MaskResult(text, ())
    )
    if extra:
        return MaskResult(result.text, tuple(sorted(set(result.kinds) | extra)))
    return result


def _spelled_token(words: str, found: set[str]) -> str:
    digits = [_DIGIT_WORDS[w] for w in re.split(r"[\s,.\-]+", words.lower()) if w]
    kind = {12: "cccd", 9: "cmnd"}.get(len(digits), "phone")
    found.add(kind)
    return TOKENS[kind]


def _mask_with(pattern: re.Pattern[str], text: str) -> MaskResult:
    found: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        kind = match.lastgroup or ""
        if kind == "stk":
            found.add("stk")
            return match.group("stk_ctx") + TOKENS["stk"]
        if kind == "idnum":
            digits = sum(ch.isdigit() for ch in match.group("idnum"))
            kind = "cccd" if digits >= 12 else "cmnd"
            found.add(kind)
            return match.group("id_ctx") + TOKENS[kind]
        found.add(kind)
        return TOKENS[kind]

    masked = pattern.sub(replace, text)
    return MaskResult(masked, tuple(sorted(found)))


def mask_text(text: str | None) -> str:
    return mask(text).text


def clean(text: str | None) -> MaskResult:
    """The form of a text that may be stored: normalised, personal data masked; the kinds masked.

    A text that holds a number or an e-mail as received is masked before normalisation too:
    normalising glues punctuation ("123456789 .5" becomes the decimal "123456789.5"), which can
    hide a number the raw text shows. That first pass leaves names alone: they are looked for once,
    in the normalised text, by the full ``mask`` pass. Each pass runs only where ``needs_mask_raw``
    / ``needs_mask`` say it may find something, so a typical text is masked once (or not at all)
    and normalised once.
    """
    if not text:
        return MaskResult("", ())
    if not isinstance(text, str):
        text = str(text)
    first = _mask_contacts(text) if needs_mask_raw(text) else MaskResult(text, ())
    norm = normalize(first.text)
    if not needs_mask(norm):
        return MaskResult(norm, first.kinds)
    second = mask(norm)
    return MaskResult(second.text, tuple(sorted(set(first.kinds) | set(second.kinds))))
