"""``longdan compliance``, ``longdan consolidate`` and ``longdan report propose``: a period's
reporting rate, the ward committee's consolidated report as DOCX (and XLSX), and the opinion
streams proposed to a unit from what it logged in a period."""

from __future__ import annotations

import json
from pathlib import Path

from core.errors import ServiceError
from longdan.commands.database import reader_for, require_migrated
from longdan.commands.parser import CliError, group, out, refusing
from reporting.periods import PeriodError, PeriodKey, parse_period


def register(commands) -> None:
    compliance = commands.add_parser(
        "compliance", help="tỷ lệ nộp báo cáo của một kỳ",
        description="In tỷ lệ nộp báo cáo (phải nộp, đã nộp, đúng hạn, muộn, chưa nộp) của một"
        " kỳ, nêu tên các đơn vị nộp muộn và chưa nộp.",
    )
    compliance.add_argument("--period", required=True, metavar="KỲ",
                            help="kỳ báo cáo: 2025-11 (tháng), 2025-H2 (6 tháng), 2025 (năm)")
    compliance.add_argument("--template", type=int, metavar="SỐ",
                            help="mã số mẫu báo cáo (mặc định: mẫu đang dùng của loại kỳ)")
    compliance.add_argument("--unit", metavar="MÃ",
                            help="chỉ tính đơn vị này (mã hoặc tên) và các đơn vị trực thuộc")
    compliance.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    compliance.set_defaults(handler=cmd_compliance, needs_django=True)

    consolidate = commands.add_parser(
        "consolidate", help="tạo báo cáo tổng hợp của Đảng ủy và xuất DOCX",
        description="Tổng hợp các báo cáo đã nộp của kỳ thành báo cáo của Đảng ủy phường (tạo"
        " mới hoặc làm lại bản nháp) và xuất tệp DOCX, tùy chọn kèm bản PDF (cần LibreOffice)"
        " và bảng biểu XLSX.",
    )
    consolidate.add_argument("--period", required=True, metavar="KỲ",
                             help="kỳ báo cáo: 2025-11, 2025-H2 hoặc 2025")
    consolidate.add_argument("--out", required=True, metavar="TỆP.docx",
                             help="tệp DOCX cần ghi")
    consolidate.add_argument("--xlsx", metavar="TỆP.xlsx", help="ghi thêm bảng biểu ra tệp XLSX")
    consolidate.add_argument("--pdf", metavar="TỆP.pdf",
                             help="ghi thêm bản PDF (LibreOffice dàn trang từ bản DOCX)")
    consolidate.add_argument(
        "--unit", metavar="MÃ",
        help="báo cáo tổng hợp của đơn vị này (mã hoặc tên; một đảng bộ) từ báo cáo của nó và các"
        " đơn vị trực thuộc (mặc định: báo cáo của Đảng ủy phường, từ mọi đơn vị)",
    )
    consolidate.add_argument(
        "--redraft-edited", action="store_true",
        help="soạn lại cả các phần Ban Xây dựng Đảng đã sửa (mặc định: giữ nguyên các phần đã sửa)",
    )
    consolidate.set_defaults(handler=cmd_consolidate, needs_django=True)

    propose = group(commands, "report").add_parser(
        "propose", help="đề xuất luồng ý kiến của đơn vị từ các ý kiến đã ghi nhận trong kỳ",
        description="In các luồng ý kiến đề xuất cho báo cáo của một đơn vị, gom từ ý kiến, điểm"
        " tiếp xúc cử tri và vấn đề của đơn vị trong kỳ (theo vấn đề, rồi theo chủ đề), với thái"
        " độ, mức độ ước tính và các ý kiến phía sau. Không ghi gì vào cơ sở dữ liệu.",
    )
    propose.add_argument("--unit", required=True, metavar="MÃ", help="mã hoặc tên đơn vị")
    propose.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo: 2025-11")
    propose.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    propose.set_defaults(handler=cmd_propose, needs_django=True)


# --- compliance -------------------------------------------------------------------------------


def _template_for(key: PeriodKey, template_id: int | None):
    from reporting.models import ReportTemplate
    from reporting.selectors import default_template

    if template_id is None:
        template = default_template(key.kind)
        if template is None:
            raise CliError(f"không có mẫu báo cáo đang dùng cho kỳ {key.label.lower()}.")
        return template
    template = ReportTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise CliError(f"không tìm thấy mẫu báo cáo số {template_id}.")
    if template.period_kind != key.kind:
        raise CliError(
            f"mẫu '{template.name}' dùng cho kỳ {template.get_period_kind_display().lower()},"
            f" không dùng cho {key.label}."
        )
    return template


@refusing(ServiceError, PeriodError)
def cmd_compliance(args) -> int:
    key = parse_period(args.period)
    require_migrated()
    from reporting.selectors import compliance_for

    template = _template_for(key, args.template)
    view = compliance_for(reader_for(args.unit), template=template, period=key)
    if args.json:
        out(json.dumps(view.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_compliance(view.as_dict())
    return 0


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def _print_compliance(data: dict) -> None:
    deadline = "/".join(reversed(data["deadline"].split("-")))
    out(f"TỶ LỆ NỘP BÁO CÁO — {data['label'].upper()} (hạn nộp {deadline})")
    out(f"Mẫu: {data['template']}")
    out()
    rows = [
        ("Phải nộp", data["expected"]),
        ("Đã nộp", data["submitted"]),
        ("  trong đó đúng hạn", data["on_time"]),
        ("  trong đó nộp muộn", data["late"]),
        ("Bị trả lại, chờ nộp lại", data["returned"]),
        ("Đang soạn / chưa bắt đầu (chưa đến hạn)", data["draft"] + data["not_started"]),
        ("Chưa nộp (quá hạn)", data["missing"]),
    ]
    for label, value in rows:
        out(f"  {label:<42}{value:>6}")
    out(f"  {'Tỷ lệ nộp':<42}{_rate(data['reporting_rate']):>6}")
    out(f"  {'Tỷ lệ đúng hạn':<42}{_rate(data['on_time_rate']):>6}")
    if len(data["by_parent"]) > 1:
        out()
        out(f"  {'Theo đơn vị cấp trên':<42}{'phải nộp':>9}{'đã nộp':>8}{'đúng hạn':>10}")
        for row in data["by_parent"]:
            out(f"  {row['parent'][:41]:<42}{row['expected']:>9}{row['submitted']:>8}"
                 f"{_rate(row['on_time_rate']):>10}")
    for title, key in (("Đơn vị nộp muộn", "late_units"), ("Đơn vị chưa nộp", "missing_units"),
                       ("Đơn vị bị trả lại báo cáo", "returned_units")):
        names = data[key]
        out()
        out(f"{title} ({len(names)}):" + ("" if names else " không có"))
        for name in names:
            out(f"  - {name}")


# --- consolidate -------------------------------------------------------------------------------


def _output_path(value: str, suffix: str, option: str) -> Path:
    path = Path(value).expanduser()
    if path.suffix.lower() != suffix:
        raise CliError(f"tệp {option} '{value}' phải có đuôi {suffix}.")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise CliError(f"thư mục '{folder}' không tồn tại (tệp {option} '{value}').")
    return path


@refusing(ServiceError, PeriodError, "documents.pdf.PdfError")
def cmd_consolidate(args) -> int:
    key = parse_period(args.period)
    docx_path = _output_path(args.out, ".docx", "--out")
    xlsx_path = _output_path(args.xlsx, ".xlsx", "--xlsx") if args.xlsx else None
    pdf_path = _output_path(args.pdf, ".pdf", "--pdf") if args.pdf else None
    require_migrated()
    from reporting import services

    unit = reader_for(args.unit).unit if args.unit else None
    consolidated = services.generate_consolidated(user=None, period=key, unit=unit,
                                                  redraft_edited=args.redraft_edited)
    # The PDF first: without LibreOffice the command stops before it has written any file.
    pdf = services.export_pdf(user=None, consolidated=consolidated) if pdf_path else None
    services.export_docx(user=None, consolidated=consolidated, out=docx_path)
    whose = f" của {unit.name}" if unit is not None else ""
    out(f"Đã ghi báo cáo tổng hợp {consolidated.period}{whose} vào {docx_path}")
    if pdf_path is not None:
        pdf_path.write_bytes(pdf)
        out(f"Đã ghi bản PDF vào {pdf_path}")
    if xlsx_path is not None:
        services.export_xlsx(user=None, consolidated=consolidated, out=xlsx_path)
        out(f"Đã ghi bảng biểu vào {xlsx_path}")
    return 0


# --- report propose ---------------------------------------------------------------------------


@refusing(ServiceError, PeriodError)
def cmd_propose(args) -> int:
    key = parse_period(args.period)
    require_migrated()
    from core.models import Attitude, Reach
    from reporting.models import UnitReport
    from reporting.proposal_selectors import proposals_for
    from reporting.selectors import default_template

    reader = reader_for(args.unit)
    template = default_template(key.kind)
    report = (UnitReport.objects.filter(template=template, period__code=key.code,
                                        unit=reader.unit).first() if template else None)
    data = proposals_for(reader, reader.unit, key, report).as_dict()
    if args.json:
        out(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    out(f"ĐỀ XUẤT LUỒNG Ý KIẾN — {reader.unit.name}, {key.label.lower()}")
    out(f"{data['items']} ý kiến chưa nằm trong luồng nào; {len(data['proposals'])} đề xuất.")
    attitudes, reaches = dict(Attitude.choices), dict(Reach.choices)
    for number, p in enumerate(data["proposals"], start=1):
        out()
        out(f"{number}. {p['topic']} — {attitudes[p['attitude']].lower()};"
            f" {reaches[p['reach']].lower()}; {len(p['items'])} ý kiến")
        out(f"   {p['summary']}")
        out(f"   Ý kiến: {', '.join(map(str, p['items']))}")
    if data["unplaced"]:
        out()
        out(f"{len(data['unplaced'])} ý kiến chưa có chủ đề nên chưa được đề xuất.")
    return 0
