"""Routes as GeoJSON (RFC 7946): every leg a LineString, every place a leg touches a Point.

What a map needs in one request: lines by mode, points by kind, Afghanistan's entry
points, names for hover and focus, and the page of each record for a click. Coordinates
are [longitude, latitude]. A leg is drawn as a straight line between its ends: the source
gives the places, not the track.
"""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from apps.core.api.renderers import JSONRenderer
from apps.places.models import Place


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


def position(place):
    """[longitude, latitude] of a place with coordinates, else None."""
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return [float(place.longitude), float(place.latitude)]


def named(place):
    return {"slug": place.slug, "name": place.name} if place is not None else None


def feature_collection(routes, user):
    """The FeatureCollection of ``routes`` (read with ``with_related()``) as ``user`` may see
    it: places ``user`` may not see are neither points nor named on legs, and a leg with
    such an end, or an end without coordinates, has no geometry."""
    routes = list(routes)
    legs = [(route, leg) for route in routes for leg in route.leg_list]
    place_ids = {leg.from_place_id for _, leg in legs} | {leg.to_place_id for _, leg in legs}
    place_ids |= {route.branch_place_id for route in routes if route.branch_place_id}
    visible = {place.pk: place for place in Place.objects.visible_to(user).filter(pk__in=place_ids)}
    entry_points = {leg.from_place_id for _, leg in legs if leg.enters_afghanistan}
    sees_draft_places = Place.objects.sees_drafts(user)

    features = []
    for route, leg in legs:
        start, end = visible.get(leg.from_place_id), visible.get(leg.to_place_id)
        line = [position(start), position(end)]
        features.append(
            {
                "type": "Feature",
                "id": f"leg-{leg.slug}",
                "geometry": {"type": "LineString", "coordinates": line} if None not in line else None,
                "properties": {
                    "feature_type": "leg",
                    "slug": leg.slug,
                    "route": route.slug,
                    "route_name": route.name,
                    "route_status": route.status,
                    "route_modes": route.mode_list,
                    "spur_of": route.branches_from.slug if route.branches_from_id else None,
                    "order": leg.order,
                    "mode": leg.mode or None,
                    "from": named(start),
                    "to": named(end),
                    "countries": [
                        named(country) for country in leg.countries.all() if sees_draft_places or country.is_published
                    ],
                    "enters_afghanistan": leg.enters_afghanistan,
                    "approximate": bool(
                        (start and start.coordinates_approximate) or (end and end.coordinates_approximate)
                    ),
                    "url": route.get_absolute_url() + f"#leg-{leg.slug}",
                },
            }
        )
    for place in sorted(visible.values(), key=lambda place: (place.name, place.pk)):
        features.append(
            {
                "type": "Feature",
                "id": f"place-{place.slug}",
                "geometry": {"type": "Point", "coordinates": position(place)} if position(place) else None,
                "properties": {
                    "feature_type": "place",
                    "slug": place.slug,
                    "name": place.name,
                    "kind": place.kind,
                    "entry_point": place.pk in entry_points,
                    "approximate": place.coordinates_approximate,
                    "url": place.get_absolute_url(),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


NAMED_PLACE = {
    "type": "object",
    "nullable": True,
    "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
    "required": ["slug", "name"],
}
POSITION = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
LEG_PROPERTIES = {
    "type": "object",
    "description": "A leg of a route, drawn as a straight line between its ends.",
    "properties": {
        "feature_type": {"type": "string", "enum": ["leg"]},
        "slug": {"type": "string", "description": "The leg's slug."},
        "route": {"type": "string", "description": "Slug of the route."},
        "route_name": {"type": "string"},
        "route_status": {"type": "string"},
        "route_modes": {"type": "array", "items": {"type": "string"}},
        "spur_of": {"type": "string", "nullable": True, "description": "Slug of the route this spur branches from."},
        "order": {"type": "integer", "description": "Position of the leg in its route, from 1."},
        "mode": {"type": "string", "nullable": True, "description": "rail, road, sea or air; null if not stated."},
        "from": {**NAMED_PLACE, "description": "Where the leg starts (null if you may not see the place)."},
        "to": {**NAMED_PLACE, "description": "Where the leg ends (null if you may not see the place)."},
        "countries": {
            "type": "array",
            "items": NAMED_PLACE,
            "description": "Countries the leg crosses, where the source names them.",
        },
        "enters_afghanistan": {"type": "boolean", "description": "The leg crosses into Afghanistan at its start."},
        "approximate": {"type": "boolean", "description": "An end's coordinates stand for a larger area."},
        "url": {"type": "string", "description": "The route's page, at this leg."},
    },
    "required": ["feature_type", "slug", "route", "route_name", "order", "mode", "from", "to", "countries",
                 "enters_afghanistan", "approximate", "url"],
}
PLACE_PROPERTIES = {
    "type": "object",
    "description": "A place a leg starts or ends at, or where a spur branches.",
    "properties": {
        "feature_type": {"type": "string", "enum": ["place"]},
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"type": "string", "description": "The place's kind (port, city, base, country …)."},
        "entry_point": {"type": "boolean", "description": "A leg into Afghanistan starts here."},
        "approximate": {"type": "boolean", "description": "The coordinates stand for a larger area."},
        "url": {"type": "string", "description": "The place's page."},
    },
    "required": ["feature_type", "slug", "name", "kind", "entry_point", "approximate", "url"],
}
FEATURE_COLLECTION = {
    "type": "object",
    "description": "GeoJSON (RFC 7946) of the routes matching the filters, unpaginated: each leg a LineString "
    "feature, each place the legs touch a Point feature ([longitude, latitude]); geometry is null where an "
    "end has no coordinates.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "string", "description": "leg-<slug> or place-<slug>."},
                    "geometry": {
                        "type": "object",
                        "nullable": True,
                        "properties": {
                            "type": {"type": "string", "enum": ["LineString", "Point"]},
                            "coordinates": {"oneOf": [POSITION, {"type": "array", "items": POSITION}]},
                        },
                        "required": ["type", "coordinates"],
                    },
                    "properties": {"oneOf": [LEG_PROPERTIES, PLACE_PROPERTIES]},
                },
                "required": ["type", "id", "geometry", "properties"],
            },
        },
    },
    "required": ["type", "features"],
}


@extend_schema_serializer(many=False)
class RouteFeatureCollectionSchema(serializers.Serializer):
    """The routes as a GeoJSON FeatureCollection (schema only)."""


class RouteFeatureCollectionSchemaExtension(OpenApiSerializerExtension):
    target_class = RouteFeatureCollectionSchema

    def map_serializer(self, auto_schema, direction):
        return FEATURE_COLLECTION
