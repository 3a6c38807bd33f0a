"""Events in the case file's network: the actors involved tied to one another."""

from apps.core.network import from_timeline

from .timeline import EVENTS

EVENT_TIES = from_timeline(
    EVENTS, key="event", label="Events", title=lambda event: event.title, period=lambda event: (event.date, event.end)
)
