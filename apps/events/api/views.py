from apps.core.api.views import RecordViewSet
from apps.events.filters import EventFilterSet
from apps.events.models import Event

from .serializers import EventSerializer


class EventViewSet(RecordViewSet):
    """Dated events: visits, speeches, votes, openings, attacks, flights."""

    queryset = Event.objects.with_related()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
