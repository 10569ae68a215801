"""Tests of the pure odk package (no database)."""
