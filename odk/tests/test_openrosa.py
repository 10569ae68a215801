"""odk.openrosa (pure): instances, form structure, OpenRosa documents, Digest."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from pyxform.xls2xform import convert

from odk import openrosa
from odk.openrosa import SubmissionError

FORM = {
    "survey": [
        {"type": "select_one kv", "name": "khu_vuc", "label": "Khu vực", "required": "yes"},
        {"type": "text", "name": "y_kien", "label": "Ý kiến"},
        {"type": "note", "name": "ghi_chu", "label": "Ghi chú"},
        {"type": "deviceid", "name": "deviceid"},
        {"type": "phonenumber", "name": "so_may"},
        {"type": "begin group", "name": "g1", "label": "Nhóm"},
        {"type": "select_multiple m", "name": "nhieu", "label": "Nhiều"},
        {"type": "integer", "name": "tuoi", "label": "Tuổi", "required": "yes",
         "relevant": "${khu_vuc} = 'to_1'"},
        {"type": "end group"},
        {"type": "begin repeat", "name": "thanh_vien", "label": "Thành viên"},
        {"type": "text", "name": "ten", "label": "Tên"},
        {"type": "end repeat"},
        {"type": "calculate", "name": "c", "calculation": "1+1"},
    ],
    "choices": [
        {"list_name": "kv", "name": "to_1", "label": "Tổ dân phố 1"},
        {"list_name": "kv", "name": "to_2", "label": "Tổ dân phố 2"},
        {"list_name": "m", "name": "a", "label": "Phương án A"},
        {"list_name": "m", "name": "b", "label": "Phương án B"},
    ],
    "settings": [{"form_id": "ks_thu", "version": "7", "form_title": "Thử"}],
}


@pytest.fixture(scope="module")
def structure() -> openrosa.FormStructure:
    return openrosa.form_structure(convert(FORM).xform)


def instance(
    body: str, *, attrs: str = 'id="ks_thu" version="7"', meta: str | None = None
) -> bytes:
    meta = "<meta><instanceID>uuid:abc-1</instanceID></meta>" if meta is None else meta
    return f"<?xml version='1.0'?><data {attrs}>{body}{meta}</data>".encode()


# --- structure -------------------------------------------------------------------------------


def test_structure_reads_kinds_choices_repeats_and_device_fields(structure):
    fields = structure.by_path
    assert structure.form_id == "ks_thu" and structure.version == "7"
    assert structure.repeats == frozenset({"thanh_vien"})
    assert fields["khu_vuc"].kind == "select_one" and fields["khu_vuc"].required
    assert fields["khu_vuc"].choices == ("to_1", "to_2")
    assert fields["khu_vuc"].choice_labels["to_2"] == ("Tổ dân phố 2",)
    assert fields["y_kien"].kind == "text"
    assert fields["ghi_chu"].kind == "note" and not fields["ghi_chu"].answerable
    assert fields["g1/nhieu"].kind == "select_multiple" and fields["g1/nhieu"].name == "nhieu"
    # Required but only when shown: not required for an import.
    assert fields["g1/tuoi"].kind == "integer" and not fields["g1/tuoi"].required
    assert fields["thanh_vien/ten"].repeat == "thanh_vien"
    assert fields["c"].kind == "calculate"
    assert fields["deviceid"].device_property and fields["so_may"].device_property
    assert "meta/instanceID" not in fields
    assert structure.by_name["nhieu"].path == "g1/nhieu"


def test_structure_reads_translated_choice_labels():
    form = {
        "survey": [{"type": "select_one kv", "name": "khu_vuc", "label::Tiếng Việt": "Khu vực",
                    "label::English": "Area"}],
        "choices": [{"list_name": "kv", "name": "to_1", "label::Tiếng Việt": "Tổ dân phố 1",
                     "label::English": "Group 1"}],
        "settings": [{"form_id": "ks", "default_language": "Tiếng Việt"}],
    }
    spec = openrosa.form_structure(convert(form).xform).by_name["khu_vuc"]
    assert spec.choice_labels["to_1"] == ("Tổ dân phố 1", "Group 1")


# --- instances -------------------------------------------------------------------------------


def test_parse_submission_reads_ids_time_and_flattens_groups_and_repeats(structure):
    xml = instance(
        "<khu_vuc>to_1</khu_vuc><y_kien> Đường tối </y_kien><ghi_chu/>"
        "<deviceid>imei:356938035643809</deviceid><so_may>0912345678</so_may>"
        "<g1><nhieu>a b</nhieu><tuoi>41</tuoi></g1>"
        "<thanh_vien><ten>Hoa</ten></thanh_vien><thanh_vien><ten>Minh</ten></thanh_vien>"
        "<c>2</c>",
        meta="<meta><instanceID>uuid:abc-1</instanceID>"
        "<timeEnd>2026-01-10T09:30:00.000+07:00</timeEnd></meta>",
    )
    submission = openrosa.parse_submission(xml)
    assert (submission.form_id, submission.version) == ("ks_thu", "7")
    assert submission.instance_id == "uuid:abc-1"  # the uuid: prefix is kept
    assert submission.submitted_at == dt.datetime(2026, 1, 10, 2, 30, tzinfo=dt.UTC)
    assert submission.answers(structure) == {
        "khu_vuc": "to_1",
        "y_kien": "Đường tối",
        "nhieu": "a b",
        "tuoi": "41",
        "thanh_vien": [{"ten": "Hoa"}, {"ten": "Minh"}],
        "c": "2",
    }


def test_a_single_repeat_instance_is_still_a_list(structure):
    xml = instance("<khu_vuc>to_2</khu_vuc><thanh_vien><ten>Hoa</ten></thanh_vien>")
    assert openrosa.parse_submission(xml).answers(structure)["thanh_vien"] == [{"ten": "Hoa"}]
    # Without the form's structure only a repeated element is known to be a repeat.
    assert openrosa.parse_submission(xml).answers() == {"khu_vuc": "to_2", "ten": "Hoa"}


def test_cleaned_masks_text_answers_and_drops_device_fields(structure):
    xml = instance(
        "<khu_vuc>to_1</khu_vuc><y_kien>gọi 0912345678</y_kien><deviceid>imei:1</deviceid>"
        "<thanh_vien><ten>số 0987654321</ten></thanh_vien>"
    )
    cleaned = openrosa.parse_submission(xml).cleaned(structure, lambda t: t.replace("09", "**"))
    answers = cleaned.answers(structure)
    assert answers["y_kien"] == "gọi **12345678"
    assert answers["thanh_vien"] == [{"ten": "số **87654321"}]
    assert answers["khu_vuc"] == "to_1"  # a choice is not text: untouched
    assert "imei" not in cleaned.to_xml() and "deviceid" not in cleaned.to_xml()
    assert "0912345678" not in cleaned.to_xml()


def test_namespaced_meta_and_no_version_are_read():
    xml = (
        b'<data xmlns:orx="http://openrosa.org/xforms" id="ks"><a>1</a>'
        b"<orx:meta><orx:instanceID>uuid:x</orx:instanceID></orx:meta></data>"
    )
    submission = openrosa.parse_submission(xml)
    assert (submission.version, submission.instance_id) == ("", "uuid:x")
    assert submission.submitted_at is None


@pytest.mark.parametrize(
    ("xml", "words"),
    [
        (b"", "rỗng"),
        (b"<data id='x'><a></data>", "không phải XML hợp lệ (lỗi ở dòng 1"),
        (b"not xml at all", "không phải XML hợp lệ"),
        (b"<data><meta><instanceID>uuid:1</instanceID></meta></data>", "thiếu mã biểu mẫu"),
        (b"<data id='x'><a>1</a></data>", "thiếu mã bản ghi (meta/instanceID)"),
        (b"<data id='x'><meta><instanceID>  </instanceID></meta></data>", "thiếu mã bản ghi"),
        (b"<data id='x'><meta><instanceID>a b</instanceID></meta></data>", "không hợp lệ"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><data id="x">&e;</data>',
            "DTD",
        ),
    ],
)
def test_malformed_submissions_are_refused_in_vietnamese(xml, words):
    with pytest.raises(SubmissionError) as caught:
        openrosa.parse_submission(xml)
    assert words in caught.value.message
    assert caught.value.status == 400


def test_billion_laughs_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<data id="x">&lol2;<meta><instanceID>uuid:1</instanceID></meta></data>'
    )
    with pytest.raises(SubmissionError):
        openrosa.parse_submission(bomb)


def test_parse_datetime_handles_odk_forms():
    assert openrosa.parse_datetime("2026-01-10T09:30:00.000+07:00").utcoffset() == dt.timedelta(
        hours=7
    )
    assert openrosa.parse_datetime("2026-01-10T02:30:00Z").tzinfo is not None
    assert openrosa.parse_datetime("2026-01-10T02:30:00").tzinfo == dt.UTC
    assert openrosa.parse_datetime("hôm qua") is None


# --- OpenRosa documents ----------------------------------------------------------------------


def test_form_list_xml_follows_the_form_list_api():
    body = openrosa.form_list_xml([
        openrosa.FormListEntry(
            form_id="ks_thu", name="Khảo sát thử", version="7", md5="0" * 32,
            download_url="http://s/odk/forms/1/form.xml",
            manifest_url="http://s/odk/forms/1/manifest",
        )
    ])
    root = ET.fromstring(body)
    ns = {"x": openrosa.NS_FORM_LIST}
    assert root.tag == f"{{{openrosa.NS_FORM_LIST}}}xforms"
    form = root.find("x:xform", ns)
    assert form.findtext("x:formID", namespaces=ns) == "ks_thu"
    assert form.findtext("x:name", namespaces=ns) == "Khảo sát thử"
    assert form.findtext("x:version", namespaces=ns) == "7"
    assert form.findtext("x:hash", namespaces=ns) == "md5:" + "0" * 32
    assert form.findtext("x:downloadUrl", namespaces=ns).endswith("/form.xml")
    assert form.findtext("x:manifestUrl", namespaces=ns).endswith("/manifest")
    assert body.startswith(b"<?xml")


def test_manifest_and_response_envelopes():
    manifest = ET.fromstring(openrosa.manifest_xml())
    assert manifest.tag == f"{{{openrosa.NS_MANIFEST}}}manifest" and len(manifest) == 0
    response = ET.fromstring(openrosa.response_xml("Đã nhận phiếu.", nature="submit_success"))
    assert response.tag == f"{{{openrosa.NS_RESPONSE}}}OpenRosaResponse"
    message = response.find(f"{{{openrosa.NS_RESPONSE}}}message")
    assert message.text == "Đã nhận phiếu." and message.get("nature") == "submit_success"


# --- Digest -----------------------------------------------------------------------------------


def test_digest_round_trip_rfc2617_example():
    # RFC 2617 section 3.5: Mufasa / Circle Of Life.
    ha1 = openrosa.digest_ha1("Mufasa", "testrealm@host.com", "Circle Of Life")
    params = {
        "username": "Mufasa", "realm": "testrealm@host.com",
        "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093", "uri": "/dir/index.html", "qop": "auth",
        "nc": "00000001", "cnonce": "0a4f113b",
    }
    assert openrosa.digest_response(params, ha1=ha1, method="GET") == (
        "6629fae49393a05397450978507c4ef1"
    )


def test_nonce_is_signed_and_ages():
    nonce = openrosa.make_nonce("bí mật", now=1_000_000)
    assert openrosa.nonce_age("bí mật", nonce, now=1_000_030) == 30
    assert openrosa.nonce_age("khác", nonce, now=1_000_030) is None
    assert openrosa.nonce_age("bí mật", "f4240.deadbeef", now=1_000_030) is None
    assert openrosa.nonce_age("bí mật", "zz", now=0) is None


def test_parse_authorization_headers():
    header = (
        'Digest username="an", realm="Long Dan", nonce="abc.def", uri="/odk/formList",'
        ' response="r", qop=auth, nc=00000001, cnonce="c1"'
    )
    params = openrosa.parse_digest(header)
    assert params["username"] == "an" and params["qop"] == "auth" and params["nc"] == "00000001"
    assert openrosa.parse_digest("Basic YW46eA==") is None
    assert openrosa.parse_basic("Basic YW46bcOjIGLDrSBt4bqtdA==") == ("an", "mã bí mật")
    assert openrosa.parse_basic("Basic !!!") is None


def test_an_empty_repeat_instance_is_not_an_answer(structure):
    xml = instance("<khu_vuc>to_1</khu_vuc><thanh_vien><ten/></thanh_vien>")
    assert openrosa.parse_submission(xml).answers(structure) == {"khu_vuc": "to_1"}
