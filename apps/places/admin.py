from django.contrib import admin

from apps.citations.admin import citation_inline
from apps.core.admin import RecordAdmin

from .models import Place


@admin.register(Place)
class PlaceAdmin(RecordAdmin):
    list_display = ["name", "kind", "within", "latitude", "longitude", "publication_status"]
    list_filter = ["kind", "publication_status"]
    search_fields = ["name", "aliases", "slug"]
    autocomplete_fields = ["within"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [citation_inline("place")]
    fields = [
        "name", "slug", "kind", "within", "aliases", ("latitude", "longitude"), "description",
        "publication_status", "created", "updated",
    ]
