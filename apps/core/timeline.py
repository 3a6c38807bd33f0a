"""How a kind of record enters the case file's timeline.

Each record app that has dated records describes them in its own ``timeline.py`` as a
``TimelineSource`` (which records a reader may see, which date columns make entries,
how a record reads as entries and which actors it names); the registry of record types
lists those sources, and the whole-case timeline merges them in date order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F

from .dates import PartialDate

START_AND_END = (("start", "start"), ("end", "end"))


@dataclass
class TimelineEntry:
    """One dated line of the timeline.

    ``phase`` is "start" or "end" for the two entries of a deployment or an
    affiliation, and empty for everything else. ``actors`` are compact dicts
    (slug, name, role, url) of the actors the reader may see; ``record`` is the full
    record the entry comes from (the step, for agreement steps).
    """

    type: str
    slug: str
    title: str
    date: PartialDate
    end: PartialDate | None
    actors: list[dict] = field(default_factory=list)
    record: Any = None
    phase: str = ""
    type_label: str = ""

    @property
    def url(self) -> str:
        """The entry's page on the site (worked out only for the entries shown)."""
        return self.record.get_absolute_url()

    @property
    def year(self) -> int:
        return self.date.earliest.year


@dataclass(frozen=True)
class TimelineSource:
    """How one type of record enters the timeline.

    ``key`` names the entry type (in the API and the page's filter) and ``label`` shows
    it; ``visible(user, actor_slug)`` filters the records a reader may see (and, given an
    actor's slug, those it takes part in); ``dates`` are the date columns that make
    entries, each with its phase; ``name`` is the expression that orders entries of one
    type on one date; ``full`` reads records with what their actors need; ``entries``
    turns a record into its entries and ``actors`` into the entry's actors (both told
    whether the reader sees draft actors).
    """

    key: str
    label: str
    model: type
    visible: Callable
    dates: tuple[tuple[str, str], ...]
    name: Any
    full: Callable
    entries: Callable
    actors: Callable


def actor_entry(actor, role: str, drafts: bool) -> dict | None:
    """A compact actor for an entry, or None when the reader may not see the actor."""
    if actor is None or not (drafts or actor.is_published):
        return None
    return {"slug": actor.slug, "name": actor.name, "role": role, "url": actor.get_absolute_url()}


def actors_seen(pairs: Iterable[tuple[Any, str]], drafts: bool) -> list[dict]:
    """The actors of an entry the reader may see (``drafts``: also draft actors), each
    once, in its first role."""
    seen, result = set(), []
    for actor, role in pairs:
        compact = actor_entry(actor, role, drafts)
        if compact and compact["slug"] not in seen:
            seen.add(compact["slug"])
            result.append(compact)
    return result


def participation_source(key, label, model, *, relation, title, date) -> TimelineSource:
    """A record dated by ``date`` (its ``end`` shown beside it) with its actors through
    a participation table (``relation``, rows with ``actor`` and ``role``): exercises
    and events."""

    def visible(user, actor_slug):
        records = model.objects.visible_to(user)
        if actor_slug:
            records = records.filter(**{f"{relation}__actor__slug": actor_slug}).distinct()
        return records

    def entries(record, drafts):
        yield TimelineEntry(
            type=key,
            slug=record.slug,
            title=getattr(record, title),
            date=getattr(record, date),
            end=record.end,
            record=record,
        )

    def actors(record, drafts):
        return actors_seen(((p.actor, p.get_role_display()) for p in record.participant_list), drafts)

    return TimelineSource(
        key,
        label,
        model,
        visible,
        dates=((date, ""),),
        name=F(title),
        full=lambda records: records.with_related(),
        entries=entries,
        actors=actors,
    )


def span_entries(key, record, *, begins: str, ends: str):
    """The entries of a record with a start and an end: one at each date it has."""
    common = dict(type=key, slug=record.slug, record=record)
    if record.start:
        yield TimelineEntry(title=begins, date=record.start, end=record.end, phase="start", **common)
    if record.end:
        yield TimelineEntry(title=ends, date=record.end, end=None, phase="end", **common)
