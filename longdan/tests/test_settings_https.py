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


def test_without_a_proxy_a_client_cannot_claim_https(tmp_path):
    redirect, _, header = _settings(tmp_path)
    assert redirect is True and header is None
