"""The REST API: /api/v1/… endpoints, /api/schema/ and /api/docs/."""

urlpatterns = []
