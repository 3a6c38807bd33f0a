from django.urls import path

from . import views

app_name = "routes"

urlpatterns = [
    path("", views.RouteListView.as_view(), name="list"),
    path("<slug:slug>/", views.RouteDetailView.as_view(), name="detail"),
]
