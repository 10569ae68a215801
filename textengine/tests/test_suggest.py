"""Suggestion from day one (lexicon), with a model, and the batch pipeline."""

import json
import time
from pathlib import Path

import pytest

from textengine import lexicon
from textengine.model import train
from textengine.pipeline import analyse_batch
from textengine.suggest import Suggester, suggest
from textengine.tokenize import tokens

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_every_topic_and_attitude_has_a_lexicon_file():
    assert set(lexicon.default("topic").labels) == set(lexicon.TOPICS)
    assert set(lexicon.default("attitude").labels) == set(lexicon.ATTITUDES)
    for kind in lexicon.KINDS:
        found = {c.label for cues in lexicon.default(kind).index.values() for c in cues}
        assert found == set(lexicon.default(kind).labels), kind


@pytest.mark.parametrize(
    ("text", "topic", "attitude"),
    [
        ("Rác thải ở tổ dân phố 7 bốc mùi, bức xúc lắm!", "moi_truong", "buc_xuc"),
        ("rac thai o to dan pho 7 boc mui, buc xuc lam!", "moi_truong", "buc_xuc"),
        ("Bà con phấn khởi vì được miễn học phí", "giao_duc", "dong_tinh"),
        ("Dân ko đồng tình vs mức đền bù GPMB", "kinh_te_xa_hoi", "phan_doi"),
        ("Lo lắng về thẻ BHYT của người cao tuổi", "y_te", "ban_khoan"),
    ],
)
def test_lexicon_only_from_day_one(text, topic, attitude):
    s = suggest(text)
    assert (s.topic.label, s.attitude.label) == (topic, attitude)
    assert s.topic.cues and s.topic.source == "lexicon"


def test_longest_cue_wins_negation():
    s = suggest("Chúng tôi không đồng tình với phương án này")
    assert s.attitude.label == "phan_doi"
    assert "không đồng tình" in s.attitude.cues


def test_nothing_to_go_on():
    s = suggest("😀😀")
    assert s.topic.label is None and s.topic.score == 0.0


def test_teencode_expanded():
    assert tokens("ko đc j, mn ơi") == ["khong", "duoc", "gi", "moi", "nguoi", "oi"]
    assert tokens("quáaaaa kkkk") == ["qua", "haha"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    rows = [json.loads(line) for line in (CORPUS / "train.jsonl").open(encoding="utf-8")]
    for field in ("topic", "attitude"):
        train(
            [r["text"] for r in rows],
            [r[field] for r in rows],
            root / field,
            label_field=field,
            folds=2,
        )
    return Suggester.from_root(root)


def test_model_combined_and_explained(trained):
    s = trained.suggest("Nước thải xưởng nhựa xả ra kênh, dân kêu mãi không ai giải quyết")
    assert s.topic.label == "moi_truong" and s.topic.source.startswith("model")
    assert s.topic.cues
    assert 0 < s.topic.score <= 1


def test_single_suggestion_is_fast(trained):
    text = "Đường ngõ 25 ngập úng mỗi khi mưa to, bà con bức xúc lắm"
    trained.suggest(text)
    times = []
    for _ in range(300):
        start = time.perf_counter()
        trained.suggest(text)
        times.append(time.perf_counter() - start)
    times.sort()
    assert times[int(len(times) * 0.95)] < 0.005  # bar is 1 ms; loose here for a busy CI box


def test_pipeline_masks_before_analysis(trained):
    out = analyse_batch(["Gọi 0912 345 678 báo rác ở tổ 5 bốc mùi", "", "😡"], trained)
    assert "0912" not in out[0].text and "345" not in out[0].folded
    assert out[0].masked == ("phone",)
    assert out[0].topic == "moi_truong"
    assert out[1].text == "" and out[2].text == "😡"


def test_pipeline_matches_single_suggestions(trained):
    rows = [json.loads(line) for line in (CORPUS / "test.jsonl").open(encoding="utf-8")][:200]
    batch = analyse_batch([r["text"] for r in rows], trained, signature_fn=None)
    for row, a in zip(rows, batch, strict=True):
        s = trained.suggest(row["text"])
        assert (a.topic, a.attitude) == (s.topic.label, s.attitude.label)


def _written_in(cue: str, text: str) -> bool:
    """The cue is a run of the text's own words, as written (case aside)."""
    words = [w.strip(".,!?;:()") for w in text.lower().split()]
    parts = cue.lower().split()
    return any(words[i : i + len(parts)] == parts for i in range(len(words)))


@pytest.mark.parametrize("text", [
    "số tiền điện tăng gấp đôi",  # "số" folds like the cue "sợ": the evidence says "số"
    "Bà con buc xuc, số tiền điện tăng!",
    "rac thai o to dan pho 7 boc mui, buc xuc lam!",
    "Dân ko đồng tình vs mức đền bù GPMB",
    "Chúng tôi không đồng tình với phương án này",
])
def test_evidence_words_come_from_the_text(text, trained):
    for suggestion in (suggest(text), trained.suggest(text)):
        for label in (suggestion.topic, suggestion.attitude):
            assert label.cues or label.label is None
            for cue in label.cues:
                assert _written_in(cue, text), (text, label.label, cue)
    assert "sợ" not in suggest("số tiền điện tăng gấp đôi").attitude.cues
    assert suggest("Bà con buc xuc lắm").attitude.cues == ("buc xuc",)


def test_a_word_written_with_other_marks_is_not_the_cue():
    """Folded matching lets "so" stand for "sợ"; a text that writes "số" does not say "sợ", and
    since issue 9 "so" typed without marks does not either: the cue is marked "có dấu" (in the
    training texts "so" is far more often "số" or "sở"). Other cues still match without marks."""
    texts = ["số tiền điện tăng gấp đôi", "Tôi sợ lắm", "so tien dien tang, so qua", "đc",
             "ba con lo lang qua"]
    lexicon_only = [suggest(t).attitude.label for t in texts]
    assert lexicon_only[:3] == [None, "ban_khoan", None]
    assert lexicon_only[4] == "ban_khoan"
    # The batch pipeline reads the same cues, so it gives the same labels.
    assert [a.attitude for a in analyse_batch(texts, None, None)] == lexicon_only
    assert lexicon.default("attitude").conflicts("số") == (True,)
    assert lexicon.default("attitude").conflicts("đc") == (False,)  # teen-code: no marks to read
    assert lexicon.default("attitude").conflicts("so") == (True,)  # "sợ" is marked "có dấu"
    assert lexicon.default("attitude").conflicts("lo") == (False,)


def test_a_cue_marked_co_dau_needs_its_marks(tmp_path):
    """A lexicon line "phrase TAB weight TAB có dấu": the one-syllable cue matches the word
    written with its marks only; unmarked cues and phrases still match typed without marks."""
    folder = tmp_path / "attitude"
    folder.mkdir()
    (folder / "ban_khoan.txt").write_text(
        "# name: băn khoăn\nsợ\t1.5\tcó dấu\nsợ rằng\t2\nlo\t1\n", encoding="utf-8"
    )
    lex = lexicon.load("attitude", tmp_path)
    assert lex.marked_only == {"so"}
    assert lex.conflicts("so") == (True,) and lex.conflicts("sợ") == (False,)
    assert lex.conflicts("số") == (True,) and lex.conflicts("lo") == (False,)
    assert [c.phrase for c, _ in lex.match(["so", "rang"])] == ["sợ rằng"]
