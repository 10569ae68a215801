"""Is a text about the ward? (no Django import).

The gazetteer holds the ward's names (both spellings: ``textengine.normalize`` writes "Hoà" as
"Hòa"), the city's name, and the places inside the ward: every tổ dân phố, the former wards still
used in speech, and the streets and landmarks the office adds.

"Hòa Bình" is also a province, a hydropower plant, other wards and communes, and the common word
for peace, so the ward's name alone decides nothing. Its context does:

- "phường Hòa Bình" is the ward (1.0), unless another province or city follows it ("phường Hòa
  Bình, tỉnh Đồng Nai");
- "tỉnh / huyện / xã / thủy điện / nhà máy / hồ … Hòa Bình" is something else, and a bare "Hòa
  Bình" in a text that names one of those is taken as that other thing too;
- a bare, capitalised "Hòa Bình" counts for the ward only with the city's name in the text (0.6)
  or another of the ward's places (0.3 more); lower-case "hòa bình" is the common noun and never
  matches (matching is case-sensitive on the normalised text);
- a tổ dân phố with its number, or a former ward after "phường", is the ward (1.0); a former
  ward's bare name or a street or landmark the office added counts 0.5.

Score at least 0.5: ``ward``; else the city named: ``city``; else ``none``.

A text typed without any diacritics ("phuong Hoa Binh", common in comments) is read by a twin
gazetteer whose names and keywords have none either; capitals still decide, and the places it
reports are spelled as in the registry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from textengine.normalize import normalize

__all__ = ["Gazetteer", "Relevance", "WARD_THRESHOLD"]

WARD_THRESHOLD = 0.5
_W = r"[\wÀ-ỹ]"
_OTHER_HEADS = (
    "tỉnh",
    "huyện",
    "xã",
    "thị xã",
    "thị trấn",
    "quận",
    "thủy điện",
    "nhà máy",
    "nhà máy thủy điện",
    "hồ",
    "đập",
    "thôn",
    "bản",
    "ấp",
    "đảo",
)
_AREA_PREFIX = re.compile(r"^(?:tổ\s+dân\s+phố|tdp|khu\s+dân\s+cư|kdc)\s+(?:số\s+)?", re.I)
_AREA_WORDS = r"(?:tổ\s+dân\s+phố|TDP|khu\s+dân\s+cư)\s+(?:số\s+)?"
_ELSEWHERE = r"^\s*[,-]\s*(?:tỉnh|thành phố|tp\.?)\s+(\w[\w ]{1,30})"


def _norm(text: str) -> str:
    return normalize(text or "")


def _plain(text: str) -> str:
    """``text`` without diacritics, case kept ("Phường Hòa Bình" → "Phuong Hoa Binh")."""
    stripped = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in stripped if not unicodedata.combining(c))


def _pattern(name: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in name.split())
    return re.compile(rf"(?<!{_W}){words}(?!{_W})")


@dataclass(frozen=True)
class Relevance:
    relevance: str  # "ward", "city" or "none"
    score: float
    places: list[str] = field(default_factory=list)


@dataclass
class Gazetteer:
    ward_names: list[str]
    city_names: list[str]
    areas: list[str] = field(default_factory=list)
    former_wards: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    # The twin that reads text typed without diacritics ("phuong Hoa Binh"): every name and
    # keyword without diacritics, case still deciding between the name and the common noun.
    plain: bool = False

    def __post_init__(self):
        f = _plain if self.plain else (lambda x: x)
        self._f = f
        self._ward_word = f("phường")
        self._heads = tuple(f(h) for h in _OTHER_HEADS)
        self._elsewhere = re.compile(f(_ELSEWHERE), re.I)
        wards = list(dict.fromkeys(_norm(n) for n in self.ward_names if n))
        self._ward_name = wards[0] if wards else ""
        self._wards = [_pattern(f(n)) for n in wards]
        self._ward_set = set(wards)
        self._cities = [_pattern(f(_norm(n))) for n in self.city_names if n]
        # Every tổ dân phố in one pattern, one alternative (a named group) per area: a text is
        # scanned once, not once per area (65 searches of a long article were most of a
        # judgement's time; ``bench/bench_relevance_stories.py``).
        self._area_names: list[str] = []
        alternatives = []
        for name in dict.fromkeys(_norm(a) for a in self.areas):
            core = _AREA_PREFIX.sub("", name).strip()
            if core:  # "Tổ dân phố An Lư 3" is found as "tổ dân phố An Lư 3" or "TDP An Lư 3"
                words = r"\s+".join(map(re.escape, f(core).split()))
                alternatives.append((len(core), f"(?P<a{len(self._area_names)}>{words}(?!{_W}))"))
                self._area_names.append(name)
        # Longest first: the regex takes the first alternative that matches, and "Cẩm Phố" must
        # not win over "Cẩm Phố 2" in "tổ dân phố Cẩm Phố 2".
        alternatives = [pattern for _, pattern in sorted(alternatives, key=lambda a: -a[0])]
        self._areas = (
            re.compile(rf"(?<!{_W}){f(_AREA_WORDS)}(?:{'|'.join(alternatives)})", re.I)
            if alternatives
            else None
        )
        formers = {_norm(re.sub(r"\s+cũ$", "", x.strip())) for x in self.former_wards}
        self._formers = [(x, _pattern(f(x))) for x in sorted(formers - self._ward_set - {""})]
        self._places = [(p, _pattern(f(_norm(p)))) for p in dict.fromkeys(self.places) if p.strip()]
        self._twin: Gazetteer | None = None

    def _plain_twin(self) -> Gazetteer:
        if self._twin is None:
            self._twin = Gazetteer(
                self.ward_names,
                self.city_names,
                self.areas,
                self.former_wards,
                self.places,
                plain=True,
            )
        return self._twin

    def judge(self, *texts: str) -> Relevance:
        # An all-capitals headline ("PHƯỜNG HÒA BÌNH …") is read in title case, so the case rule
        # still tells the name from the common noun.
        text = _norm("\n".join(t.title() if t.isupper() else t for t in texts if t))
        if not self.plain and _plain(text) == text:
            return self._plain_twin().judge(text)
        text = self._f(text)
        lower = text.lower()
        score, found = 0.0, []
        city = any(p.search(text) for p in self._cities)
        strong, bare, other = self._ward_mentions(text, lower)
        if strong:
            score += 1.0
            found.append(strong)
        if self._areas is not None:
            matched = {int(m.lastgroup[1:]) for m in self._areas.finditer(text)}
            for index in sorted(matched):  # the registry's order, as one search per area gave
                score += 1.0
                found.append(self._area_names[index])
        for name, pattern in self._formers:
            for match in pattern.finditer(text):
                before = lower[max(0, match.start() - 12) : match.start()]
                score += 1.0 if before.rstrip().endswith(self._ward_word) else 0.5
                found.append(name)
                break
        for name, pattern in self._places:
            if pattern.search(text):
                score += 0.5
                found.append(name)
        if bare and not other and not strong:
            if city:
                score += 0.6
            if found:
                score += 0.3
            if city or found:
                found.insert(0, bare)
        score = round(min(score, 1.0), 2)
        places = list(dict.fromkeys(found))
        if score >= WARD_THRESHOLD:
            return Relevance("ward", score, places)
        return Relevance("city" if city else "none", score, places)

    def _ward_mentions(self, text: str, lower: str) -> tuple[str, str, bool]:
        """(the ward after "phường", the ward's bare name, whether the name named something
        else); the names given back are the ward's own spelling."""
        strong = bare = ""
        other = False
        for pattern in self._wards:
            for match in pattern.finditer(text):
                before = lower[max(0, match.start() - 24) : match.start()].rstrip()
                if before.endswith(self._ward_word):
                    elsewhere = self._elsewhere.match(text[match.end() :])
                    if elsewhere and not any(c.match(elsewhere.group(1)) for c in self._cities):
                        other = True
                    else:
                        strong = self._ward_name
                elif any(before.endswith(" " + h) or before == h for h in self._heads):
                    other = True
                else:
                    bare = bare or self._ward_name
        return strong, bare, other
