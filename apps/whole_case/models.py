"""Collections: a named, ordered set of records as a source lists them (the paper's
Table 1 of milestones). A collection gathers records of every kind, so it lives in the
whole-case layer."""

from django.core.exceptions import ValidationError
from django.db import models

from apps.actors.models import Actor, Affiliation
from apps.agreements.models import Agreement, AgreementStep
from apps.agreements.timeline import step_outcome
from apps.citations.choices import CITABLE, CITABLE_FIELDS
from apps.core.choices import PublicationStatus
from apps.core.models import (
    PointsToOneRecord,
    Record,
    RecordQuerySet,
    SlugManager,
    Stamped,
    StampedQuerySet,
    exactly_one_filled,
    sees_drafts,
)
from apps.core.naming import Identity
from apps.core.paths import page_path
from apps.deployments.models import Deployment
from apps.events.models import Event
from apps.exercises.models import Exercise
from apps.places.models import Place
from apps.sources.models import Source

# What an entry can point to, as (field name, label): a record of any kind a citation can
# support, or one step of an agreement (a milestone is often a signature or a vote, not the
# whole agreement).
ENTRY_TARGETS = CITABLE
ENTRY_TARGET_FIELDS = CITABLE_FIELDS


class CollectionQuerySet(RecordQuerySet):
    def with_related(self):
        return self.select_compact("source")

    def matching(self, text):
        return self.filter(models.Q(title__icontains=text) | models.Q(description__icontains=text))


class Collection(Record):
    """A named, ordered set of records as one source presents them: a table of milestones,
    a chronology in an annex. Give the source and where in it the list stands (locator);
    each entry keeps the source's own wording and date and points to the record (or the
    agreement step) it describes."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="What the list is and how it was encoded.")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="collections",
        help_text="The work that presents this list.",
    )
    locator = models.CharField(max_length=100, blank=True, help_text="Where in the source: “Table 1”, “p. 12”.")

    identity = Identity(title="title")
    objects = SlugManager.from_queryset(CollectionQuerySet)()

    class Meta:
        ordering = ["title", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_path("whole_case:collection", self.slug)


class CollectionEntryQuerySet(StampedQuerySet):
    def visible_to(self, user):
        """Entries of the collections ``user`` may see, less those pointing to a record the
        user may not see (a draft, or a step of a draft agreement): ``sees_drafts`` decides,
        kind by kind."""
        entries = self.filter(collection__in=Collection.objects.visible_to(user))
        published = PublicationStatus.PUBLISHED
        for name in ENTRY_TARGET_FIELDS:
            model = self.model._meta.get_field(name).related_model
            owner = Agreement if model is AgreementStep else model
            if sees_drafts(user, owner):
                continue
            status = "agreement__publication_status" if model is AgreementStep else "publication_status"
            drafts = model.objects.exclude(**{status: published}).values("pk")
            entries = entries.filter(models.Q(**{f"{name}__isnull": True}) | ~models.Q(**{f"{name}__in": drafts}))
        return entries

    def with_targets(self):
        # What the entries' records are named and linked by: a step by its agreement and
        # acting body, an affiliation by its two actors.
        return self.select_related(
            *ENTRY_TARGET_FIELDS,
            "agreement_step__agreement",
            "agreement_step__acting_body",
            "affiliation__member",
            "affiliation__organisation",
        )


def _target(model, label):
    # PROTECT: a record a collection lists cannot vanish from it unnoticed; take it out of
    # the collection first.
    return models.ForeignKey(
        model,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collection_entries",
        verbose_name=label,
    )


class CollectionEntry(PointsToOneRecord, Stamped):
    """One line of a collection, in the source's words, pointing to exactly one record or
    agreement step."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveSmallIntegerField(help_text="Order in the collection (1 first), as the source lists it.")
    label = models.CharField(max_length=500, help_text="The line as the source words it.")
    stated_date = models.CharField(
        max_length=60,
        blank=True,
        help_text="The date as the source prints it (“2007”); empty where it prints none.",
    )

    actor = _target(Actor, "actor")
    affiliation = _target(Affiliation, "affiliation")
    agreement = _target(Agreement, "agreement")
    agreement_step = _target(AgreementStep, "agreement step")
    deployment = _target(Deployment, "deployment")
    exercise = _target(Exercise, "exercise")
    event = _target(Event, "event")
    place = _target(Place, "place")

    editorial_parent_field = "collection"
    targets = ENTRY_TARGETS

    objects = SlugManager.from_queryset(CollectionEntryQuerySet)()

    class Meta:
        ordering = ["collection", "position", "id"]
        verbose_name_plural = "collection entries"
        constraints = [
            models.CheckConstraint(
                name="collection_entry_exactly_one_target",
                condition=exactly_one_filled(ENTRY_TARGET_FIELDS),
                violation_error_message="An entry points to exactly one record or agreement step.",
            ),
            models.UniqueConstraint(
                fields=["collection", "position"],
                name="collection_entry_unique_position",
                violation_error_message="Another entry of this collection already has this position.",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.label}"

    @property
    def target_name(self) -> str:
        """The record as a reader names it; a step by its agreement and what happened,
        without the date (shown beside it)."""
        target = self.target
        if self.agreement_step_id:
            outcome = step_outcome(target)
            return f"{target.agreement}: {outcome[:1].lower()}{outcome[1:]}"
        return str(target)

    @property
    def target_date(self):
        """The record's own date (a step's, an event's; where a span begins), or None."""
        target = self.target
        return getattr(target, "date", None) or getattr(target, "start", None)

    def clean(self):
        super().clean()
        if len(self.chosen_targets()) != 1:
            raise ValidationError("An entry points to exactly one record or agreement step: choose one, and only one.")

