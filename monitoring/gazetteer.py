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
"""

from __future__ import annotations

import re
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
_ELSEWHERE = re.compile(r"^\s*[,-]\s*(?:tỉnh|thành phố|tp\.?)\s+(\w[\w ]{1,30})", re.I)


def _norm(text: str) -> str:
    return normalize(text or "")


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

    def __post_init__(self):
        self._wards = [_pattern(n) for n in dict.fromkeys(_norm(n) for n in self.ward_names) if n]
        self._ward_set = {_norm(n) for n in self.ward_names}
        self._cities = [_pattern(_norm(n)) for n in self.city_names if n]
        self._areas = []
        for name in dict.fromkeys(_norm(a) for a in self.areas):
            core = _AREA_PREFIX.sub("", name).strip()
            if core:  # "Tổ dân phố An Lư 3" is found as "tổ dân phố An Lư 3" or "TDP An Lư 3"
                words = r"\s+".join(map(re.escape, core.split()))
                self._areas.append(
                    (
                        name,
                        re.compile(
                            rf"(?<!{_W})(?:tổ\s+dân\s+phố|TDP|khu\s+dân\s+cư)\s+(?:số\s+)?{words}"
                            rf"(?!{_W})",
                            re.I,
                        ),
                    )
                )
        formers = {_norm(re.sub(r"\s+cũ$", "", f.strip())) for f in self.former_wards}
        self._formers = [(f, _pattern(f)) for f in sorted(formers - self._ward_set - {""})]
        self._places = [(p, _pattern(_norm(p))) for p in dict.fromkeys(self.places) if p.strip()]

    def judge(self, *texts: str) -> Relevance:
        # An all-capitals headline ("PHƯỜNG HÒA BÌNH …") is read in title case, so the case rule
        # still tells the name from the common noun.
        text = _norm("\n".join(t.title() if t.isupper() else t for t in texts if t))
        lower = text.lower()
        score, found = 0.0, []
        city = any(p.search(text) for p in self._cities)
        strong, bare, other = self._ward_mentions(text, lower)
        if strong:
            score += 1.0
            found.append(strong)
        for name, pattern in self._areas:
            if pattern.search(text):
                score += 1.0
                found.append(name)
        for name, pattern in self._formers:
            for match in pattern.finditer(text):
                before = lower[max(0, match.start() - 12) : match.start()]
                score += 1.0 if before.rstrip().endswith("phường") else 0.5
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
        """(name after "phường", a bare name, whether the name named something else)."""
        strong = bare = ""
        other = False
        for pattern in self._wards:
            for match in pattern.finditer(text):
                before = lower[max(0, match.start() - 24) : match.start()].rstrip()
                if before.endswith("phường"):
                    elsewhere = _ELSEWHERE.match(text[match.end() :])
                    if elsewhere and not any(c.match(elsewhere.group(1)) for c in self._cities):
                        other = True
                    else:
                        strong = match.group(0)
                elif any(before.endswith(" " + h) or before == h for h in _OTHER_HEADS):
                    other = True
                else:
                    bare = bare or match.group(0)
        return strong, bare, other
