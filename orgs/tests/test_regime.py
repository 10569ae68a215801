"""The collaborators' regime (R5): the appointing decision and allowance on the record, the
allowance per quarter planned and paid (hand-computed) and its XLSX, and the spreadsheet
imports of units and collaborators (all or nothing, errors per row in Vietnamese)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import PASSWORD
from core.errors import ServiceError
from core.models import AuditEntry, SocialGroup, Topic
from orgs import imports, services
from orgs.funding import funding_for
from orgs.models import AllowancePayment, Collaborator, OrgUnit
from orgs.quarters import Quarter, QuarterError, months_in_term, parse_quarter

Q1 = Quarter(2026, 1)

pytestmark = pytest.mark.django_db


def test_quarters_and_months_in_term():
    assert parse_quarter("2026-q1") == Q1 and Q1.label == "Quý I/2026"
    assert (Q1.start, Q1.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    with pytest.raises(QuarterError):
        parse_quarter("2026-Q5")
    assert months_in_term(Q1, dt.date(2025, 7, 1), None) == 3
    assert months_in_term(Q1, dt.date(2026, 2, 15), None) == 2  # February begun: counted
    assert months_in_term(Q1, dt.date(2025, 7, 1), dt.date(2026, 1, 31)) == 1
    assert months_in_term(Q1, dt.date(2026, 4, 1), None) == 0


@pytest.fixture
def paid_team(vanphong, cell_a, cell_b):
    hoa = services.create_collaborator(
        actor=vanphong, full_name="Đỗ Thị Hoa", unit=cell_a, started_on=dt.date(2025, 7, 1),
        decision_number="15-QĐ/ĐU", decision_date=dt.date(2025, 6, 25),
        decision_signer="Bí thư Đảng ủy", allowance_rate=500_000)
    lan = services.create_collaborator(
        actor=vanphong, full_name="Ngô Thị Lan", unit=cell_b, started_on=dt.date(2026, 2, 15),
        allowance_rate=400_000, payment_period=Collaborator.PaymentPeriod.MONTH)
    services.create_collaborator(  # term ended before the quarter: not in it
        actor=vanphong, full_name="Phan Văn Cũ", unit=cell_b, started_on=dt.date(2025, 7, 1),
        ended_on=dt.date(2025, 12, 31), allowance_rate=400_000)
    services.record_payment(actor=vanphong, collaborator=hoa, quarter="2026-Q1",
                            amount=1_000_000, paid_on=dt.date(2026, 2, 1), voucher="PC-01")
    return hoa, lan


def test_funding_planned_and_paid(paid_team):
    hoa, lan = paid_team
    funding = funding_for(Q1)
    rows = {r.collaborator.pk: r for r in funding.rows}
    assert set(rows) == {hoa.pk, lan.pk}
    assert (rows[hoa.pk].planned, rows[hoa.pk].paid, rows[hoa.pk].remaining) == \
        (1_500_000, 1_000_000, 500_000)
    assert (rows[lan.pk].months, rows[lan.pk].planned, rows[lan.pk].paid) == (2, 800_000, 0)
    assert (funding.planned, funding.paid) == (2_300_000, 1_000_000)
    hoa.refresh_from_db()
    assert (hoa.decision_number, hoa.decision_signer) == ("15-QĐ/ĐU", "Bí thư Đảng ủy")


def test_funding_by_unit_keeps_the_units_natural_order(vanphong, ward):
    for n, name in enumerate(["Chi bộ Z", "Chi bộ Đông", "Chi bộ 10", "Chi bộ 2"]):
        unit = OrgUnit.objects.create(code=f"cb-{n}", name=name, kind=OrgUnit.Kind.PARTY_CELL,
                                      parent=ward)
        services.create_collaborator(actor=vanphong, full_name=f"Người {n}", unit=unit,
                                     started_on=dt.date(2025, 7, 1), allowance_rate=100_000)
    by_unit = funding_for(Q1).by_unit()
    # plain string order would give 10, 2, Z, Đông
    assert [name for name, *_ in by_unit] == ["Chi bộ 2", "Chi bộ 10", "Chi bộ Đông", "Chi bộ Z"]
    assert by_unit[0][1:] == (1, 300_000, 0)


def test_a_payment_is_checked_and_audited(paid_team, vanphong, an):
    hoa, _ = paid_team
    for kwargs, field in (
        ({"quarter": "2026-Q9"}, "quarter"),
        ({"amount": 0}, "amount"),
        ({"paid_on": dt.date(2025, 12, 31)}, "paid_on"),
    ):
        args = {"quarter": "2026-Q1", "amount": 10, "paid_on": dt.date(2026, 3, 1), **kwargs}
        with pytest.raises(ServiceError) as refused:
            services.record_payment(actor=vanphong, collaborator=hoa, **args)
        assert refused.value.field == field
    with pytest.raises(ServiceError, match="không có quyền") as refused:
        services.record_payment(actor=an, collaborator=hoa, quarter="2026-Q1", amount=10,
                                paid_on=dt.date(2026, 3, 1))
    assert refused.value.field is None  # a refusal of the writer, not of a field
    assert AllowancePayment.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="orgs.allowancepayment").count() == 1


def test_the_funding_page_and_its_xlsx_are_the_offices(paid_team, vanphong, an, lanhdao):
    client = Client()
    client.login(username="vanphong", password=PASSWORD)
    page = client.get(reverse("collaborator_funding"), {"quy": "2026-Q1"}).content.decode()
    assert "2.300.000" in page and "1.000.000" in page
    response = client.get(reverse("collaborator_funding_export"), {"quy": "2026-Q1"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "Tổng cộng" and rows[-1][7:10] == (2_300_000, 1_000_000, 1_300_000)
    assert client.post(reverse("collaborator_payment"), {
        "quy": "2026-Q1", "collaborator": paid_team[1].pk, "amount": "400.000",
        "paid_on": "2026-03-05", "voucher": "PC-02"}).status_code == 302
    assert funding_for(Q1).paid == 1_400_000
    for who in ("an", "lanhdao"):
        client.login(username=who, password=PASSWORD)
        assert client.get(reverse("collaborator_funding")).status_code == 404
        assert client.get(reverse("collaborator_funding_export")).status_code == 404


# --- imports -------------------------------------------------------------------------------------


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


UNIT_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Ngày thành lập"]


def test_units_import_with_parents_in_the_file(vanphong, ward):
    data = xlsx([UNIT_HEADER,
                 ["dang-bo-a", "Đảng bộ Khu A", "Đảng bộ trực thuộc", "dang-uy", "01/07/2025"],
                 ["chi-bo-a1", "Chi bộ A1", "Chi bộ", "dang-bo-a", None],
                 ["chi-bo-a2", "Chi bộ A2", "chi_bo", "dang-bo-a", dt.datetime(2025, 8, 1)]])
    result = imports.import_units(actor=vanphong, file_name="don-vi.xlsx", data=data)
    assert result.ok and result.created == 3
    a2 = OrgUnit.objects.get(code="chi-bo-a2")
    assert a2.parent.code == "dang-bo-a" and a2.opened_on == dt.date(2025, 8, 1)
    assert OrgUnit.objects.get(code="dang-bo-a").parent == ward


def test_a_wrong_row_writes_nothing_and_every_error_is_named(vanphong, ward, cell_a):
    before = OrgUnit.objects.count(), AuditEntry.objects.count()
    data = xlsx([UNIT_HEADER,
                 ["dang-bo-b", "Đảng bộ Khu B", "Đảng bộ trực thuộc", "dang-uy", None],
                 ["chi-bo-b1", "Chi bộ B1", "Tổ dân phố", "dang-bo-b", None],
                 ["chi-bo-1", "Trùng mã", "Chi bộ", "", None],
                 ["chi-bo-b2", "Chi bộ B2", "Chi bộ", "khong-co", None],
                 ["chi-bo-b3", "Chi bộ B3", "Chi bộ", "dang-bo-b", "31/02/2025"]])
    result = imports.import_units(actor=vanphong, file_name="don-vi.xlsx", data=data)
    assert not result.ok and result.created == 0
    assert [str(e) for e in result.errors] == [
        "Dòng 3, cột Loại: loại 'Tổ dân phố' không có trong danh mục (Đảng ủy phường; Đảng bộ"
        " trực thuộc; Chi bộ; HĐND; UBND; MTTQ; Tổ chức chính trị - xã hội; Ban Xây dựng"
        " Đảng).",
        "Dòng 4, cột Mã đơn vị: mã đơn vị 'chi-bo-1' đã được dùng.",
        "Dòng 5, cột Mã đơn vị cấp trên: không có đơn vị mã 'khong-co' (trong danh mục hoặc ở"
        " dòng trên của tệp).",
        "Dòng 6, cột Ngày thành lập: '31/02/2025' không phải là ngày (dùng dd/mm/yyyy).",
    ]
    assert (OrgUnit.objects.count(), AuditEntry.objects.count()) == before  # nothing written
    missing = imports.import_units(actor=vanphong, file_name="x.xlsx",
                                   data=xlsx([["Mã đơn vị", "Tên"], ["a", "b"]]))
    assert missing.file_error.startswith("Tệp thiếu cột: Tên đơn vị, Loại")


def test_collaborators_import_with_their_regime(vanphong, cell_a, area_1):
    environment = Topic.objects.get(name="Môi trường")
    group = SocialGroup.objects.filter(active=True).order_by("pk").first()
    header = ["Họ và tên", "Mã đơn vị", "Từ ngày", "Tổ dân phố", "Lĩnh vực", "Nhóm xã hội",
              "Điện thoại", "Số quyết định", "Ngày quyết định", "Người ký", "Mức phụ cấp",
              "Kỳ chi trả"]
    good = ["Trần Thị Mai", "chi-bo-1", "01/10/2025", "Tổ dân phố 1", "môi trường", group.name,
            "0912 345 678", "20-QĐ/ĐU", "25/09/2025", "Bí thư", "500.000", "Hằng tháng"]
    bad = ["Lý Văn Tâm", "chi-bo-9", "01/10/2025", "", "", "", "12345", "", "", "", "", ""]
    wrong = imports.import_collaborators(actor=vanphong, file_name="ctv.xlsx",
                                         data=xlsx([header, good, bad]))
    assert [str(e) for e in wrong.errors] == ["Dòng 3, cột Mã đơn vị: không có đơn vị mã"
                                              " 'chi-bo-9'."]
    assert Collaborator.objects.count() == 0
    bad[1] = "chi-bo-1"
    phone = imports.import_collaborators(actor=vanphong, file_name="ctv.xlsx",
                                         data=xlsx([header, good, bad]))
    assert phone.errors[0].row == 3 and phone.errors[0].column == "Điện thoại"
    bad[6] = ""
    done = imports.import_collaborators(actor=vanphong, file_name="ctv.xlsx",
                                        data=xlsx([header, good, bad]))
    assert done.ok and done.created == 2
    mai = Collaborator.objects.get(full_name="Trần Thị Mai")
    assert (mai.allowance_rate, mai.payment_period, mai.phone) == (500_000, "month", "0912345678")
    assert list(mai.areas.all()) == [area_1] and list(mai.topics.all()) == [environment]
    assert list(mai.social_groups.all()) == [group]
    assert mai.decision_date == dt.date(2025, 9, 25)
    again = imports.import_collaborators(actor=vanphong, file_name="ctv.xlsx",
                                         data=xlsx([header, good]))
    assert "đã có trong danh sách" in str(again.errors[0])


def test_the_import_page(vanphong, an, ward):
    client = Client()
    client.login(username="an", password=PASSWORD)
    assert client.get(reverse("unit_import")).status_code == 404
    client.login(username="vanphong", password=PASSWORD)
    upload = io.BytesIO(xlsx([UNIT_HEADER, ["chi-bo-x", "Chi bộ X", "Lạ", "", None]]))
    upload.name = "don-vi.xlsx"
    page = client.post(reverse("unit_import"), {"file": upload}).content.decode()
    assert "Chưa ghi dòng nào" in page and "Dòng 2, cột Loại" in page
    template = client.get(reverse("collaborator_import_template"))
    sheet = load_workbook(io.BytesIO(template.content)).active
    headers = next(sheet.iter_rows(values_only=True))
    assert headers == tuple(c.title for c in imports.COLLABORATOR_COLUMNS)
    assert headers[:3] == ("Họ và tên", "Mã đơn vị", "Từ ngày")
    # written like every other export: bold header, frozen, filterable
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert template["Content-Disposition"] == 'attachment; filename="mau-nhap-cong-tac-vien.xlsx"'


def test_a_payment_amount_is_checked_by_the_service(paid_team, vanphong):
    client = Client()
    client.login(username="vanphong", password=PASSWORD)
    url = reverse("collaborator_payment")
    form = {"quy": "2026-Q1", "collaborator": paid_team[1].pk, "paid_on": "2026-03-05"}
    for typed, message in (("abc", "Số tiền đã chi phải là số nguyên."),
                           ("-5", "Số tiền đã chi không được âm."),
                           ("", "Số tiền đã chi phải lớn hơn 0.")):
        page = client.post(url, {**form, "amount": typed}, follow=True).content.decode()
        assert f"Ngô Thị Lan: {message}" in page
    assert AllowancePayment.objects.count() == 1  # only the fixture's
    client.post(url, {**form, "amount": "1 200.000"})
    assert AllowancePayment.objects.latest("pk").amount == 1_200_000
