from django.contrib import admin

from apps.core.admin import RecordAdmin, StampedInline, citation_inline

from .models import Event, EventParticipant


class EventParticipantInline(StampedInline):
    model = EventParticipant
    fields = ["actor", "role", "notes"]
    autocomplete_fields = ["actor"]


@admin.register(Event)
class EventAdmin(RecordAdmin):
    list_display = ["title", "kind", "date", "place", "publication_status"]
    list_filter = ["kind", "publication_status"]
    search_fields = ["title", "summary", "slug"]
    autocomplete_fields = ["place", "places"]
    inlines = [EventParticipantInline, citation_inline(Event)]
    fields = [
        "title",
        "slug",
        "kind",
        ("date", "end"),
        "place",
        "places",
        "summary",
        "publication_status",
        "created",
        "updated",
    ]
