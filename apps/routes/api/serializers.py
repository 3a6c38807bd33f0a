from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.fields import CompactRelatedField
from apps.core.api.serializers import ChildSerializer, RecordCitationSerializer, RecordSerializer
from apps.places.choices import PlaceKind
from apps.places.models import Place
from apps.routes.choices import RouteMode
from apps.routes.models import Leg, Route, RouteConstraint, modes_list, modes_text


@extend_schema_field(
    {"type": "array", "items": {"type": "string", "enum": list(RouteMode.values)}, "minItems": 1}
)
class ModesField(serializers.MultipleChoiceField):
    """Modes as a list (["rail", "road"]), in the choices' order; stored as text."""

    def __init__(self, **kwargs):
        super().__init__(choices=RouteMode.choices, allow_empty=False, **kwargs)

    def to_representation(self, value):
        return modes_list(value)

    def to_internal_value(self, data):
        if isinstance(data, str):
            self.fail("not_a_list", input_type="str")
        return modes_text(super().to_internal_value(data))


class LegSerializer(ChildSerializer):
    countries = CompactRelatedField(
        many=True,
        required=False,
        queryset=Place.objects.filter(kind=PlaceKind.COUNTRY),
        help_text="Countries the leg crosses, where the source names them (slugs of country places).",
    )
    approximate = serializers.BooleanField(
        read_only=True, help_text="An end of the leg has coordinates that stand for a larger area."
    )

    class Meta:
        model = Leg
        fields = [
            "slug",
            "order",
            "from_place",
            "to_place",
            "mode",
            "countries",
            "enters_afghanistan",
            "approximate",
            "notes",
        ]


class RouteConstraintSerializer(ChildSerializer):
    class Meta:
        model = RouteConstraint
        fields = ["slug", "kind", "text"]


class RouteSerializer(RecordSerializer):
    """A route with its legs (in order) and constraints; ``legs`` and ``constraints`` given on a
    write are what they become, matched by slug."""

    modes = ModesField(help_text="Every mode the route uses.")
    permitted_by = CompactRelatedField(
        source="permitted_by_list",
        many=True,
        queryset=Route._meta.get_field("permitted_by").related_model.objects.all(),
        required=False,
        help_text="Agreements that open the route or allow transit along it.",
    )
    legs = LegSerializer(source="leg_list", many=True, required=False)
    constraints = RouteConstraintSerializer(source="constraint_list", many=True, required=False)
    citations = RecordCitationSerializer(many=True, read_only=True, help_text="Sources for this route (detail only).")

    class Meta:
        model = Route
        fields = [
            "url",
            "slug",
            "name",
            "aliases",
            "modes",
            "status",
            "permitted_by",
            "branches_from",
            "branch_place",
            "description",
            "legs",
            "constraints",
            "publication_status",
            "version",
            "created",
            "updated",
            "citations",
        ]
        brief_fields = ["slug", "name", "url"]
        nested = {"legs": "route", "constraints": "route"}
