"""The database unavailable or locked: a Vietnamese 503, not a 500 (issue 10, "faults survived").

Django turns an exception raised anywhere under a middleware into the ``handler500`` response
from inside its ``except`` block, so :func:`server_error` (the project's ``handler500``) still sees
the exception in ``sys.exc_info()``: a lost connection, a refused one or a lock held past the busy
timeout answer 503 with ``Retry-After``, every other error the plain 500 page. Nothing was written:
services write in one transaction, which the database rolled back (or never began).
"""

from __future__ import annotations

import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.defaults import server_error as plain_server_error

RETRY_AFTER_SECONDS = 30
MESSAGE = (
    "Cơ sở dữ liệu tạm thời không truy cập được (đang bận hoặc đang bảo trì). Dữ liệu vừa gửi "
    "chưa được lưu; xin thử lại sau ít phút."
)


def is_unavailable(error: BaseException | None) -> bool:
    """An error that says the database cannot be reached or is locked, not a wrong query."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    text = str(error).lower()
    return any(sign in text for sign in (
        "is locked", "lock timeout", "connection", "could not connect", "server closed",
        "terminating connection", "the database system is", "timeout", "unable to open",
    ))


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE, "field": None}, status=503)
    else:
        # Stands alone (no context processor, no user): they would ask the database again.
        body = loader.get_template("503.html").render({"retry": request.get_full_path()})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    if is_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return plain_server_error(request, template_name)
