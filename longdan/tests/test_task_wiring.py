"""Tasks are imported plainly: a renamed or moved task fails here, not silently at run time."""

from __future__ import annotations

import importlib

import pytest
from django.utils.module_loading import import_string

from longdan.commands.serve import PERIODIC_TASKS

TASK_MODULES = ["intake.tasks", "issues.tasks", "reporting.tasks", "picture.tasks",
                "monitoring.tasks"]


@pytest.mark.parametrize("name", TASK_MODULES)
def test_task_modules_import(name):
    importlib.import_module(name)


@pytest.mark.parametrize("path", [*PERIODIC_TASKS, "issues.tasks.group_items"])
def test_every_task_the_app_enqueues_exists(path):
    assert callable(import_string(path).enqueue)


def test_filing_enqueues_grouping_without_a_guard(db, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    from intake import services
    from issues import services as issue_services

    seen = []
    monkeypatch.setattr(
        issue_services,
        "group_pending_items",
        lambda: seen.append(True) or issue_services.GroupingRun(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_filed([1])
        services.announce_filed([2])  # the same transaction: one announcement
    assert seen == [True]  # the test settings run tasks at once
