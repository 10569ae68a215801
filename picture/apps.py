from django.apps import AppConfig


class PictureConfig(AppConfig):
    name = "picture"
    verbose_name = "Bức tranh dư luận"

    def ready(self) -> None:
        # Rollups follow the writes of the floors below (they may not import picture).
        from picture import receivers

        receivers.connect()
