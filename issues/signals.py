"""What the issues app announces to the apps above it (which it may not import, issue 14)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the merge's transaction, after ``other``'s items moved to ``keep``:
# ``sender=Issue, keep=<Issue>, other=<Issue>``. Receivers carry their own links to ``other`` over
# to ``keep`` (reporting: the report streams that named it) in the same transaction.
issue_merged = Signal()
