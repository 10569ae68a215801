"""Properties of the OpenRosa submission (issue 10, "faults survived"): any instance XML sent as
a response — hostile or broken (entity expansion and DTDs, huge integers, elements nested
thousands deep, a wrong or missing instance id, a wrong form id or version, an unknown or wrong
encoding, impossible dates, answers repeated where they should not be) — is stored as one
response, recognised as a retry, or refused with a 4xx and a Vietnamese message with nothing
stored; never a 500 and never a half-stored response.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.models import AuditEntry
from core.tests.fuzzing import assert_vietnamese, fuzz
from odk import openrosa
from orgs.models import Collaborator, User
from surveys.collect import services as collect
from surveys.models import Response
from surveys.tests.collect_support import OdkCollect, standard_instance
from surveys.tests.conftest import STANDARD_FORM_ID, STANDARD_VERSION

pytestmark = pytest.mark.django_db

NAMES = ["khu_vuc", "gioi_tinh", "nhom_tuoi", "so_nhan_khau", "ngay_phong_van",
         "hai_long_chung", "y_kien_khac", "van_de", "thanh_vien", "khong_co", "meta"]
_value = st.one_of(
    st.sampled_from(["to_1", "nu", "30_44", "hai_long", "4", "9" * 5000, "-2147483649", "nan",
                     "2026-01-10", "0000-00-00", "SĐT 0912345678", "&amp;amp;", "", " ",
                     "x" * 20_000, "<![CDATA[<a>]]>", "\x01"]),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=15),
)
_answers = st.lists(st.tuples(st.sampled_from(NAMES), _value, st.integers(1, 3)), max_size=6)
_plain_prefix = st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>'])
_hostile_prefix = st.sampled_from([
    '<?xml version="1.0" encoding="bogus"?>',
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<!DOCTYPE data [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE data SYSTEM "file:///etc/passwd">',
])
_new_id = st.builds(lambda: f"uuid:{uuid.uuid4()}")
_instance_id = st.one_of(
    _new_id, _new_id, _new_id,
    st.sampled_from([None, "", " ", "uuid:co-dinh", "uuid:" + "x" * 200, "uuid:a b",
                     "uuid:\u200b"]),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),
)


def _text(value: str) -> str:
    return escape(value) if not value.startswith("<![CDATA[") else value


@st.composite
def instances(draw) -> bytes:
    form_id = draw(st.sampled_from([STANDARD_FORM_ID] * 3 + ["", "khac", "x" * 300]))
    version = draw(st.sampled_from([STANDARD_VERSION] * 3 + ["", "9" * 5000]))
    when = draw(st.sampled_from(["", "0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-07:00",
                                 "2026-01-10T09:00:00+07:00", "hôm qua"]))
    attrs = f' id={quoteattr(form_id)} version={quoteattr(version)}'
    if when:
        attrs += f" submissionDate={quoteattr(when)}"
    body = "".join(f"<{name}>{_text(value)}</{name}>" * times
                   for name, value, times in draw(_answers))
    # One instance in six is hostile in its envelope; the others only in their answers.
    hostile = draw(st.integers(0, 5)) == 0
    depth = draw(st.sampled_from([3, 150, 5000])) if hostile else draw(st.sampled_from([0, 1]))
    body = "<g>" * depth + body + "</g>" * depth
    instance_id = draw(_instance_id)
    if instance_id is not None:
        body += f"<meta><instanceID>{_text(instance_id)}</instanceID></meta>"
    prefix = draw(_hostile_prefix if hostile else _plain_prefix)
    xml = prefix + f"<data{attrs}>{body}</data>"
    encoding = draw(st.sampled_from(["utf-16", "cp1258"])) if hostile else "utf-8"
    return xml.encode(encoding, "replace")


def _counts() -> tuple[int, int]:
    return Response.objects.count(), AuditEntry.objects.count()


@fuzz(120, db=True)
@given(instances())
@example(standard_instance(instance_id="uuid:mau"))
@example(b'<data id="khao_sat_chuan" version="2026010101">' + b"<g>" * 100_000
         + b"</g>" * 100_000 + b"<meta><instanceID>uuid:sau</instanceID></meta></data>")
@example(b'<?xml version="1.0" encoding="bogus"?><data id="khao_sat_chuan"/>')
@example(b'<data id="khao_sat_chuan" version="2026010101"'
         b' submissionDate="0001-01-01T00:00:00+07:00"><meta><instanceID>uuid:nam-0'
         b"</instanceID></meta></data>")
def test_any_instance_is_stored_once_or_refused_with_a_4xx(open_survey, xml):
    before = _counts()
    try:
        response, created = collect.receive_submission(
            xml=xml, source=Response.Source.ODK_COLLECT)
    except collect.CollectError as exc:
        assert 400 <= exc.status_code < 500
        assert_vietnamese(exc.message)
        assert _counts() == before  # nothing half-stored
        return
    assert Response.objects.count() == before[0] + (1 if created else 0)
    response.refresh_from_db()
    assert 0 < len(response.instance_id) <= openrosa.MAX_INSTANCE_ID
    assert isinstance(response.data, dict)
    ET.fromstring(response.xml)  # what is kept reads back
    if response.submitted_at is not None:
        assert 1900 <= response.submitted_at.year <= 2200


# --- through ODK Collect's endpoint ------------------------------------------------------------


@pytest.fixture
def phone(client, cell_a, vanphong) -> OdkCollect:
    user = User.objects.create_user("ctv_hoa", password="web-pass",
                                    role=User.Role.COLLABORATOR, unit=cell_a,
                                    full_name="Đỗ Thị Hoa")
    Collaborator.objects.create(full_name="Đỗ Thị Hoa", user=user, unit=cell_a,
                                started_on=dt.date(2025, 10, 1))
    _, password = collect.issue_odk_credential(user=user, by=vanphong)
    return OdkCollect(client, "ctv_hoa", password)


RESPONSE_NS = {"r": openrosa.NS_RESPONSE}


@fuzz(15, db=True)
@given(instances())
@example(b'<data id="khao_sat_chuan" version="2026010101">' + b"<g>" * 50_000
         + b"</g>" * 50_000 + b"<meta><instanceID>uuid:sau</instanceID></meta></data>")
def test_odk_collect_gets_an_openrosa_answer_never_a_500(open_survey, phone, xml):
    before = _counts()[0]
    answer = phone.submit(xml)
    assert answer.status_code in (201, 202) or 400 <= answer.status_code < 500, answer
    message = ET.fromstring(answer.content).find("r:message", RESPONSE_NS).text
    assert_vietnamese(message)
    stored = Response.objects.count() - before
    assert stored == (1 if answer.status_code == 201 else 0)


# --- escapes found, pinned -------------------------------------------------------------------


def test_elements_nested_past_the_limit_are_refused_before_any_walk():
    xml = b'<data id="f">' + b"<g>" * 200_000 + b"</g>" * 200_000 + b"</data>"
    with pytest.raises(openrosa.SubmissionError, match="lồng nhau quá 100 cấp") as refused:
        openrosa.parse_submission(xml)  # RecursionError in answers()/to_xml() (a 500), fixed
    assert refused.value.status == 400


def test_an_unknown_declared_encoding_is_refused():
    with pytest.raises(openrosa.SubmissionError, match="bảng mã") as refused:
        openrosa.parse_submission(b'<?xml version="1.0" encoding="bogus"?><data id="f"/>')
    assert refused.value.status == 400  # LookupError escaped (a 500), fixed


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-07:00",
                                  "9999-12-31T23:59:59+00:00", "1066-10-14T09:00:00Z"])
def test_a_time_outside_the_years_a_phone_can_mean_is_not_kept(text):
    # year 1 at +07:00 is before year 1 in UTC: OverflowError when the database stored it
    assert openrosa.parse_datetime(text) is None
    assert openrosa.parse_datetime("2026-01-10T09:00:00+07:00").year == 2026
