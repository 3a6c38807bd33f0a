from rest_framework.routers import SimpleRouter

from .views import EventViewSet

app_name = "events-api"

router = SimpleRouter()
router.register("events", EventViewSet)
urlpatterns = router.urls
