from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Theo dõi báo chí, mạng xã hội"

    def ready(self) -> None:
        # The burst detector (issues, an app below this one) counts the online mentions too.
        from issues.services.bursts import register_series
        from monitoring.linking import mention_series

        register_series(mention_series)
