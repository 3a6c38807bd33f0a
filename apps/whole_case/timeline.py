"""The case file in time order: every dated record and agreement step, as one list.

Shared by the timeline page, the overview and the API, as a ``Timeline``: a lazy
sequence whose length and slices are worked out in the database, so that a page of
the timeline costs the same whether the case file holds a hundred dated records or
a hundred thousand.

- Ordering: one ``UNION ALL`` of a branch per record type and date column (a
  deployment's start and its end are two entries), ordered by the stored partial
  date (its text begins with the earliest and then the latest day, so it sorts as
  ``PartialDate`` does), then type, start before end, the record's name, and id.
- Entries: the rows of a slice are read back as full records with their actors,
  one query per record type and relation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, IntegerField, Q, Value
from django.db.models.functions import Left, Substr

from apps.actors.models import Actor
from apps.core.dates import PartialDate, overlapping
from apps.core.models import sees_drafts, withhold_hidden
from apps.core.timeline import TimelineEntry

from .models import ENTRY_TARGET_FIELDS, Collection, CollectionEntry
from .registry import timeline_sources

# Entry types in the order they sort when they share a date, each with its source.
SOURCES = {source.key: source for source in timeline_sources()}
ENTRY_TYPES = {key: source.label for key, source in SOURCES.items()}
_TYPE_ORDER = {name: position for position, name in enumerate(ENTRY_TYPES)}
# The column of a collection entry that points to each dated kind (None: a kind no entry names).
_ENTRY_FIELD = {
    key: next(
        (name for name in ENTRY_TARGET_FIELDS if CollectionEntry._meta.get_field(name).related_model is source.model),
        None,
    )
    for key, source in SOURCES.items()
}


def _actor_slug(actor) -> str | None:
    if actor is None or actor == "":
        return None
    return actor.slug if isinstance(actor, Actor) else str(actor)


# The stored form "2009-05-01/2009-05-31/month": earliest and latest day first.
_BOUNDS_LENGTH = len("2009-05-01/2009-05-31")
_ORDER = ("entry_sort", "entry_type", "entry_end", "entry_name", "entry_pk")
CHUNK = 2000


class Timeline:
    """Every dated record and agreement step the user may see, in date order.

    ``types`` narrows to some of ``ENTRY_TYPES`` (unknown names are ignored);
    ``actor`` (an Actor or a slug) keeps entries the actor takes part in;
    ``collection`` (a Collection) keeps the records its entries the user sees point to;
    ``date_from``/``date_to`` keep entries whose date may fall in that range, at
    the date's precision ("May 2009" is kept for 2009-05-20…2009-06-30).

    ``len()`` and ``count()`` count in the database; a slice reads just its rows and
    returns ``TimelineEntry`` objects with their records and actors. A Django
    ``Paginator`` (and so DRF's pagination) takes it as it is.
    """

    def __init__(
        self,
        user,
        *,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        types: Iterable[str] | None = None,
        actor: Actor | str | None = None,
        collection: Collection | None = None,
    ):
        self.user = user
        self.drafts = sees_drafts(user, Actor)
        actor_slug = _actor_slug(actor)
        wanted = [name for name in ENTRY_TYPES if types is None or name in set(types)]
        if collection is not None:
            listed = CollectionEntry.objects.visible_to(user).filter(collection=collection)
            wanted = [name for name in wanted if _ENTRY_FIELD[name]]
        if actor_slug and not isinstance(actor, Actor) and not self.drafts:
            # The slug of an actor the reader may not see names nothing, as an unknown one does.
            if not Actor.objects.visible_to(user).filter(slug=actor_slug).exists():
                wanted = []

        self.branches = []  # (type name, phase) of each branch, by its number
        self.queries = []
        for name in wanted:
            kind = SOURCES[name]
            records = kind.visible(user, actor_slug)
            if collection is not None:
                records = records.filter(
                    pk__in=listed.filter(**{f"{_ENTRY_FIELD[name]}__isnull": False}).values(_ENTRY_FIELD[name])
                )
            for column, phase in kind.dates:
                self.queries.append(
                    records.filter(Q(**{f"{column}__isnull": False}), overlapping(column, date_from, date_to))
                    .order_by()
                    .annotate(
                        entry_sort=Left(column, _BOUNDS_LENGTH),
                        entry_latest=Substr(column, len("2009-05-01/") + 1, len("2009-05-31")),
                        entry_type=Value(_TYPE_ORDER[name], output_field=IntegerField()),
                        entry_end=Value(int(phase == "end"), output_field=IntegerField()),
                        entry_name=kind.name,
                        entry_pk=F("pk"),
                        entry_branch=Value(len(self.branches), output_field=IntegerField()),
                    )
                    .values_list(*_ORDER, "entry_branch", "entry_latest")
                )
                self.branches.append((name, phase))
        self._count = None

    def _rows(self):
        """All rows of every branch, as one unordered query (None when no type is wanted)."""
        if not self.queries:
            return None
        first, *rest = self.queries
        return first.union(*rest, all=True) if rest else first

    def count(self) -> int:
        if self._count is None:
            rows = self._rows()
            self._count = rows.count() if rows is not None else 0
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            rows = self._rows()
            if rows is None:
                return []
            return self._entries(list(rows.order_by(*_ORDER)[index]))
        entries = self[index : index + 1]
        if not entries:
            raise IndexError("timeline index out of range")
        return entries[0]

    def __iter__(self):
        for offset in range(0, self.count(), CHUNK):
            yield from self[offset : offset + CHUNK]

    def last(self) -> TimelineEntry | None:
        """The entry that ends last (the latest "latest day")."""
        rows = self._rows()
        if rows is None:
            return None
        found = self._entries(list(rows.order_by("-entry_latest", "-entry_sort", "-entry_pk")[:1]))
        return found[0] if found else None

    def years(self) -> dict[int, int]:
        """{year: number of entries dated in it (by the earliest day)}, in year order."""
        rows = self._rows()
        counts: dict[int, int] = {}
        for sort_text in rows.values_list("entry_sort", flat=True) if rows is not None else ():
            year = int(sort_text[:4])
            counts[year] = counts.get(year, 0) + 1
        return dict(sorted(counts.items()))

    def year_pages(self, per_page: int) -> dict[int, int]:
        """{year: the page it starts on}, for pages of ``per_page`` entries."""
        pages, before = {}, 0
        for year, count in self.years().items():
            pages[year] = before // per_page + 1
            before += count
        return pages

    def _entries(self, rows) -> list[TimelineEntry]:
        """The entries of these rows, in their order, with full records and actors."""
        wanted: dict[str, set] = {}
        for row in rows:
            name, _ = self.branches[row[5]]
            wanted.setdefault(name, set()).add(row[4])
        made = {}
        for name, pks in wanted.items():
            kind = SOURCES[name]
            pks = sorted(pks)
            for offset in range(0, len(pks), CHUNK):
                records = kind.full(kind.model.objects.filter(pk__in=pks[offset : offset + CHUNK]))
                # Titles computed from related records (a chamber's vote) name only those the reader sees.
                for record in withhold_hidden(records, self.user):
                    actors = kind.actors(record, self.drafts)
                    for entry in kind.entries(record, self.drafts):
                        entry.actors, entry.type_label = actors, kind.label
                        made[name, record.pk, entry.phase] = entry
        entries = []
        for row in rows:
            name, phase = self.branches[row[5]]
            entry = made.get((name, row[4], phase))
            if entry is not None:  # a record deleted since the rows were read is left out
                entries.append(entry)
        return entries


def collection_marks(user) -> dict[tuple[str, int], list[str]]:
    """{(entry type, record id): slugs of the collections listing it}, of the collection
    entries ``user`` sees: what the timeline marks as a milestone. One query; a case file
    holds few collection entries, however many records."""
    marks: dict[tuple[str, int], list[str]] = {}
    columns = {_ENTRY_FIELD[name]: name for name in ENTRY_TYPES if _ENTRY_FIELD[name]}
    rows = CollectionEntry.objects.visible_to(user).order_by("collection__title", "position")
    for values in rows.values("collection__slug", *[f"{column}_id" for column in columns]):
        for column, name in columns.items():
            if values[f"{column}_id"] is not None:
                slugs = marks.setdefault((name, values[f"{column}_id"]), [])
                if values["collection__slug"] not in slugs:
                    slugs.append(values["collection__slug"])
    return marks


def timeline_entries(user, **filters) -> list[TimelineEntry]:
    """The whole timeline, as a list (for a page of it, slice a ``Timeline``)."""
    return list(Timeline(user, **filters))


def date_span(user) -> tuple[PartialDate, PartialDate] | None:
    """The first and last date in the timeline the user may see."""
    timeline = Timeline(user)
    if not timeline.count():
        return None
    return timeline[0].date, timeline.last().date
