"""The synthesis module on a ward (55 units) and a city (6,300 units): merging statements and
recommendations, choosing whole sentences (synthesis; no Django).

Each generated unit reports about six opinion statements and two or three recommendations, drawn
from matters of a dozen topics. A matter has a few paraphrases, and every statement is varied the
way units write: words left out, a place added ("ở tổ 7"), a share typed without diacritics, an
opening phrase or not. The generator's true matter of each statement lets the run report how
many merged statements there are against how many matters were used (fewer merged statements than
matters would mean different matters glued together; many more, paraphrases left apart).

Run: `.venv/bin/python bench/bench_synthesis.py [--units 55 6300] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import random
import time

from _setup import git_revision, machine

from synthesis import Statement, fit_sentences, merge_recommendations, merge_statements
from textengine.normalize import strip_diacritics

MATTERS = {
    "Môi trường": [
        ["Người dân bức xúc vì tình trạng ngập úng kéo dài sau mưa lớn",
         "Nhân dân phản ánh ngập úng sau các trận mưa lớn, nước tràn vào nhà"],
        ["Rác thải tồn đọng lâu ngày tại điểm tập kết gây mùi hôi",
         "Người dân phản ánh rác thải tồn đọng, không được thu gom đúng giờ"],
    ],
    "An ninh trật tự": [
        ["Nhiều người lo lắng trước các thủ đoạn lừa đảo qua mạng giả danh công an",
         "Người dân lo ngại tình trạng lừa đảo qua mạng, giả danh cơ quan chức năng"],
        ["Người dân phản ánh tình trạng mất trộm xe máy vào ban đêm",
         "Nhân dân lo lắng vì xảy ra nhiều vụ trộm cắp xe máy ban đêm"],
    ],
    "Giá cả, đời sống": [
        ["Người dân băn khoăn về giá điện tăng cao trong các tháng nắng nóng",
         "Nhân dân phản ánh hóa đơn tiền điện tăng mạnh so với tháng trước"],
        ["Tiểu thương lo lắng về quy hoạch chợ tạm, chưa rõ thời gian di dời",
         "Các hộ kinh doanh ở chợ băn khoăn vì chưa có thông tin về việc di dời chợ tạm"],
    ],
    "Giáo dục": [
        ["Phụ huynh băn khoăn về các khoản thu đầu năm học",
         "Cha mẹ học sinh phản ánh nhiều khoản thu đầu năm học chưa được công khai"],
    ],
    "Y tế": [
        ["Người dân lo lắng về dịch sốt xuất huyết gia tăng trên địa bàn",
         "Nhân dân lo ngại số ca sốt xuất huyết tăng, nhiều ổ bọ gậy"],
        ["Người cao tuổi phản ánh thủ tục gia hạn thẻ bảo hiểm y tế còn phức tạp",
         "Nhân dân băn khoăn việc gia hạn thẻ bảo hiểm y tế mất nhiều thời gian"],
    ],
    "Chính trị": [
        ["Nhân dân phấn khởi trước kết quả Ngày hội Đại đoàn kết toàn dân tộc",
         "Người dân đồng tình, phấn khởi với Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư"],
        ["Đảng viên, nhân dân quan tâm theo dõi việc sắp xếp đơn vị hành chính",
         "Cán bộ, nhân dân quan tâm đến việc sắp xếp, sáp nhập đơn vị hành chính"],
    ],
    "Hạ tầng": [
        ["Tuyến đường liên tổ xuống cấp, nhiều ổ gà gây mất an toàn giao thông",
         "Người dân phản ánh đường liên tổ dân phố hư hỏng, nhiều ổ gà"],
        ["Đèn chiếu sáng ngõ hỏng nhiều ngày chưa được sửa chữa",
         "Nhân dân phản ánh hệ thống đèn chiếu sáng trong ngõ bị hỏng kéo dài"],
    ],
    "Việc làm": [
        ["Công nhân lo lắng vì doanh nghiệp cắt giảm đơn hàng, giảm giờ làm",
         "Người lao động băn khoăn khi nhiều doanh nghiệp giảm giờ làm, thu nhập giảm"],
    ],
}
REQUESTS = [
    ["Đề nghị tăng cường tuyên truyền nhận diện thủ đoạn lừa đảo qua mạng trên loa truyền thanh",
     "Kiến nghị đẩy mạnh tuyên truyền để người dân nhận diện các thủ đoạn lừa đảo qua mạng"],
    ["Đề nghị UBND phường chỉ đạo bố trí lịch thu gom rác cố định, đúng giờ",
     "Kiến nghị UBND phường bố trí lịch thu gom rác cố định trong ngày"],
    ["Đề nghị nạo vét, cải tạo hệ thống cống thoát nước tại các ngõ trũng thấp",
     "Kiến nghị sớm nạo vét cống thoát nước ở các ngõ hay bị ngập"],
    ["Đề nghị ngành điện tuyên truyền rõ cách tính giá điện bậc thang",
     "Kiến nghị ngành điện giải thích cách tính tiền điện bậc thang cho nhân dân"],
    ["Đề nghị Ủy ban MTTQ phường tiếp tục vận động hỗ trợ sửa chữa nhà cho hộ nghèo",
     "Kiến nghị Mặt trận phường vận động nguồn lực sửa nhà cho hộ khó khăn"],
    ["Đề nghị Đảng ủy phường hướng dẫn việc miễn sinh hoạt đảng đối với đảng viên cao tuổi",
     "Kiến nghị Đảng ủy hướng dẫn thủ tục miễn sinh hoạt cho đảng viên tuổi cao, sức yếu"],
    ["Đề nghị UBND phường sớm thông tin về quy hoạch chợ tạm để tiểu thương yên tâm",
     "Kiến nghị UBND phường công khai kế hoạch di dời chợ tạm cho các hộ kinh doanh"],
    ["Đề nghị cấp có thẩm quyền sớm hướng dẫn chế độ đối với cán bộ dôi dư sau sắp xếp",
     "Kiến nghị cấp trên sớm có hướng dẫn chế độ cho cán bộ không phần công tác sau sắp xếp"],
]
OPENINGS = ["", "Trong tháng, ", "Qua nắm bắt, ", "Tại khu dân cư, "]
ATTITUDES = ["dong_tinh", "ban_khoan", "buc_xuc", "phan_doi"]


def _vary(rng: random.Random, text: str) -> str:
    words = text.split()
    if len(words) > 8 and rng.random() < 0.4:
        del words[rng.randrange(2, len(words) - 1)]
    out = rng.choice(OPENINGS) + " ".join(words)
    if rng.random() < 0.3:
        out += f" ở tổ {rng.randint(1, 30)}"
    out = out[0].upper() + out[1:] + "."
    return strip_diacritics(out) if rng.random() < 0.1 else out


def generate(units: int, seed: int = 2026) -> tuple[list[Statement], list[Statement], int, int]:
    rng = random.Random(seed)
    matters = [(topic, m) for topic, ms in MATTERS.items() for m in ms]
    statements: list[Statement] = []
    recommendations: list[Statement] = []
    used_matters: set[int] = set()
    used_requests: set[int] = set()
    for u in range(units):
        unit = f"Chi bộ {u + 1:04}"
        for k, m in enumerate(rng.sample(range(len(matters)), 6)):
            used_matters.add(m)
            topic, paraphrases = matters[m]
            statements.append(Statement(
                _vary(rng, rng.choice(paraphrases)), (unit, "stream", k), unit, topic=topic,
                attitude=rng.choice(ATTITUDES),
            ))
        for k, r in enumerate(rng.sample(range(len(REQUESTS)), rng.randint(2, 3))):
            used_requests.add(r)
            recommendations.append(Statement(
                _vary(rng, rng.choice(REQUESTS[r])), (unit, "kien_nghi", k), unit))
    return statements, recommendations, len(used_matters), len(used_requests)


def _timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def run(units: int) -> dict:
    statements, recommendations, matters, requests = generate(units)
    merged, t_merge = _timed(merge_statements, statements)
    recs, t_recs = _timed(merge_recommendations, recommendations)
    texts = [" ".join(s.text for s in statements[i:i + 6]) for i in range(0, len(statements), 6)]
    _fitted, t_fit = _timed(lambda: [fit_sentences(t, 40) for t in texts])
    return {
        "units": units, "statements": len(statements), "recommendations": len(recommendations),
        "matters_used": matters, "merged_statements": len(merged),
        "requests_used": requests, "merged_recommendations": len(recs),
        "merge_statements_s": round(t_merge, 3), "merge_recommendations_s": round(t_recs, 3),
        "fit_sentences_all_units_s": round(t_fit, 3),
        "largest": merged[0].label if merged else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="+", default=[55, 6300])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [run(n) for n in args.units]
    if args.json:
        print(json.dumps({"machine": machine(), "revision": git_revision(), "runs": results},
                         ensure_ascii=False, indent=1))
        return
    print(f"{machine()} · {git_revision()}")
    for r in results:
        print(
            f"{r['units']:>5} units: {r['statements']} statements -> {r['merged_statements']} "
            f"merged ({r['matters_used']} matters) in {r['merge_statements_s']} s; "
            f"{r['recommendations']} recommendations -> {r['merged_recommendations']} merged "
            f"({r['requests_used']} requests) in {r['merge_recommendations_s']} s; "
            f"fit_sentences on every unit {r['fit_sentences_all_units_s']} s"
        )
        print(f"       largest: {r['largest']}")


if __name__ == "__main__":
    main()
