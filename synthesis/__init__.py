"""Synthesis of what units say into what the office reports (a pure package: no Django import).

sentences        — Vietnamese sentence splitting; whole sentences chosen to fit a length
vectors          — TF-IDF (syllables + character n-grams of the folded content words) and pairs
merge            — Statement, Merged, merge_statements: near-identical statements become one
recommendations  — addressee detection and merge_recommendations (grouped by addressee)
quotes           — quote_candidates: representative whole sentences in the units' own words

Everything is deterministic and offline (scikit-learn's TF-IDF, no model download). The same
module serves the monthly consolidated report, the weekly brief, the 6-month and annual reports
and the picture's "what people say".
"""

from synthesis.merge import DEFAULT_THRESHOLD, Merged, Statement, merge_statements
from synthesis.quotes import Quote, quote_candidates
from synthesis.recommendations import (
    ADDRESSEE_LABELS,
    ADDRESSEES,
    OTHER,
    detect_addressee,
    merge_recommendations,
    request_text,
)
from synthesis.sentences import fit_sentences, join_sentences, split_sentences, word_count

__all__ = [
    "ADDRESSEES",
    "ADDRESSEE_LABELS",
    "DEFAULT_THRESHOLD",
    "Merged",
    "OTHER",
    "Quote",
    "Statement",
    "detect_addressee",
    "fit_sentences",
    "join_sentences",
    "merge_recommendations",
    "merge_statements",
    "quote_candidates",
    "request_text",
    "split_sentences",
    "word_count",
]
