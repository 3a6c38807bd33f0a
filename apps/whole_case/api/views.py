from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.filtering import KnownParametersMixin
from apps.core.api.pagination import CasefilePagination
from apps.core.api.views import ExportMixin
from apps.whole_case.search import SEARCH_TYPES, search_all
from apps.whole_case.timeline import Timeline

from ..registry import RECORD_TYPES
from .serializers import (
    SearchQuerySerializer,
    SearchResultSerializer,
    TimelineEntrySerializer,
    TimelineQuerySerializer,
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
        query = TimelineQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        return Timeline(
            self.request.user,
            date_from=params.get("date_from"),
            date_to=params.get("date_to"),
            types=params.get("type") or None,
            actor=params.get("actor"),
        )


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
    """One query across every kind of record; results grouped by type."""

    serializer_class = SearchResultSerializer
    filter_backends = []
    pagination_class = None
    permission_classes = [AllowAny]  # read-only; what each reader sees is decided by the service
    action_parameters = {"get": SEARCH_PARAMETERS}

    @extend_schema(parameters=SEARCH_PARAMETERS)
    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = search_all(request.user, query.validated_data["q"], limit_per_type=query.validated_data["limit"])
        data = {
            "q": query.validated_data["q"],
            "results": {
                key: {"type": key, "label": SEARCH_TYPES[key][0], "results": records} for key, records in found.items()
            },
        }
        return Response(self.get_serializer(data).data)


class ApiRootView(KnownParametersMixin, APIView):
    """The Casefile API: one list endpoint per kind of record, plus the timeline and search."""

    permission_classes = [AllowAny]

    @staticmethod
    def endpoints():
        """(name, URL name) of every list, from the registry of record types."""
        return [(record_type.key, record_type.api_list_url_name) for record_type in RECORD_TYPES] + [
            ("timeline", "whole_case-api:timeline"),
            ("search", "whole_case-api:search"),
        ]

    @extend_schema(exclude=True)
    def get(self, request):
        return Response({name: request.build_absolute_uri(reverse(route)) for name, route in self.endpoints()})
