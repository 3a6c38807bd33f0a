from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "apps.sources"
    label = "sources"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from .chicago import format_stale, keep_formatted
        from .models import Source

        # A source's Chicago forms follow every save of it, whoever writes it (``chicago``).
        post_save.connect(keep_formatted, sender=Source, dispatch_uid="sources-chicago-forms-save")
        post_migrate.connect(format_stale, sender=self, dispatch_uid="sources-chicago-forms-after-migrate")
