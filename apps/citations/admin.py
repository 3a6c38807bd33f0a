from django.contrib import admin

from apps.core.admin import StampedAdmin

from .choices import CITABLE_FIELDS
from .models import Citation


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
