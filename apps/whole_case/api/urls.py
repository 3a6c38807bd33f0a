from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CollectionViewSet, NetworkView, SearchView, SuggestView, TimelineDatasetView, TimelineView

app_name = "whole_case-api"

router = SimpleRouter()
router.register("collections", CollectionViewSet)

urlpatterns = [
    path("timeline/", TimelineView.as_view(), name="timeline"),
    path("timeline/dataset/", TimelineDatasetView.as_view(), name="timeline-dataset"),
    path("search/", SearchView.as_view(), name="search"),
    path("search/suggest/", SuggestView.as_view(), name="search-suggest"),
    path("network/", NetworkView.as_view(), name="network"),
    *router.urls,
]
