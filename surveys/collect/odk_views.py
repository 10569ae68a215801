"""ODK Collect's endpoints (OpenRosa): the form list, forms, manifests and submissions.

**ODK Collect.** In Collect's settings the server URL is the app's address followed by ``/odk``
(for example ``http://192.168.1.10:8000/odk``); Collect then asks ``/odk/formList`` and posts to
``/odk/submission``. The user name is the person's user name in Lòng Dân and the password is the
ODK login ("mã đăng nhập ODK") the office issues on
:func:`surveys.collect.views.odk_credentials`. Collect answers the server's 401 challenge with
HTTP Digest (over plain HTTP it never sends Basic; over HTTPS it may), and a Digest server needs
``MD5(user:realm:password)``, which cannot be derived from Django's PBKDF2 password hash. So the
ODK login is its own random password whose HA1 is all that is kept
(:class:`surveys.models.CollectorCredential`); Basic is accepted over HTTPS only. These endpoints
accept no session cookie: they are exempt from CSRF, so a browser's session must not authorise a
cross-site post there.

Nonces carry their own time and an HMAC with the secret key, and are valid :data:`NONCE_SECONDS`;
an expired one with a correct response gets ``stale=true`` so Collect retries without asking for
the password again. Each use of a nonce must carry a higher nonce count than the last (kept in the
database, :class:`surveys.models.DigestNonce`), so a captured header cannot be replayed. Wrong
logins count toward the same lockout as the web login (:mod:`core.lockout`).

Digest keeps the password off the wire but not the forms and answers: on the ward network the app
should be served over HTTPS (as ODK Central requires), see the README.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from functools import wraps
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core import lockout
from core.errors import ServiceError
from odk import openrosa
from orgs.models import Collaborator, User
from surveys.collect import selectors, services
from surveys.models import CollectorCredential, FormVersion, Response

# A nonce is good for five minutes (a minute of clock skew allowed the other way); within that,
# each use must carry a higher nonce count (services.use_digest_nonce), so a header is good once.
NONCE_SECONDS = 300
NONCE_FUTURE_SECONDS = 60
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}
XML_TYPE = "text/xml; charset=utf-8"


# --- OpenRosa plumbing ---------------------------------------------------------------------------


def openrosa_response(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = openrosa.OPENROSA_VERSION
    response["Date"] = http_date()
    response["Content-Language"] = "vi"
    return response


def openrosa_message(text: str, status: int, *, nature: str = "") -> HttpResponse:
    return openrosa_response(
        HttpResponse(openrosa.response_xml(text, nature=nature), status=status,
                     content_type=XML_TYPE)
    )


def _nonce_secret() -> str:
    return f"longdan-odk-nonce:{settings.SECRET_KEY}"


def odk_root() -> str:
    return reverse("survey_odk_form_list").rsplit("/", 1)[0] + "/"


def _challenge(request: HttpRequest, *, stale: bool = False) -> HttpResponse:
    response = openrosa_message(
        "Cần đăng nhập: nhập tên đăng nhập và mã đăng nhập ODK do Ban Xây dựng Đảng cấp vào"
        " phần cài đặt máy chủ của ODK Collect.",
        401,
    )
    realm = services.odk_realm()
    challenge = openrosa.digest_challenge(
        realm=realm, nonce=openrosa.make_nonce(_nonce_secret()), domain=odk_root(), stale=stale
    )
    if request.is_secure():
        challenge += f', Basic realm="{realm}"'
    response["WWW-Authenticate"] = challenge
    return response


def _same_uri(uri: str, request: HttpRequest) -> bool:
    """Whether the Digest ``uri`` names this request (its path; the query when both have one)."""
    sent = urlsplit(unquote(uri or ""))
    if sent.path != unquote(request.path):
        return False
    query = unquote(request.META.get("QUERY_STRING", ""))
    return not sent.query or not query or sent.query == query


@dataclass
class _Login:
    """What an ODK request's ``Authorization`` header proved."""

    user: User | None = None
    username: str = ""  # the name it claimed ("" without credentials)
    stale: bool = False  # right answer to an expired nonce, or a replayed (nonce, nc)
    failed: bool = False  # wrong credentials: counted toward the lockout


def _claimed_username(header: str) -> str:
    params = openrosa.parse_digest(header)
    if params is not None:
        return params.get("username", "")[:150]
    basic = openrosa.parse_basic(header)
    return basic[0][:150] if basic is not None else ""


def _nonce_count(params: dict[str, str]) -> int | None:
    """The nonce count as a number (1 without qop, when a nonce is good for one request)."""
    if not params.get("qop"):
        return 1
    nc = params.get("nc", "")
    if not 0 < len(nc) <= 15:
        return None
    try:
        return int(nc, 16)
    except ValueError:
        return None


def _digest_login(request: HttpRequest, params: dict[str, str], username: str) -> _Login:
    failed = _Login(username=username, failed=True)
    credential = (
        CollectorCredential.objects.select_related("user").filter(username=username).first()
    )
    if credential is None or not credential.user.is_active:
        return failed
    qop = params.get("qop", "")
    if params.get("realm") != credential.realm or qop not in ("", "auth"):
        return failed
    if qop and not (params.get("nc") and params.get("cnonce")):
        return failed
    if not _same_uri(params.get("uri", ""), request):
        return failed
    expected = openrosa.digest_response(params, ha1=credential.ha1, method=request.method)
    if not hmac.compare_digest(expected, params.get("response", "")):
        return failed
    nonce = params.get("nonce", "")
    age = openrosa.nonce_age(_nonce_secret(), nonce)
    nc = _nonce_count(params)
    if age is None or nc is None:
        return failed
    if not -NONCE_FUTURE_SECONDS <= age <= NONCE_SECONDS:
        return _Login(username=username, stale=True)
    if not services.use_digest_nonce(nonce, nc, keep_seconds=NONCE_SECONDS + NONCE_FUTURE_SECONDS):
        # A replayed header (or one a client sent twice): a fresh nonce, and no counted failure,
        # since whoever sent it did know the answer once.
        return _Login(username=username, stale=True)
    return _Login(user=credential.user, username=username)


def _odk_login(request: HttpRequest) -> _Login:
    """Check a Digest (or, over HTTPS, Basic) header; the user it proves, if any."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    username = _claimed_username(header)
    params = openrosa.parse_digest(header)
    if params is not None:
        return _digest_login(request, params, username) if username else _Login()
    basic = openrosa.parse_basic(header)
    if basic is None or not username:
        return _Login()
    if not request.is_secure():
        return _Login(username=username)  # Basic over http: challenged, never checked
    credential = (
        CollectorCredential.objects.select_related("user").filter(username=username).first()
    )
    if credential is None or not credential.user.is_active:
        return _Login(username=username, failed=True)
    ha1 = openrosa.digest_ha1(username, credential.realm, basic[1])
    if hmac.compare_digest(ha1, credential.ha1):
        return _Login(user=credential.user, username=username)
    return _Login(username=username, failed=True)


def _locked(request: HttpRequest) -> HttpResponse:
    response = openrosa_message(lockout.lockout_message(), 429)
    response["Retry-After"] = str(lockout.cool_off_minutes() * 60)
    response.lockout_answered = True  # kept as it is by core.lockout.lockout_response
    return response


def openrosa_endpoint(view):
    """CSRF-exempt, authenticated by Digest/Basic only, OpenRosa headers on every answer.

    Failed logins count toward the same limits as the web login (core.lockout: per user name
    and per address, in the database); over the limit even the right answer is refused.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        claimed = _claimed_username(request.META.get("HTTP_AUTHORIZATION", ""))
        if claimed and lockout.is_locked(request, claimed):
            return _locked(request)
        login = _odk_login(request)
        if login.failed and lockout.record_failure(request, login.username, door="odk"):
            return _locked(request)
        if login.user is None:
            return _challenge(request, stale=login.stale)
        try:
            return openrosa_response(view(request, login.user, *args, **kwargs))
        except Http404:
            return openrosa_message("Không tìm thấy biểu mẫu này trên máy chủ.", 404)

    return wrapper


def _form_urls(request: HttpRequest, version: FormVersion) -> tuple[str, str]:
    return (
        request.build_absolute_uri(reverse("survey_odk_form_xml", args=[version.pk])),
        request.build_absolute_uri(reverse("survey_odk_manifest", args=[version.pk])),
    )


@require_http_methods(["GET", "HEAD"])
@openrosa_endpoint
def odk_form_list(request: HttpRequest, user: User) -> HttpResponse:
    wanted = request.GET.get("formID", "")
    entries = []
    for version in selectors.versions_for_form_list(user):
        if wanted and version.survey.form_id != wanted:
            continue
        download, manifest = _form_urls(request, version)
        entries.append(
            openrosa.FormListEntry(
                form_id=version.survey.form_id,
                name=version.title or version.survey.title,
                version=version.version,
                md5=version.xform_md5 or openrosa.xform_md5(version.xform_xml),
                download_url=download,
                manifest_url=manifest,
            )
        )
    return HttpResponse(openrosa.form_list_xml(entries), content_type=XML_TYPE)


def _collectable_version(user: User, pk: int) -> FormVersion:
    version = get_object_or_404(FormVersion.objects.select_related("survey"), pk=pk)
    if not selectors.collectable_surveys(user).filter(pk=version.survey_id).exists():
        raise Http404
    return version


@require_http_methods(["GET", "HEAD"])
@openrosa_endpoint
def odk_form_xml(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    version = _collectable_version(user, pk)
    response = HttpResponse(version.xform_xml.encode("utf-8"), content_type=XML_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{version.survey.form_id}.xml"'
    return response


@require_http_methods(["GET", "HEAD"])
@openrosa_endpoint
def odk_manifest(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    _collectable_version(user, pk)
    return HttpResponse(openrosa.manifest_xml(), content_type=XML_TYPE)


def accept_content_length() -> int:
    """What Collect may send in one POST; larger submissions it splits (attachments merge)."""
    return services.max_attachment_bytes() + 1024 * 1024


def collaborator_of(user: User) -> Collaborator | None:
    return Collaborator.objects.filter(user=user).first()


def _attachments(request: HttpRequest) -> dict[str, tuple[bytes, str]]:
    files: dict[str, tuple[bytes, str]] = {}
    for field_name, uploads in request.FILES.lists():
        if field_name == "xml_submission_file":
            continue
        for upload in uploads:
            name = upload.name or field_name
            services.check_attachment(name, upload.size)  # refused before it is read
            files[name] = (upload.read(), upload.content_type or "")
    return files


def receive_submission(request: HttpRequest, **kwargs) -> HttpResponse:
    """Read an OpenRosa multipart POST and answer as ODK Collect expects (201, 202 or refusal)."""
    upload = request.FILES.get("xml_submission_file")
    if upload is None:
        return openrosa_message("Bản nộp thiếu tệp xml_submission_file.", 400)
    try:
        if upload.size > openrosa.MAX_INSTANCE_BYTES:
            raise services.CollectError("Tệp xml_submission_file quá lớn.", status=413)
        attachments = _attachments(request)
        _, created = services.receive_submission(
            xml=upload.read(), attachments=attachments, **kwargs
        )
    except services.CollectError as exc:
        return openrosa_message(exc.message, exc.status_code, nature="error")
    except ServiceError as exc:
        return openrosa_message(exc.message, exc.status_code, nature="error")
    if created:
        return openrosa_message("Đã nhận phiếu. Cảm ơn!", 201, nature="submit_success")
    return openrosa_message("Phiếu này đã được nhận trước đó; không lưu thêm.", 202,
                    nature="submit_success")


@require_http_methods(["HEAD", "POST"])
@openrosa_endpoint
def odk_submission(request: HttpRequest, user: User) -> HttpResponse:
    if request.method == "HEAD":
        response = HttpResponse(status=204)
    else:
        response = receive_submission(
            request,
            source=Response.Source.ODK_COLLECT,
            interviewer=collaborator_of(user),
            collector=user,
        )
    response["X-OpenRosa-Accept-Content-Length"] = str(accept_content_length())
    response["Location"] = request.build_absolute_uri(reverse("survey_odk_submission"))
    return response
