from django.db.models import Q

from apps.citations.choices import CITABLE_FIELDS
from apps.citations.filters import CitationFilterSet
from apps.citations.models import Citation
from apps.core.api.views import RecordViewSet
from apps.core.choices import PublicationStatus
from apps.sources.models import Source

from .serializers import CitationSerializer


def readable(citations):
    """Citations whose source and cited record are both published (a step: its agreement).

    Written as "not in the drafts" of each kind, rather than as a join per kind: drafts
    are few, so on a large case file this is several times faster (README, "API performance").
    "Cites no record of this kind, or not a draft one" asks the cheap question first: a
    citation has one target, so for nine kinds of ten the column is empty and the drafts
    are not looked up.
    """
    published = PublicationStatus.PUBLISHED
    for name in CITABLE_FIELDS:
        model = Citation._meta.get_field(name).related_model
        status = "agreement__publication_status" if name == "agreement_step" else "publication_status"
        drafts = model.objects.exclude(**{status: published}).values("pk")
        citations = citations.filter(Q(**{f"{name}__isnull": True}) | ~Q(**{f"{name}__in": drafts}))
    return citations.exclude(source__in=Source.objects.exclude(publication_status=published).values("pk"))


class CitationViewSet(RecordViewSet):
    """Citations: which source supports which record, where and how credibly."""

    queryset = Citation.objects.with_related()
    serializer_class = CitationSerializer
    filterset_class = CitationFilterSet
    has_citations = False

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if user.is_authenticated and user.is_staff:
            return queryset
        return readable(queryset)
