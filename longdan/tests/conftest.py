"""Fixtures of the tests that run real processes on a shared database (processes.py)."""

from longdan.tests.processes import migrated_template, process_db  # noqa: F401
