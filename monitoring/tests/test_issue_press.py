"""The issue page shows the press and social-media stories tied to the issue (issue 9), to the
office and the leaders only: the monitoring desk is theirs."""

from django.urls import reverse

from issues.models import Issue
from monitoring.tests.pages_support import mention, story, when
from orgs.models import User


def test_the_issue_page_lists_its_stories_for_the_office_and_leaders(client, vanphong, lanhdao,
                                                                      an, cell_a):
    issue = Issue.objects.create(code="VD-2026-0007", title="Mất nước ở tổ dân phố 1",
                                 owner_unit=cell_a)
    spreading = story(when(2))
    for site in ("baomoi.vn", "vnexpress.net", "tuoitre.vn"):
        mention("Cả khu phố mất nước ba ngày liền", site=site, at=when(2), story=spreading)
    spreading.issue = issue
    spreading.save()
    elsewhere = story(when(3))
    mention("Chợ đêm mở cửa lại", at=when(3), story=elsewhere)

    for reader in (vanphong, lanhdao):
        client.force_login(reader)
        page = client.get(reverse("issue_detail", args=[issue.pk])).content.decode()
        assert "Trên báo chí, mạng xã hội" in page
        assert "Cả khu phố mất nước ba ngày liền" in page
        assert reverse("monitoring_story", args=[spreading.pk]) in page
        assert "Chợ đêm mở cửa lại" not in page

    assert an.role == User.Role.REPORTER
    client.force_login(an)
    page = client.get(reverse("issue_detail", args=[issue.pk]))
    assert page.status_code == 200
    assert "Trên báo chí, mạng xã hội" not in page.content.decode()
