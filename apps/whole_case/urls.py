from django.urls import path

from . import views

app_name = "whole_case"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("search/", views.SearchView.as_view(), name="search"),
    # Under the actors' pages, where readers look for it; served here, where every kind is known.
    path("actors/network/", views.NetworkView.as_view(), name="network"),
    path("collections/<slug:slug>/", views.CollectionDetailView.as_view(), name="collection"),
]
