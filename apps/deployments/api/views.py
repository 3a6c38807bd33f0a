from apps.core.api.views import RecordViewSet
from apps.deployments.filters import DeploymentFilterSet
from apps.deployments.models import Deployment

from .serializers import DeploymentSerializer


class DeploymentViewSet(RecordViewSet):
    """Deployments: personnel one actor sends somewhere, with the head count as stated."""

    queryset = Deployment.objects.with_related()
    serializer_class = DeploymentSerializer
    filterset_class = DeploymentFilterSet
