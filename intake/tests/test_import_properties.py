"""Properties of the opinion import (issue 10): any uploaded file is kept for the mapping step or
refused with a Vietnamese ServiceError (nothing stored), and any mapping posted back either files
the rows (each refused row named by its number) or is refused in Vietnamese with the batch still
waiting and no item filed."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.errors import ServiceError
from core.tests.fuzzing import assert_vietnamese, fuzz
from intake import services
from intake.models import ImportBatch, OpinionItem

pytestmark = pytest.mark.django_db

HEADERS = ["STT", "Nội dung ý kiến", "Ngày", "Kênh", "Tổ dân phố"]
FILE = ("\ufeff" + ";".join(HEADERS) + "\r\n"
        "1;Rác thải ùn ứ ở chợ;01/11/2025;Khu dân cư;Tổ dân phố 1\r\n"
        "2;=HYPERLINK(\"http://x\");31/02/2025;Bồ câu;Tổ 99\r\n"
        "3;;;;\r\n").encode()

_header = st.one_of(st.sampled_from([*HEADERS, "", "0", "4", "5", "-1", "²", "١", "99"]),
                    st.integers(-3, 7), st.text(max_size=6), st.none(), st.booleans())
_mapping = st.dictionaries(
    st.one_of(st.sampled_from(sorted(services.IMPORT_FIELDS)), st.text(max_size=5)),
    _header, max_size=6)


@fuzz(60, db=True)
@given(_mapping)
@example({"text": "²"})  # a digit to str.isdigit(), not to int(): ValueError escaped (fixed)
@example({"text": "Nội dung ý kiến", "received_on": "Ngày", "area": "Tổ dân phố"})
@example({"text": 1, "channel": 3})
def test_any_mapping_files_rows_or_is_refused_in_vietnamese(an, area_1, mapping):
    batch = services.start_import(user=an, file_name="y-kien.csv", data=FILE)
    items = OpinionItem.objects.count()
    try:
        done = services.apply_import(user=an, batch=batch, mapping=mapping)
    except ServiceError as exc:
        assert_vietnamese(exc.message)
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.PENDING and batch.file_data
        assert OpinionItem.objects.count() == items  # nothing half-filed
        return
    assert OpinionItem.objects.count() == items + done.rows_imported
    assert done.state in (ImportBatch.State.DONE, ImportBatch.State.FAILED)
    for error in done.errors:
        assert error["row"] in (2, 3, 4)
        assert_vietnamese(error["message"])


@fuzz(80, db=True)
@given(st.binary(max_size=300), st.sampled_from(["y.csv", "y.xlsx", "y.xls", "y"]))
def test_any_upload_is_kept_or_refused_with_nothing_stored(an, data, name):
    batches = ImportBatch.objects.count()
    try:
        batch = services.start_import(user=an, file_name=name, data=data)
    except ServiceError as exc:
        assert_vietnamese(exc.message)
        assert ImportBatch.objects.count() == batches
    else:
        assert batch.headers and batch.rows_total >= 1
