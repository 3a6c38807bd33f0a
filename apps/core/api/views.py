"""The base viewset of every record endpoint: thin, and the same for every model."""

import datetime as dt

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, ProtectedError, RestrictedError
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import selectors, services
from apps.core.choices import PublicationStatus
from apps.core.models import sees_drafts

from .filtering import KnownParametersMixin
from .pagination import CasefilePagination
from .preconditions import MAX_VERSION, record_etag, required_version, stale_precondition
from .proposals import ProposalActionsMixin
from .renderers import CSVRenderer, JSONRenderer, csv_stream, serializer_columns
from .schema import BRIEF_PARAMETERS
from .serializers import Conflict, as_drf_error

EXPORT_CHUNK = 1000


def with_etag(response, record):
    """The response, carrying the ETag of the record's version it shows (for If-Match)."""
    response["ETag"] = record_etag(record)
    return response


def citations_prefetch(model, user):
    """The record's citations with their sources; whoever does not see draft sources sees
    citations of published sources only."""
    citation_model = model._meta.get_field("citations").related_model
    sources_visible = citation_model.objects.select_related("source").order_by("pk")
    source_model = citation_model._meta.get_field("source").related_model
    if not sees_drafts(user, source_model):
        sources_visible = sources_visible.filter(source__publication_status=PublicationStatus.PUBLISHED)
    return Prefetch("citations", queryset=sources_visible)


class UnknownEndpointView(APIView):
    """Any path under /api/v1/ that no endpoint serves (a slug with characters a slug cannot
    have, a misspelt endpoint): a 404 in the API's error format, not the site's HTML page."""

    permission_classes = []
    schema = None  # not an operation of the API

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound("No endpoint of the API at this address: /api/v1/ lists them.")


class ExportMixin:
    """JSON, the browsable API and CSV; an export (``?format=csv``) holds every matching
    row, unpaginated."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    export_formats = ("csv",)

    def is_export(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format in self.export_formats

    def paginate_queryset(self, queryset):
        if self.is_export():
            return None
        return super().paginate_queryset(queryset)

    def filter_queryset(self, queryset):
        renderer = getattr(self.request, "accepted_renderer", None)
        if getattr(self, "action", None) == "list" and renderer is not None and renderer.format not in ("json", "api"):
            # A download (CSV, BibTeX, GeoJSON …) ignores the page, but what the list takes
            # must still be well formed, as the schema says: a bad page_size, brief or
            # fields= is a 400 here as in JSON.
            if self.paginator is not None:
                self.paginator.get_page_size(self.request)
            self.get_serializer()
        return super().filter_queryset(queryset)


class TransitionSerializer(serializers.Serializer):
    """A publication transition: optionally the version you saw, and why."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="The version you reviewed (or send its ETag in If-Match; 428 without either); if the record "
        "changed since: 409 (412 for If-Match).",
    )
    change_message = serializers.CharField(
        required=False, allow_blank=True, max_length=services.CHANGE_MESSAGE_MAX_LENGTH,
        help_text="Kept in the record's history with who and when.",
    )


class PublicationActionsMixin:
    """POST …/{slug}/submit-for-review/, publish/, unpublish/, return-to-draft/: the same
    service functions as the admin actions, refused with 403 without the role, 400 from the
    wrong status, 409 when ``version`` is stale. Only for models with a publication status
    (``RecordViewSet.get_extra_actions``)."""

    TRANSITIONS = {
        "submit_for_review": services.record_submit_for_review,
        "publish": services.record_publish,
        "unpublish": services.record_unpublish,
        "return_to_draft": services.record_return_to_draft,
    }

    def transition(self, request, name):
        record = self.get_object()
        given = TransitionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        header_version, from_header = required_version(request, record)
        version = given.validated_data.get("version", header_version)
        try:
            self.TRANSITIONS[name](
                record,
                user=request.user,
                change_message=given.validated_data.get("change_message", ""),
                expected_version=version,
            )
        except services.StaleEdit as stale:
            raise (stale_precondition(stale) if from_header else Conflict(stale.as_dict())) from None
        except DjangoValidationError as error:
            raise as_drf_error(error) from None
        return with_etag(Response(self.get_serializer(record).data), record)

    @extend_schema(request=TransitionSerializer, summary="Submit a draft for review (analysts, editors)")
    @action(detail=True, methods=["post"], url_path="submit-for-review")
    def submit_for_review(self, request, *args, **kwargs):
        return self.transition(request, "submit_for_review")

    @extend_schema(request=TransitionSerializer, summary="Publish a draft or a record in review (editors)")
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        return self.transition(request, "publish")

    @extend_schema(request=TransitionSerializer, summary="Unpublish: back to draft (editors)")
    @action(detail=True, methods=["post"])
    def unpublish(self, request, *args, **kwargs):
        return self.transition(request, "unpublish")

    @extend_schema(request=TransitionSerializer, summary="Return a record in review to draft (editors)")
    @action(detail=True, methods=["post"], url_path="return-to-draft")
    def return_to_draft(self, request, *args, **kwargs):
        return self.transition(request, "return_to_draft")


class RemovedQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        help_text="ISO 8601 time, e.g. 2026-11-28T04:45:44Z: the time of your copy (the newest “updated” in it "
        "works as it is). Records changed at or after it are looked at."
    )


class RemovedSerializer(serializers.Serializer):
    since = serializers.DateTimeField(help_text="The time asked for, in UTC.")
    slugs = serializers.ListField(
        child=serializers.SlugField(),
        help_text="In alphabetical order. Drop these records from your copy; a record given a new slug is listed "
        "under its old one and comes back under its new one with ?updated_since=.",
    )


class RemovedRecordsMixin:
    """GET …/removed/?since=…: what a client keeping a copy (fetched with
    ``?updated_since=``) should drop — records deleted, unpublished or renamed since. Only
    for models with a publication status; read from the records' history."""

    @extend_schema(
        summary="Slugs gone since a time: deleted, unpublished or renamed",
        description="For a client that keeps a copy and fetches what changed with ?updated_since=: the slugs "
        "of records changed at or after `since` that no longer lead to a record you can read — deleted, "
        "unpublished (for clients who see published records only) or given another slug. A slug is listed "
        "only if you could once read the record under it.",
        parameters=[RemovedQuerySerializer],
        responses=RemovedSerializer,
        filters=False,
    )
    @action(detail=False, renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def removed(self, request, *args, **kwargs):
        asked = RemovedQuerySerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        since = asked.validated_data["since"].astimezone(dt.UTC)
        slugs = self.queryset.model._default_manager.gone_since(since, request.user)
        return Response(RemovedSerializer({"since": since, "slugs": list(slugs)}).data)


class RecordViewSet(
    KnownParametersMixin,
    ProposalActionsMixin,
    RemovedRecordsMixin,
    PublicationActionsMixin,
    ExportMixin,
    viewsets.ModelViewSet,
):
    """List, read, create, update and delete one kind of record, by slug.

    Subclasses set ``queryset`` (starting from ``with_related()``), ``serializer_class``
    and ``filterset_class``. Anonymous clients see published records; staff also drafts.
    """

    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    # Actions for records with a publication status only (citations have none).
    publication_actions = {*PublicationActionsMixin.TRANSITIONS, "removed", *ProposalActionsMixin.proposal_actions}
    pagination_class = CasefilePagination
    has_citations = True
    # Query parameters beyond the filters and pages (the same lists the schema is given).
    action_parameters = {
        "list": BRIEF_PARAMETERS,
        "retrieve": BRIEF_PARAMETERS,
        "removed": [RemovedQuerySerializer],
    }

    @classmethod
    def get_extra_actions(cls):
        actions = super().get_extra_actions()
        if hasattr(getattr(cls.queryset, "model", None), "publication_status"):
            return actions
        return [extra for extra in actions if extra.__name__ not in cls.publication_actions]

    def get_queryset(self):
        queryset = super().get_queryset()
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(self.request.user)
        if self.action == "retrieve" and self.has_citations:
            queryset = queryset.prefetch_related(citations_prefetch(queryset.model, self.request.user))
        return queryset

    @extend_schema(parameters=BRIEF_PARAMETERS)
    def list(self, request, *args, **kwargs):
        if self.is_export():
            return self.export(self.filter_queryset(self.get_queryset()))
        return super().list(request, *args, **kwargs)

    def export(self, queryset):
        """Every matching record as CSV, streamed: read in chunks, written as read, so that
        an export of every citation starts at once and needs little memory."""
        serializer = self.get_serializer(many=True).child
        rows = (serializer.to_representation(record) for record in queryset.iterator(chunk_size=EXPORT_CHUNK))
        response = StreamingHttpResponse(
            csv_stream(serializer_columns(self), rows, lines_per_chunk=EXPORT_CHUNK),
            content_type=f"{CSVRenderer.media_type}; charset={CSVRenderer.charset}",
        )
        endpoint = self.request.path.rstrip("/").rsplit("/", 1)[-1]  # "agreements"
        response["Content-Disposition"] = f'attachment; filename="{endpoint}.csv"'
        return response

    @extend_schema(parameters=BRIEF_PARAMETERS)
    def retrieve(self, request, *args, **kwargs):
        try:
            record = self.get_object()
        except Http404:
            answer = self.gone_or_moved(request, kwargs.get(self.lookup_field))
            if answer is None:
                raise
            # Clients keep 301s and 410s unless told otherwise (a restore would go unseen).
            add_never_cache_headers(answer)
            return answer
        return with_etag(Response(self.get_serializer(record).data), record)

    # --- a slug that leads nowhere now: renamed (301) or deleted (410), from the history ---

    def gone_or_moved(self, request, slug):
        """The API's answer for a renamed or deleted record's slug, as the pages give it
        (``core.selectors.slug_fate``): 301 to the record's new URL, 410 naming what was
        removed and when; None for a plain 404 (never-published or draft slugs for readers)."""
        model = self.queryset.model
        if not slug:
            return None
        fate = selectors.slug_fate(model, slug, request.user, sees_drafts=sees_drafts(request.user, model))
        if isinstance(fate, selectors.Moved):
            match = request.resolver_match
            url = request.build_absolute_uri(
                reverse(match.view_name, args=match.args, kwargs={**match.kwargs, self.lookup_field: fate.record.slug})
            )
            body = {"detail": f"This {model._meta.verbose_name} is now at {url}.", "slug": fate.record.slug, "url": url}
            return Response(body, status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": url})
        if isinstance(fate, selectors.Gone):
            return Response(
                {
                    "detail": f"The {fate.kind} “{fate.name}” was deleted on {fate.removed:%d %B %Y}.",
                    "code": "gone",
                    "kind": fate.kind,
                    "name": fate.name,
                    "removed": fate.removed.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
                },
                status=status.HTTP_410_GONE,
            )
        return None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "if_match_version": getattr(self, "if_match_version", None)}

    def update(self, request, *args, **kwargs):
        record = self.get_object()
        self.if_match_version, _ = required_version(request, record)
        try:
            response = super().update(request, *args, **kwargs)
        except DjangoPermissionDenied as denied:
            # An analyst refused a published record: a proposal is the way to change it.
            if not getattr(record, "is_published", False) or services.editorial_refusal(
                request.user, type(record), services.CHANGE
            ):
                raise
            raise exceptions.PermissionDenied(str(denied) + self.proposals_hint(record)) from None
        return with_etag(response, self.written)

    def perform_update(self, serializer):
        self.written = serializer.save()

    def perform_destroy(self, instance):
        services.record_delete(instance, user=self.request.user, change_message="Deleted through the API")

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        given = TransitionSerializer(data=request.data)  # a DELETE may carry the version in its body
        given.is_valid(raise_exception=True)
        header_version, from_header = required_version(request, instance)
        version = given.validated_data.get("version", header_version)
        try:
            services.record_check_version(type(instance), instance.pk, version)
        except services.StaleEdit as stale:
            raise (stale_precondition(stale) if from_header else Conflict(stale.as_dict())) from None
        try:
            self.perform_destroy(instance)
        except (ProtectedError, RestrictedError) as error:
            blocking = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
            blocking = sorted({str(obj) for obj in list(blocking)[:5]})
            return Response(
                {
                    "detail": f"This {instance._meta.verbose_name} cannot be deleted while other records refer "
                    f"to it: {', '.join(blocking)}."
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)
