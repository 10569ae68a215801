"""Hypothesis example counts for the text engine's property tests.

In the suite each property runs a moderate number of examples (the whole textengine run stays
well under 30 s). For a thorough local hunt, scale every count up at once::

    TEXTENGINE_HYPOTHESIS_EXAMPLES=5000 .venv/bin/pytest -q textengine/tests/test_normalize.py \\
        textengine/tests/test_mask.py textengine/tests/test_pipeline.py

``examples(n)`` gives settings with ``max(n, that number)`` examples and no deadline (the first
call of a cached function can be slow on a busy machine). Failures found this way are pinned as
``@example`` regression cases in the tests.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

THOROUGH = int(os.environ.get("TEXTENGINE_HYPOTHESIS_EXAMPLES", "0") or 0)


def examples(n: int) -> settings:
    return settings(
        max_examples=max(n, THOROUGH),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow] if THOROUGH else [],
    )
