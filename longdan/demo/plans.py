"""The demo ward's plan: Kế hoạch số 18-KH/ĐU (2 October 2025) of the Standing Committee
implementing Directive 47, its tasks by section III of the plan, the units' own implementation
plans (a small Word file each) and dissemination sessions for most units, the progress of the
tasks, and an inspection and a supervision of units that lag behind. Through ``plans.services``
(audited as in real use), drawn from a seeded generator; some units are left behind on purpose
so the office's first screen has a list of units that have not done what the plan asks.

``build_plans(today)`` runs once on a freshly built demo ward (``longdan.demo.load_demo``).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import zipfile
from typing import TextIO
from xml.sax.saxutils import escape

from docx import Document

from longdan.demo.constants import GRASSROOTS_KINDS, OFFICE_USERNAME, SEED
from orgs.models import OrgUnit, User
from plans import services
from plans.models import Inspection, TaskStatus

ISSUED = dt.date(2025, 10, 2)
K = OrgUnit.Kind

# (section, owner: a kind of unit or one unit's kind, text, deadline)
TASKS = [
    ("III.1", K.PARTY_CELL, "Phân công một đồng chí cấp ủy viên trực tiếp phụ trách công tác dư"
     " luận xã hội của chi bộ.", dt.date(2025, 10, 31)),
    ("III.1", K.PARTY_COMMITTEE, "Phân công một đồng chí cấp ủy viên trực tiếp phụ trách công"
     " tác dư luận xã hội của đảng bộ.", dt.date(2025, 10, 31)),
    ("III.1", K.PARTY_CELL, "Báo cáo tình hình tư tưởng, dư luận xã hội trên địa bàn hằng tháng,"
     " trước ngày 25, về Ban Thường vụ Đảng ủy qua Ban Xây dựng Đảng.", None),
    ("III.2", K.COUNCIL, "Nắm bắt dư luận xã hội trước, trong và sau khi ban hành các chính sách"
     " của thành phố, của phường; tổng hợp ý kiến, kiến nghị của cử tri qua tiếp xúc cử tri.",
     dt.date(2025, 12, 31)),
    ("III.2", K.FRONT, "Nắm bắt nhận thức, mức độ đồng thuận, khó khăn của đoàn viên, hội viên và"
     " nhân dân khi thực hiện chủ trương, chính sách; tham gia điều tra dư luận xã hội định kỳ và"
     " đột xuất.", dt.date(2026, 6, 30)),
    ("III.3", K.PEOPLES_COMMITTEE, "Ban hành chế độ, bố trí thời gian, kinh phí cho đội ngũ cộng"
     " tác viên dư luận xã hội; giải quyết kịp thời những vấn đề nhân dân phản ánh.",
     dt.date(2025, 12, 31)),
    ("III.4", K.OFFICE, "Tham mưu thành lập đội ngũ cộng tác viên dư luận xã hội của phường.",
     dt.date(2025, 12, 31)),
    ("III.4", K.OFFICE, "Xây dựng tiêu chí đánh giá công tác dư luận xã hội; báo cáo Ban Thường"
     " vụ định kỳ 6 tháng, hằng năm.", dt.date(2026, 6, 30)),
]
UNIT_PLAN_DUE, DISSEMINATION_DUE = dt.date(2025, 10, 31), dt.date(2025, 11, 15)
SESSION_TEXTS = [
    "Quán triệt Chỉ thị số 47-CT/TW và Kế hoạch số 18-KH/ĐU trong sinh hoạt chi bộ thường kỳ.",
    "Hội nghị triển khai Kế hoạch số 18-KH/ĐU; phân công cấp ủy viên phụ trách dư luận xã hội.",
    "Sinh hoạt chuyên đề về công tác nắm bắt, định hướng dư luận xã hội trong tình hình mới.",
]


@functools.cache
def _template() -> bytes:
    """One small Word file with placeholders, made once (python-docx is slow to start)."""
    document = Document()
    document.add_paragraph("DONVI")
    document.add_paragraph("Số SOKYHIEU")
    document.add_heading("KẾ HOẠCH", level=1)
    document.add_paragraph("Thực hiện Chỉ thị số 47-CT/TW của Ban Bí thư và Kế hoạch số 18-KH/ĐU"
                           " của Ban Thường vụ Đảng ủy phường về tăng cường sự lãnh đạo của Đảng"
                           " đối với công tác dư luận xã hội trong tình hình mới.")
    document.add_paragraph("Phường Hòa Bình, NGAYTHANG")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx(unit: OrgUnit, number: str, day: dt.date) -> bytes:
    """The unit's plan: the template with its name, number and date written in."""
    values = {"DONVI": unit.name.upper(), "SOKYHIEU": number,
              "NGAYTHANG": f"ngày {day.day} tháng {day.month} năm {day.year}"}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_template())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "word/document.xml":
                text = data.decode("utf-8")
                for key, value in values.items():
                    text = text.replace(key, escape(value))
                data = text.encode("utf-8")
            target.writestr(entry, data)
    return out.getvalue()


def _writer(unit: OrgUnit, office: User) -> User:
    person = unit.responsible_person
    if person and person.role == User.Role.REPORTER and person.unit_id == unit.pk:
        return person
    return office


def build_plans(today: dt.date, *, stdout: TextIO | None = None) -> dict:
    if today < DISSEMINATION_DUE + dt.timedelta(days=15):
        return {"plans": 0}
    if stdout is not None:
        stdout.write("Tạo Kế hoạch 18-KH/ĐU, nhiệm vụ, kế hoạch và buổi quán triệt của đơn vị…\n")
    rng = random.Random(SEED + 18)
    office = User.objects.get(username=OFFICE_USERNAME)
    ward = OrgUnit.objects.filter(kind=K.WARD_COMMITTEE).order_by("pk").first()
    plan = services.create_plan(
        actor=office, number="18-KH/ĐU", issuing_unit=ward, issued_on=ISSUED,
        title="Thực hiện Chỉ thị số 47-CT/TW ngày 23/5/2025 của Ban Bí thư về tăng cường sự lãnh"
              " đạo của Đảng đối với công tác dư luận xã hội trong tình hình mới",
        based_on="Chỉ thị số 47-CT/TW ngày 23/5/2025 của Ban Bí thư",
        unit_plan_due=UNIT_PLAN_DUE, dissemination_due=DISSEMINATION_DUE,
        unit_kinds=[str(kind) for kind in GRASSROOTS_KINDS])
    tasks = []
    for section, kind, text, due in TASKS:
        single = kind in (K.COUNCIL, K.FRONT, K.PEOPLES_COMMITTEE, K.OFFICE)
        owner = OrgUnit.objects.filter(kind=kind).order_by("pk").first() if single else None
        if single and owner is None:
            continue
        tasks.append(services.add_task(actor=office, plan=plan, section=section, text=text,
                                       due_on=due, owner_unit=owner,
                                       owner_kind="" if single else str(kind)))
    counts = {"plans": 1, "tasks": len(tasks), "unit_plans": 0, "sessions": 0, "progress": 0,
              "inspections": 0}
    grassroots = list(OrgUnit.objects.filter(kind__in=GRASSROOTS_KINDS, closed_on__isnull=True,
                                             opened_on__lte=ISSUED).order_by("sort_key", "pk"))
    lagging = []
    for unit in grassroots:
        writer = _writer(unit, office)
        diligent = rng.random() < 0.8
        if not diligent:
            lagging.append(unit)
        if diligent:
            day = ISSUED + dt.timedelta(days=rng.randint(8, 28))
            suffix = "ĐB" if unit.kind == K.PARTY_COMMITTEE else "CB"
            number = f"{rng.randint(1, 9):02d}-KH/{suffix}"
            services.record_unit_plan(
                actor=writer, plan=plan, unit=unit, number=number, issued_on=day,
                upload=services.Upload(f"ke-hoach-{unit.code}.docx", _docx(unit, number, day)))
            counts["unit_plans"] += 1
        if diligent or rng.random() < 0.3:
            expected = rng.randint(12, 45)
            services.record_session(
                actor=writer, plan=plan, unit=unit,
                held_on=ISSUED + dt.timedelta(days=rng.randint(10, 40)),
                attendance=expected - rng.randint(0, 4), expected=expected,
                content=rng.choice(SESSION_TEXTS))
            counts["sessions"] += 1
        for task in tasks:
            if task.owner_kind != unit.kind or not diligent:
                continue
            done = (task.due_on or today) < today and rng.random() < 0.9
            services.report_progress(
                actor=writer, task=task, unit=unit,
                status=TaskStatus.DONE if done else TaskStatus.IN_PROGRESS,
                done_on=min(task.due_on, today) if done and task.due_on else None,
                evidence_note="Nghị quyết phân công của cấp ủy, biên bản sinh hoạt." if done
                else "Đang thực hiện hằng tháng.")
            counts["progress"] += 1
    for task in tasks:
        if task.owner_unit_id and task.due_on and task.due_on < today:
            services.report_progress(
                actor=office, task=task, unit=task.owner_unit, status=TaskStatus.DONE,
                done_on=task.due_on - dt.timedelta(days=5),
                evidence_note="Văn bản đã ban hành, lưu tại Văn phòng Đảng ủy.")
            counts["progress"] += 1
    office_unit = OrgUnit.objects.filter(kind=K.OFFICE).order_by("pk").first() or ward
    for unit, kind, findings, advice in zip(
            lagging[:2], (Inspection.Kind.INSPECTION, Inspection.Kind.SUPERVISION),
            ("Chi ủy chưa ban hành kế hoạch thực hiện Kế hoạch 18-KH/ĐU; chưa phân công cấp ủy"
             " viên phụ trách dư luận xã hội.",
             "Báo cáo tình hình dư luận hằng tháng còn liệt kê sự việc, chưa phân tích thái độ,"
             " mức độ lan tỏa của luồng ý kiến."),
            ("Ban hành kế hoạch thực hiện và tổ chức quán triệt trong tháng 12/2025.",
             "Báo cáo tháng ghi rõ thái độ, mức độ, nhóm xã hội của từng luồng ý kiến."),
            strict=False):
        services.record_inspection(
            actor=office, kind=kind, inspecting_unit=office_unit, inspected_unit=unit,
            held_on=min(today, dt.date(2025, 12, 1)) + dt.timedelta(days=counts["inspections"]),
            findings=findings, recommendations=advice, plan=plan)
        counts["inspections"] += 1
    return counts
