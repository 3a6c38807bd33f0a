"""The whole case's own tables: the search index and collections.

The search index: one entry per record readers can search, kept beside the records.

Entries are derived data, written only by ``search_index`` (on every save and deletion of
a record, and whole by ``manage.py rebuild_search_index``); nobody edits them. Each
database reads them with its own text index: on PostgreSQL the weighted ``document``
(a stored ``tsvector`` with a GIN index) and trigram indexes on ``SearchTerm.term``; on
SQLite two FTS5 tables made by the migration (words, weighted per column, and trigrams of
the terms), kept in step by ``search_index``.

Collections: a named, ordered set of records as a source lists them (the paper's
Table 1 of milestones). A collection gathers records of every kind, so it lives in the
whole-case layer.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models

from apps.actors.models import Actor, Affiliation
from apps.agreements.models import Agreement, AgreementStep
from apps.agreements.timeline import step_outcome
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


class SearchEntry(models.Model):
    """One searchable record: its kind (the registry's key), its name (weight A), other
    names (B), summary and descriptive text (C), and the passages of its published
    citations (D). ``published`` mirrors the record's status, so that a reader who sees
    published records only is never offered a draft's words."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    slug = models.CharField(max_length=120)
    url = models.CharField(max_length=300, help_text="The record's page, for suggestions offered as one types.")
    published = models.BooleanField()
    name = models.TextField()
    aliases = models.TextField(blank=True)
    body = models.TextField(blank=True)
    passages = models.TextField(blank=True)
    # Filled on PostgreSQL only (setweight(to_tsvector(...)) of the four columns); SQLite's
    # words live in its FTS5 table, and this column stays empty there.
    document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_record")]

    def __str__(self):
        return f"{self.kind}: {self.name}"


class SearchTerm(models.Model):
    """A name, another name, or one word of either, of an entry, normalised (Latin letters,
    lower case, no punctuation): what exact matches, close spellings ("did you mean") and
    suggestions as one types are looked up in."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=200, db_index=True)
    # A whole name or alias (matched exactly and offered as one types), or one word of it.
    whole = models.BooleanField()

    def __str__(self):
        return self.term


# What an entry can point to, as (field name, label): a record of any dated or named kind,
# or one step of an agreement (a milestone is often a signature or a vote, not the whole
# agreement). Routes and their lines, which citations also support, are not milestones.
ENTRY_TARGETS = [
    ("actor", "actor"),
    ("affiliation", "affiliation"),
    ("agreement", "agreement"),
    ("agreement_step", "agreement step"),
    ("deployment", "deployment"),
    ("exercise", "exercise"),
    ("event", "event"),
    ("place", "place"),
]
ENTRY_TARGET_FIELDS = [name for name, _ in ENTRY_TARGETS]


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

