"""What the demo loaded, for the CLI to print and tests to check, and the demo logins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from longdan.demo.constants import (
    LEADER_USERNAME,
    OFFICE_USERNAME,
    OPINION_WINDOW_DAYS,
    PASSWORD,
)
from longdan.demo.story import DemoStory
from orgs.models import User


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    unit: str


@dataclass
class DemoSummary:
    """What was loaded, for the CLI to print and tests to check."""

    units: int = 0
    grassroots_open: int = 0
    areas: int = 0
    population: int = 0
    households: int = 0
    users: int = 0
    collaborators: int = 0
    reports: int = 0
    streams: int = 0
    months: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)  # over the closed months
    items: int = 0  # opinion items since ``opinion_start``
    opinion_start: dt.date | None = None  # None: the last OPINION_WINDOW_DAYS days
    channels: dict[str, int] = field(default_factory=dict)
    meetings: int = 0
    issues: int = 0
    alerts: int = 0
    answers: int = 0
    surveys: int = 0
    survey_responses: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    story: DemoStory = field(default_factory=DemoStory)  # where the leader should look first
    steps: dict[str, dict] = field(default_factory=dict)  # the picture's steps: name → counts
    password: str = PASSWORD
    seconds: float = 0.0

    def opinion_line(self) -> str:
        """The opinion side of the summary, in the words ``longdan demo`` prints it."""
        return (
            f"Ý kiến {self.opinion_span()}: {_number(self.items)} ý kiến từ"
            f" {len(self.channels)} kênh (có {_number(self.meetings)} buổi tiếp xúc cử tri,"
            f" đối thoại), {_number(self.issues)} vấn đề dư luận, {_number(self.answers)} trả lời,"
            f" giải thích đã công bố, {_number(self.alerts)} cảnh báo dư luận mới nổi."
        )

    def opinion_span(self) -> str:
        """"90 ngày qua" for the shortest demo, "từ 01/07/2025" when it reaches further back."""
        if self.opinion_start is None:
            return f"{OPINION_WINDOW_DAYS} ngày qua"
        return f"từ {self.opinion_start:%d/%m/%Y}"

    def leader_line(self) -> str:
        return self.story.leader_line()

    def survey_line(self) -> str:
        return (
            f"Khảo sát: {self.surveys} cuộc khảo sát (hai đợt về đề án chỉnh trang đô thị, một"
            f" bản nháp của chi bộ), {_number(self.survey_responses)} phiếu trả lời."
        )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def current_logins() -> list[DemoLogin]:
    """The demo logins as stored now (the CLI prints them again on a second ``longdan demo``)."""
    users = User.objects.select_related("unit").filter(is_active=True)
    fixed = [u for name in (OFFICE_USERNAME, LEADER_USERNAME) for u in users.filter(username=name)]
    reporters = sorted(users.filter(role=User.Role.REPORTER),
                       key=lambda u: (not u.username.startswith("cb"), u.username))
    collaborators = list(users.filter(role=User.Role.COLLABORATOR).order_by("username"))
    return [_login(user) for user in [*fixed, *reporters, *collaborators]]


def _login(user: User) -> DemoLogin:
    return DemoLogin(
        username=user.username,
        full_name=user.full_name,
        role=user.get_role_display(),
        unit=user.unit.name if user.unit else "",
    )
