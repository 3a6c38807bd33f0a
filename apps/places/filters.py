"""FilterSet for places, shared by the API and the public list pages."""

import django_filters

from apps.core.filters import OrderingFilter, RecordFilterSet, RelatedSlugFilter, StrictBooleanFilter

from .choices import PlaceKind
from .models import Place


class PlaceFilterSet(RecordFilterSet):
    search_fields = ("name", "aliases", "description")

    kind = django_filters.MultipleChoiceFilter(choices=PlaceKind.choices, label="Kind of place (repeat for several).")
    within = RelatedSlugFilter(
        field_name="within", label="Slug of the larger place (direct members only: cities within a country)."
    )
    has_coordinates = StrictBooleanFilter(
        field_name="latitude",
        lookup_expr="isnull",
        exclude=True,
        label="Only places with (true) or without (false) coordinates.",
    )
    ordering = OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("created", "created"), ("updated", "updated")),
        label="Sort by name, kind, created or updated; prefix “-” for descending.",
    )

    class Meta:
        model = Place
        fields = ["q", "kind", "within", "has_coordinates", "publication_status"]
