"""Affiliations on the case file's timeline: an entry where one begins and where it ends."""

from django.db.models import F, Q

from apps.core.choices import PublicationStatus
from apps.core.models import sees_drafts
from apps.core.timeline import START_AND_END, TimelineSource, actors_seen, span_entries

from .choices import AffiliationKind
from .models import Actor, Affiliation


def affiliation_titles(affiliation) -> tuple[str, str]:
    """How an affiliation's beginning and its end read: “Kazakhstan joins …”."""
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


def visible_affiliations(user, actor_slug):
    affiliations = Affiliation.objects.visible_to(user)
    if not sees_drafts(user, Actor):  # a reader sees an affiliation only with both of its actors
        affiliations = affiliations.filter(
            member__publication_status=PublicationStatus.PUBLISHED,
            organisation__publication_status=PublicationStatus.PUBLISHED,
        )
    if actor_slug:
        affiliations = affiliations.filter(Q(member__slug=actor_slug) | Q(organisation__slug=actor_slug))
    return affiliations


def affiliation_entries(affiliation, drafts):
    begins, ends = affiliation_titles(affiliation)
    return span_entries("affiliation", affiliation, begins=begins, ends=ends)


def affiliation_actors(affiliation, drafts):
    return actors_seen([(affiliation.member, "member"), (affiliation.organisation, "organisation")], drafts)


AFFILIATIONS = TimelineSource(
    "affiliation",
    "Affiliations",
    Affiliation,
    visible_affiliations,
    dates=START_AND_END,
    name=F("member__name"),
    full=lambda affiliations: affiliations.select_compact("member", "organisation"),
    entries=affiliation_entries,
    actors=affiliation_actors,
)
