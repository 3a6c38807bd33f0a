from django.core.exceptions import ValidationError
from django.db import models

from apps.actors.models import Actor, Participation, unique_role
from apps.core.choices import ChoiceLabel
from apps.core.dates import PartialDateField, span_constraint, span_errors
from apps.core.models import (
    Record,
    RecordQuerySet,
    SlugManager,
    facet_index,
    list_order_index,
    page_order_index,
    related_list,
)
from apps.core.naming import Identity
from apps.places.models import Place

from .choices import EventKind, EventRole


class EventQuerySet(RecordQuerySet):
    def with_related(self):
        # In the participants' order less its first term, their event: within one event's
        # list it sorts nothing and costs a join; the key breaks ties.
        participants = (
            EventParticipant.objects.without_timestamps().select_compact("actor").order_by("role", "actor__name", "pk")
        )
        return self.select_compact("place").prefetch_related(
            models.Prefetch("involvements", queryset=participants, to_attr="prefetched_participants"),
            models.Prefetch("places", queryset=Place.objects.compact(), to_attr="prefetched_places"),
        )

    def matching(self, text):
        return self.filter(models.Q(title__icontains=text) | models.Q(summary__icontains=text))


class Event(Record):
    """A dated happening that carries the story: a visit, speech, vote, opening, attack, flight.

    Votes on an agreement belong in the agreement's lifecycle; record here what
    happens outside one.
    """

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    kind_label = ChoiceLabel("kind")
    date = PartialDateField(help_text="When it happened (or began), as precisely as known.")
    end = PartialDateField(help_text="For events lasting several days: when it ended.")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    # A flight has an origin and a destination, a tour several stops: each of those places
    # lists the event too, not only the one it is filed under.
    places = models.ManyToManyField(
        Place,
        blank=True,
        related_name="events_touching",
        help_text="Other places it touched: a flight's origin and destination, the stops of a tour.",
    )
    summary = models.TextField(blank=True)
    actors = models.ManyToManyField(Actor, through="EventParticipant", related_name="events")

    participant_list = related_list("involvements", to_attr="prefetched_participants")
    place_list = related_list("places", to_attr="prefetched_places")

    identity = Identity(title="title", date="date", parties=("actors",))
    objects = SlugManager.from_queryset(EventQuerySet)()

    class Meta:
        ordering = ["date", "title", "id"]
        # Lists are read in this order, a page at a time: the index spares sorting the whole table.
        indexes = [
            list_order_index("date", "title", "id", name="event_list_order"),
            page_order_index("date", "title", "id", name="event_page_order"),
            facet_index("kind", name="event_kind_facet"),
            facet_index("place", name="event_place_facet"),
        ]
        constraints = [
            span_constraint("event", "date", "end"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if errors := span_errors(self, "date", "end"):
            raise ValidationError(errors)
        if self.end and not self.date:
            raise ValidationError({"date": "Give the start date before an end date."})


class EventParticipant(Participation):
    """An actor's part in an event: visitor, host, speaker, perpetrator …"""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="involvements")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="event_involvements")
    role = models.CharField(max_length=12, choices=EventRole.choices, default=EventRole.PARTICIPANT)

    editorial_parent_field = "event"

    class Meta:
        ordering = ["event", "role", "actor__name"]
        constraints = [
            unique_role(
                "event", "event_participant_unique_role", "This actor is already listed with this role in the event."
            )
        ]
