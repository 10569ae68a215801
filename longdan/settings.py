"""One settings module, driven by environment variables through small typed helpers.

Defaults make an embedded install: SQLite in ``var/``, console e-mail, the database task backend.
A server sets ``DATABASE_URL`` (PostgreSQL), ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp import constants as csp

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LONGDAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str = "") -> str:
    """Read a string; ``NAME_FILE`` (a path) wins, so secrets can live in files."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The key the repository used to ship. Never used to sign anything unless SECRET_KEY is set to it
# (or var/ cannot be written); `longdan serve` refuses it off loopback and `check --deploy` fails.
DEFAULT_SECRET_KEY = "longdan-embedded-insecure-key-change-me-on-a-server-0123456789"
SECRET_KEY_PATH = VAR_DIR / "secret_key"


def _secret_key() -> str:
    """SECRET_KEY (or SECRET_KEY_FILE) wins; else a random key made once in var/ (mode 0600)."""
    if os.environ.get("SECRET_KEY_FILE") or os.environ.get("SECRET_KEY"):
        return env_str("SECRET_KEY")
    try:
        return SECRET_KEY_PATH.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    import secrets

    key = secrets.token_urlsafe(50)
    # Written whole under a private name, then linked into place: a concurrent reader never sees
    # a half-written file, and of two racing processes exactly one key wins.
    temp = SECRET_KEY_PATH.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        try:
            os.link(temp, SECRET_KEY_PATH)
        except FileExistsError:
            pass
        finally:
            temp.unlink()
        return SECRET_KEY_PATH.read_text(encoding="utf-8").strip()
    except OSError:  # a read-only install: loopback only (see longdan serve)
        return DEFAULT_SECRET_KEY


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# A refused form post (expired session, stale form) is explained in Vietnamese (issue 17).
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "orgs",
    "reporting",
    "flash",
    "textops",
    "intake",
    "issues",
    "monitoring",
    "petitions",
    "search",
    "surveys",
    "picture",
    "plans",
    "evaluation",
    "consultations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy on every answer (core.csp; a nonce for any inline script).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: a form post that is not UTF-8 is refused before anything reads it (issue 16).
    "core.middleware.RejectInvalidUtf8Middleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits; a form posted after the end keeps its text (core.sessions).
    "core.sessions.SessionLifetimeMiddleware",
    # A session holds on the second step (a code from the phone) until it passes (core.twofactor).
    "core.twofactor.SecondFactorMiddleware",
    # After the office's password reset, every page leads to the password change (core.accounts).
    "core.accounts.MustChangePasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a login refused for too many failures into the Vietnamese lockout page (core.lockout).
    "axes.middleware.AxesMiddleware",
    # Pages for signed-in people, form answers and exports are never kept in a cache.
    "core.caching.NoStoreMiddleware",
    # A long download tells the page when it has arrived (core.downloads, static/js/busy.js).
    "core.downloads.DownloadTokenMiddleware",
]

ROOT_URLCONF = "longdan.urls"
WSGI_APPLICATION = "longdan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "core.sessions.kept_draft",
            ],
        },
    },
]

SQLITE_PATH = VAR_DIR / "longdan.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while a unit submits; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # A lock held too long (a restore, a long migration) ends the waiting statement as SQLite's
    # busy timeout does, so the page answers 503 (core.unavailable) instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={env_int('LONGDAN_DB_LOCK_TIMEOUT_MS', 20000)}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins are counted in the database (django-axes), so every server process sees the same
# counts: the login page, the admin, the API token endpoint and ODK Collect's Digest logins all
# feed and obey them. Failures are limited per account and, separately, per client address (as
# core.request.client_address sees it, behind LONGDAN_TRUSTED_PROXY_COUNT proxies); once over the
# limit even the right password is refused until the cool-off ends or the office unlocks
# (orgs.views.login_lockouts).
AUTHENTICATION_BACKENDS = [
    "core.lockout.LockoutBackend",  # axes' AxesStandaloneBackend
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LONGDAN_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LONGDAN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.request.client_address"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# A refused attempt during a lockout does not restart the cool-off, and logs one lockout, not one
# per attempt.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ADMIN = False  # the office unlocks on its own page, with an audit entry
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit log already

# --- Sign-in rules, all here and explained in the README ("Đăng nhập an toàn") ------------------
# Password rules: at least LONGDAN_PASSWORD_MIN_LENGTH characters (12, as OWASP ASVS level 2
# asks), not like the user name or full name, not a common password, not digits only. Django
# ships these validators' messages in Vietnamese (LANGUAGE_CODE "vi"), but for the minimum
# length's error, which core.passwords gives.
LONGDAN_PASSWORD_MIN_LENGTH = env_int("LONGDAN_PASSWORD_MIN_LENGTH", 12)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.MinimumLengthValidator",
     "OPTIONS": {"min_length": LONGDAN_PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Session limits (OWASP ASVS 4.0.3 3.3.2, level 2: re-authentication after 12 hours of use or
# 30 minutes of inactivity), enforced by core.sessions.SessionLifetimeMiddleware, which tells the
# login page why the session ended. LONGDAN_SESSION_IDLE_HOURS is still read when the minutes are
# not set. Django's own expiry only clears the rows: it is set to the longer of the two limits.
LONGDAN_SESSION_IDLE_MINUTES = env_int(
    "LONGDAN_SESSION_IDLE_MINUTES", 60 * env_int("LONGDAN_SESSION_IDLE_HOURS", 0) or 30
)
LONGDAN_SESSION_MAX_HOURS = env_int("LONGDAN_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = 60 * max(LONGDAN_SESSION_IDLE_MINUTES, 60 * LONGDAN_SESSION_MAX_HOURS)
SESSION_SAVE_EVERY_REQUEST = True
# Two-factor sign-in (core.twofactor): these roles must use it (comma-separated role codes;
# empty turns the requirement off, everyone may still turn it on for themselves).
LONGDAN_2FA_ROLES = env_list("LONGDAN_2FA_ROLES", "office,leader")
OTP_TOTP_ISSUER = env_str("LONGDAN_2FA_ISSUER", "Lòng Dân")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# The Vietnamese locale sets no digit grouping; 47.168 reads better than 47168.
NUMBER_GROUPING = 3
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (what `make demo` uses, so
# the demo's reminders do not bury the account list), each message is a file here.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "longdan@phuonghoabinh.local")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "core.authentication.TokenAuthentication",  # hashed, expiring, revocable (core.tokens)
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than 32 levels is refused with a 400 (issue 16).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.ViJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lòng Dân API",
    "DESCRIPTION": "API công tác dư luận xã hội: đơn vị, báo cáo định kỳ, tỷ lệ nộp báo cáo.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from the app itself: the office has no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# The ward this installation serves; printed on documents.
LONGDAN_SUPERIOR_BODY = env_str("LONGDAN_SUPERIOR_BODY", "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG")
LONGDAN_ISSUING_BODY = env_str("LONGDAN_ISSUING_BODY", "ĐẢNG ỦY PHƯỜNG HÒA BÌNH")
LONGDAN_PLACE = env_str("LONGDAN_PLACE", "Hòa Bình")
# PDF copies of the DOCX documents are laid out by LibreOffice (core.pdf): the soffice command (a
# name on PATH or a full path) and how many seconds one conversion may take before it is stopped.
LONGDAN_SOFFICE = env_str("LONGDAN_SOFFICE", "soffice")
LONGDAN_PDF_TIMEOUT = env_int("LONGDAN_PDF_TIMEOUT", 120)
# Press monitoring (issue 9): the fetcher refuses loopback, private and link-local addresses
# except these hosts or addresses (comma-separated: an intranet source, the tests' local server).
LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS = [
    host.lower() for host in env_list("LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS")
]
# Seconds between two requests to one host (politeness).
LONGDAN_MONITOR_PAUSE = float(env_str("LONGDAN_MONITOR_PAUSE", "0.5"))
# How long a worker's claim on a source's fetch lasts: a worker killed mid-fetch leaves the source
# due again after it (monitoring.services._claim).
LONGDAN_MONITOR_LEASE_SECONDS = float(env_str("LONGDAN_MONITOR_LEASE_SECONDS", "600"))
# The city the ward belongs to: its name near "Hòa Bình" says the ward is meant.
LONGDAN_CITY = env_str("LONGDAN_CITY", "Hải Phòng")
LONGDAN_MAX_TEXT = env_int("LONGDAN_MAX_TEXT", 20_000)
LONGDAN_SURVEY_MAX_ATTACHMENT_MB = env_int("LONGDAN_SURVEY_MAX_ATTACHMENT_MB", 10)
# Absolute address of the app, for links in e-mails.
LONGDAN_SITE_URL = env_str("LONGDAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
LONGDAN_API_TOKEN_DAYS = env_int("LONGDAN_API_TOKEN_DAYS", 30)  # API tokens expire (core.tokens)
LONGDAN_TRUSTED_PROXY_COUNT = env_int("LONGDAN_TRUSTED_PROXY_COUNT", 0)  # see core/request.py
# Issues and directions due within this many days remind their units (picture.services.escalation)
LONGDAN_DIRECTION_REMIND_DAYS = env_int("LONGDAN_DIRECTION_REMIND_DAYS", 3)
LONGDAN_DIGEST_HOUR = env_int("LONGDAN_DIGEST_HOUR", 7)  # local hour the daily alert digests go
# Backups (core.backup_runs): the scheduler backs up once a night from this local hour on into
# LONGDAN_BACKUP_DIR and keeps 7 daily, 4 weekly and 12 monthly copies. The key that signs and
# encrypts them (LONGDAN_BACKUP_KEY_FILE or LONGDAN_BACKUP_KEY) is read by core.backup_crypto.
LONGDAN_BACKUP_DIR = Path(env_str("LONGDAN_BACKUP_DIR", "") or VAR_DIR / "backups")
LONGDAN_BACKUP_NIGHTLY = env_bool("LONGDAN_BACKUP_NIGHTLY", True)
LONGDAN_BACKUP_HOUR = env_int("LONGDAN_BACKUP_HOUR", 2)
LONGDAN_BACKUP_KEEP = (env_int("LONGDAN_BACKUP_KEEP_DAILY", 7),
                       env_int("LONGDAN_BACKUP_KEEP_WEEKLY", 4),
                       env_int("LONGDAN_BACKUP_KEEP_MONTHLY", 12))
# The health endpoint (/suc-khoe/, core.health): open to the monitoring system without login (it
# carries no names, no paths, no personal data) unless this token is set; then it wants
# "Authorization: Bearer <token>". Unhealthy past these ages.
LONGDAN_HEALTH_TOKEN = env_str("LONGDAN_HEALTH_TOKEN", "")
LONGDAN_HEALTH_BACKUP_HOURS = env_int("LONGDAN_HEALTH_BACKUP_HOURS", 30)
LONGDAN_HEALTH_QUEUE_MINUTES = env_int("LONGDAN_HEALTH_QUEUE_MINUTES", 15)

# No cache service to run: "default" is Django's per-process memory cache as before; compliance
# results are kept per process ("compliance") under a generation token that every process reads
# from the database ("shared"), so a submit in one process retires them in all, on every machine
# (reporting/cache.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "compliance": {
        # LONGDAN_COMPLIANCE_CACHE=off counts afresh on every request (to compare, or to rule
        # the cache out when something looks wrong).
        "BACKEND": "django.core.cache.backends.dummy.DummyCache"
        if env_str("LONGDAN_COMPLIANCE_CACHE", "on").lower() == "off"
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "longdan-compliance",
        "OPTIONS": {"MAX_ENTRIES": 64},
    },
    # The compliance generation token (reporting/cache.py): in the database, so every process
    # of every machine serving it reads the same token (its table is made after each migrate).
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "longdan_shared_cache",
    },
    # The request limits (the API token endpoint, public tracking): counted in the database so
    # every process and machine shares one count. Its table is made after each migrate
    # (core.apps, createcachetable).
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "longdan_throttle_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}
# PDF copies of documents, keyed by what their pages show (core.pdf): an unchanged document is not
# converted twice; a copy kept on one machine is never wrong on another, only missing there.
CACHES["documents"] = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": str(VAR_DIR / "pdf-cache"),
    "TIMEOUT": 7 * 24 * 3600,
    "OPTIONS": {"MAX_ENTRIES": 200},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# What the browser may load and run on the app's pages (django-csp; the reasons in core/csp.py,
# which also relaxes it for the survey web form only): the app's own files, no inline script
# without the request's nonce, style attributes but no inline <style>, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "style-src-attr": [csp.UNSAFE_INLINE],
        # data: for the charts the weekly brief embeds as PNG and Leaflet's marker images.
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "worker-src": [csp.SELF],
        "manifest-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and env_bool("LONGDAN_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    # The app's host name and the names under it are https only (LONGDAN_HSTS_SUBDOMAINS=0 when
    # another site under the same name still serves plain http).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LONGDAN_HSTS_SUBDOMAINS", True)
    # Browsers' preload list takes public domains only, asked for by hand: off unless the ward
    # has done that (LONGDAN_HSTS_PRELOAD=1); check --deploy's reminder of it is silenced.
    SECURE_HSTS_PRELOAD = env_bool("LONGDAN_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if LONGDAN_TRUSTED_PROXY_COUNT:
        # TLS ends at the proxy, which forwards plain http: without this every request would be
        # redirected to https again, for ever. Trusted only because the proxy sets the header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Personal data (issue 10, docs/PRIVACY.md). Residents' contact details are encrypted with the key
# of core.datakey (LONGDAN_DATA_KEY_FILE or LONGDAN_DATA_KEY; else var/data_key, made at first
# use) and erased this many days after the resident was answered, and at the latest this many
# days after they wrote (0: no such limit).
LONGDAN_CONTACT_RETENTION_DAYS = env_int("LONGDAN_CONTACT_RETENTION_DAYS", 90)
LONGDAN_CONTACT_MAX_DAYS = env_int("LONGDAN_CONTACT_MAX_DAYS", 730)
