from django.contrib import admin

from apps.core.admin import RecordAdmin, StampedAdmin, StampedStackedInline

from .models import Note, Source


class NoteInline(StampedStackedInline):
    model = Note
    fk_name = "document"
    fields = ["kind", "number", "text", "cites"]
    autocomplete_fields = ["cites"]


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ["title", "authors_short", "kind", "container_title", "date", "reliability", "publication_status"]
    list_filter = ["kind", "reliability", "publication_status", "language"]
    search_fields = ["title", "authors", "container_title", "publisher", "url", "slug"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "authors", "editors"]}),
        (
            "Where it appeared",
            {"fields": ["container_title", "publisher", "publisher_place", "volume", "issue", "pages", "number"]},
        ),
        ("When, where, online", {"fields": ["date", "place", "url", "accessed", "language"]}),
        ("Assessment", {"fields": ["reliability", "notes"]}),
        ("Publication", {"fields": ["publication_status", "created", "updated"]}),
    ]

    @admin.display(description="authors", ordering="authors")
    def authors_short(self, source):
        authors = source.author_list
        return "; ".join(authors[:2]) + (" et al." if len(authors) > 2 else "")


@admin.register(Note)
class NoteAdmin(StampedAdmin):
    list_display = ["number", "kind", "document", "excerpt"]
    list_filter = ["kind", "document"]
    search_fields = ["text", "document__title", "cites__title"]
    autocomplete_fields = ["document", "cites"]
    ordering = ["document", "kind", "number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")

    @admin.display(description="text")
    def excerpt(self, note):
        return note.text[:120]
