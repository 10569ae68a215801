from django.apps import AppConfig
from django.db.models.signals import post_migrate

INDEX_MIGRATION = ("search", "0001_fulltext")


def _repair_index(sender, using="default", **kwargs) -> None:
    # SQLite drops triggers with their table when Django rebuilds a table to alter it; put them
    # back after every migrate, but only while this app's index migration is applied.
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from search.fts import ensure_index

    connection = connections[using]
    if INDEX_MIGRATION in MigrationRecorder(connection).applied_migrations():
        ensure_index(connection)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Tìm kiếm"

    def ready(self) -> None:
        post_migrate.connect(_repair_index, sender=self, dispatch_uid="search-repair-index")
