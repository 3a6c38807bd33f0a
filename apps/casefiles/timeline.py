"""The case file in time order: every dated record and agreement step, as one list.

Shared by the timeline page and the API. Each record type is read with one query
(plus its prefetches), whatever the number of records; the entries are merged and
sorted in Python, because partial dates of different types sort together only once
they are ``PartialDate`` objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import Q

from apps.actors.choices import AffiliationKind
from apps.actors.models import Actor, Affiliation
from apps.agreements.models import Agreement, AgreementStep
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
    (slug, name, role, url) of the actors the reader may see.
    """

    type: str
    slug: str
    title: str
    date: PartialDate
    end: PartialDate | None
    url: str
    actors: list[dict] = field(default_factory=list)
    record: Any = None
    phase: str = ""

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


def _actors(pairs: Iterable[tuple[Actor | None, str]], user) -> list[dict]:
    seen, result, drafts = set(), [], sees_drafts(user, Actor)
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


def _agreement_steps(user, date_q, actor_slug):
    steps = AgreementStep.objects.filter(date__isnull=False).filter(date_q("date"))
    if not sees_drafts(user, Agreement):
        steps = steps.filter(agreement__in=Agreement.objects.visible_to(user))
    if actor_slug:
        steps = steps.filter(
            Q(acting_body__slug=actor_slug) | Q(agreement__party_roles__actor__slug=actor_slug)
        ).distinct()
    steps = steps.select_related("agreement", "acting_body", "place").prefetch_related("agreement__party_roles__actor")
    for step in steps:
        agreement = step.agreement
        outcome = step_outcome(step)
        pairs = [(step.acting_body, "acting body")]
        pairs += [(party.actor, party.get_role_display()) for party in agreement.party_roles.all()]
        yield TimelineEntry(
            type="agreement_step",
            slug=step.slug,
            title=f"{agreement}: {outcome[:1].lower()}{outcome[1:]}",
            date=step.date,
            end=None,
            url=record_url(step),
            actors=_actors(pairs, user),
            record=step,
        )


def _deployments(user, date_q, actor_slug):
    deployments = Deployment.objects.visible_to(user).filter(Q(start__isnull=False) | Q(end__isnull=False))
    deployments = deployments.filter(date_q("start") | date_q("end"))
    if actor_slug:
        deployments = deployments.filter(
            Q(contributor__slug=actor_slug) | Q(unit__slug=actor_slug) | Q(mission__slug=actor_slug)
        )
    for deployment in deployments.with_related():
        url = record_url(deployment)
        actors = _actors(
            [
                (deployment.contributor, "contributor"),
                (deployment.unit, "unit"),
                (deployment.mission, "mission"),
            ],
            user,
        )
        common = dict(type="deployment", slug=deployment.slug, url=url, actors=actors, record=deployment)
        if deployment.start:
            yield TimelineEntry(
                title=f"{deployment.name} begins", date=deployment.start, end=deployment.end, phase="start", **common
            )
        if deployment.end:
            yield TimelineEntry(title=f"{deployment.name} ends", date=deployment.end, end=None, phase="end", **common)


def _participated(user, date_q, actor_slug, *, model, entry_type, date_field, title_field, relation):
    """Exercises and events: dated by one field, with actors through a participation table."""
    records = model.objects.visible_to(user).filter(**{f"{date_field}__isnull": False}).filter(date_q(date_field))
    if actor_slug:
        records = records.filter(**{f"{relation}__actor__slug": actor_slug}).distinct()
    for record in records.with_related():
        participations = record.participant_list
        yield TimelineEntry(
            type=entry_type,
            slug=record.slug,
            title=getattr(record, title_field),
            date=getattr(record, date_field),
            end=record.end,
            url=record_url(record),
            actors=_actors(((p.actor, p.get_role_display()) for p in participations), user),
            record=record,
        )


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


def _affiliations(user, date_q, actor_slug):
    affiliations = Affiliation.objects.visible_to(user).filter(Q(start__isnull=False) | Q(end__isnull=False))
    affiliations = affiliations.filter(date_q("start") | date_q("end"))
    if actor_slug:
        affiliations = affiliations.filter(Q(member__slug=actor_slug) | Q(organisation__slug=actor_slug))
    for affiliation in affiliations.with_related():
        actors = _actors([(affiliation.member, "member"), (affiliation.organisation, "organisation")], user)
        if len(actors) < 2:
            continue  # an affiliation with a draft actor is not for this reader
        url = record_url(affiliation)
        begins, ends = _affiliation_titles(affiliation)
        common = dict(type="affiliation", slug=affiliation.slug, url=url, actors=actors, record=affiliation)
        if affiliation.start:
            yield TimelineEntry(title=begins, date=affiliation.start, end=affiliation.end, phase="start", **common)
        if affiliation.end:
            yield TimelineEntry(title=ends, date=affiliation.end, end=None, phase="end", **common)


_BUILDERS = {
    "affiliation": _affiliations,
    "agreement_step": _agreement_steps,
    "deployment": _deployments,
    "exercise": partial(
        _participated,
        model=Exercise,
        entry_type="exercise",
        date_field="start",
        title_field="name",
        relation="participations",
    ),
    "event": partial(
        _participated, model=Event, entry_type="event", date_field="date", title_field="title", relation="involvements"
    ),
}


def timeline_entries(
    user,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    types: Iterable[str] | None = None,
    actor: Actor | str | None = None,
) -> list[TimelineEntry]:
    """Every dated record and agreement step the user may see, in date order.

    ``types`` narrows to some of ``ENTRY_TYPES`` (unknown names are ignored);
    ``actor`` (an Actor or a slug) keeps entries the actor takes part in;
    ``date_from``/``date_to`` keep entries whose date may fall in that range, at
    the date's precision ("May 2009" is kept for 2009-05-20…2009-06-30).
    """
    wanted = [name for name in ENTRY_TYPES if types is None or name in set(types)]
    actor_slug = _actor_slug(actor)

    def date_q(field_name):
        return Q(**{f"{field_name}__isnull": False}) & overlapping(field_name, date_from, date_to)

    entries = [
        entry
        for name in wanted
        for entry in _BUILDERS[name](user, date_q, actor_slug)
        if entry.date.overlaps(date_from, date_to)
    ]
    entries.sort(key=TimelineEntry.sort_key)
    return entries


def date_span(user) -> tuple[PartialDate, PartialDate] | None:
    """The first and last date in the timeline the user may see."""
    entries = timeline_entries(user)
    if not entries:
        return None
    return entries[0].date, max(entries, key=lambda entry: (entry.date.latest, entry.date.earliest)).date
