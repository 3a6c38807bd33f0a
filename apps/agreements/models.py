from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce

from apps.actors.models import Actor, Participation, unique_role
from apps.core.choices import ChoiceLabel, PublicationStatus
from apps.core.dates import PartialDateField, StoredBounds
from apps.core.models import (
    EmptyAsNull,
    Record,
    RecordQuerySet,
    SlugManager,
    Stamped,
    StampedQuerySet,
    facet_index,
    list_order_index,
    page_order_index,
    related_list,
    sees_drafts,
)
from apps.core.naming import Identity
from apps.core.paths import page_path
from apps.places.models import Place

from .choices import STEP_STAGE, AgreementKind, CargoScope, PartyRole, StepKind, TransitMode

STEP_LABELS = dict(StepKind.choices)


# The list page shows an agreement by its short title where it has one, and sorts by what it shows.
SHOWN_TITLE = Coalesce(EmptyAsNull("short_title"), "title")

# An agreement's steps, latest first, as its current status reads them (``filters.latest_step_kind``):
# ordered like ``Agreement.ordered_steps``, by the partial date's earliest day, then its latest,
# then sequence. One home for the query and its index.
LATEST_STEP_FIRST = (StoredBounds("date").desc(), models.F("sequence").desc(), models.F("id").desc())


class AgreementQuerySet(RecordQuerySet):
    def with_related(self):
        # Ordered as the model orders them, less their agreement (see related_list).
        parties = (
            AgreementParty.objects.without_timestamps().select_compact("actor").order_by("role", "actor__name", "pk")
        )
        steps = (
            AgreementStep.objects.without_timestamps()
            .select_compact("acting_body", "place")
            .order_by("date", "sequence", "pk")
        )
        return self.prefetch_related(
            models.Prefetch("party_roles", queryset=parties, to_attr="prefetched_parties"),
            models.Prefetch("steps", queryset=steps, to_attr="prefetched_steps"),
            models.Prefetch("supersedes", queryset=Agreement.objects.compact(), to_attr="prefetched_supersedes"),
            models.Prefetch("superseded_by", queryset=Agreement.objects.compact(), to_attr="prefetched_superseded_by"),
        )

    def matching(self, text):
        return self.filter(
            models.Q(title__icontains=text) | models.Q(short_title__icontains=text) | models.Q(summary__icontains=text)
        )


class Agreement(Record):
    """A treaty, memorandum, plan, law or programme, with its parties and dated lifecycle.

    The status is not typed: it is read from the latest lifecycle step (signed →
    approved by the Majlis → rejected by the Senate …). Record each step with its
    date, the body that acted and the outcome.
    """

    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=120, blank=True, help_text="The name readers know it by.")
    kind = models.CharField(max_length=24, choices=AgreementKind.choices)
    kind_label = ChoiceLabel("kind")
    summary = models.TextField(blank=True)
    transit_mode = models.CharField(
        max_length=20, choices=TransitMode.choices, blank=True, help_text="Transit scope, where the source gives it."
    )
    cargo_scope = models.CharField(
        max_length=24, choices=CargoScope.choices, blank=True, help_text="Cargo scope, where the source gives it."
    )
    scope_notes = models.TextField(blank=True, help_text="Anything else the source says about the scope.")
    period_start = PartialDateField(help_text="Start of the period the agreement covers (IPAP 2006–2008).")
    period_end = PartialDateField(help_text="End of the period the agreement covers.")
    supersedes = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="superseded_by",
        help_text="Earlier agreements this one displaces.",
    )
    parties = models.ManyToManyField(Actor, through="AgreementParty", related_name="agreements")

    party_list = related_list("party_roles", to_attr="prefetched_parties")
    step_list = related_list("steps", to_attr="prefetched_steps")
    supersedes_list = related_list("supersedes", to_attr="prefetched_supersedes")
    superseded_by_list = related_list("superseded_by", to_attr="prefetched_superseded_by")

    identity = Identity(title="title", date="period_start", parties=("parties",))
    objects = SlugManager.from_queryset(AgreementQuerySet)()

    class Meta:
        ordering = ["title", "id"]
        # Lists are read in this order, a page at a time: the index spares sorting the whole table.
        indexes = [
            list_order_index("title", "id", name="agreement_list_order"),
            page_order_index(SHOWN_TITLE, "title", "id", name="agreement_page_order"),
            facet_index("kind", name="agreement_kind_facet"),
            facet_index("transit_mode", name="agreement_transit_mode_facet"),
            facet_index("cargo_scope", name="agreement_cargo_scope_facet"),
        ]

    def __str__(self):
        return self.short_title or self.title

    def ordered_steps(self):
        return sorted(self.step_list, key=lambda step: (step.date.sort_key() if step.date else (), step.sequence))

    @property
    def current_step(self):
        steps = [step for step in self.ordered_steps() if step.date]
        return steps[-1] if steps else None

    @property
    def lifecycle_status(self):
        """The latest step, in words: “Rejected by the Senate (9 June 2011)”."""
        step = self.current_step
        if step is None:
            return "No recorded steps"
        return step.outcome_text

    def clean(self):
        super().clean()
        if self.pk:
            check_supersession(self, list(self.supersedes.all()))


def check_supersession(agreement, superseded):
    """Refuse an agreement that supersedes itself or closes a cycle of supersession."""
    if any(other.pk == agreement.pk for other in superseded):
        raise ValidationError({"supersedes": "An agreement cannot supersede itself."})
    frontier, seen = [other.pk for other in superseded], set()
    while frontier:
        pk = frontier.pop()
        if pk == agreement.pk:
            raise ValidationError(
                {"supersedes": "This would make a cycle: an agreement would end up superseding itself."}
            )
        if pk in seen:
            continue
        seen.add(pk)
        frontier.extend(
            Agreement.supersedes.through.objects.filter(from_agreement_id=pk).values_list("to_agreement_id", flat=True)
        )


class AgreementParty(Participation):
    """An actor's part in an agreement: party, signatory, negotiator, transit state …"""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="party_roles")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="agreement_roles")
    role = models.CharField(max_length=20, choices=PartyRole.choices, default=PartyRole.PARTY)

    editorial_parent_field = "agreement"

    class Meta:
        ordering = ["agreement", "role", "actor__name"]
        verbose_name_plural = "agreement parties"
        constraints = [
            unique_role(
                "agreement", "agreement_party_unique_role", "This actor already has this role in the agreement."
            )
        ]


class AgreementStepQuerySet(StampedQuerySet):
    def visible_to(self, user):
        """A step is seen with its agreement: drafts' steps are for staff who see drafts."""
        if sees_drafts(user, Agreement):
            return self
        return self.filter(agreement__publication_status=PublicationStatus.PUBLISHED)


class AgreementStep(Stamped):
    """One dated step in an agreement's life: signed, approved by a chamber, in force …"""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=24, choices=StepKind.choices)
    date = PartialDateField(help_text="When, as precisely as the source says.")
    sequence = models.PositiveSmallIntegerField(default=0, help_text="Orders steps that share a date (0 first).")
    acting_body = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_steps",
        help_text="Who acted: a chamber, a president, a government.",
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="agreement_steps")
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    abstentions = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)

    editorial_parent_field = "agreement"

    objects = SlugManager.from_queryset(AgreementStepQuerySet)()

    class Meta:
        ordering = ["agreement", "date", "sequence"]
        indexes = [
            # An agreement's current status (its latest dated step) is one index seek, not a
            # sort of its steps: the status facet and filter ask it of every agreement listed.
            models.Index(
                models.F("agreement"),
                *LATEST_STEP_FIRST,
                models.F("kind"),
                name="agreement_step_latest",
                condition=models.Q(date__isnull=False),
            )
        ]
        constraints = [
            models.CheckConstraint(
                name="agreement_step_vote_only_for_chamber",
                condition=models.Q(kind__in=["approved_by_chamber", "rejected_by_chamber"])
                | models.Q(votes_for__isnull=True, votes_against__isnull=True, abstentions__isnull=True),
                violation_error_message="Vote counts belong to a chamber's approval or rejection.",
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.outcome_text}"

    def get_absolute_url(self):
        return page_path("agreements:detail", self.agreement.slug) + f"#step-{self.slug}"

    @property
    def outcome_text(self):
        label = STEP_LABELS.get(self.kind, self.kind)  # get_kind_display(), without rebuilding the choices per call
        if self.acting_body_id and self.kind in {
            StepKind.APPROVED_BY_CHAMBER,
            StepKind.REJECTED_BY_CHAMBER,
            StepKind.SIGNED_INTO_LAW,
        }:
            label = label.replace("a chamber", str(self.acting_body)).replace(
                "Signed into law", f"Signed into law by {self.acting_body}"
            )
        return f"{label} ({self.date})" if self.date else label

    def clean(self):
        super().clean()
        if not self.date or not self.agreement_id:
            return
        stage = STEP_STAGE[self.kind]
        for other in self.agreement.steps.exclude(pk=self.pk):
            if not other.date:
                continue
            other_stage = STEP_STAGE[other.kind]
            if other_stage < stage and other.date.earliest > self.date.latest:
                raise ValidationError(
                    {
                        "date": f"“{self.get_kind_display()}” cannot come before the agreement was "
                        f"{other.get_kind_display().lower()} ({other.date})."
                    }
                )
            if other_stage > stage and other.date.latest < self.date.earliest:
                raise ValidationError(
                    {
                        "date": f"“{self.get_kind_display()}” cannot come after the agreement was "
                        f"{other.get_kind_display().lower()} ({other.date})."
                    }
                )
        if self.kind in {StepKind.APPROVED_BY_CHAMBER, StepKind.REJECTED_BY_CHAMBER} and not self.acting_body_id:
            raise ValidationError({"acting_body": "Name the chamber that voted."})
