from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "Vấn đề dư luận"

    def ready(self) -> None:
        # Grouping follows intake's announcement of new items (intake may not import issues).
        from issues import receivers

        receivers.connect()
