"""A task for the tests of ``core.worker``: records each run."""

from django_tasks import task

RUNS: list[str] = []


@task()
def record_run(name: str) -> str:
    RUNS.append(name)
    return name
