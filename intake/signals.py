"""What the intake app announces to the apps above it (which it may not import, issue 14)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once per committed transaction that filed opinion items, after the commit:
# ``sender=OpinionItem, item_ids=[...]``. The ids are a hint, not a promise: an item filed in a
# savepoint that was later rolled back may be listed, so receivers read the items back (the issues
# app groups every pending item, whatever the list says).
items_filed = Signal()
