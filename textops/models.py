"""The text engine's saved state, shared by every worker (the grouper; locks of engine jobs)."""

from __future__ import annotations

from django.db import models


class EngineState(models.Model):
    """Saved state of the text engine (the grouper; trained models), shared by every worker.

    The table kept its name from the issues app, where the model lived first."""

    name = models.CharField(max_length=40, unique=True)
    data = models.BinaryField()
    version = models.PositiveIntegerField(default=1)
    meta = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "issues_enginestate"

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
