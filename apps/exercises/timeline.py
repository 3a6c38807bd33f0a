"""Exercises on the case file's timeline: one entry each, on its start."""

from apps.core.timeline import participation_source

from .models import Exercise

EXERCISES = participation_source(
    "exercise", "Exercises", Exercise, relation="participations", title="name", date="start"
)
