from rest_framework.routers import SimpleRouter

from .views import ActorViewSet, AffiliationViewSet

app_name = "actors-api"

router = SimpleRouter()
router.register("actors", ActorViewSet)
router.register("affiliations", AffiliationViewSet)
urlpatterns = router.urls
