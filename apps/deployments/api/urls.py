from rest_framework.routers import SimpleRouter

from .views import DeploymentViewSet

app_name = "deployments-api"

router = SimpleRouter()
router.register("deployments", DeploymentViewSet)
urlpatterns = router.urls
