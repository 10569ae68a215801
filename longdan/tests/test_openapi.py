"""The OpenAPI schema of /api/v1/: served, parseable, complete and free of generator warnings."""

from __future__ import annotations

import json

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

EXPECTED_PATHS = {
    "/api/v1/token/": {"post", "delete"},
    "/api/v1/units/": {"get"},
    "/api/v1/units/{id}/": {"get"},
    "/api/v1/areas/": {"get"},
    "/api/v1/collaborators/": {"get"},
    "/api/v1/periods/": {"get"},
    "/api/v1/templates/": {"get"},
    "/api/v1/reports/": {"get", "post"},
    "/api/v1/reports/{id}/": {"get", "put", "patch"},
    "/api/v1/reports/{id}/submit/": {"post"},
    "/api/v1/reports/{id}/return/": {"post"},
    "/api/v1/reports/{id}/versions/": {"get"},
    "/api/v1/compliance/": {"get"},
    "/api/v1/audit/": {"get"},
}


@pytest.mark.django_db
def test_schema_is_served_and_lists_every_endpoint():
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Lòng Dân API"
    for path, methods in EXPECTED_PATHS.items():
        assert methods <= set(schema["paths"][path]), path
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    update = schema["paths"]["/api/v1/reports/{id}/"]["patch"]
    assert "409" in update["responses"]
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "field"]


@pytest.mark.django_db
def test_schema_is_also_served_as_yaml():
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    assert "/api/v1/reports/" in yaml.safe_load(response.content)["paths"]


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    # --fail-on-warn turns any generator warning or error into a failure; --validate checks the
    # result against the OpenAPI 3 JSON schema.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/compliance/" in yaml.safe_load(out.read_text(encoding="utf-8"))["paths"]


def test_swagger_ui_is_served_from_the_app_not_a_cdn(client, vanphong):
    client.force_login(vanphong)
    page = client.get("/api/v1/docs/").content.decode()
    assert "cdn.jsdelivr" not in page and "unpkg" not in page
    assert "/static/drf_spectacular_sidecar/" in page
