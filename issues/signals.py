"""What the issues app announces to the apps above it (which it may not import, issue 14)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the merge's transaction, after ``other``'s items moved to ``keep``:
# ``sender=Issue, keep=<Issue>, other=<Issue>``. Receivers carry their own links to ``other`` over
# to ``keep`` (reporting: the report streams that named it) in the same transaction.
issue_merged = Signal()

# Sent inside the transaction after opinion items were linked to another issue with a bulk
# ``update()`` (grouping, merge, split), which sends no ``post_save``:
# ``sender=Issue, item_ids=[...]``. Apps above that count items by issue mark them stale.
items_relinked = Signal()
