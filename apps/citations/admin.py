from django.contrib import admin

from apps.core.admin import StampedAdmin, StampedInline

from .choices import CITABLE_FIELDS
from .models import Citation


def citation_inline(target_field: str):
    """A citations inline for one kind of record (fk_name picks the target column)."""

    class CitationInline(StampedInline):
        model = Citation
        fk_name = target_field
        fields = ["source", "note", "locator", "passage", "stance", "credibility"]
        autocomplete_fields = ["source", "note"]
        verbose_name = "citation"
        verbose_name_plural = "citations (sources for this record)"

        def get_queryset(self, request):
            return super().get_queryset(request).select_related("source", "note")

    CitationInline.__name__ = f"{target_field.title().replace('_', '')}CitationInline"
    return CitationInline


@admin.register(Citation)
class CitationAdmin(StampedAdmin):
    list_display = ["__str__", "target_kind", "target", "locator", "stance", "credibility"]
    list_filter = ["stance", "credibility", "source__kind"]
    search_fields = ["passage", "locator", "source__title", "source__authors"]
    autocomplete_fields = ["source", "note", *CITABLE_FIELDS]
    fieldsets = [
        (None, {"fields": ["source", "note", "locator", "passage", "stance", "credibility"]}),
        ("Cited record (choose exactly one)", {"fields": CITABLE_FIELDS}),
        ("Record keeping", {"fields": ["slug", "created", "updated"], "classes": ["collapse"]}),
    ]
