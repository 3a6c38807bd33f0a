from rest_framework.routers import SimpleRouter

from .views import ExerciseViewSet

app_name = "exercises-api"

router = SimpleRouter()
router.register("exercises", ExerciseViewSet)
urlpatterns = router.urls
