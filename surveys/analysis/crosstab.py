"""Cross-tabulation of two single-choice questions, with its test read in plain Vietnamese."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from surveys.analysis.frame import ResponseTable, categories_of, rank_first
from surveys.analysis.questions import QuestionInfo
from surveystats import crosstab


@dataclass
class CrosstabResult:
    row_question: QuestionInfo
    col_question: QuestionInfo
    row_labels: list[str]
    col_labels: list[str]
    counts: list[list[int]]
    row_percent: list[list[float]]
    row_totals: list[int]
    col_totals: list[int]
    n: int
    weighted: bool
    method: str = ""
    statistic: float | None = None
    df: int | None = None
    p_value: float | None = None
    reading: str = ""
    caution: str = ""


def _p_text(p: float) -> str:
    if p < 0.001:
        return "p < 0,001"
    return f"p = {p:.3f}".replace(".", ",")


def significance_reading(p_value: float | None, row_label: str, col_label: str) -> str:
    """The test result in plain Vietnamese."""
    if p_value is None or math.isnan(p_value):
        return "Không đủ dữ liệu để kiểm định (cần ít nhất hai nhóm có người trả lời mỗi chiều)."
    if p_value < 0.05:
        return (
            f"Có sự khác biệt có ý nghĩa thống kê ({_p_text(p_value)}): cách trả lời câu “"
            f"{col_label}” khác nhau giữa các nhóm của câu “{row_label}”. Khả năng khác biệt"
            " này chỉ do ngẫu nhiên khi chọn mẫu là dưới 5%."
        )
    return (
        f"Chưa thấy khác biệt có ý nghĩa thống kê ({_p_text(p_value)}): chênh lệch giữa các"
        f" nhóm của câu “{row_label}” có thể chỉ do ngẫu nhiên khi chọn mẫu, chưa đủ căn cứ"
        " để kết luận các nhóm trả lời khác nhau."
    )


def crosstab_result(table: ResponseTable, row_question: QuestionInfo,
                    col_question: QuestionInfo, weights: np.ndarray | None = None,
                    mask: np.ndarray | None = None) -> CrosstabResult:
    mask = np.ones(table.n, dtype=bool) if mask is None else mask
    rows = table.column(row_question.name)[mask]
    cols = table.column(col_question.name)[mask]
    if row_question.type == "rank":
        rows = rank_first(rows)
    if col_question.type == "rank":
        cols = rank_first(cols)
    w = None if weights is None else np.asarray(weights, dtype=float)[mask]
    row_cats = categories_of(row_question, set(rows.tolist()) - {None})
    col_cats = categories_of(col_question, set(cols.tolist()) - {None})
    result = crosstab(rows, cols, w, row_categories=row_cats, col_categories=col_cats)
    counts = np.asarray(result.counts)
    out = CrosstabResult(
        row_question=row_question, col_question=col_question,
        row_labels=[row_question.label_of(c) for c in result.row_categories],
        col_labels=[col_question.label_of(c) for c in result.col_categories],
        counts=counts.astype(int).tolist(),
        row_percent=np.nan_to_num(np.asarray(result.row_percent)).tolist(),
        row_totals=counts.sum(axis=1).astype(int).tolist(),
        col_totals=counts.sum(axis=0).astype(int).tolist(),
        n=int(counts.sum()),
        weighted=w is not None,
    )
    test = result.test
    if test is not None:
        out.method = "Rao–Scott (có trọng số)" if test.method == "rao-scott" else "Pearson"
        out.statistic = float(test.statistic)
        out.df = int(test.df)
        out.p_value = float(test.p_value)
    out.reading = significance_reading(out.p_value, row_question.label, col_question.label)
    if out.n:
        rt = counts.sum(axis=1, keepdims=True)
        ct = counts.sum(axis=0, keepdims=True)
        used = (rt > 0) & (ct > 0)
        expected = rt * ct / out.n
        if np.any(expected[used] < 5):
            out.caution = (
                "Có ô có tần số kỳ vọng dưới 5: kết quả kiểm định khi bình phương cần đọc thận"
                " trọng; nên gộp bớt phương án hoặc thu thêm phiếu."
            )
    return out
