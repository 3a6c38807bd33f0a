from django.core.exceptions import ValidationError
from django.db import models

from apps.actors.models import Actor
from apps.core.dates import PartialDateField, ends_not_before_start
from apps.core.models import Record, RecordQuerySet, SlugManager, Stamped, prefetched_list
from apps.core.paths import page_path
from apps.places.models import Place

from .choices import ParticipantRole


class ExerciseSeries(Record):
    """A recurring exercise (Steppe Eagle is held every year); editions are Exercises."""

    name = models.CharField(max_length=200)
    recurrence = models.CharField(max_length=100, blank=True, help_text="How often it is held (annual).")
    description = models.TextField(blank=True)

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
        return self.select_compact("series", "location").prefetch_related(
            Exercise.participant_list.prefetch(ExerciseParticipant.objects.without_timestamps().select_compact("actor"))
        )

    def matching(self, text):
        return self.filter(
            models.Q(name__icontains=text) | models.Q(series__name__icontains=text) | models.Q(focus__icontains=text)
        )


class Exercise(Record):
    """One military exercise, or one edition of a series ("Steppe Eagle 2009")."""

    name = models.CharField(max_length=200)
    series = models.ForeignKey(
        ExerciseSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="editions"
    )
    edition = models.CharField(max_length=40, blank=True, help_text="Edition within the series (2009).")
    start = PartialDateField()
    end = PartialDateField()
    location = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="exercises")
    focus = models.TextField(blank=True, help_text="What was trained or tested.")
    description = models.TextField(blank=True)
    participants = models.ManyToManyField(Actor, through="ExerciseParticipant", related_name="exercises")

    participant_list = prefetched_list("participations")

    objects = SlugManager.from_queryset(ExerciseQuerySet)()

    class Meta:
        ordering = ["start", "name", "id"]
        # Lists are read in this order, a page at a time: the index spares sorting the whole table.
        indexes = [models.Index(fields=["start", "name", "id"], name="exercise_list_order")]
        constraints = [
            models.CheckConstraint(
                name="exercise_end_not_before_start",
                condition=ends_not_before_start("start", "end"),
                violation_error_message="The end cannot come before the start.",
            ),
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
        if self.start and self.end and self.end.latest < self.start.earliest:
            raise ValidationError({"end": "The end cannot come before the start."})
        if self.edition and not self.series_id:
            raise ValidationError({"edition": "An edition belongs to a series: choose the series."})


class ExerciseParticipant(Stamped):
    """An actor's part in an exercise: host, participant, trainer or observer."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="exercise_participations")
    role = models.CharField(max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT)
    notes = models.CharField(max_length=300, blank=True)

    editorial_parent_field = "exercise"

    class Meta:
        ordering = ["exercise", "role", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "actor", "role"],
                name="exercise_participant_unique_role",
                violation_error_message="This actor is already listed with this role in the exercise.",
            )
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"
