from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from apps.core.api.renderers import CSVRenderer, JSONRenderer
from apps.core.api.schema import BRIEF_PARAMETERS
from apps.core.api.views import EXPORT_CHUNK, RecordViewSet
from apps.sources.csl import sources_to_csl
from apps.sources.filters import SourceFilterSet
from apps.sources.models import Source

from .renderers import BibTeXRenderer, CSLJSONRenderer
from .serializers import CSLItemsSchema, SourceSerializer

REFERENCE_FORMATS = ("csl-json", "bibtex")


class SourceViewSet(RecordViewSet):
    """Sources: the works that support (or dispute) facts in the case file.

    The list is also exported as CSL-JSON (``?format=csl-json``, for citeproc,
    Zotero, pandoc) and BibTeX (``?format=bibtex``), with the same filters.
    """

    queryset = Source.objects.with_related()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    has_citations = False
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, CSLJSONRenderer, BibTeXRenderer]
    export_formats = ("csv", *REFERENCE_FORMATS)

    @extend_schema(
        parameters=BRIEF_PARAMETERS,
        responses={
            (200, "application/json"): SourceSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/vnd.citationstyles.csl+json"): CSLItemsSchema,
            (200, "application/x-bibtex"): OpenApiTypes.STR,
        },
    )
    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format in REFERENCE_FORMATS:
            queryset = self.filter_queryset(self.get_queryset()).iterator(chunk_size=EXPORT_CHUNK)
            return Response(sources_to_csl(queryset))
        return super().list(request, *args, **kwargs)
