from django.contrib import admin

from apps.core.admin import RecordAdmin, StampedInline, citation_inline

from .models import Deployment, DeploymentRole


class DeploymentRoleInline(StampedInline):
    model = DeploymentRole
    fields = ["title", "count", "account", "notes"]


@admin.register(Deployment)
class DeploymentAdmin(RecordAdmin):
    list_display = [
        "name", "contributor", "mission", "personnel_display", "start", "end", "status", "publication_status",
    ]
    list_filter = ["status", "personnel_qualifier", "publication_status"]
    search_fields = ["name", "description", "contributor__name", "mission__name", "unit__name", "slug"]
    autocomplete_fields = ["contributor", "unit", "mission", "location", "legal_basis"]
    inlines = [DeploymentRoleInline, citation_inline(Deployment)]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "description"]}),
        ("Who and where", {"fields": ["contributor", "unit", "mission", "location", "legal_basis"]}),
        (
            "Personnel (as the source states it)",
            {"fields": ["personnel_qualifier", ("personnel_min", "personnel_max"), "personnel_text", "rotation"]},
        ),
        ("When", {"fields": [("start", "end")]}),
        ("Publication", {"fields": ["publication_status", "created", "updated"]}),
    ]

    @admin.display(description="personnel")
    def personnel_display(self, deployment):
        return deployment.personnel_display
