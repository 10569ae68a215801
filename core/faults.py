"""Pause points for the fault tests (issue 10): where a background task stops, deterministically,
so that a test can kill its worker with SIGKILL at exactly that step.

``pause("name")`` does nothing unless the process was started with ``LONGDAN_FAULT_POINT=name``
(and ``LONGDAN_FAULT_DIR``): then it writes the file ``LONGDAN_FAULT_DIR/name`` and waits for
ever, still inside whatever transaction its caller holds, until the test kills the process. No
production setting turns it on; the cost when off is one environment lookup. The points are
named after the step they stop in (``issues.grouping.before_commit``, ...), and the tests in
``longdan/tests/test_task_faults.py`` name each one.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

POINT_ENV, DIR_ENV = "LONGDAN_FAULT_POINT", "LONGDAN_FAULT_DIR"


def pause(name: str) -> None:
    if os.environ.get(POINT_ENV) != name:
        return
    folder = Path(os.environ.get(DIR_ENV) or ".")
    (folder / name).write_text(str(os.getpid()), encoding="utf-8")
    while True:  # until SIGKILL
        time.sleep(3600)
