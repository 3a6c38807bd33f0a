"""Exercises in the case file's network: their participants tied to one another."""

from apps.core.network import from_timeline, start_end

from .timeline import EXERCISES

EXERCISE_TIES = from_timeline(
    EXERCISES, key="exercise", label="Exercises", title=lambda exercise: exercise.name, period=start_end
)
