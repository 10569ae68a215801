"""The picture's writes (issue 8): one module a subject, their public names re-exported here
(callers use ``from picture import services``).

- ``alerts``: who is told about what (subscriptions), alerts once a day per subject, digests;
- ``escalation``: the sources of alerts, reminders of what falls due and escalation past it;
- ``proposals``: latent opinion the engine proposes to the office; ``latent``: its decisions;
- ``briefs``: the weekly brief (Bản tin dư luận) and briefs on demand;
- ``directions``: leaders' directions and gap tasks, followed by the units they address;
- ``gaps``: the tasks that fill the picture's coverage gaps;
- ``geo``: area boundaries imported from GeoJSON, and the demo's generated shapes.
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
from picture.services.briefs import (
    brief_figures,
    brief_window,
    draft_brief,
    export_docx,
    export_pdf,
    period_window,
    update_notes,
)
from picture.services.directions import (
    acknowledge,
    addressable_units,
    can_act_for,
    can_close,
    can_direct,
    create_direction,
    report_progress,
    set_status,
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
from picture.services.gaps import create_gap_task, may_fill_gaps, resolve_gap
from picture.services.geo import (
    MAX_GEOJSON_BYTES,
    ImportResult,
    ShapesRejected,
    generate_demo_shapes,
    import_area_shapes,
)
from picture.services.latent import confirm_candidate, dismiss_candidate
from picture.services.proposals import ProposalRun, propose_latent_candidates

__all__ = [
    # alerts
    "AlertResult", "Delivery", "DigestRun", "may_subscribe", "raise_alert", "recipients",
    "send_daily_digests", "subscribe", "unsubscribe",
    # briefs
    "brief_figures", "brief_window", "draft_brief", "export_docx", "export_pdf",
    "period_window", "update_notes",
    # directions
    "acknowledge", "addressable_units", "can_act_for", "can_close", "can_direct",
    "create_direction", "report_progress", "set_status",
    # escalation
    "SourceRun", "alert_bursts", "alert_overdue_issues", "alert_rising",
    "escalate_overdue_directions", "remind_directions_due", "remind_issues_due",
    # gaps
    "create_gap_task", "may_fill_gaps", "resolve_gap",
    # geo
    "MAX_GEOJSON_BYTES", "ImportResult", "ShapesRejected", "generate_demo_shapes",
    "import_area_shapes",
    # latent candidates: proposals and decisions
    "confirm_candidate", "dismiss_candidate",
    "ProposalRun", "propose_latent_candidates",
]
