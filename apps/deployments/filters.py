"""FilterSet for deployments, shared by the API and the public list pages."""

import django_filters

from apps.core.filters import OrderingFilter, RelatedSlugFilter, SpanFilterSet

from .choices import DeploymentStatus, PersonnelQualifier
from .models import Deployment


class DeploymentFilterSet(SpanFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=DeploymentStatus.choices, label="Deployment status (repeat for several)."
    )
    contributor = RelatedSlugFilter(field_name="contributor", label="Slug of the sending state or body.")
    unit = RelatedSlugFilter(field_name="unit", label="Slug of the unit the personnel come from.")
    mission = RelatedSlugFilter(field_name="mission", label="Slug of the mission or operation served.")
    actor = django_filters.CharFilter(
        method="filter_actor", label="Slug of an actor involved as contributor, unit or mission."
    )
    location = RelatedSlugFilter(field_name="location", label="Slug of the place deployed to.")
    legal_basis = RelatedSlugFilter(field_name="legal_basis", label="Slug of the agreement the deployment rests on."
    )
    personnel_qualifier = django_filters.ChoiceFilter(
        choices=PersonnelQualifier.choices, label="How the head count is stated."
    )
    personnel_min = django_filters.NumberFilter(
        field_name="personnel_max",
        lookup_expr="gte",
        min_value=0,
        label="Only deployments whose head count may reach this number (upper bound ≥ it).",
    )
    ordering = OrderingFilter(
        fields=(
            ("start", "start"),
            ("end", "end"),
            ("name", "name"),
            ("status", "status"),
            ("personnel_min", "personnel"),
            ("created", "created"),
            ("updated", "updated"),
        ),
        label="Sort by start, end, name, status, personnel, created or updated; prefix “-” for descending.",
    )

    class Meta:
        model = Deployment
        fields = [
            "q",
            "status",
            "contributor",
            "unit",
            "mission",
            "actor",
            "location",
            "legal_basis",
            "personnel_qualifier",
            "personnel_min",
            "date_from",
            "date_to",
            "publication_status",
        ]

    def filter_actor(self, queryset, name, value):
        return queryset.filter(
            self.related_named("contributor", value)
            | self.related_named("unit", value)
            | self.related_named("mission", value)
        )
