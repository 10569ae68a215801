"""The plan followed task by task: gaps, scoping, versions, audit, uploads, pages."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from core.dates import local_today
from core.errors import ConflictError, ServiceError
from core.models import AuditEntry
from plans import files, selectors, services
from plans.models import Inspection, TaskProgress, TaskStatus
from plans.report import plan_lines
from plans.tests.conftest import PDF, docx_bytes

pytestmark = pytest.mark.django_db


def _task(plan, position):
    return plan.tasks.get(position=position)


def _do_everything(plan, user, unit):
    today = local_today()
    services.report_progress(actor=user, task=_task(plan, 1), unit=unit, status=TaskStatus.DONE,
                             done_on=today, evidence_note="Nghị quyết chi bộ số 03-NQ/CB.")
    services.record_unit_plan(actor=user, plan=plan, unit=unit, number="05-KH/CB",
                              issued_on=today - dt.timedelta(days=40),
                              upload=services.Upload("ke-hoach.pdf", PDF))
    services.record_session(actor=user, plan=plan, unit=unit,
                            held_on=today - dt.timedelta(days=35), attendance=18, expected=20,
                            content="Quán triệt Chỉ thị 47 và Kế hoạch 18-KH/ĐU.")


def test_gaps_name_what_each_unit_has_not_done(plan, an, vanphong, cell_a, cell_b, cell_closed,
                                               office_unit):
    _do_everything(plan, an, cell_a)
    found = {g.unit.pk: g for g in selectors.gaps(vanphong, local_today())}
    assert cell_a.pk not in found
    assert cell_closed.pk not in found  # dissolved: owes nothing
    assert office_unit.pk not in found  # its task is not due yet
    gap = found[cell_b.pk]
    assert [t.position for t in gap.overdue_tasks] == [1]
    assert gap.missing_unit_plan and gap.missing_session


def test_a_session_outside_the_period_does_not_count(plan, an, vanphong, cell_a):
    _do_everything(plan, an, cell_a)
    today = local_today()
    after_it = (today - dt.timedelta(days=34), today)  # the session was 35 days ago
    future = (today + dt.timedelta(days=1), today + dt.timedelta(days=200))
    earlier = (plan.issued_on, today)
    assert not any(g.unit.pk == cell_a.pk for g in selectors.gaps(vanphong, today,
                                                                   window=earlier))
    # a window that ends before the deadline for the sessions asks for none yet
    before_due = (plan.issued_on, plan.dissemination_due - dt.timedelta(days=1))
    assert not any(g.missing_session for g in selectors.gaps(vanphong, today, window=before_due))
    assert any(g.unit.pk == cell_a.pk and g.missing_session
               for g in selectors.gaps(vanphong, today, window=after_it))
    # a period not begun yet asks for nothing
    assert not any(g.missing_session for g in selectors.gaps(vanphong, today, window=future))


def test_a_unit_reads_only_its_own(plan, an, binh, cell_a, cell_b, vanphong):
    _do_everything(plan, binh, cell_b)
    rows = selectors.task_rows(an, list(selectors.tasks_visible_to(an)), local_today())
    assert {u.unit.pk for r in rows for u in r.units} == {cell_a.pk}
    # the office's own task is not shown to a chi bộ (it names a unit outside its scope)
    assert [r.task.position for r in rows] == [1]
    with pytest.raises(Http404):
        selectors.get_task(an, _task(plan, 2).pk)
    stored = selectors.unit_plans_visible_to(binh).get().file
    with pytest.raises(Http404):
        selectors.get_file(an, stored.pk)
    assert selectors.get_file(vanphong, stored.pk) == stored
    assert {g.unit.pk for g in selectors.gaps(an, local_today())} == {cell_a.pk}


def test_a_unit_writes_only_for_itself(plan, an, lanhdao, cell_b):
    before = AuditEntry.objects.count()
    for user in (an, lanhdao):
        with pytest.raises(ServiceError):
            services.record_session(actor=user, plan=plan, unit=cell_b,
                                    held_on=local_today(), attendance=5, content="Quán triệt.")
    with pytest.raises(ServiceError):
        services.record_inspection(actor=an, kind="kiem_tra", inspecting_unit=cell_b,
                                   inspected_unit=cell_b, held_on=local_today(), findings="x")
    assert AuditEntry.objects.count() == before


def test_edits_carry_their_version(plan, an, cell_a):
    task = _task(plan, 1)
    first = services.report_progress(actor=an, task=task, unit=cell_a,
                                     status=TaskStatus.IN_PROGRESS, expected_version=0)
    services.report_progress(actor=an, task=task, unit=cell_a, status=TaskStatus.DONE,
                             done_on=local_today(), evidence_note="Biên bản họp chi bộ.",
                             expected_version=first.version)
    with pytest.raises(ConflictError):  # a second tab still holding version 1
        services.report_progress(actor=an, task=task, unit=cell_a,
                                 status=TaskStatus.NOT_STARTED, expected_version=first.version)
    assert TaskProgress.objects.get(task=task, unit=cell_a).status == TaskStatus.DONE
    session = services.record_session(actor=an, plan=plan, unit=cell_a,
                                      held_on=local_today(), attendance=10, content="Lần 1.")
    services.update_session(actor=an, session=session, held_on=local_today(), attendance=12,
                            content="Lần 1 (sửa).", expected_version=1)
    with pytest.raises(ConflictError):
        services.update_session(actor=an, session=session, held_on=local_today(),
                                attendance=9, content="Cũ.", expected_version=1)
    session.refresh_from_db()
    assert (session.attendance, session.version) == (12, 2)


def test_done_needs_evidence_and_every_write_is_audited(plan, an, cell_a, vanphong, cell_b):
    with pytest.raises(ServiceError) as refused:
        services.report_progress(actor=an, task=_task(plan, 1), unit=cell_a,
                                 status=TaskStatus.DONE, done_on=local_today())
    assert refused.value.field == "evidence_note"
    before = AuditEntry.objects.count()
    _do_everything(plan, an, cell_a)
    row = services.record_inspection(
        actor=vanphong, kind=Inspection.Kind.SUPERVISION, inspecting_unit=plan.issuing_unit,
        inspected_unit=cell_b, held_on=local_today(), findings="Chưa có kế hoạch thực hiện.",
        recommendations="Ban hành kế hoạch trong tháng.", plan=plan)
    services.update_follow_up(actor=vanphong, inspection=row, follow_up="xong",
                              note="Đã ban hành.", expected_version=1)
    assert AuditEntry.objects.count() - before == 5


def test_uploads_are_checked_by_their_bytes(plan, an, cell_a):
    assert files.check_file("kh.pdf", PDF).content_type == "application/pdf"
    assert files.check_file("../../x.docx", docx_bytes()).name == "x.docx"
    for name, data in (("virus.pdf", b"MZ\x90\x00 not a pdf"), ("empty.pdf", b""),
                       ("big.pdf", b"%PDF-" + b"0" * files.MAX_FILE_BYTES)):
        with pytest.raises(files.FileRefused):
            files.check_file(name, data)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (20 * 1024 * 1024))
    with pytest.raises(files.FileRefused) as refused:
        files.check_file("bom.docx", bomb.getvalue())
    assert "bom nén" in refused.value.message
    count = TaskProgress.objects.count()
    with pytest.raises(ServiceError) as refused:
        services.report_progress(actor=an, task=_task(plan, 1), unit=cell_a,
                                 status=TaskStatus.DONE, done_on=local_today(),
                                 upload=services.Upload("x.exe", b"MZ\x90\x00"))
    assert refused.value.field == "file" and TaskProgress.objects.count() == count


def test_report_section_counts_the_period(plan, an, cell_a, vanphong, cell_b):
    _do_everything(plan, an, cell_a)
    services.record_inspection(actor=vanphong, kind="kiem_tra", inspecting_unit=plan.issuing_unit,
                               inspected_unit=cell_b, held_on=local_today(),
                               findings="Chưa quán triệt kế hoạch.", recommendations="Tổ chức.")
    today = local_today()
    lines = list(plan_lines(today - dt.timedelta(days=90), today, None))
    assert lines[0].startswith("Trong kỳ, 1 đơn vị tổ chức 1 buổi quán triệt")
    assert "18 lượt người dự (đạt 90%" in lines[0]
    assert "1 cuộc kiểm tra, 0 cuộc giám sát" in lines[1]
    assert list(plan_lines(today - dt.timedelta(days=90), today, {cell_a.pk}))[1:] == []


def test_pages(client, plan, an, vanphong, cell_a, cell_b):
    client.force_login(vanphong)
    home = client.get(reverse("home")).content.decode()
    assert "Đơn vị chưa thực hiện kế hoạch" in home and cell_b.name in home
    page = client.get(reverse("plans:plan_detail", args=[plan.pk]), {"q": "cong tac vien"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tham mưu thành lập đội ngũ" in text and "Phân công một cấp ủy" not in text
    export = client.get(reverse("plans:task_export", args=[plan.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    units = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {cell_a.name, cell_b.name} <= units
    gaps = client.get(reverse("plans:gaps"), {"q": "to dan pho 2"}).content.decode()
    assert cell_b.name in gaps and cell_a.name not in gaps
    client.force_login(an)
    response = client.post(reverse("plans:unit_plan", args=[cell_a.pk]), {
        "plan": plan.pk, "issued_on": local_today().isoformat(), "number": "01-KH/CB",
        "file": _file("ke-hoach.pdf", PDF)})
    assert response.status_code == 302
    stored = selectors.unit_plans_visible_to(an).get()
    download = client.get(reverse("plans:file", args=[stored.file.pk]))
    assert download.content == PDF and download["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("plans:unit_page", args=[cell_b.pk])).status_code == 404
    assert client.post(reverse("plans:session_new", args=[cell_b.pk]), {
        "plan": plan.pk, "held_on": local_today().isoformat(), "attendance": "3",
        "content": "x"}).status_code == 404


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_tasks_without_a_deadline_sort_last_both_ways(plan, vanphong):
    services.add_task(actor=vanphong, plan=plan, owner_kind="chi_bo", text="Việc thường xuyên.")
    for sort in ("han", "-han"):
        rows = selectors.filter_tasks(vanphong, plan, sort=sort, today=local_today())
        assert rows[-1].task.due_on is None, sort
    rows = selectors.filter_tasks(vanphong, plan, sort="han", today=local_today())
    assert [r.task.position for r in rows] == [1, 2, 3]
