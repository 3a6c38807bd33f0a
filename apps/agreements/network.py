"""Agreements in the case file's network: their parties tied to one another."""

from django.db.models import Prefetch

from apps.core.network import TieSource
from apps.core.timeline import actors_seen

from .models import Agreement, AgreementParty, AgreementStep


def visible_agreements(user, actor_slug):
    agreements = Agreement.objects.visible_to(user)
    if actor_slug:
        agreements = agreements.filter(party_roles__actor__slug=actor_slug).distinct()
    return agreements


def with_parties(agreements):
    """Parties with their actors and the dated steps (for the agreement's period when it
    states none), one query each."""
    parties = AgreementParty.objects.without_timestamps().select_compact("actor").order_by("role", "actor__name", "pk")
    steps = AgreementStep.objects.filter(date__isnull=False).only("agreement_id", "date", "sequence")
    return agreements.prefetch_related(
        Prefetch("party_roles", queryset=parties, to_attr="prefetched_parties"),
        Prefetch("steps", queryset=steps, to_attr="prefetched_steps"),
    )


def agreement_period(agreement):
    """The period the agreement covers, or else from its first dated step (signature) on."""
    if agreement.period_start:
        return agreement.period_start, agreement.period_end
    steps = agreement.ordered_steps()
    return (steps[0].date if steps else None), agreement.period_end


def party_actors(agreement, drafts):
    return actors_seen(((party.actor, party.get_role_display()) for party in agreement.party_list), drafts)


AGREEMENT_TIES = TieSource(
    key="agreement",
    label="Agreements",
    visible=visible_agreements,
    full=with_parties,
    title=str,
    period=agreement_period,
    actors=party_actors,
)
