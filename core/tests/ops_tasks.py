"""A task for the tests of ``core.worker``: records each run."""

from django_tasks import task

RUNS: list[str] = []


@task()
def record_run(name: str) -> str:
    RUNS.append(name)
    return name


@task()
def slow_once(folder: str) -> str:
    """The first run starts and hangs (to be killed mid-task); a second run finishes at once.
    Each run leaves a line in ``folder``/runs, so the test sees how often it ran."""
    import time
    from pathlib import Path

    runs = Path(folder) / "runs"
    first = not runs.exists()
    with runs.open("a") as out:
        out.write("start\n")
    if first:
        time.sleep(600)
    with runs.open("a") as out:
        out.write("finish\n")
    return "done"
