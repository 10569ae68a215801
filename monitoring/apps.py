from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _repair_index(sender, using="default", **kwargs) -> None:
    # SQLite drops triggers with their table when Django rebuilds a table to alter it: put the
    # mentions' full-text triggers back after every migrate (``monitoring.fulltext``).
    from django.db import connections

    from monitoring.fulltext import ensure_index

    ensure_index(connections[using])


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Theo dõi báo chí, mạng xã hội"

    def ready(self) -> None:
        post_migrate.connect(_repair_index, sender=self, dispatch_uid="monitoring-repair-index")
        # The burst detector (issues, an app below this one) counts the online mentions too.
        from issues.services.bursts import register_series
        from monitoring.linking import mention_series

        register_series(mention_series)
        # A merge moves the stories and mentions of the merged-away issue to the survivor.
        from monitoring import receivers

        receivers.connect()
