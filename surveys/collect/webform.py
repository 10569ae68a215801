"""The web form page: a survey's XForm rendered in the browser by ODK's own engine.

Engine: ``@getodk/web-forms`` (npm), bundled by ``webform/build.mjs`` at ``make setup`` into
``static/vendor/odk-webform/``. Chosen over ``enketo-core`` because:

- it installs from the npm registry alone: enketo-core 9 depends on a GitHub-hosted fork of
  Leaflet.draw, which ``npm ci`` cannot fetch on a machine that reaches only the registry;
- it reads the XForm XML as pyxform writes it, in the browser; enketo-core needs the form first
  turned into HTML by enketo-transformer (an XSLT step on a Node server);
- it is the engine ODK builds to replace Enketo in ODK Central, and its feature matrix covers
  every XLSForm type and column the issue lists (text, integer, decimal, select_one,
  select_multiple with ``or_other``, rank, date, note, calculate, groups, repeats, ``relevant``,
  ``constraint``, ``required``, ``choice_filter``, ``default``, ``label::Tiếng Việt``);
- it hands back the instance as OpenRosa multipart data (``xml_submission_file``), so the web
  form posts exactly what ODK Collect posts.

The page (``templates/surveys/webform.html``) carries the URLs as data attributes; the glue
(``static/js/survey-webform.js``) fetches the form, posts each response, queues it in the browser
(IndexedDB) when offline and sends it when the network is back; a service worker
(``static/js/survey-sw.js``, served by :func:`service_worker` so its scope can cover the survey
pages) keeps the page, the engine and the form XML for opening the form again without network.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from core.csp import relax_for_webform

TEMPLATE = "surveys/webform.html"
SERVICE_WORKER = "js/survey-sw.js"
# The URL name the service worker is routed under; the page registers it when the name exists.
SERVICE_WORKER_URL_NAME = "survey_webform_sw"


def webform_page(
    request: HttpRequest,
    *,
    title: str,
    form_url: str,
    submit_url: str,
    extra: dict | None = None,
    sw_url: str | None = None,
    sw_scope: str | None = None,
    attachments_url: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the web form for one form version.

    ``form_url`` answers GET with the XForm XML; ``submit_url`` accepts the OpenRosa-style
    multipart POST (``xml_submission_file``) with the CSRF token in ``X-CSRFToken``.
    ``extra`` goes to the template: ``intro`` (text under the title), ``back_url`` and
    ``back_label`` (a link for the interviewer), ``interviewer`` (name shown in interviewer mode),
    ``reset_after_submit`` (default True: an empty form for the next respondent).
    ``sw_url`` defaults to the route named ``survey_webform_sw`` when it exists.
    """
    if sw_url is None:
        try:
            sw_url = reverse(SERVICE_WORKER_URL_NAME)
        except NoReverseMatch:
            sw_url = ""
    context = {
        "reset_after_submit": True,
        **(extra or {}),
        "title": title,
        "form_url": form_url,
        "submit_url": submit_url,
        "sw_url": sw_url,
        "sw_scope": sw_scope or "",
        "attachments_url": attachments_url or "",
        # Sets the CSRF cookie, which the glue reads when it posts (also for queued responses).
        "csrf_token_value": get_token(request),
    }
    # ODK Web Forms compiles WebAssembly and adds <style> elements (core.csp).
    return relax_for_webform(render(request, TEMPLATE, context, status=status))


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The survey service worker, served from a route so its scope can cover the form pages.

    Route it at the top of the survey pages (for example ``khao-sat/sw.js`` for pages under
    ``/khao-sat/``) with the name ``survey_webform_sw``.
    """
    path = finders.find(SERVICE_WORKER)
    if not path:
        raise Http404("Không tìm thấy tệp service worker của phiếu khảo sát.")
    with open(path, encoding="utf-8") as handle:
        body = handle.read()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
