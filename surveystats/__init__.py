"""Survey statistics for Lòng Dân: weighting, estimates, cross-tabs, consensus. No Django.

The Django side (surveys app) and the ``longdan survey weigh|estimate`` command both use this
package; see each module's docstring for the formulas and how they match samplics.
"""

from surveystats._core import SurveyStatsError
from surveystats.consensus import (
    GroupAgreement,
    StatementConsensus,
    group_consensus,
    votes_from_answers,
)
from surveystats.crosstab import ChiSquareTest, Crosstab, crosstab
from surveystats.estimate import (
    Estimate,
    EstimateError,
    Frequency,
    MeanEstimate,
    estimate_mean,
    estimate_proportions,
    estimate_select_multiple,
    estimates_from_codes,
    unweighted_frequencies,
)
from surveystats.frequencies import frequency_tables
from surveystats.table import (
    MarginsFile,
    ResponseTable,
    TableError,
    WeightsFile,
    read_margins,
    read_response_table,
    read_weights,
    write_weights,
)
from surveystats.weighting import (
    RakingNotConverged,
    RakingResult,
    WeightingError,
    WeightSummary,
    poststratify,
    rake,
    rake_detailed,
    weight_summary,
)

__all__ = [
    "ChiSquareTest",
    "Crosstab",
    "Estimate",
    "EstimateError",
    "Frequency",
    "GroupAgreement",
    "MarginsFile",
    "MeanEstimate",
    "RakingNotConverged",
    "RakingResult",
    "ResponseTable",
    "StatementConsensus",
    "SurveyStatsError",
    "TableError",
    "WeightSummary",
    "WeightingError",
    "WeightsFile",
    "crosstab",
    "estimate_mean",
    "estimate_proportions",
    "estimate_select_multiple",
    "estimates_from_codes",
    "frequency_tables",
    "group_consensus",
    "poststratify",
    "rake",
    "rake_detailed",
    "read_margins",
    "read_response_table",
    "read_weights",
    "unweighted_frequencies",
    "votes_from_answers",
    "weight_summary",
    "write_weights",
]
