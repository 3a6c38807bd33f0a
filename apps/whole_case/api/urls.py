from django.urls import path

from .views import NetworkView, SearchView, SuggestView, TimelineView

app_name = "whole_case-api"

urlpatterns = [
    path("timeline/", TimelineView.as_view(), name="timeline"),
    path("search/", SearchView.as_view(), name="search"),
    path("search/suggest/", SuggestView.as_view(), name="search-suggest"),
    path("network/", NetworkView.as_view(), name="network"),
]
