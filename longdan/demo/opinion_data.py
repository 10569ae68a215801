"""Opinion data of the demo ward: what residents said over the demo's months, and how.

Each matter is one thing the ward talks about (the same matters as the monthly reports): the
sentences people use for it, who tends to raise it, through which channels, how often and in
which season, how the office follows it up (owner, due date, status) and which words of a
report's opinion stream point to it. ``history`` turns the rates into the days items arrive on.
The first sentence of a matter is written like a headline: the earliest item of the matter opens
its issue, whose title is built from that item's topic, key words and area (never copied from a
resident's sentence: ``textengine.titles``).

Everything here is invented. Telephone and ID numbers are made up; links point to a made-up news
site (``.example``, a reserved domain) or to a made-up residents' group.
"""

from __future__ import annotations

import datetime as dt

from longdan.demo.constants import WARD_FORMED

# Channels (core.models.Channel values). "khac" is the public feedback form.
RESIDENTIAL, COLLABORATOR, SOCIAL, PRESS, FRONT, PUBLIC = (
    "khu_dan_cu", "cong_tac_vien", "mang_xa_hoi", "bao_chi", "mttq", "khac",
)

# A matter:
#   key, topic (core.models.Topic name);
#   how often (``history``): per_week (items in an ordinary week), months: {month: factor} (the
#   season), tet: factor in the four weeks before Tết and the week after, since: the first day it
#   can be heard, newest: days before ``today`` of its last item, burst: extra items in the last
#   3 days, role: "rising" (the topic rising in the last weeks) or "latent" (the worry growing
#   with no issue followed yet); labelled: share of staff-filed items a person labelled;
#   latent_share: share of items the filer flags as latent opinion;
#   channels: weights; attitudes: weights; groups: social group names;
#   areas: "hb" / "al" / "th" / "any" (the former ward whose residential groups the items come
#   from); texts: what people say (first one the headline); stream_words: folded words of a
#   report's opinion stream that summarise this matter; plan: how the office follows it up.
MATTERS: list[dict] = [
    {
        "key": "rac_cho", "topic": "Môi trường", "per_week": 3.5, "newest": 1,
        "months": {5: 1.3, 6: 1.4, 7: 1.4, 8: 1.3},  # the heat makes the smell worse
        "channels": {RESIDENTIAL: 4, COLLABORATOR: 5, SOCIAL: 2, PUBLIC: 2, FRONT: 1},
        "attitudes": {"buc_xuc": 6, "ban_khoan": 3, "phan_doi": 1},
        "groups": ["Tiểu thương", "Phụ nữ", "Người cao tuổi, hưu trí"],
        "areas": "hb",
        "texts": [
            "Rác thải tồn đọng ở chợ Hòa Bình bốc mùi hôi. Xe thu gom đến muộn, có hôm không đến.",
            "Rác thải ở chợ Hòa Bình ùn ứ từ chiều tới sáng hôm sau, ruồi nhặng nhiều, mùi hôi"
            " bay sang cả khu dân cư.",
            "Tiểu thương chợ Hòa Bình phản ánh điểm tập kết rác thải của chợ quá tải, rác tràn ra"
            " lối đi, mùi hôi ảnh hưởng việc buôn bán.",
            "Bà con đi chợ Hòa Bình bức xúc vì rác thải và nước rỉ rác chảy ra đường, bốc mùi hôi"
            " thối nhất là những ngày nắng nóng.",
            "Đề nghị tăng chuyến thu gom rác thải ở chợ Hòa Bình vào buổi chiều, không để rác tồn"
            " đọng qua đêm gây mùi hôi.",
            "Rác ở chợ Hòa Bình chưa được thu gom, đống rác thải cạnh cổng chợ mỗi ngày một to,"
            " mùi hôi rất khó chịu.",
            "Nhiều hộ kinh doanh ở chợ Hòa Bình đã nộp phí vệ sinh nhưng rác thải vẫn tồn đọng,"
            " thu gom không đúng giờ, bốc mùi hôi.",
        ],
        "stream_words": ["rac thai"],
        "plan": {"owner": "ubnd-phuong", "steps": [("watch", 70), ("assign", 40, -6)]},
    },
    {
        "key": "ngap_ung", "topic": "Môi trường", "per_week": 0.3, "newest": 2,
        "months": {5: 5, 6: 8, 7: 11, 8: 12, 9: 12, 10: 7},  # the rainy season, May to October
        "channels": {RESIDENTIAL: 5, COLLABORATOR: 3, SOCIAL: 2, PUBLIC: 2},
        "attitudes": {"buc_xuc": 5, "ban_khoan": 5},
        "groups": ["Người cao tuổi, hưu trí", "Phụ nữ", "Tiểu thương"],
        "areas": "al",
        "texts": [
            "Mưa lớn là các ngõ khu vực trũng thấp An Lư ngập úng sâu, nước rút rất chậm.",
            "Cứ mưa lớn khoảng một tiếng là khu vực An Lư ngập úng, nước tràn vào nhà, bà con"
            " phải kê đồ lên cao.",
            "Cống thoát nước khu vực An Lư nhỏ và bị bồi lắng nên mỗi trận mưa lớn lại ngập úng"
            " nhiều ngày.",
            "Người dân khu vực An Lư lo lắng mùa mưa bão năm nay ngập úng nặng hơn vì cống thoát"
            " nước chưa được nạo vét.",
            "Đề nghị nạo vét cống thoát nước khu vực An Lư trước mùa mưa lớn để hết cảnh ngập úng.",
            "Sau trận mưa lớn đêm qua nhiều ngõ ở khu vực An Lư ngập úng ngang đầu gối, xe máy"
            " chết máy giữa đường.",
        ],
        "stream_words": ["ngap", "mua lon"],
        "plan": {"owner": "ubnd-phuong", "steps": [("assign", 30, 12)]},
    },
    {
        "key": "gpmb", "topic": "Kinh tế - xã hội", "per_week": 2.4, "newest": 4,
        "since": dt.date(2025, 3, 1),  # the riverside road's land clearance was announced
        "channels": {RESIDENTIAL: 4, COLLABORATOR: 2, SOCIAL: 2, PRESS: 1, FRONT: 2},
        "attitudes": {"ban_khoan": 5, "buc_xuc": 3, "phan_doi": 2, "dong_tinh": 1},
        "groups": ["Nông dân", "Người cao tuổi, hưu trí", "Tiểu thương"],
        "areas": "th",
        "texts": [
            "Các hộ có đất bị thu hồi làm đường ven sông Cấm băn khoăn về đơn giá bồi thường"
            " giải phóng mặt bằng.",
            "Giá đất tính bồi thường giải phóng mặt bằng đường ven sông Cấm thấp hơn nhiều so với"
            " giá mua bán thực tế, nhiều hộ chưa đồng ý.",
            "Người dân mong phương án bồi thường, hỗ trợ, tái định cư đường ven sông Cấm được công"
            " khai, niêm yết tại tổ dân phố.",
            "Việc giải phóng mặt bằng đường ven sông Cấm kéo dài, các hộ trong diện thu hồi đất"
            " không dám sửa chữa nhà cửa.",
            "Đồng tình với chủ trương làm đường ven sông Cấm nhưng đề nghị bồi thường thỏa đáng và"
            " sớm bố trí tái định cư cho các hộ bị thu hồi đất.",
            "Một số hộ phản đối phương án bồi thường giải phóng mặt bằng đường ven sông Cấm, đề"
            " nghị tổ chức đối thoại trực tiếp.",
        ],
        "stream_words": ["ven song", "giai phong mat bang"], "latent_share": 0.3,
        "plan": {"owner": "ubnd-phuong", "steps": [("watch", 62), ("assign", 21, -3)]},
    },
    {
        "key": "ten_phuong", "topic": "Chính quyền", "per_week": 2.6, "newest": 8,
        "since": WARD_FORMED,
        "channels": {RESIDENTIAL: 4, COLLABORATOR: 3, SOCIAL: 2, PUBLIC: 3, FRONT: 1},
        "attitudes": {"ban_khoan": 6, "dong_tinh": 2, "buc_xuc": 1},
        "groups": ["Người cao tuổi, hưu trí", "Cán bộ, đảng viên", "Doanh nhân"],
        "areas": "any",
        "texts": [
            "Người dân hỏi sau sáp nhập có phải làm lại căn cước và sổ đỏ theo tên phường mới"
            " không.",
            "Sau sáp nhập, địa chỉ trên căn cước và giấy chứng nhận quyền sử dụng đất vẫn ghi tên"
            " phường cũ, bà con hỏi có phải làm lại giấy tờ theo tên phường mới không.",
            "Nhiều hộ kinh doanh băn khoăn có phải đổi giấy phép kinh doanh sang tên phường mới sau"
            " sáp nhập không, làm lại có mất phí không.",
            "Bà con mong được hướng dẫn cụ thể việc cập nhật địa chỉ tên phường mới trên căn cước,"
            " sổ đỏ sau sáp nhập, tránh mỗi nơi trả lời một kiểu.",
            "Người cao tuổi lo phải đi lại nhiều lần để sửa địa chỉ theo tên phường mới trên giấy"
            " tờ sau sáp nhập.",
            "Có tin đồn sau sáp nhập phải làm lại toàn bộ sổ đỏ theo tên phường mới và nộp phí,"
            " người dân hoang mang.",
        ],
        "stream_words": ["sap nhap", "dia chi"],
        "plan": {"owner": "ubnd-phuong",
                 "steps": [("watch", 75), ("assign", 50, -20), ("resolve", 16), ("answer", 12)]},
    },
    {
        "key": "gia_dien", "topic": "Đời sống", "per_week": 1.2, "newest": 3,
        "months": {5: 1.6, 6: 2, 7: 2.2, 8: 2, 9: 1.5},  # the bills of the hot months
        "channels": {RESIDENTIAL: 4, COLLABORATOR: 3, SOCIAL: 3, PUBLIC: 1, FRONT: 1},
        "attitudes": {"ban_khoan": 5, "buc_xuc": 4},
        "groups": ["Công nhân", "Người cao tuổi, hưu trí", "Phụ nữ"],
        "areas": "any",
        "texts": [
            "Hóa đơn tiền điện tháng này tăng cao bất thường, người dân băn khoăn về cách tính giá"
            " điện bậc thang.",
            "Tiền điện tháng này của nhiều hộ tăng gần gấp đôi dù dùng như mọi tháng, bà con nghi"
            " công tơ điện chạy sai.",
            "Người dân chưa hiểu cách tính giá điện bậc thang, đề nghị ngành điện giải thích vì sao"
            " hóa đơn tiền điện tăng cao.",
            "Công nhân thuê trọ bị chủ nhà thu tiền điện 4.000 đồng một số, cao hơn giá điện quy"
            " định.",
            "Giá điện điều chỉnh tăng trong khi thu nhập không tăng, nhiều gia đình lo hóa đơn tiền"
            " điện mùa nắng nóng.",
        ],
        "stream_words": ["gia dien", "tien dien"],
        "plan": {"owner": "ubnd-phuong", "steps": [("assign", 25, 8), ("resolve", 4)]},
    },
    {
        "key": "hoc_phi", "topic": "Giáo dục", "per_week": 0.25, "newest": 20,
        "months": {5: 3, 6: 4, 8: 18, 9: 12, 10: 3},  # enrolment, then the start of the school year
        "channels": {RESIDENTIAL: 3, COLLABORATOR: 3, SOCIAL: 3, PUBLIC: 3},
        "attitudes": {"ban_khoan": 5, "buc_xuc": 3, "dong_tinh": 1},
        "groups": ["Phụ nữ", "Công nhân", "Học sinh, sinh viên"],
        "areas": "any",
        "texts": [
            "Phụ huynh hỏi năm học này học phí THCS có được miễn không mà nhà trường vẫn thu nhiều"
            " khoản đầu năm học.",
            "Phụ huynh băn khoăn học phí đã được miễn nhưng các khoản thu đầu năm học vẫn nhiều,"
            " không rõ khoản nào bắt buộc.",
            "Đầu năm học nhà trường thu nhiều khoản ngoài học phí như quỹ lớp, tiền điều hòa, phụ"
            " huynh đề nghị công khai các khoản thu.",
            "Có phụ huynh phản ánh ban đại diện cha mẹ học sinh vận động đóng góp đầu năm học quá"
            " mức, đề nghị làm rõ các khoản thu.",
            "Phụ huynh đồng tình chính sách miễn học phí nhưng mong các khoản thu đầu năm học được"
            " công khai, minh bạch.",
        ],
        "stream_words": ["hoc phi", "khoan thu"],
        "plan": {"owner": "truong-thcs-hoa-binh",
                 "steps": [("assign", 60, -35), ("resolve", 34), ("answer", 30), ("close", 10)]},
    },
    {
        "key": "bhyt", "topic": "Y tế", "per_week": 1.8, "newest": 2, "months": {1: 1.4, 12: 1.4},
        "channels": {RESIDENTIAL: 4, COLLABORATOR: 3, FRONT: 2, PUBLIC: 1},
        "attitudes": {"ban_khoan": 6, "buc_xuc": 2, "dong_tinh": 1},
        "groups": ["Người cao tuổi, hưu trí", "Nông dân", "Phụ nữ"],
        "areas": "th",
        "texts": [
            "Người dân lo mức đóng bảo hiểm y tế hộ gia đình tăng, nhiều hộ chưa gia hạn thẻ bảo"
            " hiểm y tế.",
            "Nhiều hộ khó khăn chưa gia hạn thẻ bảo hiểm y tế hộ gia đình vì mức đóng tăng, mong"
            " được hỗ trợ.",
            "Người cao tuổi chưa biết cách gia hạn thẻ bảo hiểm y tế trên ứng dụng, đề nghị hướng"
            " dẫn tại tổ dân phố.",
            "Bà con phản ánh khám chữa bệnh bằng thẻ bảo hiểm y tế ở tuyến trên phải chờ lâu, thủ"
            " tục chuyển tuyến còn phiền hà.",
        ],
        "stream_words": ["bao hiem y te"],
        "plan": {"owner": "tram-y-te", "steps": [("watch", 30)]},
    },
    {
        "key": "an_ninh", "topic": "Trật tự an toàn xã hội", "per_week": 1.8, "newest": 2,
        "tet": 1.8,  # thefts before Tết
        "channels": {RESIDENTIAL: 4, COLLABORATOR: 4, SOCIAL: 2, PUBLIC: 2},
        "attitudes": {"buc_xuc": 5, "ban_khoan": 5},
        "groups": ["Người cao tuổi, hưu trí", "Phụ nữ", "Thanh niên"],
        "areas": "hb",
        "texts": [
            "Trộm cắp xe máy ban đêm xảy ra nhiều lần ở khu dân cư Hòa Bình, người dân lo lắng.",
            "Đêm qua lại mất trộm xe máy để trong sân ở khu dân cư Hòa Bình, bà con mong công an"
            " tăng tuần tra ban đêm.",
            "Tình trạng trộm cắp xe máy, trộm chó ban đêm ở khu dân cư Hòa Bình tái diễn, đề nghị"
            " lắp thêm camera an ninh.",
            "Nhóm thanh niên lạ tụ tập ban đêm, sau đó khu dân cư Hòa Bình có nhà bị trộm xe máy,"
            " người dân lo lắng.",
        ],
        "stream_words": ["trom", "tuan tra"],
        "plan": {"owner": "cong-an-phuong", "steps": [("assign", 35, -8)]},
    },
    {
        # The surge of the last three days: a wave of scam calls using the merger as a pretext.
        "key": "lua_dao", "topic": "Trật tự an toàn xã hội", "per_week": 0.4, "newest": 8,
        "since": WARD_FORMED,
        "burst": 14,
        "channels": {RESIDENTIAL: 3, COLLABORATOR: 4, SOCIAL: 4, PUBLIC: 2, PRESS: 1},
        "attitudes": {"ban_khoan": 5, "buc_xuc": 5},
        "groups": ["Người cao tuổi, hưu trí", "Phụ nữ", "Cán bộ, đảng viên"],
        "areas": "any",
        "texts": [
            "Cuộc gọi giả danh cán bộ phường đòi cập nhật định danh điện tử sau sáp nhập để lừa"
            " đảo chuyển tiền.",
            "Nhiều người nhận cuộc gọi giả danh cán bộ phường yêu cầu cài ứng dụng cập nhật định"
            " danh điện tử, đây là lừa đảo.",
            "Có người giả danh cán bộ phường gọi điện bảo cập nhật định danh điện tử theo địa chỉ"
            " mới rồi đòi mã OTP, suýt bị lừa đảo chuyển tiền.",
            "Cảnh báo cuộc gọi giả danh công an, cán bộ phường đòi cập nhật định danh điện tử, một"
            " cụ bà đã bị lừa đảo chuyển tiền.",
            "Người dân đề nghị phát loa cảnh báo lừa đảo qua cuộc gọi giả danh cán bộ phường cập"
            " nhật định danh điện tử.",
        ],
        "stream_words": ["lua dao"], "latent_share": 0.3,
        "plan": {"owner": "cong-an-phuong", "steps": []},  # just detected: the alert is new
    },
    {
        "key": "viec_lam_kcn", "topic": "Việc làm", "per_week": 1.8, "newest": 3,
        "months": {11: 1.4, 12: 1.6, 1: 1.6},  # orders fall at the end of the year
        "channels": {RESIDENTIAL: 3, COLLABORATOR: 3, SOCIAL: 3, FRONT: 3, PRESS: 1},
        "attitudes": {"ban_khoan": 6, "buc_xuc": 3},
        "groups": ["Công nhân", "Thanh niên", "Phụ nữ"],
        "areas": "any",
        "texts": [
            "Công nhân khu công nghiệp lo mất việc làm vì doanh nghiệp cắt giảm đơn hàng, giảm giờ"
            " làm.",
            "Nhiều công nhân khu công nghiệp bị giảm giờ làm, thu nhập giảm, lo không đủ tiền thuê"
            " trọ.",
            "Công nhân khu công nghiệp nghe tin doanh nghiệp sắp cắt giảm lao động, lo mất việc"
            " làm cuối năm.",
            "Đề nghị thông tin kịp thời về việc làm cho công nhân khu công nghiệp bị cho thôi việc"
            " và hướng dẫn nhận trợ cấp thất nghiệp.",
        ],
        "stream_words": ["khu cong nghiep", "viec lam"],
        "plan": {"owner": "mttq-phuong", "steps": [("assign", 18, 20)]},
    },
    {
        "key": "karaoke", "topic": "Văn hóa", "per_week": 1.0, "newest": 15, "tet": 2.0,
        "channels": {RESIDENTIAL: 4, COLLABORATOR: 2, PUBLIC: 3, SOCIAL: 1},
        "attitudes": {"buc_xuc": 7, "ban_khoan": 2},
        "groups": ["Người cao tuổi, hưu trí", "Học sinh, sinh viên"],
        "areas": "th",
        "texts": [
            "Hát karaoke bằng loa kéo gây ồn sau 22 giờ ở khu dân cư Thủy Hà.",
            "Nhiều nhà hát karaoke loa kéo đến khuya ở khu dân cư Thủy Hà, người già và trẻ nhỏ"
            " không ngủ được.",
            "Đề nghị tổ dân phố nhắc nhở các hộ hát karaoke loa kéo gây ồn sau 22 giờ ở khu dân cư"
            " Thủy Hà.",
        ],
        "stream_words": ["karaoke", "gay on"],
        "plan": {"owner": "ubnd-phuong", "steps": [("watch", 60), ("close", 12)]},
    },
    {
        # Dengue in the rainy season: the health station's work, followed by the units.
        "key": "sot_xuat_huyet", "topic": "Y tế", "per_week": 0.05, "newest": 20,
        "months": {7: 20, 8: 35, 9: 45, 10: 30, 11: 8},
        "channels": {RESIDENTIAL: 5, COLLABORATOR: 3, FRONT: 1, PUBLIC: 1},
        "attitudes": {"ban_khoan": 7, "buc_xuc": 2},
        "groups": ["Phụ nữ", "Người cao tuổi, hưu trí"],
        "areas": "any",
        "texts": [
            "Số ca sốt xuất huyết trong khu dân cư tăng, người dân đề nghị phun thuốc diệt muỗi.",
            "Trong ngõ đã có mấy người mắc sốt xuất huyết, bà con mong trạm y tế sớm phun thuốc"
            " diệt muỗi.",
            "Nhiều vũng nước đọng sau mưa, muỗi nhiều, người dân lo sốt xuất huyết lây lan, đề"
            " nghị tổng vệ sinh và phun thuốc diệt muỗi.",
            "Phụ huynh lo trẻ nhỏ mắc sốt xuất huyết khi dịch tăng, mong được hướng dẫn phòng"
            " bệnh và diệt bọ gậy.",
        ],
        "stream_words": ["sot xuat huyet"],
        "plan": {"owner": "tram-y-te", "steps": []},
    },
    {
        # Prices before Tết: every year, the weeks before the new year.
        "key": "gia_ca_tet", "topic": "Đời sống", "per_week": 0.15, "newest": 3, "tet": 14,
        "channels": {RESIDENTIAL: 4, COLLABORATOR: 2, FRONT: 3, SOCIAL: 2},
        "attitudes": {"ban_khoan": 6, "buc_xuc": 3},
        "groups": ["Công nhân", "Tiểu thương", "Người cao tuổi, hưu trí"],
        "areas": "any",
        "texts": [
            "Giá thực phẩm ở chợ tăng mạnh trước Tết, người lao động thu nhập thấp lo chi tiêu"
            " Tết.",
            "Gần Tết giá thịt, rau và giá thực phẩm ở chợ tăng vọt, công nhân thuê trọ lo không"
            " đủ tiền sắm Tết.",
            "Người dân phản ánh một số hàng quán tự ý tăng giá dịp Tết, đề nghị kiểm tra niêm yết"
            " giá thực phẩm.",
            "Hưu trí lương thấp lo giá cả dịp Tết tăng cao, mong có điểm bán hàng bình ổn giá.",
        ],
        "stream_words": ["gia thuc pham", "gia ca"],
        "plan": {"owner": "ubnd-phuong", "steps": []},
    },
    {
        # The topic rising in the last three weeks: the tap water of Thủy Hà, cut and cloudy.
        "key": "nuoc_sach", "topic": "Đời sống", "per_week": 0.2, "newest": 0,
        "role": "rising", "labelled": 1.0,
        "channels": {RESIDENTIAL: 4, COLLABORATOR: 3, SOCIAL: 4, PUBLIC: 3, FRONT: 1},
        "attitudes": {"buc_xuc": 8, "ban_khoan": 2, "phan_doi": 1},
        "groups": ["Phụ nữ", "Người cao tuổi, hưu trí", "Công nhân"],
        "areas": "th",
        "texts": [
            "Nước máy khu vực Thủy Hà mất nước nhiều ngày, có hôm nước đục và có mùi lạ.",
            "Khu vực Thủy Hà lại mất nước từ sáng, bà con phải đi xin nước máy nấu ăn, không"
            " thấy công ty cấp nước thông báo.",
            "Nước máy ở Thủy Hà chảy ra đục ngầu, có mùi lạ, người dân không dám dùng để nấu ăn.",
            "Cả tuần nay khu vực Thủy Hà mất nước vào giờ cao điểm, nước máy yếu không lên được"
            " bồn, người dân rất bức xúc.",
            "Đề nghị công ty cấp nước kiểm tra chất lượng nước máy khu vực Thủy Hà và thông báo"
            " lịch mất nước cho dân biết.",
            "Đã đóng tiền nước đầy đủ mà khu vực Thủy Hà cứ mất nước liên tục, nước máy đục,"
            " bà con bức xúc.",
        ],
        "stream_words": ["nuoc may", "mat nuoc"],
        "plan": {"owner": "ubnd-phuong", "steps": []},  # new: the leader should look at it
    },
    {
        # The latent worry: talk of moving the temporary market of An Lư, with no issue
        # followed yet; heard by collaborators and the residential cells, rarely said openly.
        "key": "cho_tam", "topic": "Thu nhập", "per_week": 0.0, "newest": 0,
        "role": "latent", "labelled": 1.0, "latent_share": 0.6,
        "channels": {COLLABORATOR: 5, RESIDENTIAL: 3, SOCIAL: 1},
        "attitudes": {"ban_khoan": 8, "phan_doi": 1},
        "groups": ["Tiểu thương", "Phụ nữ"],
        "areas": "al",
        "texts": [
            "Tiểu thương chợ tạm An Lư nghe tin chợ sắp bị giải tỏa, lo mất chỗ buôn bán, mất"
            " thu nhập.",
            "Bà con buôn bán ở chợ tạm An Lư bàn tán chuyện chợ sắp bị giải tỏa mà chưa thấy"
            " thông báo, lo không biết chuyển đi đâu.",
            "Nhiều hộ tiểu thương chợ tạm An Lư lo thu nhập cả nhà trông vào sạp hàng, nếu chợ"
            " bị giải tỏa thì không biết làm gì.",
            "Có người nói chợ tạm An Lư sẽ giải tỏa sau Tết để làm bãi xe, tiểu thương lo lắng"
            " nhưng chưa ai dám hỏi phường.",
        ],
        "stream_words": ["cho tam"],
        "plan": {"owner": "ubnd-phuong", "steps": []},  # no issue followed yet
    },
]

# How people open a sentence, by channel ("" keeps the sentence as it is).
OPENERS = {
    RESIDENTIAL: ["", "", "Nhân dân phản ánh ", "Tại buổi sinh hoạt tổ dân phố, bà con nêu ",
                  "Qua nắm tình hình tại khu dân cư, "],
    COLLABORATOR: ["", "", "", "Sáng nay ghi nhận ", "Nghe bà con nói "],
    SOCIAL: ["", "", "Trong nhóm cư dân có bài viết ", "Trên mạng xã hội có ý kiến "],
    PRESS: ["Báo điện tử đưa tin "],
    FRONT: ["", "Qua Ban công tác Mặt trận, ", "Hội viên phản ánh "],
    PUBLIC: ["", "Kính gửi phường, ", "Tôi xin phản ánh "],
}
CLOSERS = ["", "", "", " Đề nghị phường sớm xem xét.", " Mong được giải quyết sớm.",
           " Bà con rất mong được trả lời."]

# Telephone and ID numbers written into texts (all invented): masked before anything is stored.
PERSONAL_SNIPPETS = [
    " Có gì liên hệ tôi số 0912 {a} {b}.",
    " SĐT của tôi: 0983.{a}.{b}.",
    " Tôi là chủ hộ, CCCD số 0310{c}, sẵn sàng làm việc với phường.",
    " Gọi cho em theo số 0369{a}{b} nha.",
    " Số căn cước của tôi 0310{c} để phường tra cứu.",
]

# Teen-code people type on their phones, applied word by word to a text without diacritics.
TEENCODE = {
    "khong": "ko", "Khong": "Ko", "duoc": "dc", "gi": "j", "roi": "r", "qua": "wa",
    "biet": "bit", "vay": "z", "nguoi": "ng", "nhieu": "nhìu", "the": "thế", "voi": "vs",
    "chua": "chx", "gio": "h",
}

# Voter meetings and the dialogue (days before ``today``; the matters their points come from).
MEETINGS = [
    {
        "kind": "tiep_xuc_cu_tri", "ago": 72,
        "title": "Tiếp xúc cử tri trước kỳ họp Hội đồng nhân dân phường",
        "place": "Nhà văn hóa tổ dân phố Hòa Bình 3", "area": "hb",
        "delegates": "Đại biểu HĐND phường: ông Nguyễn Văn Thắng, bà Phạm Thị Hồng Nhung;"
        " chủ trì: Ủy ban MTTQ phường",
        "points": ["rac_cho", "rac_cho", "ten_phuong", "ten_phuong", "hoc_phi", "bhyt",
                   "gpmb", "an_ninh", "gia_dien"],
    },
    {
        "kind": "doi_thoai", "ago": 44,
        "title": "Đối thoại với các hộ có đất thu hồi làm đường ven sông Cấm",
        "place": "Hội trường Ủy ban nhân dân phường", "area": "th",
        "delegates": "Chủ tịch UBND phường, Ban bồi thường giải phóng mặt bằng, đại diện"
        " chủ đầu tư",
        "points": ["gpmb", "gpmb", "gpmb", "gpmb", "gpmb", "gpmb", "ten_phuong"],
    },
    {
        "kind": "tiep_xuc_cu_tri", "ago": 9,
        "title": "Tiếp xúc cử tri khu vực An Lư và Thủy Hà",
        "place": "Nhà văn hóa tổ dân phố An Lư 5", "area": "al",
        "delegates": "Đại biểu HĐND phường: bà Đào Thị Thu Hà, ông Mạc Đức Long",
        "points": ["ngap_ung", "ngap_ung", "ngap_ung", "viec_lam_kcn", "gia_dien", "bhyt",
                   "an_ninh", "karaoke", "rac_cho"],
    },
]

# Press and social links (the news site is invented, on the reserved .example domain).
PRESS_LINK = "https://tinhaiphong.example/xa-hoi/{slug}-{n}.html"
SOCIAL_LINK = "https://www.facebook.com/groups/cudanphuonghoabinh/posts/{n}"

# Residents who leave contact details on the public form (invented; e-mails on example.com).
PUBLIC_IPS = [f"203.0.113.{n}" for n in range(10, 250, 7)]

ANSWERS = {
    "ten_phuong": {
        "kind": "giai_thich",
        "title": "Không bắt buộc làm lại căn cước, sổ đỏ khi đổi tên phường sau sắp xếp",
        "body": (
            "Sau khi sắp xếp đơn vị hành chính, căn cước, giấy chứng nhận quyền sử dụng đất và"
            " các giấy tờ đã cấp vẫn có giá trị sử dụng; người dân không bắt buộc phải làm lại"
            " giấy tờ chỉ vì thay đổi tên phường.\n\n"
            "Khi có nhu cầu cấp đổi, cơ quan chức năng thực hiện cập nhật địa chỉ mới và không"
            " thu phí, lệ phí đối với trường hợp thay đổi do sắp xếp đơn vị hành chính. Thông tin"
            " “phải làm lại toàn bộ sổ đỏ và nộp phí” là không đúng.\n\n"
            "Mọi vướng mắc xin liên hệ Trung tâm phục vụ hành chính công phường trong giờ hành"
            " chính."
        ),
    },
    "hoc_phi": {
        "kind": "tra_loi",
        "title": "Trả lời phụ huynh về học phí và các khoản thu đầu năm học",
        "body": (
            "Từ năm học này, học sinh THCS công lập được miễn học phí theo quy định. Các khoản"
            " thu khác chỉ được thu theo thỏa thuận, trên tinh thần tự nguyện và phải công khai"
            " trước khi thu; ban đại diện cha mẹ học sinh không được ép đóng góp.\n\n"
            "Trường THCS Hòa Bình đã niêm yết danh mục, mức thu từng khoản tại bảng tin nhà"
            " trường và trả lại các khoản đã thu chưa đúng. Phụ huynh có thể phản ánh trực tiếp"
            " với nhà trường hoặc qua trang góp ý của phường."
        ),
    },
}
