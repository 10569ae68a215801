"""Content types of the files the pages and the API hand out (one spelling for every app)."""

from __future__ import annotations

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLS_TYPE = "application/vnd.ms-excel"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV_TYPE = "text/csv; charset=utf-8"
SAV_TYPE = "application/x-spss-sav"
PDF_TYPE = "application/pdf"
