from django.contrib import admin

from apps.core.admin import RecordAdmin, citation_inline

from .models import Place


@admin.register(Place)
class PlaceAdmin(RecordAdmin):
    list_display = ["name", "kind", "within", "latitude", "longitude", "publication_status"]
    list_filter = ["kind", "publication_status"]
    search_fields = ["name", "aliases", "slug"]
    autocomplete_fields = ["within"]
    inlines = [citation_inline(Place)]
    fields = [
        "name", "slug", "kind", "within", "aliases", ("latitude", "longitude", "coordinates_approximate"),
        "description", "publication_status", "created", "updated",
    ]
