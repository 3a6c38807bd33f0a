"""FilterSet for events, shared by the API and the public list pages."""

import django_filters

from apps.core.filters import OrderingFilter, SpanFilterSet, participation_filterset

from .choices import EventKind, EventRole
from .models import Event, EventParticipant


class EventFilterSet(participation_filterset(EventParticipant, "event", EventRole.choices), SpanFilterSet):
    start_field = "date"  # an event is dated by ``date`` and, when it lasts, ``end``

    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, label="Kind of event (repeat for several).")
    place = django_filters.CharFilter(
        method="filter_place", label="Slug of a place: events filed under it or touching it (a flight's destination)."
    )
    ordering = OrderingFilter(
        fields=(("date", "date"), ("title", "title"), ("kind", "kind"), ("created", "created"), ("updated", "updated")),
        label="Sort by date, title, kind, created or updated; prefix “-” for descending.",
    )

    def filter_place(self, queryset, name, value):
        return queryset.filter(self.related_named("place", value) | self.related_named("places", value)).distinct()

    class Meta:
        model = Event
        fields = ["q", "kind", "participant", "actor", "role", "place", "date_from", "date_to", "publication_status"]
