"""The review layout of a 6-month or annual report, drafted from plain data (reporting.figures)."""

from reporting import figures
from reporting.figures import Chart, FigureBlock, FigureTable

UNITS = {
    "tu_tuong": "Các đơn vị đã nộp 10/12 báo cáo.",
    "du_luan_noi_bat": "1. Môi trường: 3/5 đơn vị phản ánh.\n- 3 đơn vị: “Rác.”\n2. Y tế: 3/5.",
    "du_luan_tiem_an": "- Y tế (1 luồng ý kiến, 3 đơn vị): như đã nêu tại điểm 2 mục II.",
    "kien_nghi": "1. Đối với UBND phường:\n- Thu gom rác — 2 đơn vị.",
}


def test_parts_points_and_their_order():
    late = FigureBlock("b", "Sau", lines=("Dòng b",), order=60, directions=("Làm b",))
    early = FigureBlock("a", "Trước", lines=("Dòng a",), order=10, shortcomings=("Thiếu a",),
                        causes=("Vì a",), proposals=("Đề nghị a",))
    draft = figures.review_draft(
        units_sections=UNITS, blocks=[late, early],
        extra_sections=[({"key": "y_kien_chi_dao", "title": "Ý kiến chỉ đạo"}, "Không có.")],
        compliance_text="Đã nộp 10/12.", compliance_shortfall="Các đơn vị mới nộp 10/12",
        latent_topics=["Y tế"])
    assert [(t["key"], t["level"]) for t in draft.titles] == [
        ("ket_qua", 1), ("kq_du_luan", 2), ("kq_tiem_an", 2), ("kq_a", 2), ("kq_b", 2),
        ("y_kien_chi_dao", 2), ("kq_bao_cao", 2), ("han_che", 1), ("phuong_huong", 1),
        ("kien_nghi", 1)]
    s = draft.sections
    # Section II's topics are point 1's sub-points now, and the latent section points there.
    assert s["kq_du_luan"].splitlines()[0] == "1.1. Môi trường: 3/5 đơn vị phản ánh."
    assert s["kq_du_luan"].splitlines()[2] == "1.2. Y tế: 3/5."
    assert s["kq_tiem_an"].endswith("như đã nêu tại điểm 1.2 mục I.")
    assert s["kq_a"] == "Dòng a."
    assert s["han_che"].splitlines() == [
        "1. Hạn chế", "- Thiếu a.", "- Các đơn vị mới nộp 10/12.", "2. Nguyên nhân", "- Vì a.",
        figures.CAUSES_TO_FILL]
    assert s["phuong_huong"].splitlines()[:2] == [
        "- Làm b.",
        "- Chủ động nắm bắt, thông tin, giải thích đối với dư luận tiềm ẩn về Y tế, không để"
        " phát sinh thành điểm nóng."]
    assert s["kien_nghi"].splitlines()[-1] == "- Đề nghị a."


def test_nothing_to_say_is_said_for_the_office_to_complete():
    draft = figures.review_draft(units_sections={}, blocks=[])
    assert figures.NO_SHORTCOMING in draft.sections["han_che"]
    assert draft.sections["phuong_huong"] == "- " + figures.STANDING_TASKS[0]


def test_a_block_round_trips_through_json():
    block = FigureBlock("x", "X", lines=("a",),
                        tables=(FigureTable("T", ("A", "B"), ((1, "b"),), "Trang"),),
                        charts=(Chart("C", ("a",), (3,)),), shortcomings=("s",), order=5)
    assert FigureBlock.from_dict(block.as_dict()) == block
    assert figures.tables_of([block.as_dict()]) == [("kq_x", block.tables[0])]
