"""FilterSet for exercises, shared by the API and the public list pages."""


from apps.core.filters import OrderingFilter, RelatedSlugFilter, SpanFilterSet, participation_filterset

from .choices import ParticipantRole
from .models import Exercise, ExerciseParticipant

ParticipationFilterSet = participation_filterset(ExerciseParticipant, "exercise", ParticipantRole.choices)


class ExerciseFilterSet(ParticipationFilterSet, SpanFilterSet):
    series = RelatedSlugFilter(field_name="series", label="Slug of the exercise series.")
    location = RelatedSlugFilter(field_name="location", label="Slug of the place it was held.")
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
