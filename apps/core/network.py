"""How a kind of record ties actors together in the case file's network.

A record that names several actors (an agreement's parties, a deployment's contributor,
unit and mission, an exercise's or event's participants, an affiliation's member and
organisation) ties each pair of them, typed by the record's kind. Each record app
describes its ties in its own ``network.py`` as a ``TieSource``; the registry of record
types lists those sources and the whole-case network (``apps.whole_case.network``)
merges them, as it does for the timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .dates import PartialDate


@dataclass(frozen=True)
class TieSource:
    """How one kind of record ties actors.

    ``key`` names the tie type (in the API and the page's filter) and ``label`` shows it;
    ``visible(user, actor_slug)`` gives the records the reader may see (those naming the
    actor, given a slug); ``full`` reads them with their actors in a constant number of
    queries; ``title`` names a record; ``period`` gives its (start, end) partial dates,
    either None; ``actors(record, drafts)`` gives its compact actors the reader may see
    (see ``core.timeline.actors_seen``).
    """

    key: str
    label: str
    visible: Callable
    full: Callable
    title: Callable[[Any], str]
    period: Callable[[Any], tuple[PartialDate | None, PartialDate | None]]
    actors: Callable


def from_timeline(source, *, key: str, label: str, title: Callable, period: Callable) -> TieSource:
    """The ties of a kind whose timeline source already reads its records with their
    actors (deployments, exercises, events, affiliations): the same reader rule, the same
    queries."""
    return TieSource(
        key=key,
        label=label,
        visible=source.visible,
        full=source.full,
        title=title,
        period=period,
        actors=source.actors,
    )


def start_end(record) -> tuple[PartialDate | None, PartialDate | None]:
    return record.start, record.end


def actor_pairs(actors: Iterable[dict]) -> Iterable[tuple[dict, dict]]:
    """Each unordered pair of a record's actors once, in the order they are named."""
    actors = list(actors)
    for position, first in enumerate(actors):
        for second in actors[position + 1 :]:
            yield first, second
