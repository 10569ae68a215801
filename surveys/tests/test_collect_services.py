"""surveys.collect: receiving responses, tokens, quotas, imports."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from core.errors import ServiceError
from core.models import AuditEntry
from orgs.models import Collaborator, User
from surveys.collect import services as collect
from surveys.collect.areas import AreaMatcher
from surveys.collect.imports import import_responses
from surveys.collect.selectors import find_token, quota_progress, token_hash
from surveys.collect.services import CollectError
from surveys.models import Attachment, Quota, Response, Survey, SurveyToken
from surveys.tests.collect_support import standard_instance
from surveys.tests.conftest import standard_xlsform_bytes

ODK = Response.Source.ODK_COLLECT


@pytest.fixture
def collaborator(cell_a, db) -> Collaborator:
    user = User.objects.create_user(
        "ctv_hoa", password="x", role=User.Role.COLLABORATOR, unit=cell_a, full_name="Đỗ Thị Hoa"
    )
    return Collaborator.objects.create(
        full_name="Đỗ Thị Hoa", user=user, unit=cell_a, started_on=dt.date(2025, 10, 1)
    )


def receive(xml, **kwargs):
    kwargs.setdefault("source", ODK)
    return collect.receive_submission(xml=xml, **kwargs)


# --- receiving ---------------------------------------------------------------------------------


def test_submission_is_stored_with_flattened_masked_data_and_derived_fields(
    open_survey, survey_areas, collaborator
):
    xml = standard_instance(
        instance_id="uuid:0001",
        y_kien_khac="Gọi tôi 0912 345 678 nhé, CCCD 001203004567",
        time_end="2026-01-10T09:30:00.000+07:00",
    )
    response, created = receive(xml, interviewer=collaborator, collector=collaborator.user)
    assert created
    response.refresh_from_db()
    assert response.instance_id == "uuid:0001"
    assert response.survey == open_survey and response.source == ODK
    assert response.form_version.version == "2026010101"
    assert response.interviewer == collaborator
    data = response.data
    assert data["khu_vuc"] == "to_1" and data["van_de"] == "rac_thai other"
    assert data["so_nhan_khau"] == "4"
    assert data["thanh_vien"] == [
        {"ten_thanh_vien": "Hoa", "tuoi_thanh_vien": "34"},
        {"ten_thanh_vien": "Minh", "tuoi_thanh_vien": "7"},
    ]
    assert "instanceID" not in data and "meta" not in data and "gioi_thieu" not in data
    # privacy: masked in the answers and in the XML kept
    assert "0912" not in data["y_kien_khac"] and "⟨SĐT⟩" in data["y_kien_khac"]
    assert "001203004567" not in data["y_kien_khac"]
    assert "0912" not in response.xml and "001203004567" not in response.xml
    # derived for quotas and weighting: to_1 is labelled "Tổ dân phố 1"
    assert response.area == survey_areas[0]
    assert (response.gender, response.age_group) == ("nu", "30_44")
    assert response.submitted_at == dt.datetime(2026, 1, 10, 2, 30, tzinfo=dt.UTC)
    entry = AuditEntry.objects.get(object_id=str(response.pk), action=AuditEntry.Action.SUBMIT)
    assert entry.actor == collaborator.user
    assert "0912" not in entry.summary + str(entry.data) and "Hoa" not in str(entry.data)


def test_duplicate_instance_id_is_stored_once(open_survey, survey_areas):
    xml = standard_instance(instance_id="uuid:dup")
    first, created = receive(xml)
    second, created_again = receive(xml)
    assert created and not created_again
    assert first.pk == second.pk
    assert Response.objects.filter(instance_id="uuid:dup").count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SUBMIT).count() == 1


def test_retry_with_attachments_adds_only_missing_ones(open_survey):
    xml = standard_instance(instance_id="uuid:att")
    receive(xml, attachments={"a.jpg": (b"\xff\xd8a", "image/jpeg")})
    response, created = receive(
        xml, attachments={"a.jpg": (b"\xff\xd8a", "image/jpeg"), "b.jpg": (b"bb", "image/jpeg")}
    )
    assert not created
    assert sorted(Attachment.objects.values_list("name", "size")) == [("a.jpg", 3), ("b.jpg", 2)]


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"form_id": "khong_co"}, 404, "Không có biểu mẫu nào mang mã “khong_co”"),
        ({"version": "1999"}, 404, "không có phiên bản “1999”"),
    ],
)
def test_unknown_form_or_version_is_refused(open_survey, kwargs, status, words):
    with pytest.raises(CollectError) as caught:
        receive(standard_instance(**kwargs))
    assert caught.value.status_code == status and words in caught.value.message
    assert not Response.objects.exists()


def test_closed_and_draft_surveys_refuse_but_keep_what_they_have(open_survey):
    kept, _ = receive(standard_instance(instance_id="uuid:truoc-khi-dong"))
    Survey.objects.filter(pk=open_survey.pk).update(status=Survey.Status.CLOSED)
    with pytest.raises(CollectError) as caught:
        receive(standard_instance())
    assert caught.value.status_code == 403
    assert "đã đóng, không nhận thêm phiếu" in caught.value.message
    # a retry of a response stored before closing is still acknowledged, not refused
    again, created = receive(standard_instance(instance_id="uuid:truoc-khi-dong"))
    assert again.pk == kept.pk and not created
    Survey.objects.filter(pk=open_survey.pk).update(status=Survey.Status.DRAFT)
    with pytest.raises(CollectError, match="chưa mở thu thập"):
        receive(standard_instance())
    assert Response.objects.count() == 1


@override_settings(LONGDAN_SURVEY_MAX_ATTACHMENT_MB=1)
def test_oversized_attachment_is_refused_and_nothing_stored(open_survey):
    big = b"x" * (1024 * 1024 + 1)
    with pytest.raises(CollectError) as caught:
        receive(standard_instance(), attachments={"anh.jpg": (big, "image/jpeg")})
    assert caught.value.status_code == 413
    assert "“anh.jpg” quá lớn" in caught.value.message and "tối đa 1 MB" in caught.value.message
    assert not Response.objects.exists() and not Attachment.objects.exists()


def test_malformed_xml_is_refused(open_survey):
    with pytest.raises(CollectError) as caught:
        receive(b"<data id='khao_sat_chuan'><thong_tin></data>")
    assert caught.value.status_code == 400 and "không phải XML hợp lệ" in caught.value.message


def test_a_crash_midway_leaves_nothing_half_stored(open_survey, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(collect, "audit", boom)
    with pytest.raises(RuntimeError):
        receive(standard_instance(), attachments={"a.jpg": (b"1", "image/jpeg")})
    assert not Response.objects.exists() and not Attachment.objects.exists()


def test_web_submission_must_belong_to_the_page_survey(open_survey, vanphong):
    other = Survey.objects.create(title="Khác", slug="khac", form_id="khac")
    with pytest.raises(CollectError) as caught:
        receive(standard_instance(), survey=other, source=Response.Source.WEB)
    assert caught.value.status_code == 404


def test_collector_who_may_not_collect_sees_unknown_form(open_survey, lanhdao, an):
    with pytest.raises(CollectError) as caught:
        receive(standard_instance(), collector=lanhdao)  # leaders read, they do not collect
    assert caught.value.status_code == 404 and "Không có biểu mẫu" in caught.value.message
    _, created = receive(standard_instance(), collector=an)  # ward-wide survey, interviewers on
    assert created
    Survey.objects.filter(pk=open_survey.pk).update(allow_interviewers=False)
    with pytest.raises(CollectError) as caught:
        receive(standard_instance(), collector=an)
    assert caught.value.status_code == 404
    assert Response.objects.count() == 1


def test_unmatched_area_leaves_area_empty(open_survey):
    response, _ = receive(standard_instance(khu_vuc="to_9"))
    assert response.area is None and response.data["khu_vuc"] == "to_9"


def test_area_matched_by_id_name_or_code(open_survey, survey_areas):
    matcher = AreaMatcher()
    second = survey_areas[1]
    assert matcher.match(str(second.pk)) == second
    assert matcher.match("to dan pho 2") == second
    assert matcher.match("TỔ DÂN PHỐ 2") == second
    assert matcher.match("to_dan_pho_2") == second
    assert matcher.match("to_2") is None  # needs the option's label
    assert matcher.match("") is None


# --- tokens ------------------------------------------------------------------------------------


def test_tokens_are_stored_hashed_and_used_once(open_survey, vanphong):
    tokens = collect.issue_tokens(survey=open_survey, count=3, batch="Tổ 1", user=vanphong)
    assert len(set(tokens)) == 3 and all(len(t) >= 20 for t in tokens)
    stored = list(SurveyToken.objects.values_list("token_hash", flat=True))
    assert sorted(stored) == sorted(token_hash(t) for t in tokens)
    assert not any(t in stored for t in tokens)
    response, created = receive(
        standard_instance(), source=Response.Source.PUBLIC_LINK, token=tokens[0]
    )
    assert created and find_token(tokens[0]).used_at is not None
    with pytest.raises(CollectError) as caught:
        receive(standard_instance(), source=Response.Source.PUBLIC_LINK, token=tokens[0])
    assert caught.value.status_code == 403 and "đã được dùng" in caught.value.message
    # a retry of the same response with the same token is a duplicate, not a refusal
    _, again = receive(
        standard_instance(instance_id=response.instance_id),
        source=Response.Source.PUBLIC_LINK, token=tokens[0],
    )
    assert again is False
    with pytest.raises(CollectError, match="không hợp lệ"):
        receive(standard_instance(), source=Response.Source.PUBLIC_LINK, token="gia-mao")
    assert Response.objects.count() == 1
    # no link from the token to the response: the token row has no response field at all
    assert {f.name for f in SurveyToken._meta.get_fields()} == {
        "id", "survey", "token_hash", "batch", "created_at", "used_at"
    }
    # nor by time: only the day of use is kept, not a moment matching the response's receipt
    used_at = timezone.localtime(find_token(tokens[0]).used_at)
    assert (used_at.hour, used_at.minute, used_at.second, used_at.microsecond) == (0, 0, 0, 0)


def test_token_stays_unused_when_storing_fails(open_survey, vanphong, monkeypatch):
    [token] = collect.issue_tokens(survey=open_survey, count=1, user=vanphong)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(collect, "audit", boom)
        with pytest.raises(RuntimeError):
            receive(standard_instance(), source=Response.Source.PUBLIC_LINK, token=token)
    assert find_token(token).used_at is None and not Response.objects.exists()
    Survey.objects.filter(pk=open_survey.pk).update(status=Survey.Status.CLOSED)
    with pytest.raises(CollectError, match="đã đóng"):
        receive(standard_instance(), source=Response.Source.PUBLIC_LINK, token=token)
    assert find_token(token).used_at is None


def test_issue_tokens_refusals(open_survey, vanphong, an):
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
        collect.issue_tokens(survey=open_survey, count=1, user=an)
    with pytest.raises(ServiceError, match="từ 1 đến 5.000"):
        collect.issue_tokens(survey=open_survey, count=0, user=vanphong)
    Survey.objects.filter(pk=open_survey.pk).update(allow_public_link=False)
    open_survey.refresh_from_db()
    with pytest.raises(ServiceError, match="chưa cho phép liên kết ẩn danh"):
        collect.issue_tokens(survey=open_survey, count=1, user=vanphong)
    assert not SurveyToken.objects.exists()


# --- quotas ------------------------------------------------------------------------------------


def test_population_plan_sets_area_quotas_and_progress_counts(open_survey, survey_areas, vanphong):
    shares = collect.apply_population_plan(survey=open_survey, user=vanphong)
    a1, a2, a3 = survey_areas
    assert shares == {str(a1.pk): 164, str(a2.pk): 128, str(a3.pk): 108}
    collect.set_quotas(
        survey=open_survey, dimension=Quota.Dimension.GENDER, targets={"nam": 200, "nu": 200},
        user=vanphong,
    )
    receive(standard_instance(khu_vuc="to_1", gioi_tinh="nu"))
    receive(standard_instance(khu_vuc="to_1", gioi_tinh="nam"))
    receive(standard_instance(khu_vuc="to_3", gioi_tinh="nu"))
    progress = {d.dimension: d for d in quota_progress(open_survey)}
    area_rows = {r.label: (r.target, r.achieved) for r in progress["khu_vuc"].rows}
    assert area_rows == {"Tổ dân phố 1": (164, 2), "Tổ dân phố 2": (128, 0),
                         "Tổ dân phố 3": (108, 1)}
    gender = {r.label: (r.target, r.achieved, r.percent) for r in progress["gioi_tinh"].rows}
    assert gender == {"Nam": (200, 1, 0), "Nữ": (200, 2, 1)}
    assert progress["khu_vuc"].target == 400 and progress["khu_vuc"].achieved == 3
    assert "nhom_tuoi" not in progress


def test_set_quotas_refusals_and_replacement(open_survey, vanphong, an):
    with pytest.raises(ServiceError, match="Chỉ Ban"):
        collect.set_quotas(survey=open_survey, dimension="gioi_tinh", targets={}, user=an)
    with pytest.raises(ServiceError, match="không có trong danh mục"):
        collect.set_quotas(survey=open_survey, dimension="gioi_tinh", targets={"khac": 3},
                           user=vanphong)
    with pytest.raises(ServiceError, match="số nguyên không âm"):
        collect.set_quotas(survey=open_survey, dimension="nhom_tuoi", targets={"18_29": -1},
                           user=vanphong)
    collect.set_quotas(survey=open_survey, dimension="nhom_tuoi",
                       targets={"18_29": 5, "60+": 7}, user=vanphong)
    collect.set_quotas(survey=open_survey, dimension="nhom_tuoi",
                       targets={"18_29": 6, "60+": 0}, user=vanphong)
    assert list(open_survey.quotas.values_list("category", "target")) == [("18_29", 6)]


def test_population_plan_needs_population_and_sample_size(open_survey, area_1, vanphong):
    area_1.population = 0
    area_1.save()
    with pytest.raises(ServiceError, match="Chưa có số dân"):
        collect.population_plan(open_survey)
    with pytest.raises(ServiceError, match="Chưa có cỡ mẫu"):
        collect.population_plan(open_survey, sample_size=0)


# --- import ------------------------------------------------------------------------------------


def csv_bytes(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in rows).encode("utf-8")


HEADER = ["khu_vuc", "gioi_tinh", "nhom_tuoi", "hai_long_chung", "so_nhan_khau", "van_de",
          "y_kien_khac", "ngay_phong_van"]


def test_import_stores_valid_rows_and_reports_the_others(open_survey, survey_areas, vanphong):
    data = csv_bytes([
        HEADER,
        ["to_1", "nam", "18_29", "hai_long", "3", "rac_thai giao_thong", "SĐT 0912345678",
         "10/01/2026"],
        ["Tổ dân phố 2", "Nữ", "60+", "Rất hài lòng", "", "An ninh trật tự", "", ""],
        ["to_9", "nam", "18_29", "hai_long", "3", "", "", ""],
        ["to_1", "nam", "18_29", "hai_long", "ba", "", "", ""],
        ["to_1", "khac", "18_29", "hai_long", "3", "", "", ""],
        ["to_1", "nam", "18_29", "", "3", "", "", ""],
        ["to_1", "nam", "18_29", "hai_long", "3", "", "", "32/13/2026"],
        ["Tổ dân phố 9", "nam", "18_29", "hai_long", "3", "", "", ""],
    ])
    report = import_responses(
        survey=open_survey, user=vanphong, file_name="phieu.csv", data=data
    )
    assert report.created == 2 and report.rows_total == 8
    errors = {(e["row"], e["column"]): e["message"] for e in report.errors}
    assert set(errors) == {(4, "khu_vuc"), (5, "so_nhan_khau"), (6, "gioi_tinh"),
                           (7, "hai_long_chung"), (8, "ngay_phong_van"), (9, "khu_vuc")}
    assert "“to_9” không phải phương án của câu hỏi “khu_vuc”" in errors[(4, "khu_vuc")]
    assert "“ba” không phải số nguyên" in errors[(5, "so_nhan_khau")]
    assert "Thiếu câu trả lời cho câu hỏi bắt buộc “hai_long_chung”" in errors[
        (7, "hai_long_chung")]
    assert "Ngày “32/13/2026” không hợp lệ" in errors[(8, "ngay_phong_van")]
    first, second = Response.objects.order_by("id")
    assert first.data["van_de"] == "rac_thai giao_thong"
    assert first.data["ngay_phong_van"] == "2026-01-10"
    assert "0912345678" not in first.data["y_kien_khac"]
    assert first.area == survey_areas[0] and first.source == Response.Source.IMPORT
    # labels are read as their options
    assert second.data["khu_vuc"] == "to_2" and second.data["gioi_tinh"] == "nu"
    assert second.data["van_de"] == "an_ninh" and second.area == survey_areas[1]
    # the same file again adds nothing
    again = import_responses(
        survey=open_survey, user=vanphong, file_name="phieu.csv", data=data
    )
    assert again.created == 0 and again.duplicates == 2
    assert Response.objects.count() == 2


def test_import_xlsx_with_instance_ids(open_survey, survey_areas, vanphong):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["instanceID", "khu_vuc", "gioi_tinh", "nhom_tuoi", "hai_long_chung",
                  "so_nhan_khau", "_submission_time"])
    sheet.append(["uuid:x-1", "to_1", "nam", "30_44", "hai_long", 4, "2026-01-01"])
    sheet.append(["uuid:x-2", "to_2", "nu", "30_44", "hai_long", 4.0, "2026-01-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_responses(
        survey=open_survey, user=vanphong, file_name="phieu.xlsx", data=buffer.getvalue()
    )
    assert report.created == 2 and not report.errors
    assert report.ignored_columns == ["_submission_time"]
    assert set(Response.objects.values_list("instance_id", flat=True)) == {"uuid:x-1", "uuid:x-2"}
    assert Response.objects.get(instance_id="uuid:x-2").data["so_nhan_khau"] == "4"


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([["khu_vuc", "cau_la"], ["to_1", "x"]], "không phải câu hỏi của biểu mẫu"),
        ([["khu_vuc", "hai_long_chung", "nhom_tuoi"], ["to_1", "hai_long", "60+"]],
         "thiếu cột của câu hỏi bắt buộc: “gioi_tinh”"),
        ([["ten_thanh_vien"], ["Hoa"]], "nhóm lặp lại"),
    ],
)
def test_import_refuses_bad_files_whole(open_survey, vanphong, rows, words):
    with pytest.raises(ServiceError, match=words):
        import_responses(
            survey=open_survey, user=vanphong, file_name="x.csv", data=csv_bytes(rows)
        )
    assert not Response.objects.exists()


def test_import_refusals(open_survey, vanphong, an):
    with pytest.raises(ServiceError, match="Chỉ Ban"):
        import_responses(survey=open_survey, user=an, file_name="x.csv", data=b"a\n1")
    with pytest.raises(ServiceError, match="Tệp rỗng"):
        import_responses(survey=open_survey, user=vanphong, file_name="x.csv", data=b"")
    Survey.objects.filter(pk=open_survey.pk).update(status=Survey.Status.CLOSED)
    open_survey.refresh_from_db()
    with pytest.raises(ServiceError, match="đã đóng"):
        import_responses(
            survey=open_survey, user=vanphong, file_name="x.csv", data=b"khu_vuc\nto_1"
        )


# --- concurrency (PostgreSQL: real concurrent transactions) -------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_retries_store_once(open_survey, vanphong):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions are checked on PostgreSQL")
    [token] = collect.issue_tokens(survey=open_survey, count=1, user=vanphong)
    xml = standard_instance(instance_id="uuid:song-song")
    barrier = threading.Barrier(8)
    results: list = []
    errors: list = []

    def send(use_token: bool):
        try:
            barrier.wait()
            if use_token:
                results.append(receive(xml, source=Response.Source.PUBLIC_LINK, token=token)[1])
            else:
                results.append(receive(xml)[1])
        except Exception as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i % 2 == 0,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(results) == [False] * 7 + [True]
    assert Response.objects.filter(instance_id="uuid:song-song").count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SUBMIT).count() == 1


def test_standard_bytes_fixture_is_the_uploaded_form(open_survey):
    # guards the test helper: the instance it writes belongs to the uploaded version
    assert standard_xlsform_bytes()[:2] == b"PK"
    assert open_survey.versions.get().version == "2026010101"


def test_import_reports_an_option_that_matches_no_area(open_survey, area_1, vanphong):
    data = csv_bytes([
        ["khu_vuc", "gioi_tinh", "nhom_tuoi", "hai_long_chung"],
        ["to_1", "nam", "18_29", "hai_long"],
        ["to_2", "nam", "18_29", "hai_long"],
    ])
    report = import_responses(survey=open_survey, user=vanphong, file_name="a.csv",
                                      data=data)
    assert report.created == 1
    assert report.errors == [{"row": 3, "column": "khu_vuc",
                              "message": "“to_2” không khớp tổ dân phố nào của phường."}]
