from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from apps.core.api.renderers import CSVRenderer, JSONRenderer
from apps.core.api.schema import BRIEF_PARAMETERS
from apps.core.api.views import EXPORT_CHUNK, RecordViewSet, with_etag
from apps.sources.csl import source_to_csl, sources_to_csl
from apps.sources.filters import SourceFilterSet
from apps.sources.models import Source
from apps.sources.references import ReferenceError
from apps.sources.services import sources_import

from .renderers import REFERENCE_RENDERERS, ReferenceRenderer
from .serializers import (
    CSLItemsSchema,
    ReferenceImportResultSerializer,
    ReferenceImportSerializer,
    SourceSerializer,
)

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
        try:
            source = self.get_object()
        except Http404:  # a renamed or deleted source: the same 301 or 410 as in JSON
            return super().retrieve(request, *args, **kwargs)
        response = as_download(Response([source_to_csl(source)]), f"{source.slug}.{renderer.extension}")
        return with_etag(response, source)

    @extend_schema(
        summary="Import references: a BibTeX, RIS or CSL-JSON file as draft sources (analysts, editors)",
        description="Every entry the case file does not hold yet (matched by URL, else by title and year) "
        "becomes a draft source, all in one transaction: if one entry is refused, nothing is written and the "
        "400 names each refused entry and field.",
        request={"multipart/form-data": ReferenceImportSerializer},
        responses={
            201: ReferenceImportResultSerializer,
            200: OpenApiResponse(ReferenceImportResultSerializer, description="A dry run, or nothing new."),
            400: OpenApiResponse(description="A file that cannot be read, or entries the models refuse."),
        },
        filters=False,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
        renderer_classes=[JSONRenderer, BrowsableAPIRenderer],
    )
    def import_references(self, request, *args, **kwargs):
        given = ReferenceImportSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        upload = request.data["file"]
        try:
            report = sources_import(
                given.validated_data["file"],
                user=request.user,
                reference_format=given.validated_data.get("reference_format"),
                filename=upload.name,
                dry_run=given.validated_data["dry_run"],
            )
        except ReferenceError as error:
            raise ValidationError({"file": [str(error)]}) from None
        except DjangoValidationError as error:
            raise ValidationError({"file": error.messages}) from None
        context = self.get_serializer_context()
        result = ReferenceImportResultSerializer(
            {
                "detail": report.summary(),
                "reference_format": report.reference_format,
                "dry_run": report.dry_run,
                "created": [{"entry": label, "source": source} for label, source in report.created],
                "matched": [{"entry": label, "source": source} for label, source in report.matched],
            },
            context=context,
        )
        written = report.created and not report.dry_run
        return Response(result.data, status=status.HTTP_201_CREATED if written else status.HTTP_200_OK)
