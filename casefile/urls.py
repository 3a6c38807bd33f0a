from django.contrib import admin
from django.urls import include, path

from apps.whole_case.registry import navigation_types

admin.site.site_header = "Casefile administration"
admin.site.site_title = "Casefile"
admin.site.index_title = "Case file records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("casefile.api_urls")),
    # The whole case's pages first: /actors/network/ would otherwise read as an actor's slug.
    path("", include("apps.whole_case.urls")),
    # Each record type's pages under its plural: /actors/, /agreements/ …
    *(path(f"{record_type.key}/", include(f"apps.{record_type.app}.urls")) for record_type in navigation_types()),
]
