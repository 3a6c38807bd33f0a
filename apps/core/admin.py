"""Shared admin pieces: publication actions and the base for record admins."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from .choices import PublicationStatus


@admin.action(description="Publish selected records", permissions=["change"])
def publish(modeladmin, request, queryset):
    count = queryset.update(publication_status=PublicationStatus.PUBLISHED)
    modeladmin.message_user(request, f"{count} record(s) published.", messages.SUCCESS)


@admin.action(description="Return selected records to draft", permissions=["change"])
def unpublish(modeladmin, request, queryset):
    count = queryset.update(publication_status=PublicationStatus.DRAFT)
    modeladmin.message_user(request, f"{count} record(s) returned to draft.", messages.SUCCESS)


class RecordAdmin(SimpleHistoryAdmin):
    """Base for every record: publication status in the list, filters and actions."""

    actions = [publish, unpublish]
    readonly_fields = ["created", "updated"]
    list_per_page = 50
    save_on_top = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        with_related = getattr(queryset, "with_related", None)
        return with_related() if with_related else queryset


class StampedInline(admin.TabularInline):
    extra = 0
    show_change_link = False
