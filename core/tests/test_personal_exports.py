"""Every export that holds personal data is flagged ``personal`` in its audit entry, so that the
leaders' audit page filter "Chỉ thông tin cá nhân" finds it (issue 10; docs/PRIVACY.md lists them).
Survey answers and the monitoring command are checked in their own apps' tests."""

from __future__ import annotations

import pytest
from django.test import Client

from core.models import AuditEntry
from core.selectors import AuditFilter, audit_entries_for

PERSONAL = [
    ("/nhat-ky/xuat.xlsx", "core.auditentry"),
    ("/cong-tac-vien/xuat.xlsx", "orgs.collaborator"),
    ("/don-vi/xuat.xlsx", "orgs.orgunit"),
    ("/cong-tac-vien/kinh-phi/xuat.xlsx", "orgs.allowancepayment"),
    ("/theo-doi-bao-chi/xuat-excel/", "monitoring.mention"),
]
NOT_PERSONAL = [
    ("/van-de/xuat.xlsx", "issues.issue"),
    ("/chi-dao/xuat.xlsx", "picture.direction"),
]


@pytest.mark.parametrize("url, object_type", PERSONAL)
def test_exports_with_personal_data_are_flagged(vanphong, lanhdao, url, object_type):
    client = Client()
    client.force_login(vanphong)
    response = client.get(url)
    assert response.status_code == 200, url
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert entry.object_type == object_type and entry.data["personal"] is True
    found = audit_entries_for(lanhdao, AuditFilter(personal=True))
    assert entry in found


@pytest.mark.parametrize("url, object_type", NOT_PERSONAL)
def test_exports_without_personal_data_are_audited_unflagged(vanphong, lanhdao, url,
                                                             object_type):
    client = Client()
    client.force_login(vanphong)
    assert client.get(url).status_code == 200, url
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert entry.object_type == object_type and not entry.data.get("personal")
    assert entry not in audit_entries_for(lanhdao, AuditFilter(personal=True))
