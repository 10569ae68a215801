"""Collection pages and endpoints: ODK Collect (OpenRosa), the web form, anonymous links, tokens,
quotas, imports, and the office's page of ODK logins.

**ODK Collect.** In Collect's settings the server URL is the app's address followed by ``/odk``
(for example ``http://192.168.1.10:8000/odk``); Collect then asks ``/odk/formList`` and posts to
``/odk/submission``. The user name is the person's user name in Lòng Dân and the password is the
ODK login ("mã đăng nhập ODK") the office issues on :func:`odk_credentials`: Collect answers the
server's 401 challenge with HTTP Digest (over plain HTTP it never sends Basic; over HTTPS it may),
and a Digest server needs ``MD5(user:realm:password)``, which cannot be derived from Django's
PBKDF2 password hash. So the ODK login is its own random password whose HA1 is all that is kept
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
import io
from dataclasses import dataclass
from functools import wraps
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from core import lockout
from core.errors import ServiceError
from core.mime import CSV_TYPE
from core.views import xlsx_download
from documents import csvsafe
from documents.xlsx import write_table
from odk import openrosa
from orgs.models import Collaborator, User
from surveys.collect import imports, selectors, services
from surveys.collect.webform import webform_page
from surveys.design.selectors import current_version, get_survey_for
from surveys.models import CollectorCredential, FormVersion, Quota, Response, Survey, SurveyToken

# A nonce is good for five minutes (a minute of clock skew allowed the other way); within that,
# each use must carry a higher nonce count (services.use_digest_nonce), so a header is good once.
NONCE_SECONDS = 300
NONCE_FUTURE_SECONDS = 60
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}
XML_TYPE = "text/xml; charset=utf-8"


# --- OpenRosa plumbing ---------------------------------------------------------------------------


def _openrosa(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = openrosa.OPENROSA_VERSION
    response["Date"] = http_date()
    response["Content-Language"] = "vi"
    return response


def _message(text: str, status: int, *, nature: str = "") -> HttpResponse:
    return _openrosa(
        HttpResponse(openrosa.response_xml(text, nature=nature), status=status,
                     content_type=XML_TYPE)
    )


def _nonce_secret() -> str:
    return f"longdan-odk-nonce:{settings.SECRET_KEY}"


def _odk_root() -> str:
    return reverse("survey_odk_form_list").rsplit("/", 1)[0] + "/"


def _challenge(request: HttpRequest, *, stale: bool = False) -> HttpResponse:
    response = _message(
        "Cần đăng nhập: nhập tên đăng nhập và mã đăng nhập ODK do Ban Xây dựng Đảng cấp vào"
        " phần cài đặt máy chủ của ODK Collect.",
        401,
    )
    realm = services.odk_realm()
    challenge = openrosa.digest_challenge(
        realm=realm, nonce=openrosa.make_nonce(_nonce_secret()), domain=_odk_root(), stale=stale
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
    response = _message(lockout.lockout_message(), 429)
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
            return _openrosa(view(request, login.user, *args, **kwargs))
        except Http404:
            return _message("Không tìm thấy biểu mẫu này trên máy chủ.", 404)

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


def _collaborator_of(user: User) -> Collaborator | None:
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


def _receive(request: HttpRequest, **kwargs) -> HttpResponse:
    """Read an OpenRosa multipart POST and answer as ODK Collect expects (201, 202 or refusal)."""
    upload = request.FILES.get("xml_submission_file")
    if upload is None:
        return _message("Bản nộp thiếu tệp xml_submission_file.", 400)
    try:
        if upload.size > openrosa.MAX_INSTANCE_BYTES:
            raise services.CollectError("Tệp xml_submission_file quá lớn.", status=413)
        attachments = _attachments(request)
        _, created = services.receive_submission(
            xml=upload.read(), attachments=attachments, **kwargs
        )
    except services.CollectError as exc:
        return _message(exc.message, exc.status_code, nature="error")
    except ServiceError as exc:
        return _message(exc.message, exc.status_code, nature="error")
    if created:
        return _message("Đã nhận phiếu. Cảm ơn!", 201, nature="submit_success")
    return _message("Phiếu này đã được nhận trước đó; không lưu thêm.", 202,
                    nature="submit_success")


@require_http_methods(["HEAD", "POST"])
@openrosa_endpoint
def odk_submission(request: HttpRequest, user: User) -> HttpResponse:
    if request.method == "HEAD":
        response = HttpResponse(status=204)
    else:
        response = _receive(
            request,
            source=Response.Source.ODK_COLLECT,
            interviewer=_collaborator_of(user),
            collector=user,
        )
    response["X-OpenRosa-Accept-Content-Length"] = str(accept_content_length())
    response["Location"] = request.build_absolute_uri(reverse("survey_odk_submission"))
    return response


# --- the web form (logged-in interviewers and the office) ----------------------------------------


def _unavailable(
    request: HttpRequest, survey: Survey | None, reason: str, *, status=200, public=False
) -> HttpResponse:
    return render(
        request,
        "surveys/collect/unavailable.html",
        {"survey": survey, "reason": reason, "public": public},
        status=status,
    )


def _not_open_reason(survey: Survey) -> str | None:
    if survey.status == Survey.Status.CLOSED:
        return (
            "Cuộc khảo sát đã đóng, không nhận thêm phiếu. Các phiếu đã thu vẫn được giữ nguyên."
        )
    if survey.status != Survey.Status.OPEN:
        return "Cuộc khảo sát chưa mở thu thập. Khi Ban Xây dựng Đảng mở, phiếu sẽ hiện ở đây."
    return None


@login_required
@require_GET
def survey_collect(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.get_collectable_survey(request.user, slug)
    reason = _not_open_reason(survey)
    version = current_version(survey)
    if reason is None and version is None:
        reason = "Cuộc khảo sát chưa có bảng hỏi: Ban Xây dựng Đảng cần tải lên tệp XLSForm."
    if reason:
        return _unavailable(request, survey, reason)
    collaborator = _collaborator_of(request.user)
    server = request.build_absolute_uri(_odk_root()).rstrip("/")
    return webform_page(
        request,
        title=survey.title,
        form_url=reverse("survey_collect_form", args=[survey.slug]),
        submit_url=reverse("survey_web_submit", args=[survey.slug]),
        extra={
            "intro": "Mỗi lần gửi là một phiếu; sau khi gửi, phiếu trống hiện ra cho người tiếp"
            " theo. Phỏng vấn bằng điện thoại Android: dùng ODK Collect với địa chỉ máy chủ"
            f" {server}.",
            "back_url": reverse("survey_detail", args=[survey.slug]),
            "back_label": "Về trang khảo sát",
            "interviewer": collaborator.full_name if collaborator else "",
        },
    )


@login_required
@require_GET
def survey_collect_form(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.get_collectable_survey(request.user, slug)
    version = current_version(survey)
    if version is None:
        raise Http404("Cuộc khảo sát chưa có bảng hỏi.")
    return HttpResponse(version.xform_xml.encode("utf-8"), content_type=XML_TYPE)


@require_POST
def survey_web_submit(request: HttpRequest, slug: str) -> HttpResponse:
    """The web form's POST (CSRF-protected, session): answers in XML, never a login redirect,
    because the form's script would take a redirected page for a success."""
    if not request.user.is_authenticated:
        return _message(
            "Phiên đăng nhập đã hết hạn: hãy đăng nhập lại ở thẻ khác rồi bấm gửi lại (phiếu"
            " vẫn còn trên trang).",
            403,
            nature="error",
        )
    try:
        survey = selectors.get_collectable_survey(request.user, slug)
    except Http404:
        return _message("Không tìm thấy cuộc khảo sát.", 404, nature="error")
    return _openrosa(
        _receive(
            request,
            source=Response.Source.WEB,
            interviewer=_collaborator_of(request.user),
            survey=survey,
            collector=request.user,
        )
    )


# --- anonymous single-use links ------------------------------------------------------------------


def _public_state(token: str) -> tuple[SurveyToken | None, str | None]:
    record = selectors.find_token(token)
    if record is None:
        return None, (
            "Liên kết không đúng hoặc đã bị thay đổi. Hãy kiểm tra lại địa chỉ được gửi."
        )
    survey = record.survey
    if not survey.allow_public_link:
        return record, "Cuộc khảo sát này hiện không nhận trả lời qua liên kết."
    reason = _not_open_reason(survey)
    if reason:
        return record, reason
    if record.used_at is not None:
        return record, (
            "Liên kết này đã được dùng để trả lời. Mỗi liên kết chỉ dùng được một lần; cảm ơn"
            " ông/bà đã tham gia."
        )
    if current_version(survey) is None:
        return record, "Cuộc khảo sát chưa có bảng hỏi."
    return record, None


@require_http_methods(["GET", "POST"])
def public_survey(request: HttpRequest, token: str) -> HttpResponse:
    """An anonymous respondent's page: the form (GET) and its submission (POST, once)."""
    if request.method == "POST":
        record = selectors.find_token(token)
        if record is None:
            return _message("Liên kết không đúng.", 404, nature="error")
        return _openrosa(
            _receive(
                request,
                source=Response.Source.PUBLIC_LINK,
                token=token,
                survey=record.survey,
            )
        )
    record, reason = _public_state(token)
    if reason:
        return _unavailable(
            request, record.survey if record else None, reason,
            status=404 if record is None else 200, public=True,
        )
    survey = record.survey
    return webform_page(
        request,
        title=survey.title,
        form_url=reverse("public_survey_form", args=[token]),
        submit_url=reverse("public_survey", args=[token]),
        extra={
            "intro": "Phiếu không ghi tên người trả lời; liên kết này chỉ dùng được một lần."
            " Xin đừng ghi số điện thoại, số căn cước vào câu trả lời.",
            "reset_after_submit": False,
        },
    )


@require_GET
def public_survey_form(request: HttpRequest, token: str) -> HttpResponse:
    record, reason = _public_state(token)
    # A used token still loads the form: the page may be reloaded to read its thank-you.
    version = current_version(record.survey) if record is not None else None
    if version is None or (reason and record.used_at is None):
        raise Http404(reason or "Liên kết không đúng.")
    return HttpResponse(version.xform_xml.encode("utf-8"), content_type=XML_TYPE)


# --- tokens (office) -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_survey_for(request.user, slug, manage=True)
    if request.method == "POST":
        try:
            count = int(request.POST.get("count", "0"))
        except ValueError:
            count = 0
        fmt = request.POST.get("format", "xlsx")
        try:
            tokens = services.issue_tokens(
                survey=survey, count=count, batch=request.POST.get("batch", ""),
                user=request.user,
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("survey_tokens", slug=survey.slug)
        links = [request.build_absolute_uri(reverse("public_survey", args=[t])) for t in tokens]
        return _token_file(survey, links, request.POST.get("batch", ""), fmt)
    batches = (
        survey.tokens.values("batch")
        .annotate(total=Count("id"), used=Count("id", filter=Q(used_at__isnull=False)),
                  issued=Min("created_at"))
        .order_by("-issued")
    )
    return render(
        request,
        "surveys/collect/tokens.html",
        {
            "survey": survey,
            "batches": [{**b, "left": b["total"] - b["used"]} for b in batches],
            "total": survey.tokens.count(),
            "used": survey.tokens.filter(used_at__isnull=False).count(),
            "max_tokens": services.MAX_TOKENS_PER_BATCH,
        },
    )


def _token_file(survey: Survey, links: list[str], batch: str, fmt: str) -> HttpResponse:
    name = f"lien-ket-{survey.slug}"
    rows = [[i, link, batch] for i, link in enumerate(links, start=1)]
    headers = ["STT", "Liên kết trả lời (dùng một lần)", "Đợt"]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csvsafe.writer(buffer)  # a batch name "=…" stays text
        writer.writerow(headers)
        writer.writerows(rows)
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type=CSV_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        workbook = Workbook()
        write_table(workbook, "Liên kết", headers, rows)
        response = xlsx_download(workbook, f"{name}.xlsx")
    response["Cache-Control"] = "no-store"
    return response


# --- quotas --------------------------------------------------------------------------------------


def _quota_context(survey: Survey, user: User) -> dict:
    progress = selectors.quota_progress(survey)
    by_dimension = {d.dimension: d for d in progress}
    editors = []
    if user.is_office:
        for dimension, label in Quota.Dimension.choices:
            current = {r.category: r.target for r in by_dimension[dimension].rows} if (
                dimension in by_dimension
            ) else {}
            categories = selectors.dimension_categories(survey, dimension)
            editors.append({
                "dimension": dimension,
                "label": label,
                "rows": [(c, lbl, current.get(c, 0)) for c, lbl in categories],
            })
    plan = None
    if user.is_office and survey.sample_size:
        try:
            shares = services.population_plan(survey)
        except ServiceError:
            shares = None
        if shares:
            names = dict(selectors.dimension_categories(survey, Quota.Dimension.AREA))
            plan = [(names.get(k, k), v) for k, v in shares.items()]
    return {
        "survey": survey,
        "progress": progress,
        "editors": editors,
        "plan": plan,
        "responses": survey.responses.count(),
        "can_manage": user.is_office,
    }


@login_required
@require_http_methods(["GET", "POST"])
def survey_quotas(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_survey_for(request.user, slug)
    if request.method == "POST":
        if not request.user.is_office:
            raise Http404("Không tìm thấy trang.")
        try:
            if request.POST.get("action") == "plan":
                shares = services.apply_population_plan(survey=survey, user=request.user)
                messages.success(
                    request,
                    f"Đã phân bổ {sum(shares.values())} phiếu cho {len(shares)} tổ dân phố theo"
                    " dân số.",
                )
            else:
                dimension = request.POST.get("dimension", "")
                targets = {}
                for key, value in request.POST.items():
                    if key.startswith("target:"):
                        value = value.strip() or "0"
                        if not value.isdigit():
                            raise ServiceError(
                                f"Chỉ tiêu “{value}” phải là số nguyên không âm.", field=key
                            )
                        targets[key[len("target:"):]] = int(value)
                services.set_quotas(
                    survey=survey, dimension=dimension, targets=targets, user=request.user
                )
                messages.success(request, "Đã lưu chỉ tiêu.")
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("survey_quotas", slug=survey.slug)
    context = _quota_context(survey, request.user)
    if request.headers.get("HX-Request") or request.GET.get("partial"):
        return render(request, "surveys/collect/_quota_progress.html", context)
    return render(request, "surveys/collect/quotas.html", context)


# --- import --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_import(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_survey_for(request.user, slug, manage=True)
    version = current_version(survey)
    report = None
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Hãy chọn tệp Excel (.xlsx) hoặc CSV để nhập."
        else:
            try:
                report = imports.import_responses(
                    survey=survey, user=request.user, file_name=upload.name,
                    data=upload.read(),
                )
            except ServiceError as exc:
                error = exc.message
    columns = []
    if version is not None:
        structure = selectors.structure_of(version)
        columns = [
            f for f in structure.fields if f.answerable and not f.repeat
        ]
    return render(
        request,
        "surveys/collect/import.html",
        {"survey": survey, "version": version, "report": report, "error": error,
         "columns": columns},
        status=400 if error else 200,
    )


# --- ODK logins (office) -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def odk_credentials(request: HttpRequest) -> HttpResponse:
    if not request.user.is_office:
        raise Http404("Không tìm thấy trang.")
    issued = None
    if request.method == "POST":
        target = get_object_or_404(User, pk=request.POST.get("user", 0))
        try:
            if request.POST.get("action") == "revoke":
                services.revoke_odk_credential(user=target, by=request.user)
                messages.success(request, f"Đã thu hồi mã đăng nhập ODK của {target}.")
                return redirect("survey_odk_credentials")
            _, password = services.issue_odk_credential(user=target, by=request.user)
            issued = {"user": target, "password": password}
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("survey_odk_credentials")
    people = (
        User.objects.filter(is_active=True)
        .exclude(role=User.Role.LEADER)
        .select_related("unit", "odk_credential")
        .order_by("unit__name", "full_name", "username")
    )
    response = render(
        request,
        "surveys/collect/odk_credentials.html",
        {
            "people": people,
            "issued": issued,
            "server_url": request.build_absolute_uri(_odk_root()).rstrip("/"),
            "server_is_local": request.get_host().split(":")[0] in LOCAL_HOSTS,
        },
    )
    if issued:
        response["Cache-Control"] = "no-store"
    return response
