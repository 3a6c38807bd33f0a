from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from apps.core.models import Record
from apps.core.services import PUBLISH_PERMISSION, SUBMIT_PERMISSION
from apps.whole_case.registry import casefile_models


def role_permissions():
    """{group name: set of "app_label.codename"} for the three editorial roles."""
    models = casefile_models()
    view = {f"{m._meta.app_label}.view_{m._meta.model_name}" for m in models}
    edit = {f"{m._meta.app_label}.{action}_{m._meta.model_name}" for m in models for action in ("add", "change")}
    # Analysts may remove a wrong step, party, participant, role, note or citation of a
    # record they edit; deleting a record itself is an editor's decision.
    sub_records = {
        f"{m._meta.app_label}.delete_{m._meta.model_name}" for m in models if not issubclass(m, Record)
    }
    delete_all = {f"{m._meta.app_label}.delete_{m._meta.model_name}" for m in models}
    analyst = view | edit | sub_records | {SUBMIT_PERMISSION}
    return {
        "Reader": view,
        "Analyst": analyst,
        "Editor": analyst | delete_all | {PUBLISH_PERMISSION},
    }


class Command(BaseCommand):
    help = (
        "Create or update the editorial groups. Reader: staff who may only view records. "
        "Analyst: add, change and view every case-file record, cite sources, remove sub-records "
        "(steps, parties, participants, citations …) and submit drafts for review; cannot publish "
        "or delete records. Editor: everything an analyst may do, plus review, publish, unpublish "
        "and delete. Idempotent: run it after every migration; each group is set to exactly these "
        "permissions. Users still need “staff status” to log in to the admin."
    )

    def handle(self, *args, verbosity=1, **options):
        for name, wanted in role_permissions().items():
            group, created = Group.objects.get_or_create(name=name)
            permissions = []
            for label in sorted(wanted):
                app_label, codename = label.split(".", 1)
                try:
                    permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
                except Permission.DoesNotExist:
                    message = f"The permission {label} does not exist yet: run `manage.py migrate` first."
                    raise CommandError(message) from None
            group.permissions.set(permissions)
            if verbosity:
                verb = "Created" if created else "Updated"
                self.stdout.write(f"{verb} group “{name}” with {len(permissions)} permissions.")
        self.stdout.write(self.style.SUCCESS("Roles are set up: Reader, Analyst, Editor."))
