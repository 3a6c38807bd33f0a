"""FilterSet for routes, shared by the API and the public list pages."""

import django_filters
from django.db import models

from apps.core.filters import OrderingFilter, RecordFilterSet, RelatedSlugFilter
from apps.places.models import Place

from .choices import RouteMode, RouteStatus
from .models import Leg, Route, mode_q


def with_leg(**lookups):
    """Q: the route has a leg matching ``lookups`` (asked as a subquery: no duplicate routes)."""
    return models.Q(pk__in=Leg.objects.filter(**lookups).values("route"))


class RouteFilterSet(RecordFilterSet):

    mode = django_filters.MultipleChoiceFilter(
        choices=RouteMode.choices, method="filter_mode", label="Routes using any of these modes (repeat for several)."
    )
    status = django_filters.MultipleChoiceFilter(
        choices=RouteStatus.choices, label="Route status (repeat for several)."
    )
    country = django_filters.CharFilter(
        method="filter_country", label="Slug of a country place (kazakhstan-country) a leg of the route crosses."
    )
    place = django_filters.CharFilter(
        method="filter_place", label="Slug of a place a leg of the route starts or ends at, or where it branches."
    )
    agreement = RelatedSlugFilter(
        field_name="permitted_by", distinct=True, label="Slug of an agreement that permits the route."
    )
    branches_from = RelatedSlugFilter(field_name="branches_from", label="Slug of the route these spurs branch from.")
    ordering = OrderingFilter(
        fields=(("name", "name"), ("status", "status"), ("created", "created"), ("updated", "updated")),
        label="Sort by name, status, created or updated; prefix “-” for descending.",
    )

    class Meta:
        model = Route
        fields = ["q", "mode", "status", "country", "place", "agreement", "branches_from", "publication_status"]

    def filter_mode(self, queryset, name, value):
        if not value:
            return queryset
        condition = models.Q()
        for mode in value:
            condition |= mode_q(mode)
        return queryset.filter(condition)

    # A slug naming a place the reader may not see (a draft) names nothing (``named``).
    def filter_country(self, queryset, name, value):
        return queryset.filter(with_leg(countries__in=self.named(Place, value)))

    def filter_place(self, queryset, name, value):
        places = self.named(Place, value)
        return queryset.filter(
            with_leg(from_place__in=places) | with_leg(to_place__in=places) | models.Q(branch_place__in=places)
        )
