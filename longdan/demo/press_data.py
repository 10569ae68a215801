"""Press and social-network data of the demo ward (issue 9): the invented news sites, what they
write about the ward, the city and the other "Hòa Bình"s, and what residents post in the ward's
Facebook group.

Everything here is invented: the sites are on ``.example`` (a reserved domain), no article names a
person, and the authors of the group's posts are drawn from the demo's name generators and only
ever reach the database as a keyed hash (``monitoring.imports``). A ``{place}`` is a tổ dân phố of
the matter's former ward, ``{day}`` the article's date.
"""

from __future__ import annotations

# Sources: (name, kind, address, fetch interval in minutes). The feeds and pages are served by
# ``longdan.demo.press._DemoSites`` from memory; an export source's address is only shown.
HAIPHONG, DATCANG, THOISU, DOISONG, PORTAL, GROUP, SITEMAP = (
    "Báo Hải Phòng điện tử (mẫu)",
    "Tin nhanh Đất Cảng (mẫu)",
    "Thời sự 24 giờ (mẫu)",
    "Đời sống Đô thị (mẫu)",
    "Cổng thông tin phường Hòa Bình (mẫu)",
    "Nhóm Facebook “Cư dân phường Hòa Bình” (tệp xuất)",
    "Kinh tế Cảng biển (mẫu, sơ đồ trang)",
)
SOURCES = [
    (HAIPHONG, "rss", "https://baohaiphong-mau.example/rss/thoi-su.xml", 60),
    (DATCANG, "rss", "https://datcang-mau.example/rss.xml", 120),
    (THOISU, "atom", "https://thoisu24h-mau.example/feed.atom", 60),
    (DOISONG, "rss", "https://doisongdothi-mau.example/rss/xa-hoi.rss", 180),
    (PORTAL, "page", "https://phuonghoabinh-mau.example/tin-tuc/lich-tiep-dan.html", 24 * 60),
    (GROUP, "export", "https://facebook.example/groups/cudanphuonghoabinh", 24 * 60),
    (SITEMAP, "sitemap", "https://kinhtecangbien-mau.example/sitemap.xml", 24 * 60),
]
# The press sites that write about the ward and the city, and how many articles a week each.
WARD_SITES = {HAIPHONG: 0.6, DATCANG: 0.4, DOISONG: 0.35}
NATIONAL_SITE = THOISU
# The feed of this site moved: its old address answers 404 for the last fetches.
MOVED_SITE, MOVED_WEEKS = DOISONG, 3

# What the press writes about the ward, by matter (``opinion_data.MATTERS`` keys): titles and
# paragraphs; an article takes a title, a lede and two paragraphs, drawn without repeating.
WARD_ARTICLES: dict[str, dict[str, list[str]]] = {
    "rac_cho": {
        "titles": [
            "Rác thải ùn ứ ở chợ Hòa Bình, tiểu thương kêu khó",
            "Phường Hòa Bình tăng chuyến thu gom rác tại chợ",
            "Điểm tập kết rác chợ Hòa Bình quá tải trong ngày nắng nóng",
        ],
        "ledes": [
            "Ngày {day}, nhiều tiểu thương chợ Hòa Bình, phường Hòa Bình, thành phố Hải Phòng"
            " phản ánh rác thải tồn đọng từ chiều tới sáng hôm sau tại điểm tập kết cạnh cổng chợ.",
            "Theo ghi nhận ngày {day}, điểm tập kết rác của chợ Hòa Bình (phường Hòa Bình) thường"
            " xuyên quá tải, nước rỉ rác chảy ra lối đi gần {place}.",
        ],
        "paragraphs": [
            "Các hộ kinh doanh cho biết đã nộp phí vệ sinh đầy đủ nhưng xe thu gom đến muộn, có"
            " hôm không đến, mùi hôi ảnh hưởng việc buôn bán.",
            "Ủy ban nhân dân phường đã làm việc với đơn vị thu gom, đề nghị tăng thêm chuyến vào"
            " buổi chiều và rửa điểm tập kết hằng ngày.",
            "Người dân khu vực lân cận mong điểm tập kết được di dời vào bên trong chợ, có mái che"
            " và thùng chứa kín để hạn chế mùi hôi.",
            "Ban quản lý chợ cam kết niêm yết lịch thu gom và số điện thoại đường dây nóng để tiểu"
            " thương phản ánh khi rác tồn đọng.",
        ],
    },
    "ngap_ung": {
        "titles": [
            "Mưa lớn, nhiều ngõ ở An Lư ngập sâu",
            "Phường Hòa Bình nạo vét cống thoát nước trước mùa mưa",
            "Khu trũng An Lư lại ngập úng sau trận mưa đêm",
        ],
        "ledes": [
            "Sau trận mưa lớn đêm {day}, nhiều ngõ thuộc {place}, phường Hòa Bình ngập úng ngang"
            " đầu gối, nước rút chậm đến trưa hôm sau.",
            "Ngày {day}, phường Hòa Bình, thành phố Hải Phòng ra quân nạo vét cống thoát nước khu"
            " vực An Lư, nơi thường xuyên ngập úng mỗi mùa mưa.",
        ],
        "paragraphs": [
            "Người dân cho biết cống thoát nước nhỏ và bị bồi lắng nên chỉ cần mưa khoảng một giờ"
            " là nước tràn vào nhà, phải kê đồ đạc lên cao.",
            "Phường đã bố trí máy bơm dã chiến tại các điểm trũng và lực lượng trực để hướng dẫn"
            " người đi đường tránh những đoạn ngập sâu.",
            "Về lâu dài, phường kiến nghị thành phố đầu tư cải tạo tuyến cống chính, nâng cốt"
            " đường các ngõ thấp trũng.",
        ],
    },
    "gpmb": {
        "titles": [
            "Giải phóng mặt bằng đường ven sông Cấm: người dân chờ phương án bồi thường",
            "Công khai phương án bồi thường đường ven sông Cấm tại phường Hòa Bình",
        ],
        "ledes": [
            "Ngày {day}, các hộ có đất bị thu hồi để làm đường ven sông Cấm qua {place}, phường"
            " Hòa Bình tiếp tục kiến nghị về đơn giá bồi thường.",
            "Phường Hòa Bình, thành phố Hải Phòng ngày {day} tổ chức đối thoại với các hộ trong"
            " diện giải phóng mặt bằng đường ven sông Cấm.",
        ],
        "paragraphs": [
            "Nhiều hộ cho rằng giá đất tính bồi thường thấp hơn giá mua bán thực tế và mong phương"
            " án tái định cư được niêm yết tại tổ dân phố.",
            "Đại diện hội đồng bồi thường cho biết sẽ tổng hợp ý kiến, rà soát từng trường hợp và"
            " trả lời bằng văn bản trước khi chi trả.",
            "Công trình đường ven sông Cấm được kỳ vọng giảm ùn tắc và ngập úng cho khu vực khi"
            " hoàn thành.",
        ],
    },
    "bhyt": {
        "titles": [
            "Người cao tuổi phường Hòa Bình vất vả gia hạn thẻ bảo hiểm y tế",
            "Trạm y tế phường Hòa Bình mở thêm buổi hỗ trợ bảo hiểm y tế",
        ],
        "ledes": [
            "Ngày {day}, nhiều người cao tuổi ở {place}, phường Hòa Bình phải xếp hàng từ sớm để"
            " gia hạn thẻ bảo hiểm y tế.",
            "Trạm y tế phường Hòa Bình, thành phố Hải Phòng từ ngày {day} mở thêm buổi chiều thứ"
            " Bảy để hỗ trợ người dân làm thủ tục bảo hiểm y tế.",
        ],
        "paragraphs": [
            "Người dân phản ánh thủ tục trên ứng dụng còn khó với người lớn tuổi, nhiều trường hợp"
            " phải nhờ con cháu làm hộ.",
            "Cán bộ trạm y tế hướng dẫn người dân mang theo căn cước và thẻ cũ, hỗ trợ cài đặt ứng"
            " dụng ngay tại chỗ.",
        ],
    },
    "an_ninh": {
        "titles": [
            "Trộm xe máy ban đêm tái diễn ở khu dân cư Hòa Bình",
            "Công an phường Hòa Bình tăng cường tuần tra ban đêm",
        ],
        "ledes": [
            "Đêm {day}, một hộ dân ở {place}, phường Hòa Bình bị mất trộm xe máy để trong sân.",
            "Từ ngày {day}, Công an phường Hòa Bình, thành phố Hải Phòng phối hợp tổ bảo vệ dân"
            " phố tăng cường tuần tra ban đêm tại các ngõ sâu.",
        ],
        "paragraphs": [
            "Người dân mong lắp thêm camera an ninh ở đầu ngõ và khuyến cáo các gia đình khóa cổng,"
            " khóa xe cẩn thận.",
            "Lực lượng công an đề nghị người dân báo ngay khi phát hiện đối tượng khả nghi, không"
            " tự ý xử lý.",
        ],
    },
    "viec_lam_kcn": {
        "titles": [
            "Thanh niên phường Hòa Bình tìm việc tại khu công nghiệp",
            "Ngày hội việc làm tại phường Hòa Bình thu hút đông người lao động",
        ],
        "ledes": [
            "Ngày {day}, phường Hòa Bình, thành phố Hải Phòng tổ chức ngày hội việc làm với các"
            " doanh nghiệp trong khu công nghiệp lân cận.",
        ],
        "paragraphs": [
            "Nhiều lao động trẻ ở {place} cho biết muốn có thêm lớp học nghề ngắn hạn trước khi vào"
            " làm tại nhà máy.",
            "Các doanh nghiệp tuyển công nhân lắp ráp, vận hành máy, có xe đưa đón và hỗ trợ nhà"
            " ở.",
        ],
    },
    "nuoc_sach": {
        "titles": [
            "Khu vực Thủy Hà mất nước nhiều ngày",
            "Nước máy đục ở Thủy Hà, người dân lo lắng",
        ],
        "ledes": [
            "Từ ngày {day}, nhiều hộ dân ở {place}, phường Hòa Bình phản ánh mất nước vào giờ cao"
            " điểm, có lúc nước máy chảy ra đục và có mùi lạ.",
        ],
        "paragraphs": [
            "Người dân đề nghị công ty cấp nước kiểm tra chất lượng nước và thông báo trước lịch"
            " ngừng cấp nước để chủ động dự trữ.",
            "Phường đã có văn bản đề nghị đơn vị cấp nước khắc phục sự cố đường ống và cấp nước"
            " bằng xe bồn cho các ngõ bị ảnh hưởng.",
        ],
    },
}

# What the press writes about the city, naming none of the ward's places: relevance "city".
CITY_ARTICLES = [
    ("Hải Phòng khởi công cầu mới qua sông Lạch Tray",
     "Sáng {day}, thành phố Hải Phòng khởi công xây dựng cầu mới qua sông Lạch Tray, kết nối"
     " trung tâm với khu đô thị phía nam. Công trình dự kiến hoàn thành sau hai năm thi công."
     " Thành phố yêu cầu nhà thầu bảo đảm an toàn giao thông trong suốt quá trình thi công."),
    ("Hải Phòng đón lượng khách du lịch tăng mạnh dịp nghỉ lễ",
     "Trong dịp nghỉ lễ kết thúc ngày {day}, thành phố Hải Phòng đón lượng khách du lịch tăng"
     " mạnh so với cùng kỳ, các bãi biển và khu du lịch đều kín phòng. Ngành du lịch thành phố"
     " tăng cường kiểm tra giá dịch vụ, xử lý các trường hợp chèo kéo khách."),
    ("Thành phố Hải Phòng điều chỉnh giờ thu gom rác ở khu trung tâm",
     "Từ ngày {day}, thành phố Hải Phòng điều chỉnh giờ thu gom rác sinh hoạt ở các tuyến phố"
     " trung tâm sang buổi tối để giảm ùn tắc giao thông ban ngày. Người dân được đề nghị để rác"
     " đúng giờ, đúng nơi quy định."),
    ("Hải Phòng ra quân cao điểm phòng chống sốt xuất huyết",
     "Ngày {day}, ngành y tế thành phố Hải Phòng ra quân chiến dịch diệt bọ gậy, phun hóa chất"
     " tại các khu vực có nguy cơ cao. Người dân được khuyến cáo đậy kín dụng cụ chứa nước và"
     " đi khám sớm khi sốt cao."),
    ("Hải Phòng tổ chức lễ hội hoa phượng đỏ",
     "Tối {day}, thành phố Hải Phòng khai mạc lễ hội hoa phượng đỏ với nhiều hoạt động văn hóa,"
     " thể thao và ẩm thực. Lễ hội kéo dài một tuần tại các quảng trường trung tâm."),
    ("Hải Phòng đẩy mạnh chuyển đổi số trong thủ tục hành chính",
     "Theo báo cáo ngày {day}, thành phố Hải Phòng đã đưa phần lớn thủ tục hành chính lên môi"
     " trường mạng, người dân có thể nộp hồ sơ và nhận kết quả trực tuyến. Thành phố đặt mục"
     " tiêu giảm thời gian chờ tại bộ phận một cửa."),
]

# "Hòa Bình" that is not the ward: the hydropower plant, the province, another commune, and the
# common word for peace. None names Hải Phòng: each must be judged "none".
ELSEWHERE_ARTICLES = [
    ("Thủy điện Hòa Bình mở thêm cửa xả đáy",
     "Ngày {day}, nhà máy thủy điện Hòa Bình mở thêm một cửa xả đáy để điều tiết nước hồ chứa"
     " trước đợt mưa lớn. Người dân vùng hạ du được khuyến cáo không đánh bắt cá gần đập. Hồ Hòa"
     " Bình đang ở mực nước cao so với cùng kỳ."),
    ("Tỉnh Hòa Bình phát triển du lịch cộng đồng",
     "Những năm qua, tỉnh Hòa Bình chú trọng phát triển du lịch cộng đồng ở các bản làng vùng"
     " cao. Theo số liệu công bố ngày {day}, lượng khách đến Hòa Bình tăng đều, nhiều homestay"
     " mới mở cửa đón khách."),
    ("Xã Hòa Bình về đích nông thôn mới nâng cao",
     "Ngày {day}, xã Hòa Bình, huyện Vũ Thư tổ chức lễ đón bằng công nhận đạt chuẩn nông thôn"
     " mới nâng cao. Đường làng được bê tông hóa, các thôn đều có nhà văn hóa. Người dân xã Hòa"
     " Bình phấn khởi vì đời sống được nâng lên."),
    ("Thiếu nhi vẽ tranh vì một thế giới hòa bình",
     "Cuộc thi vẽ tranh với chủ đề vì một thế giới hòa bình, kết thúc ngày {day}, nhận được hàng"
     " nghìn bức tranh của thiếu nhi cả nước. Các em gửi gắm ước mơ về hòa bình, hữu nghị và"
     " một hành tinh xanh."),
    ("Nhà máy thủy điện Hòa Bình kỷ niệm ngày khánh thành",
     "Ngày {day}, nhà máy thủy điện Hòa Bình tổ chức kỷ niệm ngày khánh thành, ôn lại chặng"
     " đường vận hành an toàn và đóng góp sản lượng điện cho hệ thống điện quốc gia."),
]

# The story that spreads in the last day: first told by one site, retitled and trimmed by two
# others within hours, and shared in the ward's group. No residents' issue is about it yet.
SPREAD_STORY = {
    "titles": [
        "Cây xà cừ cổ thụ bật gốc đè sập mái nhà dân ở phường Hòa Bình",
        "Hải Phòng: cây cổ thụ bật gốc, một ngôi nhà bị hư hỏng",
        "Cây xà cừ bật gốc trong đêm, phường Hòa Bình khẩn trương khắc phục",
    ],
    "paragraphs": [
        "Khoảng 22 giờ đêm qua, sau trận dông lốc, một cây xà cừ cổ thụ trên vỉa hè phố Thủy Hà,"
        " đoạn qua Tổ dân phố Thủy Hà 5, phường Hòa Bình, thành phố Hải Phòng bật gốc, đổ đè lên"
        " mái một ngôi nhà cấp bốn.",
        "Rất may thời điểm cây đổ các thành viên trong gia đình đang ở phòng phía sau nên không"
        " có thương vong; mái tôn, tường bao và chiếc xe máy để ngoài sân bị hư hỏng nặng.",
        "Ngay trong đêm, Ủy ban nhân dân phường Hòa Bình phối hợp đơn vị quản lý cây xanh cắt bỏ"
        " thân cây, dọn dẹp hiện trường và phân luồng giao thông qua khu vực.",
        "Người dân trong tổ dân phố cho biết hàng cây xà cừ trên tuyến phố đã nhiều năm tuổi, rễ"
        " nổi làm vỡ vỉa hè, từng nhiều lần đề nghị kiểm tra, cắt tỉa trước mùa mưa bão.",
        "Phường cho biết sẽ rà soát toàn bộ cây xanh có nguy cơ gãy đổ trên địa bàn và hỗ trợ"
        " gia đình bị thiệt hại khắc phục hậu quả.",
    ],
}

# What residents post in the ward's group (the Facebook export), by matter; masked on import.
GROUP_POSTS: dict[str, list[str]] = {
    "rac_cho": [
        "Rác ở cổng chợ Hòa Bình hôm nay lại bốc mùi, ai đi qua cũng phải bịt mũi.",
        "Chợ Hòa Bình chiều nay rác tràn ra lối đi, mong phường cho xe thu gom sớm hơn.",
        "Tiểu thương chợ Hòa Bình đóng phí vệ sinh đủ mà rác vẫn để qua đêm, bức xúc quá.",
    ],
    "ngap_ung": [
        "Mưa có một tiếng mà ngõ nhà mình ở An Lư ngập đến đầu gối rồi, cống tắc hết.",
        "Bao giờ phường nạo vét cống khu An Lư đây, mưa nào cũng ngập.",
    ],
    "gpmb": [
        "Các hộ làm đường ven sông Cấm đã ai nhận được phương án bồi thường chưa ạ?",
        "Giá bồi thường đường ven sông Cấm thấp quá, mong phường đối thoại công khai.",
    ],
    "an_ninh": [
        "Cảnh báo: đêm qua trong ngõ 12 phố Thủy Hà lại mất trộm xe máy, mọi người khóa cổng"
        " cẩn thận.",
        "Khu mình có nhóm thanh niên lạ hay tụ tập đêm, đề nghị công an phường tuần tra thêm.",
    ],
    "nuoc_sach": [
        "Thủy Hà mất nước từ sáng đến giờ, không thấy thông báo gì cả.",
        "Nước máy nhà mình ở Thủy Hà chảy ra đục ngầu, mọi người có bị không?",
        "Cả tuần nay Thủy Hà cứ giờ cao điểm là mất nước, bức xúc thật sự.",
    ],
    "bhyt": [
        "Ai biết gia hạn bảo hiểm y tế trên điện thoại chỉ mình với, ông bà nhà mình không làm"
        " được. Có gì gọi giúp mình số 0912 345 678.",
        "Trạm y tế phường mở thêm buổi chiều thứ Bảy làm bảo hiểm y tế, tiện cho người đi làm.",
    ],
    "viec_lam_kcn": [
        "Khu công nghiệp đang tuyển công nhân, bạn nào ở phường cần việc thì tham khảo.",
    ],
    "khac": [
        "Chúc cả nhóm cuối tuần vui vẻ, trời đẹp đưa con ra công viên chơi thôi.",
        "Ai có nhu cầu học bơi cho con hè này thì nhắn mình nhé.",
        "Sáng nay chợ có bán rau sạch giá tốt, mọi người qua ủng hộ.",
    ],
}

# A false rumour in the group, shared several times before the office corrected it.
RUMOUR = (
    "Nghe nói phường Hòa Bình sắp cắt nước toàn bộ khu Thủy Hà suốt một tháng để thay đường ống,"
    " mọi người tích trữ nước gấp, chia sẻ cho bà con cùng biết."
)
RUMOUR_SHARES = [
    "Chia sẻ: ",
    "Mọi người ơi, ",
    "Có thật không? ",
    "Ai xác nhận giúp: ",
    "",
]
RUMOUR_NOTE = (
    "Công ty cấp nước chỉ tạm ngừng cấp nước một buổi sáng tại hai ngõ để thay van; không có kế"
    " hoạch cắt nước toàn khu Thủy Hà một tháng."
)
RUMOUR_CORRECTION_URL = "https://phuonghoabinh-mau.example/tin-tuc/dinh-chinh-lich-cat-nuoc.html"
RUMOUR_CORRECTION = (
    "Ủy ban nhân dân phường Hòa Bình thông tin: ngày 12, Công ty cấp nước tạm ngừng cấp nước từ"
    " 7 giờ đến 11 giờ tại hai ngõ thuộc khu Thủy Hà để thay van; thông tin cắt nước toàn khu"
    " một tháng là không đúng sự thật."
)

# Places the office added to the gazetteer: (name, ``monitoring.models.Place.Kind``).
PLACES = [("chợ Hòa Bình", "landmark"), ("đường ven sông Cấm", "street"), ("phố Thủy Hà", "street")]

# The office's watch-list: a keyword and a topic (never a person).
WATCH_KEYWORDS = ["ngập úng", "cây xanh"]
WATCH_TOPIC = "Trật tự an toàn xã hội"

PORTAL_PAGE = (
    "Lịch tiếp công dân của Ủy ban nhân dân phường Hòa Bình",
    "Ủy ban nhân dân phường Hòa Bình, thành phố Hải Phòng tiếp công dân vào sáng thứ Ba và chiều"
    " thứ Năm hằng tuần tại bộ phận một cửa. Người dân có thể gửi kiến nghị trực tiếp, qua hòm"
    " thư góp ý hoặc qua trang thông tin điện tử của phường. Các kiến nghị được trả lời trong"
    " thời hạn quy định và công khai kết quả tại tổ dân phố.",
)
