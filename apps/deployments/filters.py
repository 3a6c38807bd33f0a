"""FilterSet for deployments, shared by the API and the public list pages."""

import django_filters
from django.db import models

from apps.core.filters import OrderingFilter, SpanFilterSet

from .choices import DeploymentStatus, PersonnelQualifier
from .models import Deployment


class DeploymentFilterSet(SpanFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=DeploymentStatus.choices, label="Deployment status (repeat for several)."
    )
    contributor = django_filters.CharFilter(field_name="contributor__slug", label="Slug of the sending state or body.")
    unit = django_filters.CharFilter(field_name="unit__slug", label="Slug of the unit the personnel come from.")
    mission = django_filters.CharFilter(field_name="mission__slug", label="Slug of the mission or operation served.")
    actor = django_filters.CharFilter(
        method="filter_actor", label="Slug of an actor involved as contributor, unit or mission."
    )
    location = django_filters.CharFilter(field_name="location__slug", label="Slug of the place deployed to.")
    legal_basis = django_filters.CharFilter(
        field_name="legal_basis__slug", label="Slug of the agreement the deployment rests on."
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
            models.Q(contributor__slug=value) | models.Q(unit__slug=value) | models.Q(mission__slug=value)
        )
