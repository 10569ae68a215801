from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _make_cache_tables(sender, using="default", **kwargs) -> None:
    """Create the database cache's table (settings.CACHES["throttle"]) after every migrate.

    ``createcachetable`` is not a migration; running it here means ``migrate``, ``longdan demo``
    and ``longdan serve`` (which migrate) leave the table in place. It skips a table that exists.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Dùng chung"

    def ready(self) -> None:
        from core import checks, lockout, sessions, signals  # noqa: F401  (checks; login audit; limits)

        post_migrate.connect(_make_cache_tables, sender=self, dispatch_uid="core_cache_tables")
