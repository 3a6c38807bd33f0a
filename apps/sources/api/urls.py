from rest_framework.routers import SimpleRouter

from .views import SourceViewSet

app_name = "sources-api"

router = SimpleRouter()
router.register("sources", SourceViewSet)
urlpatterns = router.urls
