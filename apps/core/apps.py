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
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .caching import schedule_stored_fragments
        from .logs import log_failed_sign_in, log_lockout
        from .middleware import mark_session_start
        from .models import revision_advanced

        user_login_failed.connect(log_failed_sign_in, dispatch_uid="casefile-failed-sign-in")
        user_locked_out.connect(log_lockout, dispatch_uid="casefile-lockout")
        user_logged_in.connect(mark_session_start, dispatch_uid="casefile-session-start")
        revision_advanced.connect(schedule_stored_fragments, dispatch_uid="casefile-stored-fragments")
        post_migrate.connect(advance_after_migrate, sender=self, dispatch_uid="casefile-revision-after-migrate")
