from rest_framework.routers import SimpleRouter

from .views import CitationViewSet

app_name = "citations-api"

router = SimpleRouter()
router.register("citations", CitationViewSet)
urlpatterns = router.urls
