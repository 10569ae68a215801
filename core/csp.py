"""The Content-Security-Policy (django-csp; issue 10 "Browser side").

Every page gets ``settings.CONTENT_SECURITY_POLICY``: scripts, styles, images,
fonts and connections from the app itself only, no plugin, no framing, forms post only here. No
inline script runs unless it carries the request's nonce (``nonce="{{ request.csp_nonce }}"``);
the app's own templates have none: what used to be inline is in ``static/js/page.js`` (menu,
``data-confirm``, ``data-back``, folding filters), and ``core/tests/test_csp.py`` fails on any
``<script>`` without ``src`` or nonce, any ``on…=`` attribute and any ``javascript:`` link.

Two relaxations, each for a reason:

- ``style-src-attr 'unsafe-inline'``: a few templates size a bar with ``style="width:…%"``
  (figures computed on the server). A style attribute cannot run code; ``<style>`` elements stay
  limited to the app's own files (``style-src 'self'``).
- the survey web form (:func:`relax_for_webform`, used by ``surveys.collect.webform``): ODK Web
  Forms evaluates XPath with tree-sitter compiled to WebAssembly, which needs
  ``'wasm-unsafe-eval'`` (compiling WebAssembly; it does not allow JavaScript ``eval``), and its
  Vue/PrimeVue widgets add their styles as ``<style>`` elements at run time without a nonce we
  could hand them (the bundle is built at set-up), hence ``style-src 'unsafe-inline'`` on that
  page only; its icon fonts are inlined in the bundle as ``data:`` URLs (``font-src data:``).
  Its scripts stay ``'self'``.
"""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE, WASM_UNSAFE_EVAL
from django.http import HttpResponse

WEBFORM_UPDATE = {
    "script-src": [WASM_UNSAFE_EVAL],
    "style-src": [UNSAFE_INLINE],
    "font-src": ["data:"],
}


def relax_for_webform(response: HttpResponse) -> HttpResponse:
    """What ODK Web Forms needs on its page (see the module's docstring)."""
    response._csp_update = WEBFORM_UPDATE  # read by csp.middleware.CSPMiddleware
    return response
