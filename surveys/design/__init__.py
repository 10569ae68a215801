"""Designing surveys: surveys, XLSForm versions and their questions (reads, writes, pages, API)."""
