from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Casefile administration"
admin.site.site_title = "Casefile"
admin.site.index_title = "Case file records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("casefile.api_urls")),
    path("actors/", include("apps.actors.urls")),
    path("agreements/", include("apps.agreements.urls")),
    path("deployments/", include("apps.deployments.urls")),
    path("exercises/", include("apps.exercises.urls")),
    path("events/", include("apps.events.urls")),
    path("places/", include("apps.places.urls")),
    path("sources/", include("apps.sources.urls")),
    path("", include("apps.casefiles.urls")),
]
