from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.filtering import KnownParametersMixin
from apps.core.api.pagination import CasefilePagination
from apps.core.api.views import ExportMixin
from apps.whole_case.models import Collection, CollectionEntry
from apps.whole_case.network import Network
from apps.whole_case.search import SEARCH_TYPES, search, suggest
from apps.whole_case.timeline import ENTRY_TYPES, Timeline, collection_marks

from ..registry import RECORD_TYPES
from .serializers import (
    CollectionSerializer,
    NetworkQuerySerializer,
    NetworkSerializer,
    SearchQuerySerializer,
    SearchResultSerializer,
    SuggestQuerySerializer,
    SuggestResultSerializer,
    TimelineEntrySerializer,
    TimelineQuerySerializer,
)


def timeline_from_query(request) -> Timeline:
    """The timeline a request's query parameters ask for (a bad parameter is a 400)."""
    query = TimelineQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    params = query.validated_data
    collection = None
    if params.get("collection"):
        collection = Collection.objects.visible_to(request.user).filter(slug=params["collection"]).first()
        if collection is None:
            raise ValidationError({"collection": [f"No collection with the slug “{params['collection']}”."]})
    return Timeline(
        request.user,
        date_from=params.get("date_from"),
        date_to=params.get("date_to"),
        types=params.get("type") or None,
        actor=params.get("actor"),
        collection=collection,
    )


class TimelineView(KnownParametersMixin, ExportMixin, generics.ListAPIView):
    """Every dated record and agreement step, in date order, in one item shape.

    Deployments and affiliations appear twice, at their start and at their end.
    """

    serializer_class = TimelineEntrySerializer
    pagination_class = CasefilePagination
    filter_backends = []
    permission_classes = [AllowAny]  # read-only; what each reader sees is decided by the service
    action_parameters = {"get": [TimelineQuerySerializer]}

    @extend_schema(parameters=action_parameters["get"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return timeline_from_query(self.request)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "collection_marks": collection_marks(self.request.user)}


class TimelineDatasetView(KnownParametersMixin, APIView):
    """The whole timeline in one response, for the timeline chart: every entry the reader
    sees (filtered as the timeline is), in date order, in a compact shape: dates as
    {earliest, latest, precision, circa, display}, actors as {slug, name}, the record's page
    as a path, and the collections listing it. Not paginated: the chart draws all of it."""

    permission_classes = [AllowAny]  # read-only; what each reader sees is decided by the services
    action_parameters = {"get": [TimelineQuerySerializer]}

    @extend_schema(parameters=action_parameters["get"], responses={200: dict})
    def get(self, request):
        timeline = timeline_from_query(request)
        marks = collection_marks(request.user)
        entries = [
            {
                "type": entry.type,
                "slug": entry.slug,
                "title": entry.title,
                "date": entry.date.as_dict(),
                "end": entry.end.as_dict() if entry.end else None,
                "phase": entry.phase,
                "page_url": entry.url,
                "actors": [{"slug": actor["slug"], "name": actor["name"]} for actor in entry.actors],
                "collections": [] if entry.phase == "end" else marks.get((entry.type, entry.record.pk), []),
            }
            for entry in timeline
        ]
        collections = Collection.objects.visible_to(request.user).order_by("title")
        return Response(
            {
                "types": [{"key": key, "label": label} for key, label in ENTRY_TYPES.items()],
                "collections": [
                    {"slug": c.slug, "title": c.title, "page_url": c.get_absolute_url()}
                    for c in collections.only("slug", "title")
                ],
                "entries": entries,
            }
        )


class CollectionViewSet(KnownParametersMixin, viewsets.ReadOnlyModelViewSet):
    """Named, ordered sets of records as a source lists them (Table 1's milestones …), each
    entry pointing to the record or agreement step it describes. Read-only here: collections
    are edited in the admin."""

    serializer_class = CollectionSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = CasefilePagination
    filter_backends = []
    permission_classes = [AllowAny]  # read-only; what each reader sees is decided by visible_to
    queryset = Collection.objects.all()

    def get_queryset(self):
        user = self.request.user
        collections = Collection.objects.visible_to(user).with_related()
        if self.action == "retrieve":
            entries = CollectionEntry.objects.visible_to(user).with_targets().order_by("position", "pk")
            collections = collections.prefetch_related(Prefetch("entries", queryset=entries, to_attr="visible_entries"))
        return collections


class NetworkView(KnownParametersMixin, generics.GenericAPIView):
    """The actors and the records that tie them, in one response: the network chart's dataset.

    Each record naming several actors (agreement parties, a deployment's contributor, unit
    and mission, exercise and event participants, an affiliation's member and
    organisation) gives one tie per pair of actors the reader may see.
    """

    serializer_class = NetworkSerializer
    filter_backends = []
    pagination_class = None
    permission_classes = [AllowAny]  # read-only; what each reader sees is decided by the service
    action_parameters = {"get": [NetworkQuerySerializer]}

    @extend_schema(parameters=action_parameters["get"])
    def get(self, request):
        query = NetworkQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        network = Network(
            request.user,
            types=params.get("type") or None,
            actor=params.get("actor"),
            date_from=params.get("date_from"),
            date_to=params.get("date_to"),
        )
        return Response(self.get_serializer(network.as_data()).data)


LIMIT = SearchQuerySerializer().fields["limit"]
SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        # Not blank once trimmed: the search refuses a query of spaces.
        {"type": "string", "minLength": 1, "pattern": r"\S"},
        required=True,
        description=SearchQuerySerializer().fields["q"].help_text,
    ),
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": LIMIT.min_value, "maximum": LIMIT.max_value},
        description=LIMIT.help_text,
    ),
]


class SearchView(KnownParametersMixin, generics.GenericAPIView):
    """One query across every kind of record; results grouped by type, with how each was
    found and a snippet, and a close spelling to try when the words typed name nothing."""

    serializer_class = SearchResultSerializer
    filter_backends = []
    pagination_class = None
    permission_classes = [AllowAny]  # read-only; what each reader sees is decided by the service
    action_parameters = {"get": SEARCH_PARAMETERS}

    @extend_schema(parameters=SEARCH_PARAMETERS)
    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = search(request.user, query.validated_data["q"], limit_per_type=query.validated_data["limit"])
        data = {
            "q": query.validated_data["q"],
            "suggestion": found.suggestion,
            "order": [group.key for group in found.groups],
            "results": {
                key: {"type": key, "label": SEARCH_TYPES[key][0], "results": hits}
                for key, hits in found.by_kind().items()
            },
        }
        return Response(self.get_serializer(data).data)


class SuggestView(KnownParametersMixin, generics.GenericAPIView):
    """Records whose name, another name or a word of either begins with what has been typed,
    for a search box to offer as one types: a few, whole names first, in one indexed query."""

    serializer_class = SuggestResultSerializer
    filter_backends = []
    pagination_class = None
    permission_classes = [AllowAny]  # read-only; what each reader sees is decided by the service
    action_parameters = {"get": [SuggestQuerySerializer]}

    @extend_schema(parameters=action_parameters["get"])
    def get(self, request):
        query = SuggestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        suggestions = [
            {
                "name": suggestion.name,
                "type": suggestion.kind,
                "label": suggestion.label,
                "page_url": request.build_absolute_uri(suggestion.url),
            }
            for suggestion in suggest(request.user, query.validated_data["q"])
        ]
        return Response(self.get_serializer({"q": query.validated_data["q"], "suggestions": suggestions}).data)


class ApiRootView(KnownParametersMixin, APIView):
    """The Casefile API: one list endpoint per kind of record, plus the timeline and search."""

    permission_classes = [AllowAny]

    @staticmethod
    def endpoints():
        """(name, URL name) of every list, from the registry of record types."""
        return [(record_type.key, record_type.api_list_url_name) for record_type in RECORD_TYPES] + [
            ("timeline", "whole_case-api:timeline"),
            ("network", "whole_case-api:network"),
            ("collections", "whole_case-api:collection-list"),
            ("search", "whole_case-api:search"),
        ]

    @extend_schema(exclude=True)
    def get(self, request):
        return Response({name: request.build_absolute_uri(reverse(route)) for name, route in self.endpoints()})
