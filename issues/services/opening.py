"""Opening an issue by hand, not from an item: the office confirms a latent opinion the engine
proposed (picture's latent candidates) and follows it like any other issue."""

from __future__ import annotations

from core.dates import local_today
from core.models import AuditEntry, Topic
from core.services import audit, require_office
from issues.models import Issue, IssueEvent
from issues.services.grouping import next_code
from orgs.models import Area, OrgUnit, User
from textengine.titles import build_title
from textops import services as textops


def open_issue(
    *,
    user: User,
    topic: Topic | None,
    area: Area | None = None,
    owner_unit: OrgUnit | None = None,
    latent: bool = False,
    note: str = "",
) -> Issue:
    """A new issue titled by its matter and place (never a resident's words), audited."""
    require_office(user, "mở vấn đề")
    title = build_title(topic=topic.name if topic else "", place=area.name if area else "")
    today = local_today()

    def work(_grouper) -> Issue:
        # Codes are numbered under the grouper's row lock, like every other creation of an issue.
        issue = Issue.objects.create(
            code=next_code(today), title=title, topic=topic, area=area,
            owner_unit=owner_unit or (area.unit if area else None), latent=latent,
            first_seen_on=today, last_seen_on=today,
        )
        IssueEvent.objects.create(issue=issue, actor=user, kind=IssueEvent.Kind.CREATED,
                                  to_value=issue.code, note=note[:2000])
        audit(actor=user, action=AuditEntry.Action.CREATE, obj=issue, unit=user.unit,
              summary=f"Mở vấn đề {issue.code}{' (dư luận tiềm ẩn)' if latent else ''}",
              data={"latent": latent, "note": note[:300]})
        return issue

    return textops.with_grouper(work)
