from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from apps.core.api.renderers import CSVRenderer, JSONRenderer
from apps.core.api.schema import BRIEF_PARAMETERS
from apps.core.api.views import RecordViewSet
from apps.routes.filters import RouteFilterSet
from apps.routes.models import Route

from .geojson import GeoJSONRenderer, RouteFeatureCollectionSchema, feature_collection
from .serializers import RouteSerializer


class RouteViewSet(RecordViewSet):
    """Routes: supply routes and air lines of communication, with their legs in order.

    The list is also given as GeoJSON (``?format=geojson``), with the same filters and
    unpaginated: each leg a LineString, each place the legs touch a Point.
    """

    queryset = Route.objects.with_related()
    serializer_class = RouteSerializer
    filterset_class = RouteFilterSet
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, GeoJSONRenderer]
    export_formats = ("csv", GeoJSONRenderer.format)

    @extend_schema(
        parameters=BRIEF_PARAMETERS,
        responses={
            (200, "application/json"): RouteSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            (200, GeoJSONRenderer.media_type): RouteFeatureCollectionSchema,
            400: OpenApiResponse(description="Invalid filter or page size."),
        },
    )
    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == GeoJSONRenderer.format:
            return Response(feature_collection(self.filter_queryset(self.get_queryset()), request.user))
        return super().list(request, *args, **kwargs)
