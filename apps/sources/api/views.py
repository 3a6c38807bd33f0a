from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from apps.core.api.renderers import CSVRenderer, JSONRenderer
from apps.core.api.schema import BRIEF_PARAMETERS
from apps.core.api.views import EXPORT_CHUNK, RecordViewSet, with_etag
from apps.sources.csl import source_to_csl, sources_to_csl
from apps.sources.filters import SourceFilterSet
from apps.sources.models import Source

from .renderers import REFERENCE_RENDERERS, ReferenceRenderer
from .serializers import CSLItemsSchema, SourceSerializer

REFERENCE_FORMATS = tuple(renderer.format for renderer in REFERENCE_RENDERERS)
REFERENCE_RESPONSES = {
    (200, "application/vnd.citationstyles.csl+json"): CSLItemsSchema,
    (200, "application/x-bibtex"): OpenApiTypes.STR,
    (200, "application/x-research-info-systems"): OpenApiTypes.STR,
}


def as_download(response, filename):
    """The response saved under ``filename`` by a browser, as reference managers expect."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class SourceViewSet(RecordViewSet):
    """Sources: the works that support (or dispute) facts in the case file.

    A list or a single source is also exported as CSL-JSON (``?format=csl-json``, for
    citeproc, Zotero, pandoc), BibTeX (``?format=bibtex``) and RIS (``?format=ris``, for
    EndNote, Mendeley, Zotero); a list with the same filters, unpaginated.
    """

    queryset = Source.objects.with_related()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    has_citations = False
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, *REFERENCE_RENDERERS]
    export_formats = ("csv", *REFERENCE_FORMATS)

    def reference_renderer(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer if isinstance(renderer, ReferenceRenderer) else None

    @extend_schema(
        parameters=BRIEF_PARAMETERS,
        responses={
            (200, "application/json"): SourceSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            **REFERENCE_RESPONSES,
        },
    )
    def list(self, request, *args, **kwargs):
        renderer = self.reference_renderer()
        if renderer is not None:
            queryset = self.filter_queryset(self.get_queryset()).iterator(chunk_size=EXPORT_CHUNK)
            return as_download(Response(sources_to_csl(queryset)), f"sources.{renderer.extension}")
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=BRIEF_PARAMETERS,
        responses={(200, "application/json"): SourceSerializer, (200, "text/csv"): OpenApiTypes.STR,
                   **REFERENCE_RESPONSES},
    )
    def retrieve(self, request, *args, **kwargs):
        renderer = self.reference_renderer()
        if renderer is None:
            return super().retrieve(request, *args, **kwargs)
        source = self.get_object()
        response = as_download(Response([source_to_csl(source)]), f"{source.slug}.{renderer.extension}")
        return with_etag(response, source)
