from django.core.exceptions import ValidationError
from django.db import models

from apps.actors.models import Actor, Participation, unique_role
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
from apps.core.paths import page_path
from apps.places.models import Place

from .choices import ParticipantRole


class ExerciseSeries(Record):
    """A recurring exercise (Steppe Eagle is held every year); editions are Exercises."""

    name = models.CharField(max_length=200)
    recurrence = models.CharField(max_length=100, blank=True, help_text="How often it is held (annual).")
    description = models.TextField(blank=True)

    identity = Identity(title="name")
    objects = SlugManager.from_queryset(RecordQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "exercise series"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_path("exercises:series", self.slug)


class ExerciseQuerySet(RecordQuerySet):
    def with_related(self):
        # Ordered as the model orders them, less their exercise (see related_list).
        participants = (
            ExerciseParticipant.objects.without_timestamps()
            .select_compact("actor")
            .order_by("role", "actor__name", "pk")
        )
        return self.select_compact("series", "location").prefetch_related(
            models.Prefetch("participations", queryset=participants, to_attr="prefetched_participants")
        )

    def matching(self, text):
        return self.filter(
            models.Q(name__icontains=text) | models.Q(series__name__icontains=text) | models.Q(focus__icontains=text)
        )


class Exercise(Record):
    """One military exercise, or one edition of a series ("Steppe Eagle 2009")."""

    name = models.CharField(max_length=200)
    series = models.ForeignKey(ExerciseSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="editions")
    edition = models.CharField(max_length=40, blank=True, help_text="Edition within the series (2009).")
    start = PartialDateField()
    end = PartialDateField()
    location = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="exercises")
    focus = models.TextField(blank=True, help_text="What was trained or tested.")
    description = models.TextField(blank=True)
    participants = models.ManyToManyField(Actor, through="ExerciseParticipant", related_name="exercises")

    participant_list = related_list("participations", to_attr="prefetched_participants")

    identity = Identity(title="name", date="start", parties=("participants",))
    objects = SlugManager.from_queryset(ExerciseQuerySet)()

    class Meta:
        ordering = ["start", "name", "id"]
        # Lists are read in this order, a page at a time: the index spares sorting the whole table.
        indexes = [
            list_order_index("start", "name", "id", name="exercise_list_order"),
            page_order_index("start", "name", "id", name="exercise_page_order"),
            facet_index("series", name="exercise_series_facet"),
            facet_index("location", name="exercise_location_facet"),
        ]
        constraints = [
            span_constraint("exercise"),
            models.UniqueConstraint(
                fields=["series", "edition"],
                condition=~models.Q(edition=""),
                name="exercise_unique_edition",
                violation_error_message="This series already has an edition with this name.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if errors := span_errors(self):
            raise ValidationError(errors)
        if self.edition and not self.series_id:
            raise ValidationError({"edition": "An edition belongs to a series: choose the series."})


class ExerciseParticipant(Participation):
    """An actor's part in an exercise: host, participant, trainer or observer."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="exercise_participations")
    role = models.CharField(max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT)

    editorial_parent_field = "exercise"

    class Meta:
        ordering = ["exercise", "role", "actor__name"]
        constraints = [
            unique_role(
                "exercise",
                "exercise_participant_unique_role",
                "This actor is already listed with this role in the exercise.",
            )
        ]
