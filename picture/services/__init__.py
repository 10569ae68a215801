"""The picture's writes (issue 8): one module a subject, their public names re-exported here.

- ``alerts``: who is told about what (subscriptions), alerts once a day per subject, digests;
- ``escalation``: the sources of alerts, reminders of what falls due and escalation past it;
- ``proposals``: latent opinion the engine proposes to the office.
"""

from picture.services.alerts import (
    AlertResult,
    Delivery,
    DigestRun,
    may_subscribe,
    raise_alert,
    recipients,
    send_daily_digests,
    subscribe,
    unsubscribe,
)
from picture.services.escalation import (
    SourceRun,
    alert_bursts,
    alert_overdue_issues,
    alert_rising,
    escalate_overdue_directions,
    remind_directions_due,
    remind_issues_due,
)
from picture.services.proposals import ProposalRun, propose_latent_candidates

__all__ = [
    "AlertResult", "Delivery", "DigestRun", "ProposalRun", "propose_latent_candidates",
    "SourceRun", "alert_bursts", "alert_overdue_issues",
    "alert_rising", "escalate_overdue_directions", "may_subscribe", "raise_alert", "recipients",
    "remind_directions_due", "remind_issues_due", "send_daily_digests", "subscribe",
    "unsubscribe",
]
