from apps.actors.filters import ActorFilterSet, AffiliationFilterSet
from apps.actors.models import Actor, Affiliation
from apps.core.api.views import RecordViewSet

from .serializers import ActorSerializer, AffiliationSerializer


class ActorViewSet(RecordViewSet):
    """Actors: states, organisations, programmes, units, chambers and people."""

    queryset = Actor.objects.with_related()
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet


class AffiliationViewSet(RecordViewSet):
    """Affiliations: dated memberships, offices held and commands between two actors."""

    queryset = Affiliation.objects.with_related()
    serializer_class = AffiliationSerializer
    filterset_class = AffiliationFilterSet
