from django.apps import AppConfig
from django.db.models.signals import post_migrate


def advance_after_migrate(sender, using, **kwargs):
    """A deploy migrates: what the old code rendered is not served by the new."""
    from django.db import connections

    from .models import CaseFileRevision

    if CaseFileRevision._meta.db_table in connections[using].introspection.table_names():
        CaseFileRevision.advance(using=using)


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Casefile core"

    def ready(self):
        post_migrate.connect(advance_after_migrate, sender=self, dispatch_uid="casefile-revision-after-migrate")
