"""FilterSet for exercises, shared by the API and the public list pages."""

import django_filters

from apps.core.filters import OrderingFilter, SpanFilterSet, participation_filterset

from .choices import ParticipantRole
from .models import Exercise, ExerciseParticipant

ParticipationFilterSet = participation_filterset(ExerciseParticipant, "exercise", ParticipantRole.choices)


class ExerciseFilterSet(ParticipationFilterSet, SpanFilterSet):
    series = django_filters.CharFilter(field_name="series__slug", label="Slug of the exercise series.")
    location = django_filters.CharFilter(field_name="location__slug", label="Slug of the place it was held.")
    ordering = OrderingFilter(
        fields=(("start", "start"), ("end", "end"), ("name", "name"), ("created", "created"), ("updated", "updated")),
        label="Sort by start, end, name, created or updated; prefix “-” for descending.",
    )

    class Meta:
        model = Exercise
        fields = [
            "q",
            "series",
            "participant",
            "actor",
            "role",
            "location",
            "date_from",
            "date_to",
            "publication_status",
        ]
