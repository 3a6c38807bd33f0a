"""The REST API: /api/v1/… endpoints, /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI, local assets)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.core.api.views import UnknownEndpointView
from apps.whole_case.api.views import ApiRootView
from apps.whole_case.registry import record_apps

urlpatterns = [
    path("v1/", ApiRootView.as_view(), name="api-root"),
    *(path("v1/", include(f"apps.{app}.api.urls")) for app in [*record_apps(), "whole_case"]),
    # Last: what no endpoint above serves. Only paths ending in a slash, so that Django still
    # redirects /api/v1/actors to /api/v1/actors/ (APPEND_SLASH).
    # [\s\S] rather than ".": an address may hold an encoded line break, which "." would not match.
    re_path(r"^v1/[\s\S]*/$", UnknownEndpointView.as_view(), name="api-unknown"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Its script from a URL of its own, not inline: the Content-Security-Policy allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
