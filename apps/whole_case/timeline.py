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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, IntegerField, Prefetch, Q, Value
from django.db.models.functions import Coalesce, Left, NullIf, Substr

from apps.actors.choices import AffiliationKind
from apps.actors.models import Actor, Affiliation
from apps.agreements.models import Agreement, AgreementParty, AgreementStep
from apps.core.choices import PublicationStatus
from apps.core.dates import PartialDate, overlapping
from apps.core.models import sees_drafts
from apps.deployments.models import Deployment
from apps.events.models import Event
from apps.exercises.models import Exercise

# Entry types in the order they sort when they share a date, with their labels.
ENTRY_TYPES = {
    "affiliation": "Affiliations",
    "agreement_step": "Agreement steps",
    "deployment": "Deployments",
    "exercise": "Exercises",
    "event": "Events",
}
_TYPE_ORDER = {name: position for position, name in enumerate(ENTRY_TYPES)}


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

    @property
    def url(self) -> str:
        """The entry's page on the site (worked out only for the entries shown)."""
        return self.record.get_absolute_url()

    @property
    def type_label(self) -> str:
        return ENTRY_TYPES[self.type]

    @property
    def year(self) -> int:
        return self.date.earliest.year

    def sort_key(self):
        return (*self.date.sort_key(), _TYPE_ORDER[self.type], self.phase == "end", self.title)


def _actor(actor: Actor | None, role: str, drafts: bool) -> dict | None:
    """A compact actor for an entry, or None when the reader may not see the actor."""
    if actor is None or not (drafts or actor.is_published):
        return None
    return {
        "slug": actor.slug,
        "name": actor.name,
        "role": role,
        "url": actor.get_absolute_url(),
    }


def _actors(pairs: Iterable[tuple[Actor | None, str]], drafts: bool) -> list[dict]:
    """The actors of an entry the reader may see (``drafts``: also draft actors)."""
    seen, result = set(), []
    for actor, role in pairs:
        compact = _actor(actor, role, drafts)
        if compact and compact["slug"] not in seen:  # an actor once, in its first role
            seen.add(compact["slug"])
            result.append(compact)
    return result


def _actor_slug(actor) -> str | None:
    if actor is None or actor == "":
        return None
    return actor.slug if isinstance(actor, Actor) else str(actor)


def step_outcome(step) -> str:
    """An agreement step in words, without its date: “Rejected by Senate of Kazakhstan”."""
    return step.outcome_text.removesuffix(f" ({step.date})") if step.date else step.outcome_text


def _step_entries(step, drafts):
    agreement = step.agreement
    outcome = step_outcome(step)
    yield TimelineEntry(
        type="agreement_step",
        slug=step.slug,
        title=f"{agreement}: {outcome[:1].lower()}{outcome[1:]}",
        date=step.date,
        end=None,
        record=step,
    )


def _step_actors(step, drafts):
    pairs = [(step.acting_body, "acting body")]
    pairs += [(party.actor, party.get_role_display()) for party in step.agreement.party_list]
    return _actors(pairs, drafts)


def _visible_steps(user, actor_slug):
    steps = AgreementStep.objects.all()
    if not sees_drafts(user, Agreement):
        steps = steps.filter(agreement__in=Agreement.objects.visible_to(user))
    if actor_slug:
        steps = steps.filter(
            Q(acting_body__slug=actor_slug) | Q(agreement__party_roles__actor__slug=actor_slug)
        ).distinct()
    return steps


def _full_steps(steps):
    # The parties with their actors in one query (a separate prefetch of thousands of
    # actors would exceed SQLite's limit on the size of one statement).
    parties = Prefetch(
        "agreement__party_roles", queryset=AgreementParty.objects.select_compact("actor"), to_attr="prefetched_parties"
    )
    return steps.select_compact("agreement", "acting_body", "place").prefetch_related(parties)


def _visible_deployments(user, actor_slug):
    deployments = Deployment.objects.visible_to(user)
    if actor_slug:
        deployments = deployments.filter(
            Q(contributor__slug=actor_slug) | Q(unit__slug=actor_slug) | Q(mission__slug=actor_slug)
        )
    return deployments


def _deployment_entries(deployment, drafts):
    common = dict(type="deployment", slug=deployment.slug, record=deployment)
    if deployment.start:
        yield TimelineEntry(
            title=f"{deployment.name} begins", date=deployment.start, end=deployment.end, phase="start", **common
        )
    if deployment.end:
        yield TimelineEntry(title=f"{deployment.name} ends", date=deployment.end, end=None, phase="end", **common)


def _deployment_actors(deployment, drafts):
    return _actors(
        [(deployment.contributor, "contributor"), (deployment.unit, "unit"), (deployment.mission, "mission")], drafts
    )


def _participated(model, relation):
    """Exercises and events: with actors through a participation table."""

    def visible(user, actor_slug):
        records = model.objects.visible_to(user)
        if actor_slug:
            records = records.filter(**{f"{relation}__actor__slug": actor_slug}).distinct()
        return records

    return visible


def _participation_entries(record, drafts):
    yield TimelineEntry(
        type=record._meta.model_name,
        slug=record.slug,
        title=record.name if isinstance(record, Exercise) else record.title,
        date=record.start if isinstance(record, Exercise) else record.date,
        end=record.end,
        record=record,
    )


def _participant_actors(record, drafts):
    return _actors(((p.actor, p.get_role_display()) for p in record.participant_list), drafts)


def _affiliation_titles(affiliation) -> tuple[str, str]:
    member, organisation, role = affiliation.member, affiliation.organisation, affiliation.role
    if affiliation.kind == AffiliationKind.MEMBERSHIP:
        return f"{member} joins {organisation}", f"{member} leaves {organisation}"
    if role:
        return (
            f"{member} becomes {role}, {organisation}",
            f"{member} leaves office as {role}, {organisation}",
        )
    label = affiliation.get_kind_display().lower()
    return f"{member} – {organisation}: {label} begins", f"{member} – {organisation}: {label} ends"


def _visible_affiliations(user, actor_slug):
    affiliations = Affiliation.objects.visible_to(user)
    if not sees_drafts(user, Actor):  # a reader sees an affiliation only with both of its actors
        affiliations = affiliations.filter(
            member__publication_status=PublicationStatus.PUBLISHED,
            organisation__publication_status=PublicationStatus.PUBLISHED,
        )
    if actor_slug:
        affiliations = affiliations.filter(Q(member__slug=actor_slug) | Q(organisation__slug=actor_slug))
    return affiliations


def _affiliation_actors(affiliation, drafts):
    return _actors([(affiliation.member, "member"), (affiliation.organisation, "organisation")], drafts)


def _affiliation_entries(affiliation, drafts):
    begins, ends = _affiliation_titles(affiliation)
    common = dict(type="affiliation", slug=affiliation.slug, record=affiliation)
    if affiliation.start:
        yield TimelineEntry(title=begins, date=affiliation.start, end=affiliation.end, phase="start", **common)
    if affiliation.end:
        yield TimelineEntry(title=ends, date=affiliation.end, end=None, phase="end", **common)


@dataclass(frozen=True)
class _EntryType:
    """How one type of record enters the timeline.

    ``visible`` filters the records a reader may see (and, given an actor, those it
    takes part in); ``dates`` are the date columns that make entries, each with its
    phase (each branch keeps the records dated in the range asked for); ``name`` is the column
    that orders entries of one type on one date; ``full`` reads records with what their
    actors need; ``entries`` turns a record into its entries and ``actors`` into the
    entry's actors (both told whether the reader sees draft actors).
    """

    model: type
    visible: Callable
    dates: tuple[tuple[str, str], ...]
    name: Any
    full: Callable
    entries: Callable
    actors: Callable


START_AND_END = (("start", "start"), ("end", "end"))
_TYPES = {
    "affiliation": _EntryType(
        Affiliation,
        _visible_affiliations,
        dates=START_AND_END,
        name=F("member__name"),
        full=lambda records: records.select_compact("member", "organisation"),
        entries=_affiliation_entries,
        actors=_affiliation_actors,
    ),
    "agreement_step": _EntryType(
        AgreementStep,
        _visible_steps,
        dates=(("date", ""),),
        name=Coalesce(NullIf(F("agreement__short_title"), Value("")), F("agreement__title")),
        full=_full_steps,
        entries=_step_entries,
        actors=_step_actors,
    ),
    "deployment": _EntryType(
        Deployment,
        _visible_deployments,
        dates=START_AND_END,
        name=F("name"),
        full=lambda deployments: deployments.with_related(),
        entries=_deployment_entries,
        actors=_deployment_actors,
    ),
    "exercise": _EntryType(
        Exercise,
        _participated(Exercise, "participations"),
        dates=(("start", ""),),
        name=F("name"),
        full=lambda exercises: exercises.with_related(),
        entries=_participation_entries,
        actors=_participant_actors,
    ),
    "event": _EntryType(
        Event,
        _participated(Event, "involvements"),
        dates=(("date", ""),),
        name=F("title"),
        full=lambda events: events.with_related(),
        entries=_participation_entries,
        actors=_participant_actors,
    ),
}
# The stored form "2009-05-01/2009-05-31/month": earliest and latest day first.
_BOUNDS_LENGTH = len("2009-05-01/2009-05-31")
_ORDER = ("entry_sort", "entry_type", "entry_end", "entry_name", "entry_pk")
CHUNK = 2000


class Timeline:
    """Every dated record and agreement step the user may see, in date order.

    ``types`` narrows to some of ``ENTRY_TYPES`` (unknown names are ignored);
    ``actor`` (an Actor or a slug) keeps entries the actor takes part in;
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
    ):
        self.user = user
        self.drafts = sees_drafts(user, Actor)
        actor_slug = _actor_slug(actor)
        wanted = [name for name in ENTRY_TYPES if types is None or name in set(types)]

        self.branches = []  # (type name, phase) of each branch, by its number
        self.queries = []
        for name in wanted:
            kind = _TYPES[name]
            records = kind.visible(user, actor_slug)
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
            kind = _TYPES[name]
            pks = sorted(pks)
            for offset in range(0, len(pks), CHUNK):
                for record in kind.full(kind.model.objects.filter(pk__in=pks[offset : offset + CHUNK])):
                    actors = kind.actors(record, self.drafts)
                    for entry in kind.entries(record, self.drafts):
                        entry.actors = actors
                        made[name, record.pk, entry.phase] = entry
        entries = []
        for row in rows:
            name, phase = self.branches[row[5]]
            entry = made.get((name, row[4], phase))
            if entry is not None:  # a record deleted since the rows were read is left out
                entries.append(entry)
        return entries


def timeline_entries(user, **filters) -> list[TimelineEntry]:
    """The whole timeline, as a list (for a page of it, slice a ``Timeline``)."""
    return list(Timeline(user, **filters))


def date_span(user) -> tuple[PartialDate, PartialDate] | None:
    """The first and last date in the timeline the user may see."""
    timeline = Timeline(user)
    if not timeline.count():
        return None
    return timeline[0].date, timeline.last().date
