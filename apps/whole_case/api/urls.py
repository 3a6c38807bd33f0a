from django.urls import path

from .views import NetworkView, SearchView, TimelineView

app_name = "whole_case-api"

urlpatterns = [
    path("timeline/", TimelineView.as_view(), name="timeline"),
    path("search/", SearchView.as_view(), name="search"),
    path("network/", NetworkView.as_view(), name="network"),
]
