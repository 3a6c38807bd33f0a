from apps.core.pages import RecordDetailView, RecordListView, Sort, choice_facet, related_facet

from .filters import DeploymentFilterSet
from .models import Deployment


class DeploymentListView(RecordListView):
    model = Deployment
    filterset_class = DeploymentFilterSet
    facets = (
        choice_facet(Deployment, "status"),
        related_facet("contributor", "contributor", "Contributor"),
        related_facet("mission", "mission", "Mission"),
        related_facet("location", "location", "Location"),
    )
    row_fields = (
        "slug",
        "publication_status",
        "name",
        "contributor",
        "unit",
        "mission",
        "location",
        "legal_basis",
        "personnel_qualifier",
        "personnel_min",
        "personnel_max",
        "personnel_text",
        "start",
        "end",
        "status",
    )
    sorts = (
        Sort("start", "Start date", ("start", "name")),
        Sort("name", "Name", ("name",)),
        Sort("personnel", "Head count", ("-personnel_max", "-personnel_min", "name")),
        Sort("updated", "Recently updated", ("-edited", "-updated", "name")),
    )
    description = "Personnel sent, or proposed to be sent, with the head count as the source states it."


class DeploymentDetailView(RecordDetailView):
    model = Deployment
    api_plural = "deployments"
