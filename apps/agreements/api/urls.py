from rest_framework.routers import SimpleRouter

from .views import AgreementViewSet

app_name = "agreements-api"

router = SimpleRouter()
router.register("agreements", AgreementViewSet)
urlpatterns = router.urls
