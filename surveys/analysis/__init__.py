"""Analysing responses: the question and response frames, weights, results, cross-tabs, consensus,
open answers, exports, the DOCX report and the survey database (question bank, series)."""
