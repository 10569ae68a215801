"""No copy of personal data in a browser's or a proxy's cache (issue 18, finding 5).

Every page a signed-in person sees, every answer to a form post, and every file handed out as an
attachment (exports) may hold residents' words or details: they carry ``Cache-Control: no-store``
so that the back button on a shared office computer, or a caching proxy on the ward network, does
not keep them. Public pages anyone may read (published answers, public results) stay cacheable.
"""

from __future__ import annotations

NO_STORE = "no-store, private"


def holds_personal_data(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        bool(user is not None and user.is_authenticated)
        or request.method != "GET"
        or "attachment" in response.get("Content-Disposition", "")
    )


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if holds_personal_data(request, response) and not request.path.startswith("/static/"):
            response["Cache-Control"] = NO_STORE
        return response
