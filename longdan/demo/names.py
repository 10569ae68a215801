"""Data of the demo ward (phường Hòa Bình, thành phố Hải Phòng): names, units, opinion streams.

Everything here is invented but plausible: people's names are drawn from common Vietnamese family
names, middle names and given names; units and residential groups carry the place names of the
three former wards (Hòa Bình cũ, An Lư, Thủy Hà) that residents still use. No real person is meant.
"""

from __future__ import annotations

# --- People -----------------------------------------------------------------------------------

# Family names with rough weights (Nguyễn, Trần, Lê, Phạm dominate nationwide; Mạc, Đào, Nhữ and
# Vũ are common around Thủy Nguyên).
FAMILY_NAMES = [
    ("Nguyễn", 30), ("Trần", 10), ("Lê", 8), ("Phạm", 9), ("Vũ", 7), ("Hoàng", 4), ("Đỗ", 4),
    ("Bùi", 4), ("Đặng", 3), ("Ngô", 2), ("Đào", 4), ("Mạc", 3), ("Dương", 2), ("Lương", 2),
    ("Đinh", 2), ("Phan", 2), ("Trịnh", 2), ("Hà", 1), ("Nhữ", 1), ("Cao", 1),
]
MIDDLE_NAMES_MALE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Xuân", "Ngọc",
                     "Công", "Mạnh", "Duy", "Trọng", "Tiến", "Hồng", "Đình", "Bá"]
MIDDLE_NAMES_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Phương",
                       "Thùy", "Kim", "Bích", "Mai", "Hải"]
GIVEN_NAMES_MALE = ["Hùng", "Dũng", "Tuấn", "Hải", "Long", "Nam", "Sơn", "Thắng", "Cường", "Hiếu",
                    "Khánh", "Trung", "Quân", "Phong", "Tùng", "Bình", "Toàn", "Đạt", "Thịnh",
                    "Vinh", "Lâm", "Huy", "Hưng", "Tài", "Kiên", "Chiến", "Thuận", "Lợi", "Tâm"]
GIVEN_NAMES_FEMALE = ["Hoa", "Lan", "Hương", "Hà", "Hằng", "Huyền", "Nga", "Thảo", "Trang",
                      "Linh", "Phương", "Dung", "Yến", "Loan", "Thủy", "Nhung", "Mai", "Hạnh",
                      "Oanh", "Vân", "Liên", "Tuyết", "Giang", "Ngân", "Hiền", "Quyên"]

# --- The ward ---------------------------------------------------------------------------------

WARD_NAME = "Đảng ủy phường Hòa Bình"
WARD_CODE = "dang-uy-phuong-hoa-binh"
OFFICE = ("ban-xay-dung-dang", "Ban Xây dựng Đảng")
AGENCIES = [
    # (code, name, kind, username of the responsible person)
    ("hdnd-phuong", "Hội đồng nhân dân phường", "hdnd", "hdnd"),
    ("ubnd-phuong", "Ủy ban nhân dân phường", "ubnd", "ubnd"),
    ("mttq-phuong", "Ủy ban Mặt trận Tổ quốc Việt Nam phường", "mttq", "mttq"),
]
MASS_ORGS = [
    ("hoi-ccb", "Hội Cựu chiến binh phường", "ccb"),
    ("hoi-lhpn", "Hội Liên hiệp Phụ nữ phường", "phunu"),
    ("doan-tn", "Đoàn Thanh niên Cộng sản Hồ Chí Minh phường", "doantn"),
    ("hoi-nong-dan", "Hội Nông dân phường", "nongdan"),
]
FORMER_WARDS = ["Hòa Bình cũ", "An Lư", "Thủy Hà"]
# Residential groups per former ward, and how many residential Party cells share them.
# The prefix is the place name residents use; "Hòa Bình cũ" shows as "Hòa Bình" in group names.
RESIDENTIAL = [
    # (former ward, place in names, code prefix, groups, cells)
    ("Hòa Bình cũ", "Hòa Bình", "hb", 26, 16),
    ("An Lư", "An Lư", "al", 22, 13),
    ("Thủy Hà", "Thủy Hà", "th", 16, 10),
]
NEW_TOWN = ("Khu đô thị Bắc Sông Cấm", "kdc-bac-song-cam")  # cell opened during the demo window
# The last Thủy Hà cell merges into the one before it during the window (sáp nhập).
NO_RESPONSIBLE = {"kdc-al-11", "kdc-hb-14", "hop-tac-xa-an-lu"}

OTHER_UNITS = [
    # (code, name, kind, group) — group steers which opinion streams the unit reports
    ("truong-mn-hoa-binh", "Chi bộ Trường Mầm non Hòa Bình", "chi_bo", "school"),
    ("truong-mn-an-lu", "Chi bộ Trường Mầm non An Lư", "chi_bo", "school"),
    ("truong-th-hoa-binh", "Chi bộ Trường Tiểu học Hòa Bình", "chi_bo", "school"),
    ("truong-th-thuy-ha", "Chi bộ Trường Tiểu học Thủy Hà", "chi_bo", "school"),
    ("truong-thcs-hoa-binh", "Chi bộ Trường THCS Hòa Bình", "chi_bo", "school"),
    ("truong-thcs-an-lu", "Chi bộ Trường THCS An Lư", "chi_bo", "school"),
    ("tram-y-te", "Chi bộ Trạm Y tế phường", "chi_bo", "health"),
    ("cong-an-phuong", "Chi bộ Công an phường", "chi_bo", "police"),
    ("quan-su-phuong", "Chi bộ Quân sự phường", "chi_bo", "military"),
    ("co-quan-dang-doan-the", "Chi bộ Cơ quan Đảng – Mặt trận – đoàn thể phường", "chi_bo",
     "office"),
    ("co-quan-ubnd", "Chi bộ Cơ quan Ủy ban nhân dân phường", "chi_bo", "office"),
    ("db-dong-tau-song-cam", "Đảng bộ Công ty Cổ phần Đóng tàu Sông Cấm", "dang_bo",
     "enterprise"),
    ("db-vlxd-an-lu", "Đảng bộ Công ty Cổ phần Vật liệu xây dựng An Lư", "dang_bo",
     "enterprise"),
    ("db-co-khi-thuy-ha", "Đảng bộ Công ty TNHH Cơ khí chính xác Thủy Hà", "dang_bo",
     "enterprise"),
    ("moi-truong-hoa-binh", "Chi bộ Công ty Cổ phần Môi trường đô thị Hòa Bình", "chi_bo",
     "enterprise"),
    ("hop-tac-xa-an-lu", "Chi bộ Hợp tác xã Dịch vụ nông nghiệp An Lư", "chi_bo",
     "enterprise"),
]
POPULATION = 47_168
PARTY_MEMBERS = 1_204

# --- What reporters write ---------------------------------------------------------------------

# Unit groups: "residential", "school", "health", "police", "military", "office", "enterprise".
ALL = ("residential", "school", "health", "police", "military", "office", "enterprise")

STREAMS = [
    {
        "key": "rac_thai", "topic": "Môi trường", "weight": 5,
        "groups_of_units": ("residential", "enterprise", "office"),
        "summaries": [
            "Nhân dân {area} phản ánh rác thải sinh hoạt tồn đọng tại điểm tập kết đầu ngõ, xe"
            " thu gom không đến đúng lịch, bốc mùi nhất là những ngày nắng nóng.",
            "Nhiều hộ dân {area} băn khoăn về mức thu phí vệ sinh môi trường mới trong khi tần"
            " suất thu gom rác chưa tăng tương ứng.",
            "Người dân bức xúc vì tình trạng đổ trộm phế thải xây dựng ra ven đường và bờ mương"
            " gần {area}, gây mất mỹ quan và cản trở dòng chảy.",
        ],
        "attitudes": [("buc_xuc", 5), ("ban_khoan", 4), ("phan_doi", 1)],
        "reaches": [("nhieu_y_kien", 5), ("mot_so_y_kien", 4), ("da_so", 1)],
        "social_groups": ["Người cao tuổi, hưu trí", "Phụ nữ", "Tiểu thương"],
        "channels": [("khu_dan_cu", 5), ("cong_tac_vien", 3), ("mang_xa_hoi", 2)],
        "latent": 0.05,
        "proposal": "Đề nghị UBND phường chỉ đạo đơn vị thu gom bố trí lịch thu gom rác cố định,"
        " tăng chuyến vào ngày cao điểm và xử lý nghiêm việc đổ phế thải trái phép.",
    },
    {
        "key": "ngap_ung", "topic": "Môi trường", "weight": 3, "boost_months": (5, 6, 7, 8, 9, 10),
        "groups_of_units": ("residential",),
        "summaries": [
            "Mỗi khi mưa lớn, nhiều ngõ ở {area} ngập sâu 30–40 cm, nước rút chậm do cống thoát"
            " nước cũ, nhỏ và bị bồi lắng; người dân phải kê đồ đạc lên cao.",
            "Nhân dân khu vực trũng thấp ven sông Cấm thuộc {area} lo lắng mùa mưa bão năm nay có"
            " nguy cơ ngập úng, sạt lở bờ sông.",
        ],
        "attitudes": [("buc_xuc", 5), ("ban_khoan", 5)],
        "reaches": [("nhieu_y_kien", 5), ("da_so", 2), ("mot_so_y_kien", 3)],
        "social_groups": ["Người cao tuổi, hưu trí", "Tiểu thương", "Phụ nữ"],
        "channels": [("khu_dan_cu", 5), ("tiep_xuc_cu_tri", 3), ("cong_tac_vien", 2)],
        "latent": 0.1,
        "proposal": "Đề nghị nạo vét, cải tạo hệ thống cống thoát nước tại các ngõ trũng thấp"
        " trước mùa mưa bão và có phương án bơm tiêu úng cục bộ.",
    },
    {
        "key": "gpmb", "topic": "Kinh tế - xã hội", "weight": 3,
        "groups_of_units": ("residential", "office"),
        "summaries": [
            "Các hộ có đất bị thu hồi để mở rộng tuyến đường ven sông Cấm (đoạn qua {area}) băn"
            " khoăn về đơn giá bồi thường, hỗ trợ và thời gian bố trí tái định cư.",
            "Một số hộ ở {area} chưa đồng thuận với phương án bồi thường giải phóng mặt bằng đường"
            " ven sông, cho rằng giá đất tính bồi thường thấp hơn giá giao dịch thực tế.",
            "Người dân {area} đồng tình với chủ trương làm đường ven sông nhưng mong tiến độ giải"
            " phóng mặt bằng công khai, không để kéo dài ảnh hưởng đến việc sửa chữa nhà cửa.",
        ],
        "attitudes": [("ban_khoan", 5), ("buc_xuc", 3), ("phan_doi", 1), ("dong_tinh", 1)],
        "reaches": [("mot_so_y_kien", 5), ("nhieu_y_kien", 4)],
        "social_groups": ["Nông dân", "Người cao tuổi, hưu trí", "Tiểu thương"],
        "channels": [("tiep_xuc_cu_tri", 4), ("doi_thoai", 2), ("khu_dan_cu", 4)],
        "latent": 0.35,
        "proposal": "Đề nghị công khai phương án bồi thường, hỗ trợ, tái định cư tuyến đường ven"
        " sông và tổ chức đối thoại trực tiếp với các hộ có đất bị thu hồi.",
    },
    {
        "key": "sap_nhap", "topic": "Chính quyền", "weight": 4,
        "groups_of_units": ALL,
        "summaries": [
            "Nhân dân cơ bản đồng tình với việc sắp xếp đơn vị hành chính và mô hình chính quyền"
            " địa phương hai cấp; bộ máy phường mới vận hành ổn định, giải quyết thủ tục thuận"
            " lợi.",
            "Người dân khu vực {former} còn băn khoăn về việc thay đổi địa chỉ trên căn cước, giấy"
            " chứng nhận quyền sử dụng đất, giấy phép kinh doanh sau sáp nhập và mong được hướng"
            " dẫn cụ thể, không mất phí.",
            "Một bộ phận cán bộ hưu trí và người dân {former} còn tâm tư vì địa danh cũ không còn"
            " trong tên đơn vị hành chính, mong địa danh được giữ trong tên tổ dân phố, tên đường.",
        ],
        "attitudes": [("dong_tinh", 5), ("ban_khoan", 4)],
        "reaches": [("da_so", 4), ("nhieu_y_kien", 3), ("mot_so_y_kien", 3)],
        "social_groups": ["Cán bộ, đảng viên", "Người cao tuổi, hưu trí", "Cựu chiến binh"],
        "channels": [("khu_dan_cu", 4), ("tiep_xuc_cu_tri", 3), ("mttq", 2)],
        "latent": 0.1,
        "proposal": "Đề nghị hướng dẫn thống nhất việc cập nhật địa chỉ mới trên giấy tờ của"
        " công dân, tổ chức sau sắp xếp đơn vị hành chính, không thu phí.",
    },
    {
        "key": "hanh_chinh_cong", "topic": "Chính quyền", "weight": 2,
        "groups_of_units": ("residential", "office", "enterprise"),
        "summaries": [
            "Nhân dân đánh giá Trung tâm phục vụ hành chính công phường giải quyết hồ sơ nhanh,"
            " cán bộ niềm nở; tuy nhiên người cao tuổi còn lúng túng khi nộp hồ sơ trực tuyến.",
            "Một số người dân phản ánh hệ thống dịch vụ công trực tuyến có lúc chậm, phải đi lại"
            " nhiều lần để bổ sung giấy tờ.",
        ],
        "attitudes": [("dong_tinh", 5), ("ban_khoan", 4), ("buc_xuc", 1)],
        "reaches": [("nhieu_y_kien", 4), ("mot_so_y_kien", 4), ("da_so", 2)],
        "social_groups": ["Người cao tuổi, hưu trí", "Doanh nhân"],
        "channels": [("khu_dan_cu", 4), ("doi_thoai", 2), ("cong_tac_vien", 2)],
        "latent": 0.0,
        "proposal": "Đề nghị Đoàn Thanh niên phường duy trì tổ công nghệ số cộng đồng hỗ trợ"
        " người dân thao tác dịch vụ công trực tuyến tại tổ dân phố.",
    },
    {
        "key": "gia_dien", "topic": "Đời sống", "weight": 3, "boost_months": (5, 6, 7, 8, 9),
        "groups_of_units": ("residential", "enterprise", "health"),
        "summaries": [
            "Nhiều hộ gia đình {area} phản ánh hóa đơn tiền điện những tháng nắng nóng tăng cao so"
            " với cùng kỳ, băn khoăn về cách tính giá điện bậc thang và việc điều chỉnh giá điện.",
            "Người dân thuê trọ là công nhân bị chủ nhà tính giá điện cao hơn quy định, mong được"
            " kiểm tra, xử lý.",
        ],
        "attitudes": [("ban_khoan", 5), ("buc_xuc", 4)],
        "reaches": [("nhieu_y_kien", 5), ("da_so", 2), ("mot_so_y_kien", 3)],
        "social_groups": ["Công nhân", "Người cao tuổi, hưu trí", "Phụ nữ"],
        "channels": [("khu_dan_cu", 4), ("mang_xa_hoi", 3), ("cong_tac_vien", 2)],
        "latent": 0.15,
        "proposal": "Đề nghị ngành điện tuyên truyền rõ cách tính giá điện bậc thang, kiểm tra"
        " công tơ khi người dân kiến nghị và xử lý việc thu tiền điện phòng trọ sai quy định.",
    },
    {
        "key": "gia_ca", "topic": "Đời sống", "weight": 2, "boost_months": (12, 1, 2),
        "groups_of_units": ("residential", "enterprise", "office"),
        "summaries": [
            "Giá thực phẩm, xăng dầu và một số mặt hàng thiết yếu tăng, ảnh hưởng đến đời sống của"
            " người lao động thu nhập thấp và người hưởng lương hưu.",
            "Tiểu thương chợ {place} phản ánh sức mua giảm, hàng hóa bán chậm; lo ngại hàng giả,"
            " hàng kém chất lượng bán tràn lan trên mạng.",
        ],
        "attitudes": [("ban_khoan", 6), ("buc_xuc", 2)],
        "reaches": [("nhieu_y_kien", 4), ("mot_so_y_kien", 4), ("da_so", 2)],
        "social_groups": ["Công nhân", "Tiểu thương", "Người cao tuổi, hưu trí"],
        "channels": [("khu_dan_cu", 4), ("mttq", 3), ("cong_tac_vien", 2)],
        "latent": 0.1,
        "proposal": "Đề nghị tăng cường kiểm tra giá cả, chất lượng hàng hóa tại chợ và các điểm"
        " kinh doanh trên địa bàn.",
    },
    {
        "key": "bhyt", "topic": "Y tế", "weight": 3,
        "groups_of_units": ("residential", "health", "enterprise"),
        "summaries": [
            "Người dân quan tâm đến việc gia hạn thẻ bảo hiểm y tế hộ gia đình khi mức đóng tăng"
            " theo lương cơ sở; một số hộ cận nghèo ở {area} lo không đủ khả năng đóng cho cả nhà.",
            "Nhân dân phản ánh khám chữa bệnh bảo hiểm y tế ở bệnh viện tuyến trên còn phải chờ"
            " lâu, thiếu một số loại thuốc phải tự mua ngoài.",
            "Người dân phấn khởi vì Trạm Y tế phường được bổ sung trang thiết bị, khám chữa bệnh"
            " bảo hiểm y tế ban đầu thuận tiện hơn.",
        ],
        "attitudes": [("ban_khoan", 5), ("buc_xuc", 2), ("dong_tinh", 3)],
        "reaches": [("nhieu_y_kien", 4), ("mot_so_y_kien", 4), ("da_so", 2)],
        "social_groups": ["Người cao tuổi, hưu trí", "Nông dân", "Phụ nữ"],
        "channels": [("khu_dan_cu", 4), ("mttq", 3), ("tiep_xuc_cu_tri", 2)],
        "latent": 0.05,
        "proposal": "Đề nghị phối hợp Bảo hiểm xã hội hướng dẫn gia hạn thẻ bảo hiểm y tế và vận"
        " động hỗ trợ mức đóng cho hộ cận nghèo.",
    },
    {
        "key": "sot_xuat_huyet", "topic": "Y tế", "weight": 2, "boost_months": (7, 8, 9, 10),
        "groups_of_units": ("residential", "health", "school"),
        "summaries": [
            "Nhân dân lo lắng trước số ca mắc sốt xuất huyết tăng vào mùa mưa, mong được phun"
            " hóa chất diệt muỗi và tổng vệ sinh môi trường tại {area}.",
        ],
        "attitudes": [("ban_khoan", 7), ("buc_xuc", 1)],
        "reaches": [("nhieu_y_kien", 4), ("mot_so_y_kien", 5)],
        "social_groups": ["Phụ nữ", "Người cao tuổi, hưu trí"],
        "channels": [("khu_dan_cu", 5), ("mttq", 2)],
        "latent": 0.0,
        "proposal": "Đề nghị Trạm Y tế phối hợp các tổ dân phố phát động tổng vệ sinh, diệt bọ"
        " gậy và phun hóa chất tại các ổ dịch.",
    },
    {
        "key": "hoc_phi", "topic": "Giáo dục", "weight": 3, "boost_months": (5, 6, 8, 9),
        "groups_of_units": ("school", "residential"),
        "summaries": [
            "Phụ huynh phấn khởi trước chính sách miễn học phí cho học sinh công lập từ mầm non"
            " đến hết trung học phổ thông; tuy nhiên còn băn khoăn về các khoản thu ngoài học phí"
            " đầu năm học.",
            "Phụ huynh lo lắng về chỉ tiêu tuyển sinh vào lớp 10 công lập, áp lực học thêm và chi"
            " phí học thêm ngày càng cao.",
            "Phụ huynh học sinh {school} phản ánh sĩ số lớp đông do dân số cơ học tăng, mong được"
            " đầu tư thêm phòng học và giáo viên.",
        ],
        "attitudes": [("dong_tinh", 4), ("ban_khoan", 5), ("buc_xuc", 1)],
        "reaches": [("da_so", 3), ("nhieu_y_kien", 4), ("mot_so_y_kien", 3)],
        "social_groups": ["Phụ nữ", "Học sinh, sinh viên", "Trí thức"],
        "channels": [("khu_dan_cu", 3), ("mttq", 2), ("mang_xa_hoi", 2), ("khac", 1)],
        "latent": 0.05,
        "proposal": "Đề nghị các nhà trường công khai các khoản thu đầu năm học, không vận động"
        " thu ngoài quy định; xem xét đầu tư bổ sung phòng học.",
    },
    {
        "key": "an_ninh", "topic": "Trật tự an toàn xã hội", "weight": 3,
        "groups_of_units": ("residential", "police", "military"),
        "summaries": [
            "Nhân dân phản ánh thanh thiếu niên tụ tập, đi xe máy tốc độ cao, lạng lách vào ban"
            " đêm trên tuyến đường qua {area}, gây mất an ninh trật tự.",
            "Xuất hiện một số vụ trộm cắp tài sản (xe máy, điện thoại, gia cầm) tại {area}, người"
            " dân lo lắng.",
            "Nhân dân đồng tình với việc Công an phường ra mắt các tổ bảo vệ an ninh, trật tự ở cơ"
            " sở và lắp thêm camera an ninh tại các ngõ.",
        ],
        "attitudes": [("ban_khoan", 4), ("buc_xuc", 4), ("dong_tinh", 2)],
        "reaches": [("nhieu_y_kien", 4), ("mot_so_y_kien", 5), ("da_so", 1)],
        "social_groups": ["Người cao tuổi, hưu trí", "Phụ nữ", "Thanh niên"],
        "channels": [("khu_dan_cu", 5), ("cong_tac_vien", 3), ("tiep_xuc_cu_tri", 1)],
        "latent": 0.1,
        "proposal": "Đề nghị Công an phường tăng cường tuần tra ban đêm và lắp thêm camera an"
        " ninh tại các điểm phức tạp.",
    },
    {
        "key": "lua_dao", "topic": "Trật tự an toàn xã hội", "weight": 4,
        "groups_of_units": ALL,
        "summaries": [
            "Nhiều người, nhất là người cao tuổi ở {area}, nhận cuộc gọi mạo danh công an, cán bộ"
            " bảo hiểm xã hội, nhân viên điện lực yêu cầu cài ứng dụng, chuyển tiền; một số người"
            " đã bị lừa.",
            "Trên mạng xã hội xuất hiện các trang giả mạo tuyển cộng tác viên bán hàng trực tuyến,"
            " \"việc nhẹ lương cao\" nhắm vào học sinh, sinh viên và phụ nữ nội trợ.",
            "Người dân lo ngại lộ lọt thông tin cá nhân khi cập nhật dữ liệu dân cư, tài khoản ngân"
            " hàng, bị kẻ gian lợi dụng để lừa đảo.",
        ],
        "attitudes": [("ban_khoan", 6), ("buc_xuc", 3)],
        "reaches": [("nhieu_y_kien", 5), ("mot_so_y_kien", 3), ("da_so", 2)],
        "social_groups": ["Người cao tuổi, hưu trí", "Học sinh, sinh viên", "Phụ nữ"],
        "channels": [("mang_xa_hoi", 4), ("khu_dan_cu", 4), ("cong_tac_vien", 2)],
        "latent": 0.1,
        "proposal": "Đề nghị tăng cường tuyên truyền nhận diện thủ đoạn lừa đảo qua mạng trên loa"
        " truyền thanh và nhóm Zalo của các tổ dân phố.",
    },
    {
        "key": "viec_lam_kcn", "topic": "Việc làm", "weight": 3,
        "groups_of_units": ("residential", "enterprise"),
        "summaries": [
            "Công nhân làm việc tại các khu công nghiệp của thành phố phấn khởi vì có việc làm ổn"
            " định; tuy nhiên một số doanh nghiệp giảm đơn hàng, cắt giờ làm thêm nên thu nhập"
            " giảm.",
            "Người lao động lo lắng một số doanh nghiệp may mặc, da giày thu hẹp sản xuất, có"
            " nguy cơ mất việc vào cuối năm.",
            "Thanh niên {place} quan tâm đến các phiên giao dịch việc làm, mong có thêm lớp đào"
            " tạo nghề gắn với nhu cầu tuyển dụng của khu công nghiệp.",
        ],
        "attitudes": [("dong_tinh", 3), ("ban_khoan", 6)],
        "reaches": [("nhieu_y_kien", 4), ("mot_so_y_kien", 4), ("da_so", 2)],
        "social_groups": ["Công nhân", "Thanh niên"],
        "channels": [("khu_dan_cu", 3), ("mttq", 3), ("cong_tac_vien", 2)],
        "latent": 0.2,
        "proposal": "Đề nghị phối hợp doanh nghiệp và trung tâm dịch vụ việc làm thông tin kịp"
        " thời nhu cầu tuyển dụng, mở lớp đào tạo nghề cho lao động trên địa bàn.",
    },
    {
        "key": "thu_nhap", "topic": "Thu nhập", "weight": 2,
        "groups_of_units": ("enterprise", "office", "school"),
        "summaries": [
            "Cán bộ, người lao động phấn khởi khi lương cơ sở và lương tối thiểu vùng được điều"
            " chỉnh; mong doanh nghiệp áp dụng kịp thời và đóng bảo hiểm xã hội đầy đủ.",
            "Một số cán bộ không chuyên trách sau sắp xếp băn khoăn về chế độ, chính sách và thu"
            " nhập khi chuyển sang vị trí mới.",
        ],
        "attitudes": [("dong_tinh", 5), ("ban_khoan", 5)],
        "reaches": [("da_so", 3), ("nhieu_y_kien", 4), ("mot_so_y_kien", 3)],
        "social_groups": ["Công nhân", "Cán bộ, đảng viên"],
        "channels": [("mttq", 3), ("khu_dan_cu", 2), ("khac", 2)],
        "latent": 0.25,
        "proposal": "Đề nghị cấp có thẩm quyền sớm hướng dẫn, giải quyết chế độ đối với cán bộ"
        " không chuyên trách sau sắp xếp.",
    },
    {
        "key": "xay_dung_dang", "topic": "Xây dựng Đảng", "weight": 3,
        "groups_of_units": ALL,
        "summaries": [
            "Cán bộ, đảng viên phấn khởi, tin tưởng vào sự lãnh đạo của Đảng ủy phường; tích cực"
            " học tập, quán triệt các nghị quyết của Đảng gắn với thực tiễn của đơn vị.",
            "Một số đảng viên cao tuổi mong được xem xét miễn sinh hoạt, giảm bớt nội dung sinh"
            " hoạt chi bộ cho phù hợp với sức khỏe.",
            "Cán bộ, đảng viên quan tâm đến việc tinh gọn bộ máy và chính sách đối với người nghỉ"
            " hưu trước tuổi, nghỉ thôi việc do sắp xếp tổ chức.",
        ],
        "attitudes": [("dong_tinh", 6), ("ban_khoan", 3)],
        "reaches": [("tuyet_dai_da_so", 2), ("da_so", 4), ("mot_so_y_kien", 3)],
        "social_groups": ["Cán bộ, đảng viên", "Cựu chiến binh"],
        "channels": [("khac", 3), ("khu_dan_cu", 2), ("mttq", 1)],
        "latent": 0.05,
        "proposal": "Đề nghị Đảng ủy phường hướng dẫn việc xem xét miễn sinh hoạt đảng đối với"
        " đảng viên cao tuổi, sức khỏe yếu.",
    },
    {
        "key": "quoc_phong", "topic": "Quốc phòng - an ninh", "weight": 2,
        "boost_months": (1, 2, 12),
        "groups_of_units": ("residential", "military", "police", "office"),
        "summaries": [
            "Nhân dân đồng tình với công tác tuyển chọn, gọi công dân nhập ngũ được thực hiện công"
            " khai, dân chủ; thanh niên {place} sẵn sàng lên đường làm nghĩa vụ quân sự.",
            "Nhân dân tin tưởng vào chủ trương của Đảng, Nhà nước trong đấu tranh bảo vệ chủ quyền"
            " biển, đảo; đồng tình với việc củng cố lực lượng dân quân thường trực.",
        ],
        "attitudes": [("dong_tinh", 8), ("ban_khoan", 1)],
        "reaches": [("tuyet_dai_da_so", 3), ("da_so", 5)],
        "social_groups": ["Thanh niên", "Cựu chiến binh"],
        "channels": [("khu_dan_cu", 3), ("mttq", 2), ("bao_chi", 2)],
        "latent": 0.0,
        "proposal": "Đề nghị tiếp tục quan tâm hỗ trợ gia đình thanh niên lên đường nhập ngũ có"
        " hoàn cảnh khó khăn.",
    },
    {
        "key": "thong_tin_xau", "topic": "Quốc phòng - an ninh", "weight": 2,
        "groups_of_units": ("office", "police", "residential", "school"),
        "summaries": [
            "Trên mạng xã hội xuất hiện một số bài viết, bình luận xuyên tạc việc sắp xếp bộ máy,"
            " bố trí cán bộ sau sáp nhập; phần lớn cán bộ, đảng viên tỉnh táo nhận diện.",
            "Một số tài khoản mạng xã hội chia sẻ thông tin chưa kiểm chứng về việc thu hồi đất"
            " làm đường ven sông, gây hoang mang cho một bộ phận người dân {area}.",
        ],
        "attitudes": [("ban_khoan", 5), ("buc_xuc", 2)],
        "reaches": [("mot_so_y_kien", 7), ("nhieu_y_kien", 2)],
        "social_groups": ["Cán bộ, đảng viên", "Thanh niên"],
        "channels": [("mang_xa_hoi", 8), ("bao_chi", 1)],
        "latent": 0.6,
        "proposal": "Đề nghị kịp thời cung cấp thông tin chính thống về các chủ trương lớn trên"
        " trang thông tin điện tử và nhóm mạng xã hội của phường để định hướng dư luận.",
    },
    {
        "key": "van_hoa", "topic": "Văn hóa", "weight": 2,
        "groups_of_units": ("residential", "school", "office"),
        "summaries": [
            "Nhân dân phấn khởi với phong trào \"Toàn dân đoàn kết xây dựng đời sống văn hóa\","
            " các hoạt động văn nghệ, thể dục thể thao tại nhà văn hóa {area} diễn ra sôi nổi.",
            "Một số hộ ở {area} sử dụng loa kéo hát karaoke đến khuya, gây ồn ảnh hưởng sinh"
            " hoạt của người dân xung quanh.",
        ],
        "attitudes": [("dong_tinh", 5), ("buc_xuc", 4)],
        "reaches": [("da_so", 3), ("nhieu_y_kien", 3), ("mot_so_y_kien", 4)],
        "social_groups": ["Người cao tuổi, hưu trí", "Phụ nữ", "Thanh niên"],
        "channels": [("khu_dan_cu", 6), ("cong_tac_vien", 2)],
        "latent": 0.0,
        "proposal": "Đề nghị tổ dân phố đưa quy định về giữ trật tự, không gây ồn sau 22 giờ vào"
        " quy ước khu dân cư và xử lý các trường hợp vi phạm.",
    },
    {
        "key": "an_sinh", "topic": "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
        "weight": 2, "groups_of_units": ("residential", "office"),
        "summaries": [
            "Nhân dân đồng tình với các hoạt động an sinh xã hội do Ủy ban MTTQ phường vận động:"
            " thăm hỏi hộ nghèo, hỗ trợ xóa nhà tạm, nhà dột nát.",
            "Hội viên các đoàn thể {place} tích cực tham gia cuộc vận động \"Ngày thứ Bảy xanh\","
            " làm sạch đường làng, ngõ xóm.",
        ],
        "attitudes": [("dong_tinh", 9)],
        "reaches": [("tuyet_dai_da_so", 3), ("da_so", 5)],
        "social_groups": ["Phụ nữ", "Cựu chiến binh", "Nông dân"],
        "channels": [("mttq", 6), ("khu_dan_cu", 3)],
        "latent": 0.0,
        "proposal": "Đề nghị Ủy ban MTTQ phường tiếp tục vận động nguồn lực hỗ trợ sửa chữa nhà"
        " cho hộ nghèo, hộ có hoàn cảnh khó khăn.",
    },
    {
        "key": "ha_tang", "topic": "Kinh tế - xã hội", "weight": 2,
        "groups_of_units": ("residential", "enterprise"),
        "summaries": [
            "Tuyến đường liên tổ dân phố qua {area} xuống cấp, nhiều ổ gà; xe tải chở vật liệu xây"
            " dựng đi lại gây bụi, mất an toàn giao thông.",
            "Nhân dân {area} phấn khởi khi tuyến đường ngõ xóm được bê tông hóa, lắp đèn chiếu"
            " sáng theo phương châm Nhà nước và nhân dân cùng làm.",
        ],
        "attitudes": [("buc_xuc", 4), ("dong_tinh", 4), ("ban_khoan", 2)],
        "reaches": [("nhieu_y_kien", 4), ("mot_so_y_kien", 4), ("da_so", 2)],
        "social_groups": ["Nông dân", "Tiểu thương", "Người cao tuổi, hưu trí"],
        "channels": [("khu_dan_cu", 5), ("tiep_xuc_cu_tri", 3)],
        "latent": 0.0,
        "proposal": "Đề nghị sớm duy tu tuyến đường liên tổ dân phố, kiểm soát xe quá tải và"
        " yêu cầu xe chở vật liệu che phủ, rửa bánh.",
    },
    {
        "key": "dat_dai", "topic": "Chính quyền", "weight": 2,
        "groups_of_units": ("residential",),
        "summaries": [
            "Một số hộ dân {area} băn khoăn về thủ tục cấp giấy chứng nhận quyền sử dụng đất theo"
            " Luật Đất đai năm 2024, thời gian giải quyết còn kéo dài.",
            "Người dân phản ánh việc xây dựng lấn chiếm hành lang đê, bờ sông ở {area} chưa được"
            " xử lý dứt điểm.",
        ],
        "attitudes": [("ban_khoan", 5), ("buc_xuc", 4)],
        "reaches": [("mot_so_y_kien", 6), ("nhieu_y_kien", 3)],
        "social_groups": ["Nông dân", "Người cao tuổi, hưu trí"],
        "channels": [("tiep_xuc_cu_tri", 4), ("khu_dan_cu", 4), ("doi_thoai", 1)],
        "latent": 0.3,
        "proposal": "Đề nghị UBND phường rà soát, đẩy nhanh giải quyết hồ sơ cấp giấy chứng nhận"
        " quyền sử dụng đất tồn đọng và xử lý dứt điểm vi phạm hành lang đê.",
    },
    {
        "key": "an_toan_thuc_pham", "topic": "Y tế", "weight": 1,
        "groups_of_units": ("school", "health", "residential"),
        "summaries": [
            "Phụ huynh băn khoăn về an toàn thực phẩm tại các hàng quà vặt trước cổng {school}.",
        ],
        "attitudes": [("ban_khoan", 7), ("buc_xuc", 2)],
        "reaches": [("mot_so_y_kien", 6), ("nhieu_y_kien", 3)],
        "social_groups": ["Phụ nữ", "Học sinh, sinh viên"],
        "channels": [("khu_dan_cu", 4), ("mttq", 2)],
        "latent": 0.0,
        "proposal": "Đề nghị tăng cường kiểm tra an toàn thực phẩm đối với các điểm bán hàng"
        " quanh trường học.",
    },
    # The last months only (``last_months``), where they are heard (``former``): the tap water
    # of Thủy Hà (the topic rising in the last weeks) and the talk of moving the temporary
    # market of An Lư (the latent worry the residential cells flag).
    {
        "key": "nuoc_sach", "topic": "Đời sống", "weight": 12, "last_months": 2,
        "former": "Thủy Hà", "groups_of_units": ("residential",),
        "summaries": [
            "Nhân dân {area} bức xúc vì mất nước máy nhiều ngày, có hôm nước đục, có mùi lạ mà"
            " không được công ty cấp nước thông báo trước.",
        ],
        "attitudes": [("buc_xuc", 7), ("ban_khoan", 2)],
        "reaches": [("nhieu_y_kien", 5), ("da_so", 3)],
        "social_groups": ["Phụ nữ", "Người cao tuổi, hưu trí", "Công nhân"],
        "channels": [("khu_dan_cu", 5), ("mang_xa_hoi", 3), ("cong_tac_vien", 2)],
        "latent": 0.0,
        "proposal": "Đề nghị UBND phường làm việc với công ty cấp nước, thông báo lịch cắt nước"
        " và kiểm tra chất lượng nước máy khu vực Thủy Hà.",
    },
    {
        "key": "cho_tam", "topic": "Thu nhập", "weight": 8, "last_months": 2,
        "former": "An Lư", "groups_of_units": ("residential",),
        "summaries": [
            "Tiểu thương chợ tạm An Lư bàn tán việc chợ có thể bị giải tỏa, lo mất chỗ buôn bán"
            " và thu nhập; chưa có ý kiến chính thức nhưng tâm lý hoang mang đang lan rộng.",
        ],
        "attitudes": [("ban_khoan", 8), ("phan_doi", 1)],
        "reaches": [("mot_so_y_kien", 6), ("nhieu_y_kien", 3)],
        "social_groups": ["Tiểu thương", "Phụ nữ"],
        "channels": [("cong_tac_vien", 4), ("khu_dan_cu", 4)],
        "latent": 0.85,
        "proposal": "Đề nghị UBND phường sớm thông tin về quy hoạch chợ tạm An Lư để tiểu thương"
        " yên tâm buôn bán.",
    },
]

# Sentences for the narrative sections; {m} is the month label, {who} the unit's people.
OPENINGS = {
    "residential": [
        "Trong {m}, tình hình tư tưởng của cán bộ, đảng viên và nhân dân {where} cơ bản ổn định;"
        " {members} đảng viên của chi bộ chấp hành tốt chủ trương của Đảng, chính sách, pháp luật"
        " của Nhà nước.",
        "{m}, nhân dân {where} tin tưởng vào sự lãnh đạo của Đảng ủy và sự điều hành của chính"
        " quyền phường; đồng thuận với chủ trương sắp xếp tổ chức bộ máy và chính quyền hai cấp.",
        "Tư tưởng cán bộ, đảng viên và nhân dân {where} trong {m_lower} ổn định, đoàn kết; chi bộ"
        " duy trì sinh hoạt định kỳ với {members} đảng viên tham gia.",
    ],
    "school": [
        "Trong {m}, cán bộ, giáo viên, nhân viên nhà trường yên tâm công tác, tâm huyết với nghề;"
        " {members} đảng viên của chi bộ gương mẫu thực hiện nhiệm vụ năm học.",
        "Tư tưởng cán bộ, giáo viên và phụ huynh học sinh {m_lower} ổn định; nhà trường thực hiện"
        " nghiêm quy định về các khoản thu và dạy thêm, học thêm.",
    ],
    "health": [
        "Trong {m}, cán bộ, nhân viên y tế yên tâm công tác, thực hiện tốt khám chữa bệnh ban đầu"
        " và công tác phòng chống dịch trên địa bàn phường.",
    ],
    "police": [
        "Trong {m}, cán bộ, chiến sĩ Công an phường giữ vững bản lĩnh chính trị, tư tưởng ổn định;"
        " tình hình an ninh chính trị trên địa bàn được giữ vững.",
    ],
    "military": [
        "Trong {m}, cán bộ, chiến sĩ và lực lượng dân quân tư tưởng ổn định, sẵn sàng nhận và"
        " hoàn thành nhiệm vụ được giao.",
    ],
    "office": [
        "Trong {m}, cán bộ, công chức, người lao động cơ quan tư tưởng ổn định, thích ứng với mô"
        " hình tổ chức mới; tinh thần trách nhiệm phục vụ nhân dân được nâng lên.",
    ],
    "enterprise": [
        "Trong {m}, cán bộ, công nhân, người lao động của đơn vị có việc làm tương đối ổn định;"
        " {members} đảng viên gương mẫu, đi đầu trong sản xuất, kinh doanh.",
        "Tư tưởng người lao động {m_lower} ổn định; đơn vị bảo đảm trả lương đúng hạn, đóng bảo"
        " hiểm xã hội đầy đủ cho người lao động.",
    ],
}
MONTH_EVENTS = {
    1: "Cán bộ, đảng viên và nhân dân phấn khởi chuẩn bị đón Tết Nguyên đán; các hoạt động thăm"
       " hỏi, tặng quà gia đình chính sách, hộ nghèo được triển khai chu đáo.",
    2: "Nhân dân vui Xuân, đón Tết an toàn, tiết kiệm; các hoạt động mừng Đảng, mừng Xuân diễn"
       " ra sôi nổi.",
    3: "Các hoạt động kỷ niệm Ngày Quốc tế Phụ nữ 8/3 và ngày thành lập Đoàn 26/3 được tổ chức"
       " thiết thực.",
    4: "Nhân dân phấn khởi tham gia các hoạt động kỷ niệm Ngày Giải phóng miền Nam 30/4 và Quốc"
       " tế Lao động 1/5.",
    5: "Các hoạt động kỷ niệm Ngày sinh Chủ tịch Hồ Chí Minh 19/5 được tổ chức trang trọng, lan"
       " tỏa tinh thần học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    6: "Nhân dân quan tâm đến kỳ thi tuyển sinh vào lớp 10 và kỳ thi tốt nghiệp trung học phổ"
       " thông; hưởng ứng Ngày Gia đình Việt Nam 28/6.",
    7: "Các hoạt động tri ân nhân Ngày Thương binh – Liệt sĩ 27/7 được tổ chức chu đáo, thể hiện"
       " truyền thống \"uống nước nhớ nguồn\".",
    8: "Nhân dân phấn khởi kỷ niệm Cách mạng Tháng Tám thành công và chuẩn bị đón Quốc khánh"
       " 2/9, năm học mới.",
    9: "Lễ khai giảng năm học mới và các hoạt động mừng Quốc khánh 2/9 diễn ra trang trọng, an"
       " toàn.",
    10: "Các hoạt động kỷ niệm Ngày Phụ nữ Việt Nam 20/10 được tổ chức sôi nổi; nhân dân chủ động"
        " phòng, chống mưa bão.",
    11: "Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư và Ngày Nhà giáo Việt Nam 20/11 được tổ"
        " chức ấm cúng, thiết thực.",
    12: "Các hoạt động kỷ niệm ngày thành lập Quân đội nhân dân Việt Nam 22/12 được tổ chức"
        " trang trọng; nhân dân chuẩn bị tổng kết năm.",
}
NO_LATENT = [
    "Chưa phát hiện dư luận tiềm ẩn phức tạp trên địa bàn.",
    "Qua nắm bắt, chưa có dấu hiệu dư luận tiềm ẩn có thể gây mất ổn định.",
    "Chi bộ chưa ghi nhận dư luận tiềm ẩn đáng lo ngại trong tháng.",
]
FORECASTS = {
    "rain": "Dự báo tháng tới, mưa lớn và triều cường có thể gây ngập úng cục bộ, dư luận về"
            " thoát nước và vệ sinh môi trường sẽ tiếp tục được quan tâm.",
    "school": "Dự báo tháng tới, dư luận về các khoản thu đầu năm học và chất lượng dạy học sẽ"
              " được phụ huynh quan tâm.",
    "tet": "Dự báo dịp cuối năm và Tết Nguyên đán, dư luận tập trung vào giá cả, việc làm, thu"
           " nhập và an ninh trật tự.",
    "default": "Dự báo tháng tới, dư luận tiếp tục quan tâm đến đời sống, việc làm, môi trường"
               " và việc hoàn thiện bộ máy chính quyền phường mới.",
}
NO_PROPOSAL = "Chi bộ không có kiến nghị mới; tiếp tục theo dõi các kiến nghị đã báo cáo."

RETURN_REASONS = [
    "Phần \"Dư luận tiềm ẩn và dự báo\" mới liệt kê sự việc, chưa có nhận định, dự báo xu hướng;"
    " đề nghị chi bộ bổ sung.",
    "Các luồng ý kiến chưa ghi rõ địa bàn và mức độ lan tỏa; đề nghị bổ sung để tổng hợp.",
    "Kiến nghị chưa nêu cụ thể cơ quan cần giải quyết; đề nghị chi bộ bổ sung để Ban Thường vụ"
    " chỉ đạo.",
    "Nội dung báo cáo gần như trùng với tháng trước; đề nghị cập nhật tình hình thực tế trong"
    " tháng.",
]
# What a unit adds when its report comes back, and the section it adds it to (the units write it
# into their report, not a note to the office: the synthesis would read a note as their words).
REVISIONS = [
    ("du_luan_tiem_an", "Chi bộ nhận định các ý kiến trên có thể tiếp tục lan rộng nếu không được"
     " giải thích, trả lời kịp thời."),
    ("tu_tuong", "Các luồng ý kiến nêu trên chủ yếu ở các tổ dân phố thuộc địa bàn chi bộ, lan tỏa"
     " trong phạm vi khu dân cư."),
    ("kien_nghi", "Đề nghị UBND phường giao bộ phận chuyên môn trả lời bằng văn bản các kiến nghị"
     " chi bộ đã nêu trong tháng."),
]
