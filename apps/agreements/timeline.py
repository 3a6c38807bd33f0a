"""Agreement steps on the case file's timeline: signature, votes, ratification … each on its date."""

from django.db.models import F, Prefetch, Q, Value
from django.db.models.functions import Coalesce, NullIf

from apps.core.models import sees_drafts
from apps.core.timeline import TimelineEntry, TimelineSource, actors_seen

from .models import Agreement, AgreementParty, AgreementStep


def step_outcome(step) -> str:
    """An agreement step in words, without its date: “Rejected by Senate of Kazakhstan”."""
    return step.outcome_text.removesuffix(f" ({step.date})") if step.date else step.outcome_text


def step_entries(step, drafts):
    outcome = step_outcome(step)
    yield TimelineEntry(
        type="agreement_step",
        slug=step.slug,
        title=f"{step.agreement}: {outcome[:1].lower()}{outcome[1:]}",
        date=step.date,
        end=None,
        record=step,
    )


def step_actors(step, drafts):
    pairs = [(step.acting_body, "acting body")]
    pairs += [(party.actor, party.get_role_display()) for party in step.agreement.party_list]
    return actors_seen(pairs, drafts)


def visible_steps(user, actor_slug):
    steps = AgreementStep.objects.all()
    if not sees_drafts(user, Agreement):
        steps = steps.filter(agreement__in=Agreement.objects.visible_to(user))
    if actor_slug:
        steps = steps.filter(
            Q(acting_body__slug=actor_slug) | Q(agreement__party_roles__actor__slug=actor_slug)
        ).distinct()
    return steps


def full_steps(steps):
    # The parties with their actors in one query (a separate prefetch of thousands of
    # actors would exceed SQLite's limit on the size of one statement).
    parties = Prefetch(
        "agreement__party_roles", queryset=AgreementParty.objects.select_compact("actor"), to_attr="prefetched_parties"
    )
    return steps.select_compact("agreement", "acting_body", "place").prefetch_related(parties)


AGREEMENT_STEPS = TimelineSource(
    "agreement_step",
    "Agreement steps",
    AgreementStep,
    visible_steps,
    dates=(("date", ""),),
    name=Coalesce(NullIf(F("agreement__short_title"), Value("")), F("agreement__title")),
    full=full_steps,
    entries=step_entries,
    actors=step_actors,
)
