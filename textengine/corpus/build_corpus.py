"""Build the labelled demo corpora (deterministic): ``train.jsonl`` and ``test.jsonl``.

Each item is a resident's opinion about phường Hòa Bình (Hải Phòng) with its ``topic`` (13 topics of
the taxonomy) and ``attitude`` (4 attitudes). A text is a *matter* (what it is about, written per
topic) placed in a *frame* (how the person feels, written per attitude), with a place, sometimes an
actor, and a writing style (formal, colloquial, social media, teen-code, typos).

The split is by template, not by row: every matter and every frame belongs to one side only, so the
test set is made of phrasings the model never saw in training.

    python -m textengine.corpus.build_corpus   # rewrites the two files beside this script
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 18_2025

PLACES = [
    "tổ dân phố số 3",
    "tổ dân phố số 7",
    "tổ dân phố số 12",
    "tổ dân phố 15",
    "khu An Lư",
    "khu Thủy Hà",
    "khu tái định cư",
    "khu vực chợ Hòa Bình",
    "ngõ 25",
    "xóm Đông",
    "khu Hoà Bình cũ",
    "khu dân cư số 4",
    "đầu đường liên tổ",
    "gần trường tiểu học",
    "khu phố mới",
    "khu Bến Rừng",
]
ACTORS = [
    "phường",
    "ủy ban phường",
    "các cơ quan chức năng",
    "cấp trên",
    "thành phố",
    "tổ trưởng",
    "lãnh đạo phường",
    "các ban ngành",
]

# Matters per topic: the first ones are TRAIN templates, the last four TEST templates.
MATTERS: dict[str, list[str]] = {
    "kinh_te_xa_hoi": [
        "việc đền bù giải phóng mặt bằng dự án đường ven sông ở {place}",
        "giá đền bù đất nông nghiệp khi làm khu công nghiệp",
        "chuyện quy hoạch treo ở {place} mười năm chưa làm",
        "tiền điện tháng này tăng gần gấp đôi",
        "giá xăng và giá cả hàng hóa ngoài chợ cứ tăng",
        "việc di dời chợ Hòa Bình sang chỗ mới",
        "thuế khoán với hộ kinh doanh nhỏ ở {place}",
        "dự án hạ tầng khu đô thị mới đang triển khai",
        "kế hoạch thu hồi đất làm cảng và kho bãi",
        "hóa đơn tiền nước và giá điện bậc thang mới",
        "phương án bồi thường, hỗ trợ tái định cư cho các hộ ở {place}",
        "việc cấp sổ đỏ cho đất dự án chậm",
        "giá thuê ki ốt ở chợ mới quá cao so với tiểu thương",
        "chính sách hỗ trợ doanh nghiệp nhỏ và hộ kinh doanh vay vốn",
    ],
    "quoc_phong_an_ninh": [
        "đợt khám tuyển nghĩa vụ quân sự năm nay",
        "việc gọi thanh niên {place} nhập ngũ",
        "huấn luyện dân quân tự vệ của phường",
        "những bài viết xuyên tạc của thế lực thù địch trên mạng",
        "tuyên truyền về chủ quyền biển đảo",
        "chế độ cho gia đình có con đi bộ đội",
        "diễn tập phòng thủ khu vực",
        "tin đồn về một nhóm tôn giáo lạ đến {place} truyền đạo trái phép",
        "việc xây dựng lực lượng dân quân thường trực",
        "trang mạng phản động kích động người dân khiếu kiện",
        "lễ giao nhận quân và chính sách hậu phương quân đội",
        "tuyên truyền Luật Nghĩa vụ quân sự cho thanh niên",
        "tuần tra bảo vệ bờ biển và khu vực cảng",
        "hoạt động của người lạ chụp ảnh khu quân sự",
    ],
    "trat_tu_an_toan_xa_hoi": [
        "tình trạng trộm chó, trộm xe máy ở {place}",
        "các cuộc gọi giả danh công an lừa chuyển tiền",
        "nhóm thanh niên tụ tập đua xe ban đêm",
        "tín dụng đen cho vay nặng lãi dán quảng cáo khắp nơi",
        "tụ điểm nghi có ma túy ở {place}",
        "lừa đảo qua mạng mời làm cộng tác viên bán hàng online",
        "đánh bạc, lô đề công khai ở quán nước đầu ngõ",
        "quán karaoke hát đến nửa đêm ồn ào",
        "tai nạn giao thông ở ngã ba đầu {place}",
        "tin nhắn giả ngân hàng đòi cập nhật căn cước",
        "camera an ninh ở các tuyến ngõ hỏng",
        "người lạ gõ cửa từng nhà rao bán hàng rồi trộm đồ",
        "xe tải chạy quá tốc độ qua khu dân cư",
        "ứng dụng vay tiền online đòi nợ kiểu khủng bố",
    ],
    "doi_song": [
        "việc mất điện liên tục vào buổi tối ở {place}",
        "nước sạch chưa về tới các hộ {place}",
        "đường ngõ xuống cấp đầy ổ gà",
        "trợ cấp cho hộ nghèo và người cao tuổi",
        "đèn đường trong ngõ hỏng cả tháng",
        "việc bình xét hộ cận nghèo năm nay",
        "nước sinh hoạt có mùi, đục vàng",
        "quà tết cho gia đình chính sách và người có công",
        "chế độ cho người khuyết tật ở {place}",
        "việc sửa chữa nhà ở cho hộ khó khăn",
        "áp lực nước yếu, tầng hai không có nước dùng",
        "cột điện nghiêng, dây điện chằng chịt trong ngõ",
        "gạo cứu trợ và hỗ trợ sau bão cho các hộ",
        "chi phí sinh hoạt hằng ngày tăng, đời sống vất vả",
    ],
    "viec_lam": [
        "chuyện công ty may ở khu công nghiệp cắt giảm công nhân",
        "việc làm cho thanh niên {place} sau khi ra trường",
        "các lớp đào tạo nghề cho lao động nông thôn",
        "người lao động bị sa thải không báo trước",
        "phiên giao dịch việc làm do phường tổ chức",
        "lao động lớn tuổi khó tìm việc",
        "hợp đồng lao động thời vụ không đóng bảo hiểm",
        "xuất khẩu lao động qua công ty môi giới",
        "tuyển dụng công nhân cho nhà máy mới ở {place}",
        "người mất việc chưa nhận được trợ cấp thất nghiệp",
        "học nghề xong vẫn không xin được việc",
        "chỗ làm cho phụ nữ trên bốn mươi tuổi",
        "công nhân phải tăng ca liên tục mà vẫn sợ mất việc",
        "hỗ trợ vay vốn tạo việc làm cho bộ đội xuất ngũ",
    ],
    "thu_nhap": [
        "thu nhập của công nhân chỉ khoảng sáu triệu một tháng",
        "lương giáo viên mầm non hợp đồng",
        "cải cách tiền lương và tăng lương cơ sở",
        "tiền công lao động thời vụ ở {place}",
        "công ty nợ lương ba tháng",
        "thưởng tết năm nay",
        "thu nhập bấp bênh của người làm nghề đánh bắt",
        "phụ cấp cho cán bộ tổ dân phố và người hoạt động không chuyên trách",
        "lương hưu không theo kịp giá cả",
        "giá lúa thấp, trồng trọt không đủ sống",
        "thu nhập của tiểu thương giảm mạnh từ khi chuyển chợ",
        "lương tối thiểu vùng mới",
        "tiền bồi dưỡng cho dân quân và bảo vệ dân phố",
        "thu nhập thêm từ chăn nuôi ở {place}",
    ],
    "giao_duc": [
        "các khoản thu đầu năm học ở trường tiểu học",
        "chuyện học thêm dạy thêm ở trường cấp hai",
        "miễn học phí cho học sinh từ năm học mới",
        "thi vào lớp 10 công lập năm nay",
        "sĩ số lớp học quá đông",
        "trường mầm non {place} thiếu phòng học",
        "giá sách giáo khoa mới",
        "bạo lực học đường ở trường trung học",
        "tuyển sinh đầu cấp theo địa bàn sau sáp nhập",
        "bữa ăn bán trú của các cháu",
        "quỹ phụ huynh thu nhiều khoản",
        "trường học {place} xuống cấp, mưa là dột",
        "chương trình giáo dục phổ thông mới",
        "đưa đón học sinh qua đường quốc lộ",
    ],
    "y_te": [
        "thẻ bảo hiểm y tế cho người cao tuổi",
        "trạm y tế phường thiếu thuốc",
        "xếp hàng khám bệnh ở bệnh viện từ sáng sớm",
        "tiêm chủng mở rộng cho trẻ em",
        "dịch sốt xuất huyết ở {place}",
        "mức đóng bảo hiểm y tế hộ gia đình tăng",
        "ngộ độc thực phẩm ở bếp ăn công ty",
        "thái độ của nhân viên y tế khi tiếp đón người bệnh",
        "khám chữa bệnh bằng căn cước thay thẻ bảo hiểm",
        "thuốc bảo hiểm chi trả ít, phải mua ngoài",
        "khám sức khỏe định kỳ cho người cao tuổi ở {place}",
        "phun thuốc diệt muỗi phòng dịch",
        "chuyển tuyến bệnh viện khi điều trị dài ngày",
        "vệ sinh an toàn thực phẩm ở các quán ăn trước cổng trường",
    ],
    "van_hoa": [
        "tổ chức lễ hội truyền thống ở đình làng",
        "sân chơi cho trẻ em ở {place}",
        "việc cưới việc tang theo nếp sống văn minh",
        "hoạt động văn nghệ, thể thao ở nhà văn hóa",
        "trùng tu di tích đình chùa",
        "bình xét gia đình văn hóa cuối năm",
        "mê tín dị đoan, xem bói ở {place}",
        "giải bóng đá mừng Đảng mừng xuân",
        "loa kẹo kéo hát ngoài đường đến khuya",
        "đám cưới chiếm lòng đường mấy ngày",
        "câu lạc bộ dưỡng sinh cho người cao tuổi",
        "thư viện và tủ sách ở khu dân cư",
        "múa lân trung thu cho thiếu nhi",
        "giữ gìn thuần phong mỹ tục của làng",
    ],
    "moi_truong": [
        "rác thải ở {place} để mấy ngày không thu gom",
        "ngập úng mỗi khi mưa to hoặc triều cường ở {place}",
        "bụi và mùi từ nhà máy xi măng",
        "mương thoát nước bốc mùi hôi",
        "việc phân loại rác tại nguồn",
        "đốt rơm rạ gây khói mù",
        "xe chở than làm bụi đường",
        "nước thải của xưởng sản xuất xả ra kênh",
        "bãi rác tự phát ven đường",
        "cây xanh bị chặt để mở rộng đường",
        "cống thoát nước bị tắc ở {place}",
        "tiếng ồn và khói từ xưởng tái chế nhựa",
        "chi phí thu gom rác tăng",
        "nạo vét kênh mương trước mùa mưa",
    ],
    "xay_dung_dang": [
        "việc kết nạp đảng viên trẻ ở chi bộ",
        "sinh hoạt chi bộ {place} còn hình thức",
        "học tập nghị quyết đại hội Đảng bộ phường",
        "vai trò nêu gương của cán bộ, đảng viên",
        "xử lý kỷ luật đảng viên vi phạm",
        "công tác phòng chống tham nhũng, tiêu cực",
        "đại hội chi bộ nhiệm kỳ mới",
        "đảng viên lớn tuổi được miễn sinh hoạt",
        "kiểm tra giám sát của cấp ủy",
        "đảng viên sinh hoạt nơi cư trú",
        "biểu hiện suy thoái tư tưởng chính trị",
        "thu nộp đảng phí",
        "cấp ủy lắng nghe ý kiến quần chúng",
        "tặng huy hiệu Đảng cho đảng viên lão thành",
    ],
    "chinh_quyen": [
        "thủ tục hành chính ở bộ phận một cửa của phường",
        "việc sáp nhập phường và chính quyền hai cấp",
        "thái độ của cán bộ phường khi tiếp dân",
        "dịch vụ công trực tuyến",
        "đơn thư khiếu nại gửi phường lâu không trả lời",
        "chứng thực giấy tờ sau sáp nhập phải đi xa",
        "việc bố trí cán bộ sau khi tinh gọn bộ máy",
        "tiếp xúc cử tri của đại biểu hội đồng nhân dân",
        "cấp giấy phép xây dựng ở {place}",
        "đổi tên đường và địa chỉ trên giấy tờ sau sáp nhập",
        "đăng ký thường trú cho con ở {place}",
        "hồ sơ đất đai nộp ở phường bị trả đi trả lại",
        "buổi đối thoại của chủ tịch phường với người dân",
        "trụ sở phường mới xa khu dân cư",
    ],
    "mat_tran_to_quoc": [
        "cuộc vận động ủng hộ quỹ vì người nghèo",
        "hoạt động của Hội Phụ nữ phường",
        "ngày hội đại đoàn kết toàn dân tộc ở {place}",
        "Đoàn thanh niên ra quân tình nguyện",
        "Hội Cựu chiến binh giúp hội viên khó khăn",
        "Mặt trận giám sát việc xây dựng ở {place}",
        "quyên góp ủng hộ đồng bào bị bão lũ",
        "vai trò của ban công tác mặt trận khu dân cư",
        "Hội Nông dân hỗ trợ vay vốn",
        "hợp nhất các hội đoàn thể sau sắp xếp",
        "công đoàn cơ sở bảo vệ công nhân",
        "xây nhà đại đoàn kết cho hộ nghèo",
        "Hội Chữ thập đỏ phát quà cho người khó khăn",
        "phản biện xã hội của Mặt trận với dự án",
    ],
}
N_TEST_MATTERS = 4

# Frames per attitude: the first ones are TRAIN templates, the last four TEST templates.
FRAMES: dict[str, list[str]] = {
    "dong_tinh": [
        "Bà con {place} rất phấn khởi về {m}.",
        "Người dân đồng tình cao với chủ trương về {m}, mong tiếp tục phát huy.",
        "Em thấy {m} vừa rồi làm rất tốt, cảm ơn {actor}.",
        "Nhân dân hoan nghênh {actor} đã quan tâm giải quyết {m} kịp thời.",
        "Đa số ý kiến ủng hộ, nói {m} là việc làm thiết thực.",
        "Về {m}, mọi người đều yên tâm và tin tưởng.",
        "Khen {actor} một câu vì {m} đã được xử lý nhanh gọn.",
        "Tôi nhất trí với cách làm về {m}, đúng đắn và hợp lòng dân.",
        "Từ khi có thay đổi về {m}, cuộc sống ở {place} dễ chịu hẳn.",
        "Cả xóm vui lắm, {m} giờ đâu ra đấy rồi.",
        "Các cụ ở {place} khen {m} lắm, bảo đời con cháu sướng hơn.",
        "{m} lần này chu đáo thật, dân thấy được quan tâm.",
        "Ghi nhận những cố gắng của {actor} trong {m}.",
        "Phải nói là {m} năm nay tiến bộ rõ rệt, dân mình hài lòng.",
        "Mừng quá, {m} cuối cùng cũng xong, cảm ơn mọi người.",
        "Ai cũng bảo {m} làm thế là chuẩn rồi, cứ thế mà làm.",
    ],
    "ban_khoan": [
        "Nhiều hộ ở {place} còn băn khoăn về {m}.",
        "Không biết {m} rồi sẽ ra sao, bà con lo lắm.",
        "Cho em hỏi {m} thì bao giờ mới có thông tin chính thức ạ?",
        "Người dân lo ngại {m} sẽ ảnh hưởng đến cuộc sống.",
        "Liệu {m} có được thực hiện công bằng không?",
        "Dân còn thắc mắc về {m}, mong {actor} giải thích rõ.",
        "Chưa rõ {m} áp dụng thế nào với gia đình tôi.",
        "Mọi người hoang mang vì nghe nhiều thông tin khác nhau về {m}.",
        "Sợ rằng {m} lại kéo dài như lần trước.",
        "Có ai biết {m} tính thế nào không, nhà em đang chờ.",
        "Bà con chưa yên tâm lắm về {m}.",
        "Tôi phân vân không hiểu {m} rồi ai chịu trách nhiệm.",
        "Chẳng biết {m} có đến lượt nhà mình không nữa, cứ thấp thỏm.",
        "Nghe nói {m} sắp thay đổi, chả biết tốt hay xấu đây.",
        "Đang hóng tin về {m}, không rõ khi nào phường mới nói.",
        "Mấy hôm nay hàng xóm bàn tán chuyện {m}, ai cũng ngại ngại.",
    ],
    "buc_xuc": [
        "Dân {place} bức xúc lắm, {m} kéo dài mãi chưa ai giải quyết!",
        "Phản ánh nhiều lần rồi mà {m} vẫn y nguyên, quá đáng thật.",
        "Khổ quá, {m} làm cả khu không chịu nổi.",
        "Người dân rất bức xúc vì {m}, {actor} cứ làm ngơ.",
        "Chán lắm rồi, {m} năm nào cũng thế.",
        "Ức chế thật sự với {m}, đùn đẩy trách nhiệm hết chỗ này đến chỗ khác.",
        "Bà con than phiền mãi về {m} mà chẳng ai nghe.",
        "{m} tệ quá, hứa mãi mà không làm.",
        "Kêu trời không thấu, {m} làm dân khổ sở.",
        "Thật sự hết chịu nổi với {m}!!!",
        "Bực mình vì {m}, gọi điện lên thì không ai nghe máy.",
        "Ba tháng nay {m} vẫn thế, dân mình chịu sao thấu.",
        "Cứ đến hẹn lại lên, {m} dân đi kêu mỏi miệng mà vẫn vậy.",
        "Nói thẳng là {m} làm quá ẩu, dân mất niềm tin rồi.",
        "Sáng nào ra đường cũng thấy {m}, nhìn mà phát cáu.",
        "Mất cả tuần công đi lại vì {m}, ai đền cho dân?",
    ],
    "phan_doi": [
        "Chúng tôi kiên quyết phản đối {m}.",
        "Người dân {place} không đồng tình với {m}, đề nghị dừng ngay.",
        "Không chấp nhận {m} như hiện nay, yêu cầu {actor} xem xét lại.",
        "Các hộ làm đơn tập thể phản đối {m}.",
        "Bà con không đồng ý với {m} và sẽ không ký biên bản.",
        "{m} là vô lý, dân không thể chấp nhận.",
        "Đề nghị hủy bỏ {m} vì bất hợp lý.",
        "Nhiều người tuyên bố tẩy chay {m}.",
        "Dân kéo nhau lên phường phản đối {m}.",
        "Không nhất trí với {m}, phải rút lại.",
        "Tôi nói thẳng là không đồng thuận với {m}, sẽ gửi đơn lên thành phố.",
        "Cả tổ bác bỏ {m}, yêu cầu đối thoại công khai.",
        "Nhà tôi nhất quyết không theo {m}, có làm gì thì làm.",
        "Bà con ký tên tập thể để chống lại {m} đến cùng.",
        "Dứt khoát không để {m} diễn ra ở {place}.",
        "Dân sẽ khiếu nại đến cùng nếu {m} vẫn cứ làm.",
    ],
}
N_TEST_FRAMES = 4

PREFIXES = [
    "",
    "",
    "",
    "Ý kiến cử tri: ",
    "Phản ánh: ",
    "Theo tổ trưởng, ",
    "Chị Hà ở {place} cho biết: ",
    "Tại buổi tiếp xúc cử tri, ",
    "Trên nhóm Zalo tổ dân phố: ",
]
SOCIAL_END = [
    " 😡😡",
    " 🙏",
    " mn ơi",
    " !!!",
    " #HòaBình",
    " 👍",
    " ạ",
    " huhu",
    " share cho mọi người biết",
]
CONTACT = [
    " Liên hệ 0912 345 678.",
    " SĐT 0988.123.456",
    " (chị Lan, email lan.nguyen@gmail.com)",
    " CCCD 031095001234.",
    " STK 1903 4567 8901 23 Techcombank",
]

TEEN = [
    ("không", "ko"),
    ("được", "đc"),
    ("gì", "j"),
    ("rồi", "r"),
    ("với", "vs"),
    ("người", "ng"),
    ("mọi người", "mn"),
    ("biết", "bít"),
    ("quá", "wá"),
    ("bao giờ", "bh"),
    ("thôi", "thui"),
    ("cũng", "cx"),
    ("trước", "trc"),
    ("như thế nào", "ntn"),
]
OLD_TONES = [("òa", "oà"), ("óa", "oá"), ("ủy", "uỷ"), ("úy", "uý"), ("ụy", "uỵ"), ("òe", "oè")]
STYLES = ["formal", "formal", "colloquial", "social", "teen", "typo"]


def _typo(text: str, rng: random.Random) -> str:
    for new, old in OLD_TONES:  # old-style tone placement: "hoà", "thuỷ"
        text = text.replace(new, old)
    words = text.split()
    for _ in range(2):
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3 and w.isalpha():
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1 :] if rng.random() < 0.5 else w[:j] + w[j] + w[j:]
    return " ".join(words)


def _style(text: str, style: str, rng: random.Random) -> str:
    if style == "colloquial":
        text = text.rstrip(".!") + rng.choice(
            [" đấy.", " các bác ạ.", " thật sự.", " nói thật.", "."]
        )
        return text[0].lower() + text[1:] if rng.random() < 0.5 else text
    if style == "social":
        return text.rstrip(".") + rng.choice(SOCIAL_END)
    if style == "teen":
        low = text.lower()
        for word, code in TEEN:
            low = re.sub(rf"(?<!\w){word}(?!\w)", code, low)
        return low
    if style == "typo":
        return _typo(text, rng)
    return text


def _render(frame: str, matter: str, rng: random.Random) -> str:
    place = rng.choice(PLACES)
    m = matter.replace("{place}", rng.choice(PLACES))
    text = frame.format(m=m, place=place, actor=rng.choice(ACTORS))
    text = text[0].upper() + text[1:]
    prefix = rng.choice(PREFIXES).replace("{place}", rng.choice(PLACES))
    if prefix and not prefix.endswith(": "):
        text = text[0].lower() + text[1:]
    text = prefix + text
    if rng.random() < 0.05:
        text += rng.choice(CONTACT)
    return _style(text, rng.choice(STYLES), rng)


def build(n_train: int = 2600, n_test: int = 900) -> tuple[list[dict], list[dict]]:
    rng = random.Random(SEED)
    sides: dict[str, list[dict]] = {"train": [], "test": []}
    for side, count in (("train", n_train), ("test", n_test)):
        pairs = []
        for topic, matters in MATTERS.items():
            ms = matters[:-N_TEST_MATTERS] if side == "train" else matters[-N_TEST_MATTERS:]
            for attitude, frames in FRAMES.items():
                fs = frames[:-N_TEST_FRAMES] if side == "train" else frames[-N_TEST_FRAMES:]
                pairs.extend((topic, attitude, m, f) for m in ms for f in fs)
        rng.shuffle(pairs)
        # Balanced over topic x attitude: cycle through the shuffled pairs.
        for i in range(count):
            topic, attitude, matter, frame = pairs[i % len(pairs)]
            sides[side].append(
                {
                    "text": _render(frame, matter, rng),
                    "topic": topic,
                    "attitude": attitude,
                    # Template ids, so that quality can be measured on unseen templates
                    # (``longdan text train --group-field matter``).
                    "matter": f"{topic}/m{MATTERS[topic].index(matter)}",
                    "frame": f"{attitude}/f{FRAMES[attitude].index(frame)}",
                }
            )
    return sides["train"], sides["test"]


def write(folder: Path = HERE) -> None:
    train, test = build()
    for name, rows in (("train.jsonl", train), ("test.jsonl", test)):
        with (folder / name).open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write()
