"""Search across every record type at once, for the search page and the API.

Each type is searched with its model's ``matching()`` (names, aliases, titles,
summaries), from ``visible_to(user)`` so drafts stay with staff, and read with
``with_related()``: one query per type, whatever the number of hits.
"""

from __future__ import annotations

from apps.actors.models import Actor
from apps.agreements.models import Agreement
from apps.deployments.models import Deployment
from apps.events.models import Event
from apps.exercises.models import Exercise
from apps.places.models import Place
from apps.sources.models import Source

# Result groups in the order the search page shows them, with their labels.
SEARCH_TYPES = {
    "actors": ("Actors", Actor),
    "agreements": ("Agreements", Agreement),
    "deployments": ("Deployments", Deployment),
    "exercises": ("Exercises", Exercise),
    "events": ("Events", Event),
    "places": ("Places", Place),
    "sources": ("Sources", Source),
}

DEFAULT_LIMIT = 25


def search_all(user, q: str, *, limit_per_type: int = DEFAULT_LIMIT) -> dict[str, list]:
    """Records matching ``q``, grouped by type (``SEARCH_TYPES`` keys, in order).

    Every group is present, empty when nothing matches; an empty query matches
    nothing. Each group holds at most ``limit_per_type`` records.
    """
    text = (q or "").replace("\x00", "").strip()  # no stored text holds a NUL; PostgreSQL refuses one
    results: dict[str, list] = {}
    for key, (_label, model) in SEARCH_TYPES.items():
        if not text:
            results[key] = []
            continue
        queryset = model.objects.visible_to(user).matching(text).with_related()
        results[key] = list(queryset[:limit_per_type])
    return results
