"""Grouping 100,000 short Vietnamese opinion items into issues (textengine.grouping; no Django).

Target (issue 3): under 60 s on one core. The items are synthetic but written the way residents
write: matters × places × paraphrases, with greetings and closing requests added or not, a share
typed without diacritics, teen-code (ko, dc, j), dropped words and near-copies. The generator's
true group of an item is (matter, place): the same problem at another street is another issue.
Paraphrases of one matter share its key words (ngập, rác, đèn đường, ổ gà…) as real ones do; two
complaints with no word in common are different matters here (a bag-of-words engine cannot know
that "mất trộm" and "nghiện hút" are one "an ninh" issue: the office merges such issues).

Measured in the same run:
* ``Grouper.assign_many`` on all items (time, items/s) and its quality against the true groups
  (pairwise precision/recall/F1 and adjusted Rand index, from scikit-learn);
* baseline 1, the library way: TF-IDF (the same content features) + scikit-learn
  AgglomerativeClustering (cosine, average linkage, distance threshold 0.5) on a subset; its time
  is extrapolated to 100,000 items by its O(n²) cost, and its quality measured on the subset, with
  the Grouper's quality on the same subset beside it;
* baseline 2, datasketch: MinHash.bulk + MinHashLSH insert/query over the same shingles, to show
  what the signature part alone costs with the library.

The grouper is timed on **the texts as the app stores them**: the generated texts first go through
the filing pipeline (``textengine.pipeline.analyse_batch``, what ``textops.services.analyse``
runs: masked and normalised; not timed), because the app's grouping task reads
``OpinionItem.text``, which filing already cleaned. ``--raw`` times the texts as typed instead
(the grouper then normalises them itself; the figures before 2026-12-04 were measured that way).

Run: `.venv/bin/python bench/bench_grouping.py [--items 100000] [--subset 5000] [--raw] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter

from _setup import git_revision, machine

from textengine import pipeline
from textengine.grouping import Grouper, content_features
from textengine.normalize import strip_diacritics
from textengine.signature import shingles

MATTERS: list[list[str]] = [
    [  # flooding
        "{p} ngập nặng mỗi khi mưa to, nước tràn vào nhà dân",
        "Cứ mưa là {p} lại ngập sâu, xe máy chết máy giữa đường",
        "Mưa lớn chiều qua làm {p} ngập gần nửa mét, đề nghị nạo vét cống thoát nước",
        "Cống thoát nước ở {p} bị tắc nên mưa là ngập",
        "{p} ngập úng kéo dài, người dân đi lại rất khó khăn",
    ],
    [  # garbage
        "Rác thải tập kết bừa bãi ở {p}, bốc mùi hôi thối",
        "Điểm tập kết rác tại {p} không được thu gom mấy ngày nay",
        "Xe thu gom rác không đến {p}, rác ùn ứ cả tuần",
        "Ở {p} có người đổ trộm rác thải xây dựng ra vỉa hè",
    ],
    [  # street lights
        "Đèn đường ở {p} hỏng cả tháng nay, tối đi rất nguy hiểm",
        "Đèn chiếu sáng công cộng tại {p} không sáng, đề nghị sửa chữa",
        "{p} tối om vì đèn đường bị cháy bóng, trộm cắp lộng hành",
    ],
    [  # noise / karaoke
        "Hát karaoke ồn ào đến khuya ở {p}, ảnh hưởng giấc ngủ của người già và trẻ nhỏ",
        "Quán karaoke tại {p} mở loa rất to sau 22 giờ",
        "Tiếng ồn karaoke ở {p} kéo dài đến nửa đêm, đề nghị xử lý",
    ],
    [  # sidewalk encroachment
        "Hàng quán lấn chiếm vỉa hè ở {p}, người đi bộ phải xuống lòng đường",
        "Vỉa hè {p} bị chiếm làm chỗ để xe và bán hàng",
        "Tình trạng buôn bán lấn chiếm lòng đường tại {p} gây ùn tắc",
    ],
    [  # road damage
        "Mặt đường {p} xuống cấp, ổ gà ổ voi rất nhiều",
        "{p} hư hỏng nặng, nhiều ổ gà gây tai nạn cho xe máy",
        "Đề nghị sớm sửa chữa mặt đường {p}, đi lại rất khó",
        "Mặt đường {p} bị đào lên rồi bỏ dở, ổ gà khắp nơi",
    ],
    [  # water supply
        "Nước sinh hoạt ở {p} bị mất liên tục, có ngày mất cả ngày",
        "Nước máy tại {p} có màu vàng và mùi lạ",
        "Mấy hôm nay {p} không có nước sạch để dùng",
    ],
    [  # theft
        "Trộm cắp xe máy xảy ra nhiều ở {p}, người dân lo lắng",
        "Gần đây {p} liên tục mất trộm xe máy, đề nghị công an tăng cường tuần tra",
        "Ở {p} kẻ gian bẻ khóa trộm xe máy ngay trước cửa nhà",
    ],
    [  # drugs
        "Tình hình an ninh trật tự ở {p} phức tạp, có đối tượng nghiện hút tụ tập",
        "Đối tượng nghiện ma túy tụ tập ở {p} vào ban đêm, bà con sợ",
    ],
    [  # dogs
        "Chó thả rông không rọ mõm ở {p}, trẻ em bị chó cắn",
        "Nhiều hộ ở {p} thả chó ra đường, phóng uế bừa bãi",
    ],
    [  # construction
        "Công trình xây dựng ở {p} làm nứt tường nhà bên cạnh",
        "Công trình xây dựng tại {p} không che chắn, vật liệu rơi xuống đường",
        "Công trình ở {p} thi công cả ban đêm gây ồn và bụi",
    ],
    [  # school
        "Cổng trường {p} giờ tan học ùn tắc nghiêm trọng",
        "Phụ huynh đỗ xe trước cổng trường {p} gây ùn tắc",
        "Giờ tan học cổng trường {p} tắc đường kéo dài",
    ],
    [  # market hygiene
        "Vệ sinh an toàn thực phẩm ở {p} không được kiểm tra",
        "Thực phẩm bày bán ở {p} không rõ nguồn gốc, không che đậy",
    ],
    [  # power
        "Điện ở {p} bị cắt liên tục không báo trước",
        "Mất điện thường xuyên tại {p}, đồ điện trong nhà bị hỏng",
        "Điện ở {p} chập chờn, mất điện cả buổi tối",
    ],
    [  # trees
        "Cây xanh ở {p} bị nghiêng sắp đổ, mùa mưa bão rất nguy hiểm",
        "Đề nghị cắt tỉa cây xanh trên {p} trước mùa bão",
    ],
]
# Matters about a policy of the whole ward: no place, one issue each.
POLICY: list[list[str]] = [
    [
        "Giá điện tăng cao, hóa đơn tiền điện tháng này tăng gấp đôi",
        "Tiền điện tháng này quá cao so với mọi tháng, đề nghị kiểm tra lại công tơ",
        "Người dân bức xúc vì hóa đơn điện tăng vọt",
    ],
    [
        "Thủ tục cấp giấy chứng nhận quyền sử dụng đất còn chậm, đi lại nhiều lần",
        "Làm sổ đỏ ở phường mất mấy tháng vẫn chưa xong",
    ],
    [
        "Chế độ cho người có công chi trả chậm",
        "Tiền trợ cấp người có công tháng này chưa nhận được",
    ],
    [
        "Giá thịt lợn tăng mạnh, tiểu thương khó khăn",
        "Chợ dạo này thịt lợn đắt quá, bà con nội trợ kêu ca",
    ],
    [
        "Tình trạng lừa đảo qua điện thoại giả danh công an ngày càng nhiều",
        "Nhiều người già bị gọi điện lừa đảo chuyển tiền, đề nghị tuyên truyền",
    ],
    [
        "Người dân phấn khởi vì phường tổ chức tiêm chủng chu đáo",
        "Bà con đánh giá cao việc tiêm vắc xin cho trẻ được làm nhanh gọn",
    ],
]
STREETS = [
    "Nguyễn Trãi", "Lê Lợi", "Trần Hưng Đạo", "Hai Bà Trưng", "Lý Thường Kiệt", "Phan Đình Phùng",
    "Hoàng Diệu", "Quang Trung", "Nguyễn Huệ", "Điện Biên Phủ", "Võ Thị Sáu", "Bà Triệu",
    "Trần Phú", "Lê Duẩn", "Hùng Vương", "Ngô Quyền", "Nguyễn Du", "Hàng Bông", "Tô Hiến Thành",
    "Lạc Long Quân", "Âu Cơ", "Xuân Thủy", "Cầu Giấy", "Kim Mã", "Đội Cấn", "Văn Cao",
    "Thụy Khuê", "Hoàng Hoa Thám", "Nguyễn Chí Thanh", "Láng Hạ",
]
PLACE_FORMS = [
    "phố {s}", "đường {s}", "ngõ {n} {s}", "khu vực {s}", "đoạn đầu phố {s}",
]
ZONES = [f"tổ dân phố {i}" for i in range(1, 16)] + [f"khu phố {i}" for i in range(1, 9)]
SCHOOLS = ["tiểu học Kim Đồng", "THCS Nguyễn Du", "mầm non Hoa Sen", "tiểu học Lê Văn Tám"]
MARKETS = ["chợ Hòa Bình", "chợ Đồng Xuân", "chợ Kim Liên", "chợ Nghĩa Tân"]
OPENERS = [
    "", "", "", "Kính gửi Đảng ủy phường, ", "Bà con phản ánh: ", "Người dân khu phố kiến nghị: ",
    "Cho em hỏi, ", "Xin phản ánh việc ", "Tổ trưởng báo cáo: ",
]
CLOSERS = [
    "", "", "", ". Đề nghị chính quyền sớm xử lý.", ". Mong các cấp quan tâm giải quyết.",
    ", bức xúc lắm rồi!", ". Rất mong được trả lời.", " mà chưa thấy ai giải quyết.",
    ". Đã phản ánh nhiều lần.",
]
TEEN = {"không": "ko", "được": "dc", "gì": "j", "rồi": "r", "quá": "wa", "vậy": "z"}


def _places(rng: random.Random) -> list[tuple[str, str]]:
    """(place key, the ways people write it) for every place."""
    out = []
    for street in STREETS:
        out.append((street, [f.format(s=street, n=rng.randint(2, 200)) for f in PLACE_FORMS]))
    for zone in ZONES:
        out.append((zone, [zone, zone.replace("tổ dân phố", "TDP"), f"khu dân cư {zone}"]))
    return out


def _noisy(text: str, rng: random.Random) -> str:
    words = text.split()
    if rng.random() < 0.25:
        words = [TEEN.get(w, w) for w in words]
    if len(words) > 6 and rng.random() < 0.3:
        del words[rng.randrange(len(words))]
    text = " ".join(words)
    roll = rng.random()
    if roll < 0.4:
        text = strip_diacritics(text)
    if rng.random() < 0.3:
        text = text.lower()
    return text


def generate(n: int, seed: int = 20261015) -> tuple[list[str], list[tuple]]:
    """``n`` items and their true group keys; group sizes follow a heavy tail like real issues.
    A key is (matter, place) followed by the template used, which the coarse truth ignores."""
    rng = random.Random(seed)
    places = _places(rng)
    groups: list[tuple] = []
    for m, templates in enumerate(MATTERS):
        forms: list[tuple[str, list[str]]] = places
        if m == 11:
            forms = [(s, [s]) for s in SCHOOLS]
        elif m == 12:
            forms = [(s, [s]) for s in MARKETS]
        for key, writings in forms:
            groups.append((("m", m, key), templates, writings))
    for p, templates in enumerate(POLICY):
        groups.append((("p", p), templates, [""]))
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(groups))]
    rng.shuffle(weights)
    texts, truth = [], []
    previous: list[tuple[str, tuple]] = []
    for _ in range(n):
        if previous and rng.random() < 0.08:  # a near-copy: forwarded, re-posted
            text, key = rng.choice(previous[-2000:])
            texts.append(_noisy(text, rng) + rng.choice(["", " !", " (chia sẻ lại)"]))
            truth.append(key)
            continue
        group_key, templates, writings = rng.choices(groups, weights)[0]
        t = rng.randrange(len(templates))
        key = (*group_key, t)
        body = templates[t].format(p=rng.choice(writings))
        text = rng.choice(OPENERS) + body + rng.choice(CLOSERS)
        text = _noisy(text, rng)
        texts.append(text)
        truth.append(key)
        previous.append((text, key))
    return texts, truth


def pair_scores(truth: list, pred: list) -> dict[str, float]:
    """Pairwise precision, recall, F1 (over all item pairs) and adjusted Rand index."""
    from sklearn.metrics import adjusted_rand_score

    def pairs(counter):
        return sum(c * (c - 1) // 2 for c in counter.values())

    both = pairs(Counter(zip(truth, pred, strict=True)))
    same_true, same_pred = pairs(Counter(truth)), pairs(Counter(pred))
    precision = both / same_pred if same_pred else 1.0
    recall = both / same_true if same_true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    codes = {k: i for i, k in enumerate(dict.fromkeys(truth))}
    ari = adjusted_rand_score([codes[t] for t in truth], pred)
    return {"precision": precision, "recall": recall, "f1": f1, "ari": ari}


def run_grouper(texts: list[str], **kwargs) -> tuple[float, list[int]]:
    seconds, _cpu, pred = run_grouper_timed(texts, **kwargs)
    return seconds, pred


def run_grouper_timed(texts: list[str], **kwargs) -> tuple[float, float, list[int]]:
    """(wall seconds, CPU seconds of this process, issue of each item). On a shared machine the
    CPU time is what the grouper itself cost; the wall time adds the waiting for a core."""
    grouper = Grouper(**kwargs)
    start, cpu = time.perf_counter(), time.process_time()
    pred = grouper.assign_many((i, t, None) for i, t in enumerate(texts))
    return time.perf_counter() - start, time.process_time() - cpu, pred


def run_agglomerative(texts: list[str]) -> tuple[float, list[int]]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    start = time.perf_counter()
    vectors = TfidfVectorizer(analyzer=content_features).fit_transform(texts).toarray()
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=0.5
    )
    labels = model.fit_predict(vectors)
    return time.perf_counter() - start, labels.tolist()


def run_datasketch(texts: list[str]) -> float | None:
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        return None
    start = time.perf_counter()
    sets = [[s.encode("utf-8") for s in shingles(t)] for t in texts]
    hashes = MinHash.bulk(sets, num_perm=64)
    lsh = MinHashLSH(threshold=0.7, num_perm=64)
    for i, h in enumerate(hashes):
        lsh.query(h)
        lsh.insert(i, h, check_duplication=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=5_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--raw", action="store_true",
        help="group the texts as typed, not as filing stores them (masked and normalised)",
    )
    args = parser.parse_args()

    texts, fine = generate(args.items)
    if not args.raw:  # what OpinionItem.text holds: the filing pipeline's output (not timed)
        texts = [a.text for a in pipeline.analyse_batch(texts, None, None)]
    truth = [k[:-1] for k in fine]  # (matter, place): what an office calls one issue
    load_before = os.getloadavg()
    seconds, cpu_seconds, pred = run_grouper_timed(texts)
    load_after = os.getloadavg()
    quality = pair_scores(truth, pred)
    fine_quality = pair_scores(fine, pred)

    sub_texts, sub_truth = texts[: args.subset], truth[: args.subset]
    _s, sub_pred = run_grouper(sub_texts)
    sub_quality = pair_scores(sub_truth, sub_pred)
    agg_seconds, agg_pred = run_agglomerative(sub_texts)
    agg_quality = pair_scores(sub_truth, agg_pred)
    agg_extrapolated = agg_seconds * (args.items / args.subset) ** 2
    ds_seconds = run_datasketch(texts)

    result = {
        "machine": machine(),
        "revision": git_revision(),
        "items": args.items,
        "texts": "as typed" if args.raw else "as stored (filing pipeline output)",
        "true_groups": len(set(truth)),
        "load_average_1_5_15": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        "grouper": {
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu_seconds, 2),
            "items_per_second": round(args.items / seconds),
            "issues": len(set(pred)),
            **{k: round(v, 4) for k, v in quality.items()},
            "against_matter_place_wording": {k: round(v, 4) for k, v in fine_quality.items()},
        },
        "subset": args.subset,
        "grouper_on_subset": {k: round(v, 4) for k, v in sub_quality.items()},
        "agglomerative_on_subset": {
            "seconds": round(agg_seconds, 2),
            "extrapolated_seconds_for_all": round(agg_extrapolated),
            **{k: round(v, 4) for k, v in agg_quality.items()},
        },
        "datasketch_minhash_lsh_seconds": None if ds_seconds is None else round(ds_seconds, 2),
        "target_seconds": 60,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        g, a = result["grouper"], result["agglomerative_on_subset"]
        print(result["machine"], "·", result["revision"])
        print(f"{args.items} ý kiến ({result['texts']}), {result['true_groups']} nhóm thật")
        load = result["load_average_1_5_15"]
        print(f"Tải máy (1/5/15 phút) trước/sau: {load['before']} / {load['after']}")
        print(f"Grouper: {g['seconds']} s ({g['items_per_second']}/s; CPU {g['cpu_seconds']} s), "
              f"{g['issues']} vấn đề, "
              f"F1 cặp {g['f1']}, ARI {g['ari']} (P {g['precision']}, R {g['recall']})")
        f = g["against_matter_place_wording"]
        print(f"  so với nhóm (vấn đề, nơi, cách viết): F1 cặp {f['f1']}, ARI {f['ari']} "
              f"(P {f['precision']}, R {f['recall']})")
        s = result["grouper_on_subset"]
        print(f"Trên {args.subset} ý kiến đầu: Grouper F1 {s['f1']}, ARI {s['ari']}; "
              f"Agglomerative {a['seconds']} s (ngoại suy {a['extrapolated_seconds_for_all']} s "
              f"cho {args.items}), F1 {a['f1']}, ARI {a['ari']}")
        if ds_seconds is not None:
            ds = result["datasketch_minhash_lsh_seconds"]
            print(f"datasketch MinHash+LSH riêng phần chữ ký: {ds} s")
    return 0 if seconds < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
