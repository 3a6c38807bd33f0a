from apps.citations.filters import CitationFilterSet
from apps.citations.models import Citation
from apps.core.api.views import RecordViewSet

from .serializers import CitationSerializer


class CitationViewSet(RecordViewSet):
    """Citations: which source supports which record, where and how credibly."""

    queryset = Citation.objects.with_related()
    serializer_class = CitationSerializer
    filterset_class = CitationFilterSet
    has_citations = False
