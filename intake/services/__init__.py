"""Writes of the intake app: filing opinion items from every channel, labels, imports.

One module per subject: :mod:`~intake.services.common` (the checks every writer shares),
:mod:`~intake.services.items` (filing an item, announcing filed items),
:mod:`~intake.services.meetings`, :mod:`~intake.services.public` (the residents' form),
:mod:`~intake.services.labels`, :mod:`~intake.services.imports`, :mod:`~intake.services.remask`
(masking stored texts again after the masker improved), :mod:`~intake.services.privacy`
(residents' personal data: retention, erasure requests; issue 10). This package is the app's write
API: callers use ``from intake import services`` and the names listed in ``__all__``. A constant
is read in the module that defines it, so a test that changes one (``PUBLIC_LIMIT``) patches that
module, not this package.

Invariants every writer here keeps:

* personal data is masked before anything is stored: ``OpinionItem.text`` holds the masked,
  normalised text, and neither the raw text nor a contact detail ever reaches the audit log;
* a resident's contact details live only in :class:`ResidentContact` (office only, encrypted
  at rest, every read audited in ``intake.selectors``);
* one transaction per call with an audit entry; the new items are announced after commit
  (:data:`intake.signals.items_filed`, the issues app groups them), once per transaction however
  many items it filed (:func:`announce_filed`).
"""

from intake.services.common import can_file
from intake.services.imports import IMPORT_FIELDS, apply_import, can_import, start_import
from intake.services.items import FiledItems, announce_filed, file_item
from intake.services.labels import can_edit_labels, confirm_labels
from intake.services.meetings import (
    MEETING_CHANNELS,
    PointInput,
    add_meeting_point,
    file_meeting,
)
from intake.services.privacy import (
    complete_erasure_request,
    erase_expired_contacts,
    expired_contact_ids,
    request_erasure,
)
from intake.services.public import (
    ITEM_TYPE,
    PUBLIC_LIMIT,
    PUBLIC_MAX_TEXT,
    PUBLIC_WINDOW,
    TRACKING_CODE_LENGTH,
    ThrottledError,
    submit_public_feedback,
)
from intake.services.remask import (
    KIND_NAMES,
    Remasked,
    Target,
    remask_fields,
    remask_items,
    remask_meetings,
    remask_target,
)

__all__ = [
    "IMPORT_FIELDS",
    "ITEM_TYPE",
    "KIND_NAMES",
    "MEETING_CHANNELS",
    "PUBLIC_LIMIT",
    "PUBLIC_MAX_TEXT",
    "PUBLIC_WINDOW",
    "TRACKING_CODE_LENGTH",
    "FiledItems",
    "PointInput",
    "Remasked",
    "Target",
    "ThrottledError",
    "add_meeting_point",
    "announce_filed",
    "apply_import",
    "can_edit_labels",
    "can_file",
    "can_import",
    "complete_erasure_request",
    "confirm_labels",
    "erase_expired_contacts",
    "expired_contact_ids",
    "file_item",
    "file_meeting",
    "remask_fields",
    "remask_items",
    "remask_meetings",
    "remask_target",
    "request_erasure",
    "start_import",
    "submit_public_feedback",
]
