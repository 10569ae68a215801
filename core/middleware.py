"""Refuse form posts whose text is not valid UTF-8 (issue 16).

Django decodes a form body with ``errors="replace"``: bytes that are not UTF-8 become "�" and
would be stored as such. A browser always sends UTF-8 (every page is served as UTF-8), so such a
body comes from a broken or hostile client; it is refused with a 400 and a Vietnamese message
instead of being stored damaged. Bodies that declare another charset are left to Django.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.http import HttpResponse, JsonResponse

MESSAGE = (
    "Dữ liệu gửi lên có ký tự không hợp lệ (không phải UTF-8). Hãy gửi lại từ trình duyệt"
    " hoặc mã hóa nội dung bằng UTF-8."
)
# ODK Collect posts XML files, checked by the submission's own XML parser; parsing its
# multipart body here would also do it before the Digest challenge.
_SKIP_PREFIXES = ("/odk/",)
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"


def _utf8(content_type: str, params: dict) -> bool:
    charset = params.get("charset", "utf-8").strip().lower()
    return content_type in (_FORM, _MULTIPART) and charset in ("utf-8", "utf8")


def _form_is_utf8(body: bytes) -> bool:
    for pair in body.split(b"&"):
        for part in pair.split(b"=", 1):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True


def _multipart_is_utf8(request) -> bool:
    # Django has decoded the text fields with "replace" (files stay bytes): a "�" is a bad byte.
    for values in request.POST.lists():
        if any("\ufffd" in value for value in values[1]) or "\ufffd" in values[0]:
            return False
    return True


class RejectInvalidUtf8Middleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("POST", "PUT", "PATCH")
            and _utf8(request.content_type or "", request.content_params or {})
            and not request.path.startswith(_SKIP_PREFIXES)
        ):
            if request.content_type == _FORM:
                ok = _form_is_utf8(request.body)
            else:
                ok = _multipart_is_utf8(request)
            if not ok:
                return _refuse(request)
        return self.get_response(request)


def _refuse(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGE, "field": None}, status=400)
    return HttpResponse(MESSAGE, status=400, content_type="text/plain; charset=utf-8")
