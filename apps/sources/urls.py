from django.urls import path

from . import views

app_name = "sources"

urlpatterns = [
    path("", views.SourceListView.as_view(), name="list"),
    path("bibliography/", views.BibliographyView.as_view(), name="bibliography"),
    path("<slug:slug>/", views.SourceDetailView.as_view(), name="detail"),
]
