"""The case file in time order: every dated record and agreement step, as one list.

Shared by the timeline page, the overview and the API. Built in two passes, so that a
page of the timeline costs the same whether the case file holds a hundred dated
records or a hundred thousand:

- the **index** (``timeline_index``) reads, with one query per record type, only what
  dates, titles and orders the entries (and decides what the reader may see); the
  entries are merged and sorted in Python, because partial dates of different types
  sort together only once they are ``PartialDate`` objects;
- **hydration** (``hydrate``) reads the full records of the entries actually shown (a
  page of them) with their actors: one query per record type and relation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q

from apps.actors.choices import AffiliationKind
from apps.actors.models import Actor, Affiliation
from apps.agreements.models import Agreement, AgreementParty, AgreementStep
from apps.core.dates import PartialDate, overlapping
from apps.deployments.models import Deployment
from apps.events.models import Event
from apps.exercises.models import Exercise

from .links import record_url, sees_drafts

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
    (slug, name, role, url) of the actors the reader may see, once ``hydrate`` has
    read them; until then ``record`` holds only the columns the index reads.
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
        return record_url(self.record)

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
        "url": record_url(actor),
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


def _visible_steps(user, date_q, actor_slug):
    steps = AgreementStep.objects.filter(date__isnull=False).filter(date_q("date"))
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
        "agreement__party_roles", queryset=AgreementParty.objects.select_compact("actor"), to_attr="party_list"
    )
    return steps.select_compact("agreement", "acting_body", "place").prefetch_related(parties)


def _visible_deployments(user, date_q, actor_slug):
    deployments = Deployment.objects.visible_to(user).filter(Q(start__isnull=False) | Q(end__isnull=False))
    deployments = deployments.filter(date_q("start") | date_q("end"))
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


def _participated(model, date_field, relation):
    """Exercises and events: dated by one field, with actors through a participation table."""

    def visible(user, date_q, actor_slug):
        records = model.objects.visible_to(user).filter(**{f"{date_field}__isnull": False}).filter(date_q(date_field))
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


def _visible_affiliations(user, date_q, actor_slug):
    affiliations = Affiliation.objects.visible_to(user).filter(Q(start__isnull=False) | Q(end__isnull=False))
    affiliations = affiliations.filter(date_q("start") | date_q("end"))
    if actor_slug:
        affiliations = affiliations.filter(Q(member__slug=actor_slug) | Q(organisation__slug=actor_slug))
    return affiliations


def _affiliation_actors(affiliation, drafts):
    return _actors([(affiliation.member, "member"), (affiliation.organisation, "organisation")], drafts)


def _affiliation_entries(affiliation, drafts):
    if not drafts and not (affiliation.member.is_published and affiliation.organisation.is_published):
        return  # an affiliation with a draft actor is not for this reader
    begins, ends = _affiliation_titles(affiliation)
    common = dict(type="affiliation", slug=affiliation.slug, record=affiliation)
    if affiliation.start:
        yield TimelineEntry(title=begins, date=affiliation.start, end=affiliation.end, phase="start", **common)
    if affiliation.end:
        yield TimelineEntry(title=ends, date=affiliation.end, end=None, phase="end", **common)


@dataclass(frozen=True)
class _EntryType:
    """How one type of record enters the timeline.

    ``visible`` filters the records a reader may see (by date, actor); ``index`` cuts
    them down to the columns that date, title and order the entries; ``full`` reads
    them with what their actors need; ``entries`` turns a record into its entries and
    ``actors`` a full record into the entry's actors (both told whether the reader
    sees draft actors).
    """

    model: type
    visible: Callable
    index: Callable
    full: Callable
    entries: Callable
    actors: Callable


_TYPES = {
    "affiliation": _EntryType(
        Affiliation,
        _visible_affiliations,
        index=lambda records: records.select_compact("member", "organisation"),
        full=lambda records: records.select_compact("member", "organisation"),
        entries=_affiliation_entries,
        actors=_affiliation_actors,
    ),
    "agreement_step": _EntryType(
        AgreementStep,
        _visible_steps,
        index=lambda steps: steps.without_timestamps().select_compact("agreement", "acting_body"),
        full=_full_steps,
        entries=_step_entries,
        actors=_step_actors,
    ),
    "deployment": _EntryType(
        Deployment,
        _visible_deployments,
        index=lambda deployments: deployments.only("slug", "name", "start", "end", "publication_status"),
        full=lambda deployments: deployments.with_related(),
        entries=_deployment_entries,
        actors=_deployment_actors,
    ),
    "exercise": _EntryType(
        Exercise,
        _participated(Exercise, "start", "participations"),
        index=lambda exercises: exercises.only("slug", "name", "start", "end", "publication_status"),
        full=lambda exercises: exercises.with_related(),
        entries=_participation_entries,
        actors=_participant_actors,
    ),
    "event": _EntryType(
        Event,
        _participated(Event, "date", "involvements"),
        index=lambda events: events.only("slug", "title", "date", "end", "publication_status"),
        full=lambda events: events.with_related(),
        entries=_participation_entries,
        actors=_participant_actors,
    ),
}
HYDRATE_CHUNK = 2000


def timeline_index(
    user,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    types: Iterable[str] | None = None,
    actor: Actor | str | None = None,
) -> list[TimelineEntry]:
    """Every dated record and agreement step the user may see, in date order, without
    their actors (``hydrate`` adds them to the entries shown).

    ``types`` narrows to some of ``ENTRY_TYPES`` (unknown names are ignored);
    ``actor`` (an Actor or a slug) keeps entries the actor takes part in;
    ``date_from``/``date_to`` keep entries whose date may fall in that range, at
    the date's precision ("May 2009" is kept for 2009-05-20…2009-06-30).
    """
    wanted = [name for name in ENTRY_TYPES if types is None or name in set(types)]
    actor_slug = _actor_slug(actor)
    drafts = sees_drafts(user, Actor)

    def date_q(field_name):
        return Q(**{f"{field_name}__isnull": False}) & overlapping(field_name, date_from, date_to)

    entries = []
    for name in wanted:
        kind = _TYPES[name]
        for record in kind.index(kind.visible(user, date_q, actor_slug)):
            entries += [entry for entry in kind.entries(record, drafts) if entry.date.overlaps(date_from, date_to)]
    entries.sort(key=TimelineEntry.sort_key)
    return entries


def hydrate(entries: list[TimelineEntry], user) -> list[TimelineEntry]:
    """Give the entries their full records and actors: one query per type and relation
    (per 2,000 records), however many entries."""
    drafts = sees_drafts(user, Actor)
    by_type: dict[str, dict[int, list[TimelineEntry]]] = {}
    for entry in entries:
        by_type.setdefault(entry.type, {}).setdefault(entry.record.pk, []).append(entry)
    for name, by_pk in by_type.items():
        kind = _TYPES[name]
        pks = list(by_pk)
        for offset in range(0, len(pks), HYDRATE_CHUNK):
            for record in kind.full(kind.model.objects.filter(pk__in=pks[offset : offset + HYDRATE_CHUNK])):
                actors = kind.actors(record, drafts)
                for entry in by_pk[record.pk]:
                    entry.record, entry.actors = record, actors
    return entries


def timeline_entries(user, **filters) -> list[TimelineEntry]:
    """The whole timeline with actors (``timeline_index`` plus ``hydrate``); for a page
    of it, hydrate just the page."""
    return hydrate(timeline_index(user, **filters), user)


def date_span(user) -> tuple[PartialDate, PartialDate] | None:
    """The first and last date in the timeline the user may see."""
    entries = timeline_index(user)
    if not entries:
        return None
    return entries[0].date, max(entries, key=lambda entry: (entry.date.latest, entry.date.earliest)).date
