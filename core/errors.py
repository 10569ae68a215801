"""Errors that services raise; each carries a Vietnamese message for the user.

Views turn them into a form error or a 400/409 response; the CLI prints the message on one line.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refused write. ``field`` names the offending field, row or line when there is one."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict:
        return {"detail": self.message, "field": self.field}


class ConflictError(ServiceError):
    """Someone else changed the record since the caller read it."""

    status_code = 409


class LockedError(ServiceError):
    """The record is locked (a submitted report) and cannot change."""

    status_code = 409


class BackupError(ServiceError):
    """A backup or restore refused; nothing was left half-done (core.backup)."""
