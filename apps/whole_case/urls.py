from django.urls import path

from . import views

app_name = "whole_case"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("collections/<slug:slug>/", views.CollectionDetailView.as_view(), name="collection"),
]
