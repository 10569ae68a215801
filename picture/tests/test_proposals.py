"""Latent opinion proposed by the engine: growing worry with no issue yet, once, then quiet."""

import datetime as dt

import pytest

from core.models import Attitude, Channel, Topic
from intake.services import file_item
from picture.models import LatentCandidate
from picture.services import propose_latent_candidates

TODAY = dt.date(2026, 11, 20)


def _file(user, unit, area, topic, day, attitude):
    file_item(user=user, text=f"Người dân lo về {topic.name.lower()} ở khu phố.",
              channel=Channel.COLLABORATOR, received_on=day, area=area, unit=unit,
              topic_ids=[topic.pk], attitude=attitude)


@pytest.fixture
def growing_worry(vanphong, cell_a, area_1):
    """Eight weeks of one agreeable item a week on education, then worry growing 1, 2, 3, 4."""
    topic = Topic.objects.get(name="Giáo dục")
    for week in range(4, 12):
        _file(vanphong, cell_a, area_1, topic, TODAY - dt.timedelta(days=7 * week + 1),
              Attitude.AGREE)
    for week, count in zip(range(3, -1, -1), (1, 2, 3, 4), strict=True):
        for n in range(count):
            _file(vanphong, cell_a, area_1, topic, TODAY - dt.timedelta(days=7 * week + n),
                  Attitude.WORRIED)
    return topic


def test_growing_worry_without_an_issue_is_proposed_once(growing_worry, lanhdao):
    run = propose_latent_candidates(today=TODAY)
    candidates = LatentCandidate.objects.filter(topic=growing_worry)
    # Ward-wide, and not again for its one area.
    assert candidates.count() == 1 and run.proposed == [candidates.get().pk]
    ward_wide = candidates.get(area__isnull=True)
    assert ward_wide.count == 10 and "«Giáo dục»" in ward_wide.reason
    assert propose_latent_candidates(today=TODAY).proposed == []
    assert propose_latent_candidates(today=TODAY + dt.timedelta(days=1)).proposed == []


def test_worry_an_issue_the_office_took_up_follows_is_not_proposed(growing_worry, vanphong):
    from issues.models import Issue

    detected = Issue.objects.create(code="VD-1", title="Học phí", topic=growing_worry,
                                    status=Issue.Status.DETECTED)
    assert propose_latent_candidates(today=TODAY).proposed != []  # formed, not taken up
    LatentCandidate.objects.all().delete()
    detected.status = Issue.Status.WATCHING
    detected.save()
    assert propose_latent_candidates(today=TODAY).proposed == []
