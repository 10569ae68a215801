"""The pure consolidation: merging streams by topic, distributions, latent, recommendations."""

from reporting import consolidation as calc
from reporting.consolidation import StreamData, UnitReportData, consolidate
from reporting.periods import parse_period

NOV = parse_period("2025-11")


def stream(topic="Môi trường", attitude="buc_xuc", reach="nhieu_y_kien", summary="Rác tồn đọng.",
           **kwargs):
    return StreamData(topic=topic, attitude=attitude, reach=reach, summary=summary, **kwargs)


def report(unit, *streams, period="2025-11", **sections):
    return UnitReportData(unit=unit, period=period, sections=sections, streams=tuple(streams))


def test_topics_merged_with_distinct_units_and_ordered_by_units():
    result = consolidate(
        [
            report("Chi bộ 1", stream(), stream(attitude="ban_khoan")),
            report("Chi bộ 2", stream(reach="da_so")),
            report("Chi bộ 3", stream(topic="Y tế", attitude="dong_tinh"),
                   stream(topic="Y tế"), stream(topic="Y tế")),
        ],
        period=NOV, expected_units=55,
    )
    env, health = result.topics
    assert (env.topic, env.unit_count, env.stream_count) == ("Môi trường", 2, 3)
    assert env.units == ["Chi bộ 1", "Chi bộ 2"]
    # Fewer units but more streams still ranks below the topic more units reported.
    assert (health.topic, health.unit_count, health.stream_count) == ("Y tế", 1, 3)
    assert result.units == ["Chi bộ 1", "Chi bộ 2", "Chi bộ 3"]
    assert result.report_count == 3


def test_attitude_and_reach_distribution_per_topic_and_overall():
    result = consolidate(
        [
            report("A", stream(), stream(attitude="ban_khoan", reach="da_so")),
            report("B", stream(topic="Y tế", attitude="dong_tinh", reach="tuyet_dai_da_so")),
        ],
        period=NOV,
    )
    data = result.as_data()
    assert data["attitudes"] == {"dong_tinh": 1, "ban_khoan": 1, "buc_xuc": 1, "phan_doi": 0}
    assert data["reaches"] == {"tuyet_dai_da_so": 1, "da_so": 1, "nhieu_y_kien": 1,
                               "mot_so_y_kien": 0}
    env = data["topics"][0]
    assert env["attitudes"] == {"dong_tinh": 0, "ban_khoan": 1, "buc_xuc": 1, "phan_doi": 0}
    assert env["reaches"]["da_so"] == 1 and env["reaches"]["nhieu_y_kien"] == 1
    assert data["stream_count"] == 3


def test_equal_attitudes_name_the_more_severe_one():
    topic = calc.merge_topics([report("A", stream(attitude="dong_tinh"),
                                      stream(attitude="phan_doi"))])[0]
    assert topic.main_attitude == "phan_doi"


def test_highlights_sentence_reads_like_the_office_writes():
    reports = [report(f"Chi bộ {i}", stream(social_groups=("Tiểu thương",))) for i in range(12)]
    reports.append(report("Chi bộ 99", stream(topic="Y tế", attitude="dong_tinh")))
    text = consolidate(reports, period=NOV, expected_units=55).sections["du_luan_noi_bat"]
    assert text.startswith("1. Môi trường: 12/55 đơn vị phản ánh; bức xúc 100%")
    assert "nhóm xã hội: Tiểu thương." in text
    # A topic fewer than three units raised is named in one line, with its unit.
    assert "Các lĩnh vực khác có ít đơn vị phản ánh: Y tế (Chi bộ 99)." in text


def test_latent_streams_listed_with_unit_and_area():
    result = consolidate(
        [
            report("Chi bộ 1", stream(latent=True, area="Tổ dân phố 3",
                                      summary="Lo ngại thu hồi đất làm đường."),
                   stream()),
            report("Chi bộ 2", stream(topic="Y tế")),
        ],
        period=NOV,
    )
    assert [(i.unit, i.area, i.topic) for i in result.latent] == [
        ("Chi bộ 1", "Tổ dân phố 3", "Môi trường")
    ]
    assert "Có 1 luồng dư luận tiềm ẩn" in result.sections["du_luan_tiem_an"]
    # Section II quotes it (its topic's only statement): III points there rather than repeat it.
    assert "Lo ngại thu hồi đất" in result.sections["du_luan_noi_bat"]
    assert "- Môi trường (1 luồng ý kiến, Chi bộ 1): như đã nêu tại điểm 1 mục II." in (
        result.sections["du_luan_tiem_an"])
    assert result.as_data()["topics"][0]["latent_count"] == 1


def test_no_latent_and_no_streams_say_so():
    result = consolidate([report("A", tu_tuong="Ổn định.")], period=NOV)
    assert result.sections["du_luan_tiem_an"].startswith("Trong kỳ, các đơn vị chưa phản ánh")
    assert "chưa phản ánh luồng ý kiến nào" in result.sections["du_luan_noi_bat"]


def test_recommendations_per_unit_from_section_and_asking_streams():
    result = consolidate(
        [
            report("Chi bộ 2", stream(summary="Nhân dân đề nghị lắp đèn đường ngõ 5."),
                   stream(summary="Rác tồn đọng."), kien_nghi="Đề nghị UBND nạo vét cống."),
            report("Chi bộ 1", kien_nghi="Không có."),
            report("Chi bộ 3", kien_nghi=""),
        ],
        period=NOV,
    )
    by_unit = {r.unit: r.items for r in result.recommendations}
    assert by_unit == {
        "Chi bộ 1": ["Không có."],
        "Chi bộ 2": ["Đề nghị UBND nạo vét cống.",
                     "[Môi trường] Nhân dân đề nghị lắp đèn đường ngõ 5."],
    }
    text = result.sections["kien_nghi"]
    assert "1. Đối với UBND phường:\n- Nạo vét cống — Chi bộ 2." in text
    assert "- Nhân dân đề nghị lắp đèn đường ngõ 5 — Chi bộ 2." in text
    assert "Không có" not in text  # a unit saying it asks nothing is no recommendation


def test_overview_opens_the_first_section_and_other_sections_gather_units_words():
    result = consolidate(
        [report("Chi bộ 1", stream(), tu_tuong="Nhân dân phấn khởi.",
                rieng="Chi bộ tổ chức sinh hoạt chuyên đề."),
         report("Chi bộ 2", stream(), tu_tuong="Nhân dân phấn khởi.",
                rieng="Chi bộ tổ chức sinh hoạt chuyên đề.")],
        period=NOV, expected_units=3, section_keys=("tu_tuong", "rieng"),
    )
    first = result.sections["tu_tuong"]
    assert first.startswith("Tháng 11/2025, 2/3 đơn vị đã nộp 2 báo cáo, phản ánh 2 luồng")
    assert "bức xúc 100%" in first
    assert "Các đơn vị nhận định: Nhân dân phấn khởi (2/3 đơn vị)." in first
    assert result.sections["rieng"] == "Chi bộ tổ chức sinh hoạt chuyên đề (2/3 đơn vị)."
    assert list(result.sections) == ["tu_tuong", "rieng"]


def test_half_year_draws_from_its_six_months_only():
    months = ["2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
              "2026-01"]
    reports = [report("Chi bộ 1", stream(summary=f"Ý kiến {m}"), period=m) for m in months]
    reports.append(report("Chi bộ 2", stream(topic="Y tế"), period="2025-12"))
    result = consolidate(reports, period=parse_period("2025-H2"), expected_units=3)
    assert result.months == ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]
    assert result.report_count == 7
    env = result.topics[0]
    assert env.stream_count == 6 and env.unit_count == 1
    assert env.months == result.months
    summaries = {text for _, text in env.summaries}
    assert "Ý kiến 2025-06" not in summaries and "Ý kiến 2026-01" not in summaries
    assert "1. Môi trường: 1/3 đơn vị (Chi bộ 1) phản ánh" in result.sections["du_luan_noi_bat"]
    assert "trong 6 tháng" in result.sections["tu_tuong"]


def test_year_covers_twelve_months():
    reports = [report("A", stream(), period=f"2025-{m:02d}") for m in range(1, 13)]
    result = consolidate(reports, period=parse_period("2025"))
    assert result.report_count == 12 and len(result.months) == 12


def test_tables_from_stored_numbers():
    data = consolidate(
        [report("A", stream(), stream(topic="Y tế", reach="da_so")), report("B", stream())],
        period=NOV,
    ).as_data()
    attitude, reach = calc.topic_tables(data)
    assert attitude.headers[:4] == ("STT", "Lĩnh vực", "Số đơn vị phản ánh", "Số luồng ý kiến")
    assert attitude.rows[0] == [1, "Môi trường", 2, 2, 0, 0, 2, 0, 0]
    assert attitude.rows[-1][:4] == ["", "Tổng cộng", 2, 3]
    assert reach.rows[1] == [2, "Y tế", 1, 0, 1, 0, 0]


def test_compliance_tables_and_sentence_name_late_and_missing():
    compliance = {
        "months": [{"period": "2025-11", "label": "Tháng 11/2025", "expected": 3, "submitted": 1,
                    "on_time": 1, "late": 0, "returned": 0, "draft": 0, "not_started": 0,
                    "missing": 2, "reporting_rate": 1 / 3, "on_time_rate": 1 / 3}],
        "units": [{"unit": "A", "statuses": {"2025-11": "on_time"}},
                  {"unit": "B", "statuses": {"2025-11": "missing"}},
                  {"unit": "C", "statuses": {"2025-11": "missing"}}],
    }
    months, units = calc.compliance_tables(compliance)
    assert months.rows == [["Tháng 11/2025", 3, 1, 1, 0, 0, 2, "33,3%", "33,3%"]]
    assert units.rows[1] == [2, "B", "Chưa nộp (quá hạn)"]
    sentence = calc.compliance_sentence(compliance)
    assert sentence.startswith("Tháng 11/2025: 1/3 đơn vị đã nộp báo cáo (33,3%)")
    assert "Chưa nộp: B, C." in sentence


def test_percent_uses_a_decimal_comma():
    assert calc.percent(1, 3) == "33,3%"
    assert calc.percent(2, 2) == "100%"
    assert calc.percent(0, 0) == "0%"
