import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Development only: make sure a local superuser exists so you can log in to /admin/. "
        "When none exists, create one with a freshly generated password and print it once. "
        "Refuses to run when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="Account name (default: %(default)s).")

    def handle(self, *args, username="admin", **options):
        if not settings.DEBUG:
            raise CommandError("ensure_local_admin is for development (DEBUG on); use createsuperuser in production.")
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            self.stdout.write(
                f"Log in at /admin/ as “{username}” with the password shown when it was created "
                f"(forgotten? run: .venv/bin/python manage.py changepassword {username})."
            )
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the local admin account.\n  user:     {username}\n  password: {password}\n"
                "This password is shown only once."
            )
        )
