"""PDF downloads of the documents the app lays out as DOCX (issue 10): the consolidated report,
the weekly brief, the survey report.

:mod:`documents.pdf` converts (LibreOffice, no Django); this module adds the installation's
settings (``LONGDAN_SOFFICE``: which soffice; ``LONGDAN_PDF_TIMEOUT``: how long a conversion may
take), a cache of converted files, and the answer a reader gets when no PDF can be made: a
Vietnamese page (503) that says why and links the DOCX, which still works.

The cache ("documents" in ``CACHES``) is keyed by what the pages show, not by a record and its
version: the DOCX's content (:func:`documents.pdf.content_key`), or, for a document built from a
:class:`PartyDocument` alone, that data (:func:`documents.pdf.document_key`, so a copy in the cache
is found without laying the DOCX out again). A second download of an unchanged document is not
converted again, and a changed one (an edit, a new day's date on the report) can never be served
an old copy. So a cache kept per machine is still right when several machines serve one
database; it only converts once more on each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.mime import PDF_TYPE
from documents import pdf as converter
from documents.docx_layout import PartyDocument, render_docx
from documents.pdf import PdfError

logger = logging.getLogger(__name__)

CACHE = "documents"

__all__ = ["CACHE", "PdfError", "convert", "convert_document", "pdf_download"]


def convert(docx: bytes) -> bytes:
    """The PDF of ``docx``, from the cache when the same content was converted before.

    Raises :class:`PdfError` (LibreOffice missing, failed or too slow) with the reason."""
    return _cached(f"pdf:{converter.content_key(docx)}", lambda: docx)


def convert_document(document: PartyDocument) -> bytes:
    """The PDF of ``document`` laid out as DOCX; laid out at all only when not in the cache."""
    return _cached(f"pdf-doc:{converter.document_key(document)}", lambda: render_docx(document))


def _cached(key: str, docx: Callable[[], bytes]) -> bytes:
    cache = caches[CACHE]
    pdf = cache.get(key)
    if pdf is None:
        soffice = converter.find_converter(settings.LONGDAN_SOFFICE)
        pdf = converter.docx_to_pdf(docx(), soffice=soffice,
                                    timeout=settings.LONGDAN_PDF_TIMEOUT)
        cache.set(key, pdf)
    return pdf


def pdf_download(request: HttpRequest, *, make: Callable[[], bytes], filename: str,
                 docx_url: str) -> HttpResponse:
    """The file ``make()`` returns as an attachment; when it raises :class:`PdfError`, the page
    that says why (HTTP 503) with a link to the same document as DOCX."""
    try:
        content = make()
    except PdfError as exc:
        logger.warning("No PDF for %s: %s", request.path, exc.message)
        return render(request, "errors/pdf_unavailable.html", {
            "message": exc.message,
            "docx_url": docx_url,
            "missing": isinstance(exc, converter.ConverterMissing),
        }, status=503)
    response = HttpResponse(content, content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
