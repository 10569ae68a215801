"""Real-shaped drafts built with python-docx for the tests and the benchmark."""

from __future__ import annotations

import io

from docx import Document

HEADING = [
    "ỦY BAN NHÂN DÂN PHƯỜNG HÒA BÌNH",
    "Số: /2026/QĐ-UBND",
    "DỰ THẢO",
    "QUYẾT ĐỊNH",
    "Ban hành Quy chế quản lý trật tự đô thị trên địa bàn phường",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "1. Căn cứ này có số nhưng nằm trước điều đầu tiên.",
]


def docx_bytes(blocks: list) -> bytes:
    """A DOCX whose body is ``blocks`` in order: a string is a paragraph, a list of rows a
    table."""
    document = Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for row, values in zip(table.rows, block, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_chapters() -> list:
    return [
        *HEADING,
        [["CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]],
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi điều chỉnh",
        "Quy chế này quy định việc quản lý trật tự đô thị trên địa bàn phường.",
        "Việc quản lý vỉa hè thực hiện theo quy định riêng của thành phố.",
        "Điều 2. Giải thích từ ngữ",
        "Trong Quy chế này, các từ ngữ dưới đây được hiểu như sau:",
        "1. Vỉa hè là phần đường dành cho người đi bộ.",
        "2. Lòng đường là phần đường dành cho xe.",
        "Điều 3. Nguyên tắc",
        "1. Công khai, minh bạch trong quản lý.",
        "2. Các hành vi bị nghiêm cấm:",
        "a) Lấn chiếm vỉa hè để kinh doanh;",
        "b) Đổ rác thải, phế thải không đúng nơi quy định;",
        "c) Xây dựng công trình không phép;",
        "d) Treo biển quảng cáo sai quy định;",
        "đ) Các hành vi khác theo quy định của pháp luật.",
        "Mức phạt 1.500.000 đồng đối với hành vi tại điểm a.",
        "3. Xử lý vi phạm kịp thời, đúng pháp luật.",
        "Chương II. TỔ CHỨC THỰC HIỆN",
        "Mục 1",
        "TRÁCH NHIỆM CỦA CÁC CƠ QUAN",
        "Điều 4. Mức thu phí sử dụng vỉa hè",
        "1. Mức thu phí theo bảng sau:",
        [["Loại đường", "Mức thu (đồng/m²/tháng)"], ["Đường loại 1", "50.000"],
         ["Đường loại 2", "30.000"]],
        "Mức thu được điều chỉnh hằng năm.",
        "2. Phí được nộp vào ngân sách phường.",
        "Điều 5. Hiệu lực thi hành",
        "Quyết định này có hiệu lực kể từ ngày 01 tháng 01 năm 2027./.",
        [["Nơi nhận:\n- Như Điều 5;\n- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"]],
        "Nguyễn Văn A",
    ]


def without_chapters(articles: int = 3) -> list:
    blocks: list = list(HEADING)
    for number in range(1, articles + 1):
        blocks.append(f"Điều {number}. Nội dung thứ {number}")
        blocks.append(f"1. Khoản một của điều {number} quy định việc thu gom rác thải.")
        blocks.append(f"2. Khoản hai của điều {number}:")
        blocks.append("a) điểm a;")
        blocks.append("b) điểm b.")
    return blocks


def large(articles: int = 200, clauses: int = 3) -> list:
    """A long draft (the benchmark's): ``articles`` articles of ``clauses`` clauses each, in ten
    chapters."""
    blocks: list = list(HEADING)
    per_chapter = max(1, articles // 10)
    for number in range(1, articles + 1):
        if (number - 1) % per_chapter == 0:
            blocks.append(f"Chương {(number - 1) // per_chapter + 1}")
            blocks.append("NHỮNG QUY ĐỊNH CỤ THỂ")
        blocks.append(f"Điều {number}. Quy định về nội dung số {number}")
        for clause in range(1, clauses + 1):
            blocks.append(f"{clause}. Khoản {clause} của Điều {number} quy định trách nhiệm của"
                          " tổ dân phố trong việc giữ gìn trật tự, vệ sinh môi trường.")
        blocks.append("a) Thực hiện đúng quy định;")
        blocks.append("b) Báo cáo kết quả hằng tháng.")
    return blocks
