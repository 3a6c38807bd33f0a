from rest_framework.routers import SimpleRouter

from .views import PlaceViewSet

app_name = "places-api"

router = SimpleRouter()
router.register("places", PlaceViewSet)
urlpatterns = router.urls
