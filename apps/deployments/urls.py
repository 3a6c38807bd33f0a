from django.urls import path

from . import views

app_name = "deployments"

urlpatterns = [
    path("", views.DeploymentListView.as_view(), name="list"),
    path("<slug:slug>/", views.DeploymentDetailView.as_view(), name="detail"),
]
