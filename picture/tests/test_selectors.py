"""The picture's figures on a constructed ward: scoping, sources apart and together, small
numbers, silence, refusals. These run on the raw counter; the rollups must equal it
(picture/tests/test_rollups*.py)."""

import datetime as dt

import pytest

from core.models import Attitude, Channel, SocialGroup, Topic
from intake.services import file_item
from orgs.models import Area
from picture.query import QueryError, read_query
from picture.selectors import SMALL_LABEL, picture_for

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def topics():
    return {name: Topic.objects.get(name=name) for name in ("Môi trường", "Y tế")}


@pytest.fixture
def area_2(cell_b):
    return Area.objects.create(name="Tổ dân phố 2", population=400, unit=cell_b)


def _file(user, unit, area, topic, attitude, day, group=None, channel=Channel.RESIDENTIAL):
    return file_item(
        user=user, text=f"Người dân phản ánh về {topic.name.lower()} ở khu phố.",
        channel=channel, received_on=day, area=area, unit=unit, topic_ids=[topic.pk],
        attitude=attitude, social_group_ids=[group.pk] if group else [],
    )


@pytest.fixture
def heard(vanphong, cell_a, cell_b, area_1, area_2, topics):
    """Four items this month in cell A (3) and cell B (1), one last month in cell A."""
    env, health = topics["Môi trường"], topics["Y tế"]
    youth = SocialGroup.objects.order_by("pk").first()
    _file(vanphong, cell_a, area_1, env, Attitude.AGGRIEVED, dt.date(2026, 11, 3), group=youth)
    _file(vanphong, cell_a, area_1, env, Attitude.OPPOSE, dt.date(2026, 11, 10))
    _file(vanphong, cell_a, area_1, health, Attitude.AGREE, dt.date(2026, 11, 12))
    _file(vanphong, cell_b, area_2, env, Attitude.WORRIED, dt.date(2026, 11, 15),
          channel=Channel.SOCIAL_MEDIA)
    _file(vanphong, cell_a, area_1, env, Attitude.WORRIED, dt.date(2026, 10, 20))
    return youth


def _picture(user, **params):
    return picture_for(read_query(user, {"period": "2026-11", **params}, today=TODAY))


def test_the_office_sees_the_ward_and_a_unit_only_its_subtree(heard, vanphong, an, binh, topics):
    office = _picture(vanphong)
    assert office["totals"]["items"] == 4
    assert office["totals"]["previous"]["items"] == 1
    assert office["totals"]["change"]["items"] == 3
    assert office["totals"]["by_attitude"] == {
        Attitude.AGREE: 1, Attitude.WORRIED: 1, Attitude.AGGRIEVED: 1, Attitude.OPPOSE: 1,
    }
    assert office["totals"]["aggrieved_share"] == 0.5
    assert office["totals"]["concerned_share"] == 0.75
    env = next(t for t in office["topics"] if t["name"] == "Môi trường")
    assert env["count"] == 3 and env["by_attitude"][Attitude.AGGRIEVED] == 1

    assert _picture(an)["totals"]["items"] == 3
    unit_b = _picture(binh)
    assert unit_b["totals"]["items"] == 1
    assert [a["name"] for a in unit_b["areas"]] == ["Tổ dân phố 2"]
    assert [c["code"] for c in unit_b["channels"]] == [Channel.SOCIAL_MEDIA]


def test_the_office_narrows_to_a_unit_and_a_unit_cannot_reach_another(heard, vanphong, an):
    assert _picture(vanphong, unit="chi-bo-1")["totals"]["items"] == 3
    with pytest.raises(QueryError) as refusal:
        read_query(an, {"unit": "chi-bo-2"}, today=TODAY)
    assert refusal.value.field == "unit"


def test_filters_narrow_every_panel(heard, vanphong, topics):
    env = topics["Môi trường"]
    narrowed = _picture(vanphong, topic=str(env.pk))
    assert narrowed["totals"]["items"] == 3
    assert [t["name"] for t in narrowed["topics"]] == ["Môi trường"]
    by_channel = _picture(vanphong, channel=Channel.SOCIAL_MEDIA)
    assert by_channel["totals"]["items"] == 1


def test_small_numbers_are_hidden_from_units_where_they_could_point_at_a_person(
    heard, vanphong, an
):
    group = str(heard.pk)
    assert _picture(vanphong, group=group)["totals"]["items"] == 1
    for_unit = _picture(an, group=group)
    assert for_unit["totals"]["items"] == SMALL_LABEL
    assert for_unit["totals"]["aggrieved_share"] is None
    groups = _picture(an)["social_groups"]
    assert groups[0]["count"] == SMALL_LABEL
    assert all(t["count"] == SMALL_LABEL for t in groups[0]["topics"])
    # Without a pinpointing filter a unit's own totals stay exact.
    assert _picture(an)["totals"]["items"] == 3


def test_heat_table_counts_each_week(heard, vanphong):
    heat = _picture(vanphong)["heat"]
    assert heat["buckets"][0]["start"] == "2026-11-01"
    env = next(row for row in heat["rows"] if row["name"] == "Môi trường")
    assert sum(env["counts"]) == 3


def test_an_area_nobody_heard_from_is_silent(heard, vanphong, cell_a):
    quiet = Area.objects.create(name="Tổ dân phố 9", population=1200, unit=cell_a)
    picture = _picture(vanphong, silent_weeks="2")
    silent = {row["name"]: row for row in picture["silent_areas"]}
    assert quiet.name in silent and silent[quiet.name]["last_heard"] is None
    assert "Tổ dân phố 1" not in silent  # heard on 12 November, within two weeks of the 20th
    assert next(a for a in picture["areas"] if a["name"] == quiet.name)["silent"] is True
    assert quiet.pk in {row["id"] for row in picture["coverage"]["areas_without_collaborator"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"period": "2026-13"}, "period"), ({"area": "Tổ không có"}, "area"),
     ({"topic": "999999"}, "topic"), ({"channel": "fax"}, "channel"),
     ({"silent_weeks": "0"}, "silent_weeks"), ({"group": "x"}, "group")],
)
def test_a_filter_that_cannot_be_read_names_itself(vanphong, params, field):
    with pytest.raises(QueryError) as refusal:
        read_query(vanphong, params, today=TODAY)
    assert refusal.value.field == field


def test_report_streams_count_apart_from_items_and_only_once_submitted(
    heard, vanphong, an, monthly, full_sections, stream, cell_a
):
    from reporting import services
    from reporting.periods import parse_period

    period = services.ensure_period(parse_period("2026-11"))
    draft = services.save_draft(user=an, template=monthly, period=period, unit=cell_a,
                                sections=full_sections, streams=[stream], expected_version=None)
    assert _picture(vanphong)["totals"]["stream_mentions"] == 0
    services.submit_report(user=an, report=draft, expected_version=draft.version)
    totals = _picture(vanphong)["totals"]
    assert (totals["items"], totals["stream_mentions"], totals["heard"]) == (4, 1, 5)
    env = next(t for t in _picture(an)["topics"] if t["name"] == "Môi trường")
    assert (env["items"], env["stream_mentions"]) == (2, 1)


def test_units_that_reported_without_latent_opinion_are_named_in_scope(
    heard, vanphong, an, binh, monthly, full_sections, stream, cell_a, cell_b
):
    """A unit that submitted reports but never named a latent opinion is a gap; one that named
    one, or that submitted nothing, is not; a drafted report does not count. A unit reads only
    its own subtree."""
    from dataclasses import replace

    from reporting import services
    from reporting.periods import parse_period

    def report(user, unit, month, *, latent, submit=True):
        period = services.ensure_period(parse_period(month))
        draft = services.save_draft(
            user=user, template=monthly, period=period, unit=unit, sections=full_sections,
            streams=[replace(stream, latent=latent)], expected_version=None,
        )
        if submit:
            services.submit_report(user=user, report=draft, expected_version=draft.version)

    def never_latent(user):
        return [row["name"] for row in _picture(user)["coverage"]["units_never_latent"]]

    assert never_latent(vanphong) == []
    report(an, cell_a, "2026-09", latent=False)
    report(binh, cell_b, "2026-10", latent=False, submit=False)
    assert never_latent(vanphong) == [cell_a.name]
    report(an, cell_a, "2026-10", latent=True)
    assert never_latent(vanphong) == []
    report(binh, cell_b, "2026-11", latent=False)
    assert never_latent(vanphong) == [cell_b.name]
    assert never_latent(an) == []
    assert never_latent(binh) == [cell_b.name]
