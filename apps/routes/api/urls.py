from rest_framework.routers import SimpleRouter

from .views import RouteViewSet

app_name = "routes-api"

router = SimpleRouter()
router.register("routes", RouteViewSet)
urlpatterns = router.urls
