"""The bounded, reproducible Hypothesis profile of the parser property tests (issue 10).

Every parser of user input (periods, spreadsheet and CSV imports, XLSForms, GeoJSON) has a
property test: whatever a person uploads or types, the parser either reads it or refuses it with
the module's own error and a Vietnamese message, never another exception. In CI each property runs
a fixed, derandomized set of examples (the same every run, no example database), so a file of them
stays within a few seconds. For a longer local hunt scale every count up at once::

    LONGDAN_FUZZ_EXAMPLES=2000 PYTHONPATH=$PWD .venv/bin/python -m pytest -q -p no:cacheprovider \\
        reporting/tests/test_periods_properties.py

and pin anything found as an ``@example`` in the test.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, settings

THOROUGH = int(os.environ.get("LONGDAN_FUZZ_EXAMPLES", "0") or 0)

# A letter only Vietnamese writes (ă â đ ê ô ơ ư, or a vowel with a tone mark): the sentence is
# the project's own, not an English message of a library passed through.
_VIETNAMESE = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
    re.IGNORECASE,
)


def fuzz(n: int, *, db: bool = False) -> settings:
    """Settings for a property: ``n`` examples (or the thorough count), derandomized (a fixed
    seed: the same examples in every run), no deadline (a busy CI machine), no example
    database. ``db=True`` for a property that uses a pytest-django database fixture: the
    examples share the test's transaction, which is what the property checks (a refused file
    leaves the counts as they were)."""
    checks = [HealthCheck.too_slow, HealthCheck.data_too_large]
    if db:
        checks.append(HealthCheck.function_scoped_fixture)
    return settings(
        max_examples=max(n, THOROUGH),
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=checks,
        print_blob=True,
    )


def assert_vietnamese(message: str) -> None:
    """A message meant for a person: not empty, and written in Vietnamese."""
    assert isinstance(message, str) and message.strip(), f"empty message: {message!r}"
    assert _VIETNAMESE.search(message), f"not a Vietnamese message: {message!r}"
