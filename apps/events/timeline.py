"""Events on the case file's timeline: one entry each, on its date."""

from apps.core.timeline import participation_source

from .models import Event

EVENTS = participation_source("event", "Events", Event, relation="involvements", title="title", date="date")
