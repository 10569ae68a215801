"""A long download says when it is done (issue 17: the survey's DOCX takes seconds to make).

The page's script (static/js/busy.js) adds ``dl=<token>`` to a download link and shows "Đang
tạo tệp…"; the response to that request carries a short-lived cookie with the same token, which
the script sees arrive and then hides the note. Only the cookie is added: the download itself is
untouched, and a request without a well-formed token gets nothing.
"""

from __future__ import annotations

import re

COOKIE = "longdan_dl"
_TOKEN = re.compile(r"^[a-z0-9]{8,32}$")


class DownloadTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = request.GET.get("dl", "")
        if _TOKEN.match(token):
            # Read by the page's script, so not HttpOnly; it carries nothing but the token.
            response.set_cookie(COOKIE, token, max_age=120, samesite="Lax", httponly=False,
                                secure=request.is_secure())
        return response
