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


class TextModel(models.Model):
    """One trained version of a text model (topic or attitude), kept in the database so every
    machine of an installation uses the same one (issue 10): the version's files as one zip
    (``meta.json``, ``vocab.json``, ``weights.npy``, ``bias.npy``, ``idf.npy``) and its SHA-256.

    The newest row of a kind is the one in use. Each process mirrors the rows into
    ``VAR_DIR/models/<kind>/<version>`` (a cache, checked against the checksum) and reloads its
    suggester when a newer row appears (``textops.model_store``)."""

    kind = models.CharField(max_length=20)
    version = models.CharField(max_length=20)
    data = models.BinaryField()
    checksum = models.CharField("SHA-256", max_length=64)
    meta = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mô hình văn bản"
        verbose_name_plural = "mô hình văn bản"
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="textmodel_kind_version"),
        ]
        indexes = [models.Index(fields=["kind", "-id"], name="textmodel_kind_newest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.version}"
