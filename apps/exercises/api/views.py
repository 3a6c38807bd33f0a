from apps.core.api.views import RecordViewSet
from apps.exercises.filters import ExerciseFilterSet
from apps.exercises.models import Exercise

from .serializers import ExerciseSerializer


class ExerciseViewSet(RecordViewSet):
    """Military exercises and their participants."""

    queryset = Exercise.objects.with_related()
    serializer_class = ExerciseSerializer
    filterset_class = ExerciseFilterSet
