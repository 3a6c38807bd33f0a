"""FilterSet for agreements, shared by the API and the public list pages."""

import django_filters
from django.db import models

from apps.actors.models import Actor
from apps.core.dates import overlapping
from apps.core.filters import DatedFilterSet, OrderingFilter, involving, span_overlapping

from .choices import AgreementKind, CargoScope, PartyRole, StepKind, TransitMode
from .models import LATEST_STEP_FIRST, Agreement, AgreementParty, AgreementStep

NO_STEPS = "none"


def latest_step_kind():
    """Subquery: the kind of the agreement's latest dated step, i.e. its lifecycle status,
    in the order of the steps' index ``agreement_step_latest`` (``LATEST_STEP_FIRST``)."""
    return models.Subquery(
        AgreementStep.objects.filter(agreement=models.OuterRef("pk"), date__isnull=False)
        .order_by(*LATEST_STEP_FIRST)
        .values("kind")[:1]
    )


class AgreementFilterSet(DatedFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=AgreementKind.choices, label="Kind of agreement (repeat for several)."
    )
    status = django_filters.MultipleChoiceFilter(
        choices=[*StepKind.choices, (NO_STEPS, "No dated steps")],
        method="filter_status",
        label="Lifecycle status: the kind of the latest dated step (signed, rejected_by_chamber …), "
        "or “none” for agreements with no dated step. Repeat for several.",
    )
    party = django_filters.CharFilter(
        method="filter_party", label="Slug of an actor that is a party to the agreement (in any party role)."
    )
    party_role = django_filters.ChoiceFilter(
        choices=PartyRole.choices,
        method="filter_party",
        label="With “party”: only that role (signatory, transit_state …). Alone: agreements with such a role.",
    )
    acting_body = django_filters.CharFilter(
        method="filter_acting_body", label="Slug of an actor that acted in a lifecycle step (a chamber, a president)."
    )
    actor = django_filters.CharFilter(
        method="filter_actor", label="Slug of an actor involved in any way: party in any role or acting body of a step."
    )
    transit_mode = django_filters.ChoiceFilter(choices=TransitMode.choices, label="Transit scope.")
    cargo_scope = django_filters.ChoiceFilter(choices=CargoScope.choices, label="Cargo scope.")
    ordering = OrderingFilter(
        fields=(
            ("title", "title"),
            ("kind", "kind"),
            ("period_start", "period_start"),
            ("created", "created"),
            ("updated", "updated"),
        ),
        label="Sort by title, kind, period_start, created or updated; prefix “-” for descending.",
    )

    class Meta:
        model = Agreement
        fields = [
            "q",
            "kind",
            "status",
            "party",
            "party_role",
            "acting_body",
            "actor",
            "transit_mode",
            "cargo_scope",
            "date_from",
            "date_to",
            "publication_status",
        ]

    def filter_dates(self, queryset, date_from, date_to):
        """An agreement matches when one of its steps, or the period it covers, overlaps the range."""
        step_in_range = models.Exists(
            AgreementStep.objects.filter(agreement=models.OuterRef("pk")).filter(
                overlapping("date", date_from, date_to)
            )
        )
        period = models.Q(period_start__isnull=False) & span_overlapping(
            "period_start", "period_end", date_from, date_to
        )
        return queryset.filter(step_in_range | period)

    def filter_status(self, queryset, name, value):
        kinds = [kind for kind in value if kind != NO_STEPS]
        queryset = queryset.annotate(lifecycle_kind=latest_step_kind())
        condition = models.Q(lifecycle_kind__in=kinds)
        if NO_STEPS in value:
            condition |= models.Q(lifecycle_kind__isnull=True)
        return queryset.filter(condition)

    def filter_party(self, queryset, name, value):
        # party and party_role are applied together, once, so both refer to the same party row.
        if not self.first_given(name, "party", "party_role"):
            return queryset
        role = self.form.cleaned_data.get("party_role")
        extra = {"role": role} if role else {}
        return queryset.filter(
            involving(
                AgreementParty, "agreement", actors=self.named(Actor, self.form.cleaned_data.get("party")), **extra
            )
        )

    def filter_acting_body(self, queryset, name, value):
        return queryset.filter(involving(AgreementStep, "agreement", "acting_body", actors=self.named(Actor, value)))

    def filter_actor(self, queryset, name, value):
        return queryset.filter(
            involving(AgreementParty, "agreement", actors=self.named(Actor, value))
            | involving(AgreementStep, "agreement", "acting_body", actors=self.named(Actor, value))
        )
