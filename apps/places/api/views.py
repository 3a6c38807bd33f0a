from apps.core.api.views import RecordViewSet
from apps.places.filters import PlaceFilterSet
from apps.places.models import Place

from .serializers import PlaceSerializer


class PlaceViewSet(RecordViewSet):
    """Places: cities, bases, airfields, training centres."""

    queryset = Place.objects.with_related()
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet
