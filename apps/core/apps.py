from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Casefile core"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .logs import log_failed_sign_in, log_lockout
        from .middleware import mark_session_start

        user_login_failed.connect(log_failed_sign_in, dispatch_uid="casefile-failed-sign-in")
        user_locked_out.connect(log_lockout, dispatch_uid="casefile-lockout")
        user_logged_in.connect(mark_session_start, dispatch_uid="casefile-session-start")
