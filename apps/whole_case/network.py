"""The case file's actors as a network: who is tied to whom, by what record, when.

Every kind that ties actors describes its ties in its own ``network.py`` (a
``core.network.TieSource``, listed by the registry); this module reads each kind's
visible records with their actors (a constant number of queries per kind, whatever the
size of the case file) and turns each pair of actors a record names into a typed tie.
The network page, each actor's neighbourhood and ``/api/v1/network/`` all read it here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from apps.actors.models import Actor
from apps.core.dates import PartialDate
from apps.core.models import sees_drafts
from apps.core.network import actor_pairs

from .registry import network_sources

SOURCES = {source.key: source for source in network_sources()}
TIE_TYPES = {key: source.label for key, source in SOURCES.items()}


@dataclass(frozen=True)
class Tie:
    """Two actors tied by one record: ``type`` is the record's kind (a key of
    ``TIE_TYPES``), ``source``/``target`` are compact actors with their roles in it."""

    type: str
    source: dict
    target: dict
    slug: str
    title: str
    url: str
    start: PartialDate | None
    end: PartialDate | None

    @property
    def label(self) -> str:
        return TIE_TYPES[self.type]

    def overlaps(self, date_from: dt.date | None, date_to: dt.date | None) -> bool:
        """Whether the tie may fall within the range; an undated tie is kept only
        when no range is asked for."""
        if date_from is None and date_to is None:
            return True
        if self.start is None and self.end is None:
            return False
        first, last = self.start or self.end, self.end or self.start
        return (date_to is None or first.earliest <= date_to) and (date_from is None or last.latest >= date_from)


class Network:
    """The ties the user may see: of every type, or of ``types``; of every actor, or
    (``actor``: a slug) only the actor's own ties; within ``date_from``/``date_to``."""

    def __init__(
        self,
        user,
        *,
        types: Iterable[str] | None = None,
        actor: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ):
        drafts = sees_drafts(user, Actor)
        wanted = [key for key in TIE_TYPES if types is None or key in set(types)]
        self.ties: list[Tie] = []
        for key in wanted:
            source = SOURCES[key]
            for record in source.full(source.visible(user, actor)):
                start, end = source.period(record)
                for first, second in actor_pairs(source.actors(record, drafts)):
                    if actor and actor not in (first["slug"], second["slug"]):
                        continue
                    tie = Tie(key, first, second, record.slug, source.title(record), record.get_absolute_url(),
                              start, end)
                    if tie.overlaps(date_from, date_to):
                        self.ties.append(tie)
        undated = (dt.date.max, dt.date.max)
        self.ties.sort(key=lambda tie: (tie.start.sort_key() if tie.start else undated, tie.type, tie.title))
        self.nodes = self._nodes()

    def _nodes(self) -> list[dict]:
        """The actors the ties name, with their kind (for the chart's colours), by name."""
        named = {}
        for tie in self.ties:
            for end in (tie.source, tie.target):
                named.setdefault(end["slug"], {"slug": end["slug"], "name": end["name"], "url": end["url"]})
        kinds = dict(Actor.objects.filter(slug__in=list(named)).values_list("slug", "kind"))
        for slug, node in named.items():
            node["kind"] = kinds.get(slug, "")
            node["ties"] = 0
        for tie in self.ties:
            named[tie.source["slug"]]["ties"] += 1
            named[tie.target["slug"]]["ties"] += 1
        return sorted(named.values(), key=lambda node: node["name"].casefold())

    def as_data(self) -> dict:
        """The network as the chart and the API read it."""
        return {
            "tie_types": [{"key": key, "label": label} for key, label in TIE_TYPES.items()],
            "nodes": self.nodes,
            "ties": [
                {
                    "type": tie.type,
                    "source": tie.source["slug"],
                    "target": tie.target["slug"],
                    "source_role": tie.source["role"],
                    "target_role": tie.target["role"],
                    "record": {"slug": tie.slug, "title": tie.title, "url": tie.url},
                    "start": str(tie.start) if tie.start else None,
                    "end": str(tie.end) if tie.end else None,
                    "earliest": tie.start.earliest.isoformat() if tie.start else None,
                    "latest": (tie.end or tie.start).latest.isoformat() if (tie.end or tie.start) else None,
                }
                for tie in self.ties
            ],
        }
