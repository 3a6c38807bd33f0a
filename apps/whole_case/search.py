"""Search across every record type at once, for the search page and the API.

Each type is searched with its model's ``matching()`` (names, aliases, titles,
summaries), from ``visible_to(user)`` so drafts stay with staff, and read with
``with_related()``: one query per type, whatever the number of hits.
"""

from __future__ import annotations

from apps.core.models import withhold_hidden

from .registry import searchable_types

# Result groups in the order the search page shows them, with their labels.
SEARCH_TYPES = {record_type.key: (record_type.label, record_type.model) for record_type in searchable_types()}

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
        # Snippets name related records (an agreement's status, an affiliation's actors): only those the reader sees.
        results[key] = withhold_hidden(queryset[:limit_per_type], user)
    return results
