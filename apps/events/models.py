from django.core.exceptions import ValidationError
from django.db import models

from apps.actors.models import Actor
from apps.core.dates import PartialDateField, ends_not_before_start
from apps.core.models import Record, RecordQuerySet, SlugManager, Stamped, prefetched_list
from apps.places.models import Place

from .choices import EventKind, EventRole


class EventQuerySet(RecordQuerySet):
    def with_related(self):
        return self.select_compact("place").prefetch_related(
            Event.participant_list.prefetch(EventParticipant.objects.without_timestamps().select_compact("actor"))
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
    date = PartialDateField(help_text="When it happened (or began), as precisely as known.")
    end = PartialDateField(help_text="For events lasting several days: when it ended.")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    summary = models.TextField(blank=True)
    actors = models.ManyToManyField(Actor, through="EventParticipant", related_name="events")

    participant_list = prefetched_list("involvements")

    objects = SlugManager.from_queryset(EventQuerySet)()

    class Meta:
        ordering = ["date", "title", "id"]
        # Lists are read in this order, a page at a time: the index spares sorting the whole table.
        indexes = [models.Index(fields=["date", "title", "id"], name="event_list_order")]
        constraints = [
            models.CheckConstraint(
                name="event_end_not_before_start",
                condition=ends_not_before_start("date", "end"),
                violation_error_message="The end cannot come before the start.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.date and self.end and self.end.latest < self.date.earliest:
            raise ValidationError({"end": "The end cannot come before the start."})
        if self.end and not self.date:
            raise ValidationError({"date": "Give the start date before an end date."})


class EventParticipant(Stamped):
    """An actor's part in an event: visitor, host, speaker, perpetrator …"""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="involvements")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="event_involvements")
    role = models.CharField(max_length=12, choices=EventRole.choices, default=EventRole.PARTICIPANT)
    notes = models.CharField(max_length=300, blank=True)

    editorial_parent_field = "event"

    class Meta:
        ordering = ["event", "role", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"],
                name="event_participant_unique_role",
                violation_error_message="This actor is already listed with this role in the event.",
            )
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"
