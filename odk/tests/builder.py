"""Build XLSForm workbooks from Python lists, for tests, benchmarks and the demo.

A sheet is given as a list of rows, the first row being the column headers::

    xlsx_bytes(
        survey=[["type", "name", "label"], ["text", "y_kien", "Ý kiến của ông/bà"]],
        choices=[["list_name", "name", "label"], ...],
        settings=[["form_title", "form_id", "version"], ["Khảo sát", "ks", "1"]],
    )

or as a list of dicts (the headers are the union of the keys, in first-seen order). ``None``
sheets are left out, so a test can build a form without a choices or settings sheet.
:func:`standard_rows` is the standard questionnaire every survey test shares (khu_vuc, gioi_tinh,
nhom_tuoi, opinions, a select_multiple with or_other, an integer, a date, open text, three
agree/disagree statements, a group, a repeat, relevant/constraint/required, two languages).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

Rows = Sequence[Sequence] | Sequence[dict]

VI = "label::Tiếng Việt"
EN = "label::English"


def _as_table(rows: Rows) -> list[list]:
    rows = list(rows)
    if rows and isinstance(rows[0], dict):
        headers: list[str] = []
        for row in rows:
            for key in row:
                if key not in headers:
                    headers.append(key)
        return [headers] + [[row.get(h) for h in headers] for row in rows]
    return [list(row) for row in rows]


def workbook(
    *,
    survey: Rows | None,
    choices: Rows | None = None,
    settings: Rows | None = None,
    extra: dict[str, Rows] | None = None,
) -> Workbook:
    """An openpyxl workbook with the given sheets (in the order survey, choices, settings)."""
    wb = Workbook()
    wb.remove(wb.active)
    sheets: list[tuple[str, Rows | None]] = [
        ("survey", survey), ("choices", choices), ("settings", settings)
    ]
    sheets += list((extra or {}).items())
    for title, rows in sheets:
        if rows is None:
            continue
        ws = wb.create_sheet(title)
        for row in _as_table(rows):
            ws.append(row)
    return wb


def xlsx_bytes(
    *,
    survey: Rows | None,
    choices: Rows | None = None,
    settings: Rows | None = None,
    extra: dict[str, Rows] | None = None,
) -> bytes:
    """The ``.xlsx`` file content of :func:`workbook`."""
    buffer = io.BytesIO()
    workbook(survey=survey, choices=choices, settings=settings, extra=extra).save(buffer)
    return buffer.getvalue()


def xls_bytes(
    *,
    survey: Rows | None,
    choices: Rows | None = None,
    settings: Rows | None = None,
) -> bytes:
    """The same sheets as a legacy Excel 97–2003 ``.xls`` file (written with xlwt, dev only)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is None:
            continue
        ws = wb.add_sheet(title)
        for r, row in enumerate(_as_table(rows)):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def settings_rows(
    *, form_id: str = "khao_sat_chuan", version: str = "2026010101",
    title: str = "Khảo sát ý kiến nhân dân về chỉnh trang đô thị",
    default_language: str = "Tiếng Việt",
) -> list[list]:
    return [
        ["form_title", "form_id", "version", "default_language"],
        [title, form_id, version, default_language],
    ]


# The area choices use the names of the test world's areas ("Tổ dân phố 1" ...) as labels.
AREA_CHOICES = [("to_1", "Tổ dân phố 1", "Residential group 1"),
                ("to_2", "Tổ dân phố 2", "Residential group 2"),
                ("to_3", "Tổ dân phố 3", "Residential group 3")]
GENDER_CHOICES = [("nam", "Nam", "Male"), ("nu", "Nữ", "Female")]
AGE_CHOICES = [("18_29", "Từ 18 đến 29 tuổi", "18 to 29"),
               ("30_44", "Từ 30 đến 44 tuổi", "30 to 44"),
               ("45_59", "Từ 45 đến 59 tuổi", "45 to 59"),
               ("60+", "Từ 60 tuổi trở lên", "60 and over")]
SATISFACTION_CHOICES = [("rat_hai_long", "Rất hài lòng", "Very satisfied"),
                        ("hai_long", "Hài lòng", "Satisfied"),
                        ("binh_thuong", "Bình thường", "Neutral"),
                        ("khong_hai_long", "Không hài lòng", "Dissatisfied")]
YES_NO_CHOICES = [("co", "Có", "Yes"), ("khong", "Không", "No")]
AGREE_CHOICES = [("dong_y", "Đồng ý", "Agree"),
                 ("khong_dong_y", "Không đồng ý", "Disagree"),
                 ("chua_ro", "Chưa rõ", "Not sure")]
CONCERN_CHOICES = [("rac_thai", "Rác thải, vệ sinh môi trường", "Waste"),
                   ("giao_thong", "Giao thông, vỉa hè", "Traffic"),
                   ("an_ninh", "An ninh trật tự", "Security"),
                   ("dat_dai", "Đất đai, xây dựng", "Land")]
CHANNEL_CHOICES = [("loa", "Loa phát thanh", "Loudspeaker"),
                   ("hop_to", "Họp tổ dân phố", "Neighbourhood meeting"),
                   ("zalo", "Nhóm Zalo", "Zalo group")]

STATEMENTS = [
    ("dong_y_1", "Việc lát lại vỉa hè là cần thiết.",
     "Re-paving the pavements is necessary."),
    ("dong_y_2", "Chợ tạm nên chuyển vào trong khu dân cư.",
     "The temporary market should move inside the residential area."),
    ("dong_y_3", "Cần công khai dự toán trước khi thi công.",
     "The estimate should be published before works start."),
]


def _choice_rows(list_name: str, items: Iterable[tuple[str, str, str]]) -> list[list]:
    return [[list_name, name, vi, en] for name, vi, en in items]


def standard_survey_rows() -> list[list]:
    """The survey sheet of the standard questionnaire."""
    head = ["type", "name", VI, EN, "required", "relevant", "constraint",
            "constraint_message::Tiếng Việt", "constraint_message::English", "default",
            "appearance", "calculation", "choice_filter", "hint::Tiếng Việt", "hint::English"]

    def row(type_, name, vi="", en="", **kw):
        return [type_, name, vi, en, kw.get("required", ""), kw.get("relevant", ""),
                kw.get("constraint", ""), kw.get("constraint_message", ""),
                kw.get("constraint_message_en", ""), kw.get("default", ""),
                kw.get("appearance", ""), kw.get("calculation", ""),
                kw.get("choice_filter", ""), kw.get("hint", ""), kw.get("hint_en", "")]

    rows = [
        head,
        row("note", "gioi_thieu", "Phiếu hỏi ý kiến nhân dân. Thông tin được giữ bí mật.",
            "Resident opinion questionnaire. Answers are confidential."),
        row("begin_group", "thong_tin", "Thông tin chung", "General information"),
        row("select_one khu_vuc", "khu_vuc", "Ông/bà sống ở tổ dân phố nào?",
            "Which residential group do you live in?", required="yes"),
        row("select_one gioi_tinh", "gioi_tinh", "Giới tính", "Gender", required="yes"),
        row("select_one nhom_tuoi", "nhom_tuoi", "Nhóm tuổi", "Age group", required="yes"),
        row("integer", "so_nhan_khau", "Hộ gia đình ông/bà có bao nhiêu người?",
            "How many people live in your household?",
            constraint=". >= 1 and . <= 30",
            constraint_message="Số người trong hộ từ 1 đến 30.",
            constraint_message_en="Between 1 and 30 people.",
            hint="Tính cả ông/bà.", hint_en="Including yourself."),
        row("date", "ngay_phong_van", "Ngày phỏng vấn", "Interview date", default="today()"),
        row("end_group", "thong_tin"),
        row("select_one hai_long", "hai_long_chung",
            "Ông/bà có hài lòng với việc chỉnh trang đô thị không?",
            "Are you satisfied with the urban renewal works?", required="yes"),
        row("select_one co_khong", "biet_chu_truong",
            "Ông/bà có biết chủ trương lát lại vỉa hè không?",
            "Do you know about the pavement policy?"),
        row("select_one kenh", "kenh_thong_tin", "Ông/bà biết qua kênh nào?",
            "Through which channel?", relevant="${biet_chu_truong} = 'co'"),
        row("select_multiple van_de or_other", "van_de",
            "Những vấn đề ông/bà quan tâm nhất", "The issues you care most about"),
        row("text", "y_kien_khac", "Ý kiến, kiến nghị khác của ông/bà",
            "Other opinions and proposals", appearance="multiline"),
    ]
    for name, vi, en in STATEMENTS:
        rows.append(row("select_one dong_y", name, vi, en))
    rows += [
        row("begin_repeat", "thanh_vien", "Thành viên trong hộ", "Household members"),
        row("text", "ten_thanh_vien", "Tên gọi", "First name"),
        row("integer", "tuoi_thanh_vien", "Tuổi", "Age", constraint=". >= 0 and . <= 120"),
        row("end_repeat", "thanh_vien"),
        row("calculate", "so_van_de", calculation="count-selected(${van_de})"),
    ]
    return rows


def standard_choices_rows() -> list[list]:
    rows = [["list_name", "name", VI, EN]]
    rows += _choice_rows("khu_vuc", AREA_CHOICES)
    rows += _choice_rows("gioi_tinh", GENDER_CHOICES)
    rows += _choice_rows("nhom_tuoi", AGE_CHOICES)
    rows += _choice_rows("hai_long", SATISFACTION_CHOICES)
    rows += _choice_rows("co_khong", YES_NO_CHOICES)
    rows += _choice_rows("kenh", CHANNEL_CHOICES)
    rows += _choice_rows("van_de", CONCERN_CHOICES)
    rows += _choice_rows("dong_y", AGREE_CHOICES)
    return rows


def standard_rows(**settings_kw) -> dict[str, list[list]]:
    """The three sheets of the standard questionnaire, keyword arguments go to the settings."""
    return {
        "survey": standard_survey_rows(),
        "choices": standard_choices_rows(),
        "settings": settings_rows(**settings_kw),
    }


def standard_xlsx(**settings_kw) -> bytes:
    """The standard questionnaire as ``.xlsx`` bytes (``form_id``/``version``/``title`` vary)."""
    return xlsx_bytes(**standard_rows(**settings_kw))


# Names of the statement (agree/disagree) questions of the standard questionnaire.
STATEMENT_NAMES = [name for name, _, _ in STATEMENTS]


def coverage_rows() -> dict[str, list[list]]:
    """A form using every type and column the issue lists, once each (for our handling tests).

    Types: text, integer, decimal, select_one, select_multiple with or_other, rank, date, note,
    calculate, a group and a repeat; columns: relevant, constraint, required, choice_filter,
    default, and labels in two languages. Row numbers (spreadsheet rows) are fixed: tests rely
    on them.
    """
    head = ["type", "name", VI, EN, "required", "relevant", "constraint", "choice_filter",
            "default", "calculation", "concept"]
    survey = [
        head,
        # row 2
        ["note", "loi_chao", "Xin chào", "Hello", "", "", "", "", "", "", ""],
        # row 3
        ["text", "ho_ten_ctv", "Tên cộng tác viên", "Collaborator", "yes", "", "", "", "", "",
         ""],
        # row 4
        ["integer", "tuoi", "Tuổi", "Age", "true", "", ". >= 18 and . <= 110", "", "", "",
         "tuoi_nguoi_tra_loi"],
        # row 5
        ["decimal", "thu_nhap", "Thu nhập (triệu đồng)", "Income", "", "${tuoi} >= 18",
         ". >= 0", "", "0.5", "", ""],
        # row 6
        ["select_one tinh_trang", "tinh_trang", "Tình trạng", "Status", "", "", "", "", "tot",
         "", ""],
        # row 7
        ["select_multiple van_de or_other", "van_de", "Vấn đề", "Issues", "", "", "", "", "",
         "", ""],
        # row 8
        ["rank uu_tien", "uu_tien", "Xếp hạng ưu tiên", "Priorities", "", "", "", "", "", "",
         ""],
        # row 9
        ["select_one khu_pho", "khu_pho", "Khu phố", "Quarter", "", "", "",
         "khu = ${tinh_trang}", "", "", ""],
        # row 10
        ["date", "ngay", "Ngày", "Date", "", "", ". <= today()", "", "today()", "", ""],
        # row 11
        ["begin_group", "nhom", "Nhóm", "Group", "", "${tuoi} > 0", "", "", "", "", ""],
        # row 12
        ["text", "ghi_chu", "Ghi chú", "Notes", "", "", "", "", "", "", ""],
        # row 13
        ["end_group", "nhom", "", "", "", "", "", "", "", "", ""],
        # row 14
        ["begin_repeat", "con", "Con", "Children", "", "", "", "", "", "", ""],
        # row 15
        ["integer", "tuoi_con", "Tuổi của con", "Child's age", "", "", ". < ${tuoi}", "", "",
         "", ""],
        # row 16
        ["end_repeat", "con", "", "", "", "", "", "", "", "", ""],
        # row 17
        ["calculate", "tong", "", "", "", "", "", "", "",
         "if(${thu_nhap} > 0, ${thu_nhap} * 12, 0)", ""],
    ]
    choices = [
        ["list_name", "name", VI, EN, "khu"],
        ["tinh_trang", "tot", "Tốt", "Good", ""],
        ["tinh_trang", "xau", "Xấu", "Bad", ""],
        ["van_de", "rac", "Rác", "Waste", ""],
        ["van_de", "on", "Tiếng ồn", "Noise", ""],
        ["uu_tien", "duong", "Đường", "Roads", ""],
        ["uu_tien", "truong", "Trường", "Schools", ""],
        ["uu_tien", "tram", "Trạm y tế", "Clinic", ""],
        ["khu_pho", "kp1", "Khu phố 1", "Quarter 1", "tot"],
        ["khu_pho", "kp2", "Khu phố 2", "Quarter 2", "xau"],
    ]
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        ["Biểu mẫu kiểm thử", "kiem_thu", "3", "Tiếng Việt"],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def with_survey_rows(extra: list[list], *, head: list[str] | None = None) -> dict[str, list]:
    """A minimal valid form (one yes/no list) plus ``extra`` survey rows, for error tests.

    The survey header is ``type, name, label, relevant, constraint, calculation`` unless
    ``head`` is given; ``extra`` rows start at spreadsheet row 2.
    """
    head = head or ["type", "name", "label", "relevant", "constraint", "calculation"]
    return {
        "survey": [head, *extra],
        "choices": [["list_name", "name", "label"], ["yn", "y", "Có"], ["yn", "n", "Không"]],
        "settings": [["form_id", "version"], ["loi", "1"]],
    }
