"""Documents without Django: the DOCX layout of Party documents (docx_layout), XLSX workbooks
(xlsx) and the spreadsheets people upload, read into rows (tabular). A plain package, not an app."""
