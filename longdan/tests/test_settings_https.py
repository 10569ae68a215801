"""Behind a TLS proxy: https is read from the proxy's header, only when a proxy is trusted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = ("import json, django; from django.conf import settings; django.setup(); "
         "print(json.dumps([settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
         "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)]))")


def _settings(tmp_path: Path, **env: str) -> list:
    ours = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "LONGDAN_TRUSTED_PROXY_COUNT")
    environ = {k: v for k, v in os.environ.items() if k not in ours}
    environ.update(DJANGO_SETTINGS_MODULE="longdan.settings", LONGDAN_VAR_DIR=str(tmp_path),
                   SECRET_KEY="x" * 60, LONGDAN_HTTPS="1", **env)
    result = subprocess.run([sys.executable, "-c", PROBE], env=environ, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_behind_a_trusted_proxy_https_comes_from_its_header(tmp_path):
    redirect, hsts, header = _settings(tmp_path, LONGDAN_TRUSTED_PROXY_COUNT="1")
    assert redirect is True and hsts == 365 * 24 * 3600
    assert header == ["HTTP_X_FORWARDED_PROTO", "https"]


COOKIES = ("import json, django; from django.conf import settings; django.setup(); "
           "print(json.dumps([settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
           "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SESSION_COOKIE_HTTPONLY]))")


def test_https_makes_cookies_secure_and_hsts_cover_the_names_below(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ.update(DJANGO_SETTINGS_MODULE="longdan.settings", LONGDAN_VAR_DIR=str(tmp_path),
                   SECRET_KEY="x" * 60, LONGDAN_HTTPS="1")
    out = subprocess.run([sys.executable, "-c", COOKIES], env=environ, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [True, True, True, True]
    environ.pop("LONGDAN_HTTPS")
    out = subprocess.run([sys.executable, "-c", COOKIES.replace(
        "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS", "settings.SECURE_HSTS_SECONDS")],
        env=environ, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [False, False, 0, True]


def test_check_deploy_is_clean_behind_https(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ.update(DJANGO_SETTINGS_MODULE="longdan.settings", LONGDAN_VAR_DIR=str(tmp_path),
                   SECRET_KEY="check-deploy-a-long-random-enough-secret-value-" + "k" * 20,
                   LONGDAN_HTTPS="1")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], env=environ,
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_without_a_proxy_a_client_cannot_claim_https(tmp_path):
    redirect, _, header = _settings(tmp_path)
    assert redirect is True and header is None
