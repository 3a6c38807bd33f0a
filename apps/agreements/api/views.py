from apps.agreements.filters import AgreementFilterSet
from apps.agreements.models import Agreement
from apps.core.api.views import RecordViewSet

from .serializers import AgreementSerializer


class AgreementViewSet(RecordViewSet):
    """Agreements with their parties and dated lifecycle steps (written nested, see the serializer)."""

    queryset = Agreement.objects.with_related()
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
