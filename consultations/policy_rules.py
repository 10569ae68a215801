"""The rules of a policy's consultation (R3, R7), pure: no Django.

- whether a policy must be consulted on, and why (:func:`requirement`): public-opinion work is a
  mandatory step for policies, projects and campaigns that affect people widely (Chỉ thị 47,
  II.1), read here as any of four marks the office ticks;
- which stages need the "before" consultation on record (:data:`GATED_STAGES`);
- the Wilson score interval for a share of counted opinions (:func:`wilson`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The marks, in the order the office reads them, with the reason each gives.
CRITERIA: tuple[tuple[str, str], ...] = (
    ("affects_many", "ảnh hưởng đến nhiều người dân"),
    ("costs_money", "người dân phải đóng góp, chi trả tiền"),
    ("affects_land", "liên quan đến đất đai, nhà ở của người dân"),
    ("affects_way_of_life", "thay đổi nếp sống, sinh hoạt, sinh kế của người dân"),
)
# Every list of the marks (the model's fields, the form's checkboxes, the reasons) is built from
# CRITERIA, so a label is written once.
CRITERIA_KEYS: tuple[str, ...] = tuple(key for key, _ in CRITERIA)

# Stage codes (the model's ``Policy.Stage`` values): moving to any of these needs the "before"
# consultation on record, or a leader's waiver. "Evaluated" is gated too: it comes after issuing,
# so it cannot be a way round the step.
DRAFTING = "du_thao"
GATED_STAGES = frozenset({"ban_hanh", "hieu_luc", "danh_gia"})

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Requirement:
    required: bool
    reasons: tuple[str, ...]

    def sentence(self) -> str:
        """"Bắt buộc lấy ý kiến nhân dân vì …" or why not, in Vietnamese."""
        if not self.required:
            return ("Không bắt buộc lấy ý kiến: chưa đánh dấu tiêu chí nào (ảnh hưởng nhiều người"
                    " dân, phải đóng góp tiền, đất đai, nếp sống).")
        return "Bắt buộc lấy ý kiến nhân dân vì " + "; ".join(self.reasons) + "."


def requirement(**marks: bool) -> Requirement:
    """Consultation is required when any mark is ticked; the reasons are the ticked marks'."""
    unknown = set(marks) - set(CRITERIA_KEYS)
    if unknown:
        raise ValueError(f"unknown criteria: {sorted(unknown)}")
    reasons = tuple(reason for key, reason in CRITERIA if marks.get(key))
    return Requirement(required=bool(reasons), reasons=reasons)


def marks_of(obj) -> dict[str, bool]:
    """The four marks of anything carrying them as attributes (a policy, the office's input)."""
    return {key: bool(getattr(obj, key)) for key in CRITERIA_KEYS}


def mark_label(key: str) -> str:
    """A mark's checkbox label: its reason, capitalised."""
    reason = dict(CRITERIA)[key]
    return reason[:1].upper() + reason[1:]


def needs_before(*, required: bool, target_stage: str, has_before: bool, waived: bool) -> bool:
    """Whether moving to ``target_stage`` is refused: a required consultation whose "before"
    moment has no source on record and no leader's waiver."""
    return required and target_stage in GATED_STAGES and not has_before and not waived


@dataclass(frozen=True)
class Share:
    agree: int
    total: int
    share: float  # 0..1
    low: float
    high: float


def wilson(agree: int, total: int, z: float = Z95) -> Share | None:
    """The share ``agree / total`` with its Wilson score interval (95% by default); None when
    nobody was counted."""
    if total <= 0:
        return None
    if not 0 <= agree <= total:
        raise ValueError("agree must lie between 0 and total")
    p = agree / total
    z2 = z * z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    return Share(agree=agree, total=total, share=p, low=max(0.0, centre - half),
                 high=min(1.0, centre + half))
