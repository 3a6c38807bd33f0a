"""Shared bases for every Casefile record: slug, timestamps, publication status."""

import datetime as dt
import secrets
from functools import cache, reduce
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.lookups import IsNull
from django.dispatch import Signal
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .choices import PENDING_PROPOSAL_STATUSES, ChoiceLabel, ProposalStatus, PublicationStatus
from .naming import Identity, unique_slug
from .paths import page_path


def new_key() -> str:
    """A short random slug for sub-records nobody has to type (steps, parties …)."""
    return secrets.token_hex(6)


class UpdatedAtField(models.DateTimeField):
    """Like ``auto_now``, but with a default, so raw loads (fixtures, backups) that
    omit the timestamp still get one instead of failing on NOT NULL."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", timezone.now)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = timezone.now()
        setattr(model_instance, self.attname, value)
        return value


class DerivedSlugField(models.SlugField):
    """A record's slug: left empty, it is derived from the record's title or name when the
    row is written (``naming.unique_slug``), whichever way it is written — the
    admin, the API, the services, a script — so no path leaves a random code in a URL.
    Like ``UpdatedAtField``, the value is settled in ``pre_save``; raw loads (fixtures,
    backups) carry their slugs and are left as they are."""

    def pre_save(self, model_instance, add):
        # An editor who empties a record's slug gets a new one made the same way.
        if not getattr(model_instance, self.attname):
            slug = unique_slug(type(model_instance), model_instance.slug_source(), exclude_pk=model_instance.pk)
            setattr(model_instance, self.attname, slug)
        return super().pre_save(model_instance, add)


class SlugManager(models.Manager):
    """Natural keys by slug, so fixtures and backups load without numeric ids."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


# What a compact reference to a record shows ({slug, name, kind, url}), and whether a
# reader may see it; the other columns of a related record are not read for lists.
COMPACT_FIELDS = frozenset({"slug", "publication_status", "name", "title", "short_title", "kind"})


class EmptyAsNull(models.Func):
    """NULLIF(text, ''), for an index on an expression (a title shown in place of another):
    the empty string is written into the SQL, because SQLite uses an index on an expression
    only for the very same expression, which a bound parameter is not."""

    template = "NULLIF(%(expressions)s, '')"
    output_field = models.CharField()


def list_order_index(*fields, name):
    """An index in the order an API list sorts by default (``Meta.ordering``, then the key),
    so that a page is read from it a page at a time instead of sorting the whole table.

    It ends with the publication status, which a reader's list filters by: read from the
    index rather than from each row, it makes the index the cheaper way to a small page too.
    Without it SQLite chose, for a page of one to five rows, to read the whole table through
    a facet index and sort it (tens of milliseconds at the synthetic scale, not one or two).
    """
    return models.Index(fields=[*fields, "publication_status"], name=name)


def page_order_index(*expressions, name):
    """An index in the order a list page sorts by default, records without the first
    value last (``pages.unknown_last`` sorts by "is it empty", then the value), ending with
    the publication status as ``list_order_index`` does. Field names or expressions; an
    expression (a shown title) is taken as it is, as a sort that never meets an empty value."""
    first, *rest = expressions
    if isinstance(first, str):
        leading = [IsNull(models.F(first), True), models.F(first)]
    else:
        leading = [first]
    terms = [models.F(term) if isinstance(term, str) else term for term in rest]
    return models.Index(*leading, *terms, models.F("publication_status"), name=name)


def facet_index(field, *, name):
    """An index from which a list page counts its published records per value of a facet
    (kind, status, contributor …) without reading the table. The value comes first: led
    by the publication status, it would tempt SQLite (without statistics) to read a page of
    published records through it and sort them, rather than through the list's order index."""
    return models.Index(fields=[field, "publication_status"], name=name)


def related_model(model, relation_path):
    """The model at the end of ``relation_path`` ("steps__acting_body") from ``model``."""
    for part in relation_path.split("__"):
        model = model._meta.get_field(part).related_model
    return model


def related_list(relation, to_attr):
    """A to-many relation read as a plain list (``party_list`` reads ``party_roles``), for
    templates and serializers.

    ``with_related()`` fills ``to_attr`` for a whole page with
    ``Prefetch(relation, queryset=..., to_attr=to_attr)``: one query per relation, its rows
    kept as a list (a prefetch without ``to_attr`` makes one queryset per record and relation
    each time it is read). A record read without ``with_related()`` reads the relation afresh
    each time (nothing cached to go stale). Write through the relation's own manager: a list
    prefetched before the write still holds the rows as they were (the API reads the record
    again after writing its relations).

    The prefetch orders the rows as their model does, less the first term, the record they
    belong to: within one record's list it sorts nothing, and costs a join. The key breaks
    ties, so the order is the same every time.
    """

    def read(record):
        rows = getattr(record, to_attr, None)
        return list(getattr(record, relation).all()) if rows is None else rows

    return RelatedList(read, to_attr)


class RelatedList(property):
    """The property ``related_list`` makes; ``to_attr`` names where its rows are kept, so
    ``withhold_hidden`` can keep there the rows a reader may see."""

    def __init__(self, read, to_attr):
        super().__init__(read)
        self.to_attr = to_attr


def exactly_one_filled(fields) -> models.Q:
    """Check-constraint condition: exactly one of the nullable columns ``fields`` is filled."""
    return reduce(or_, (models.Q(**{f"{name}__isnull": name != chosen for name in fields}) for chosen in fields))


class PointsToOneRecord:
    """A row that points to exactly one record through one of several nullable foreign keys,
    ``targets`` as (field name, label) pairs: a citation, a collection entry. The database
    holds the rule (``exactly_one_filled``); ``chosen_targets`` is what ``clean`` words it from."""

    targets: list[tuple[str, str]] = []

    @property
    def target_field(self):
        return next((name for name, _ in self.targets if getattr(self, f"{name}_id") is not None), None)

    @property
    def target(self):
        # Through the relations, not the keys: a row added with its new record holds it keyless.
        return next((value for name, _ in self.targets if (value := getattr(self, name)) is not None), None)

    @property
    def target_kind(self):
        return dict(self.targets).get(self.target_field)

    def chosen_targets(self) -> list[str]:
        # A row added with a new record, in the same save, holds that record before it has
        # a key (the admin's inline): it counts as chosen. Reading the relation of an empty
        # key gives the record held, or None, without a query.
        return [
            name
            for name, _ in self.targets
            if getattr(self, f"{name}_id") is not None or getattr(self, name) is not None
        ]


class StampedQuerySet(models.QuerySet):
    def select_compact(self, *relations):
        """``select_related(*relations)`` reading of each related record only what a compact
        reference shows (slug, name, kind, publication status): a page of records then
        builds its related records without reading and converting columns nobody shows."""
        deferred = [
            f"{relation}__{field.name}"
            for relation in relations
            for field in related_model(self.model, relation)._meta.concrete_fields
            if not field.primary_key and field.name not in COMPACT_FIELDS
        ]
        return self.select_related(*relations).defer(*deferred)

    def without_timestamps(self):
        """Rows shown inside their record (parties, steps, roles): their own created,
        updated and version columns are shown nowhere, so they are not read."""
        return self.defer("created", "updated", "version")

    def compact(self):
        """Only the columns of a compact reference (for prefetched related records)."""
        names = {field.name for field in self.model._meta.concrete_fields} & COMPACT_FIELDS
        return self.only(*sorted(names))


def sees_drafts(user, model) -> bool:
    """Whether ``user`` sees drafts and records in review of ``model``: staff allowed to
    view (or change) that kind of record. The one rule for who sees drafts; pages, the
    API, exports, search, the timeline and notes all ask it (a sub-record, such as a
    step or a citation, is seen with the record it belongs to)."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def readable_by(user, record) -> bool:
    """``RecordQuerySet.visible_to`` for one record already read: published, or of a kind
    ``user`` sees drafts of. A row without a publication status (a step, a note) is seen
    with the record it belongs to."""
    if record is None:
        return False
    if not hasattr(record, "publication_status"):
        parent_field = getattr(record, "editorial_parent_field", None)
        parent = getattr(record, parent_field, None) if parent_field else None
        return parent is None or readable_by(user, parent)
    return record.publication_status == PublicationStatus.PUBLISHED or sees_drafts(user, type(record))


def visible_rows(queryset, user):
    """``queryset.visible_to(user)``, also for rows without a publication status (a
    footnote, a step), which are seen with the record they belong to."""
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    parent_field = getattr(queryset.model, "editorial_parent_field", None)
    if parent_field is None:
        return queryset
    parent_model = queryset.model._meta.get_field(parent_field).related_model
    return queryset.filter(**{f"{parent_field}__in": visible_rows(parent_model._default_manager.all(), user)})


def withhold_hidden(records, user):
    """``records`` (already read, with their related records) changed in memory so that
    nothing ``user`` may not see shows through them. A related record read with them
    (``select_related``) that ``user`` may not see becomes None; rows of their related
    lists (``related_list``) go when they are hidden records or belong to one, and keep
    their own references withheld the same way. Names computed from related records (an
    affiliation's, a step's outcome) are then computed from what the reader sees.

    For pages and API responses only: a record withheld from is never saved (its keys to
    hidden records are now empty). Returns ``records`` as a list."""
    records = list(records)
    for record in records:
        withhold_references(record, user)
        for name, attribute in related_lists(type(record)):
            rows = [row for row in getattr(record, name) if withhold_references(row, user)]
            setattr(record, attribute.to_attr, rows)
    return records


@cache
def related_lists(model) -> list[tuple[str, RelatedList]]:
    """The ``related_list`` properties a model declares, found once per model, not per row."""
    return [(name, attribute) for name, attribute in vars(model).items() if isinstance(attribute, RelatedList)]


@cache
def references(model) -> list:
    """A model's foreign keys (the fields ``withhold_references`` looks at), once per model."""
    return [field for field in model._meta.concrete_fields if field.many_to_one]


def withhold_references(row, user) -> bool:
    """Empties ``row``'s read references to records ``user`` may not see; False when the
    row itself is hidden, or is a sub-record that cannot stand without one of them (a
    party whose actor is a draft). A record keeps its place with the reference empty
    (an affiliation whose member is a draft shows its organisation)."""
    is_record = hasattr(row, "publication_status")
    if row is None or (is_record and not readable_by(user, row)):
        return False
    for field in references(type(row)):
        # Only references read with the row: reading another (or a deferred key) would be a
        # query per row; what is not read is not shown either.
        if not field.is_cached(row):
            continue
        target = field.get_cached_value(row)
        if target is None or readable_by(user, target):
            continue
        if not (field.null or is_record):
            return False
        setattr(row, field.name, None)
    return True


class RecordQuerySet(StampedQuerySet):
    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    def sees_drafts(self, user):
        return sees_drafts(user, self.model)

    def visible_to(self, user):
        """Drafts and records in review are for staff allowed to view them; others see published only."""
        return self if self.sees_drafts(user) else self.published()

    def gone_since(self, since, user):
        """Slugs that no longer lead ``user`` to a record, of records changed at or after
        ``since``: deleted, unpublished (for whoever sees published records only), or
        given another slug. A slug is named only if ``user`` could once read the record
        under it (a draft's slug is not shown to a reader who never saw the draft).

        Read from the records' history, which every save, transition and deletion through
        the admin, the API or the services writes, and loading the case file or a backup
        starts; rows written around it (bulk SQL, the synthetic benchmark data) are not seen."""
        history = self.model.history.model.objects
        changed = history.filter(history_date__gte=since).values("id")
        once_readable = history.filter(id__in=changed)
        if not self.sees_drafts(user):
            once_readable = once_readable.filter(publication_status=PublicationStatus.PUBLISHED)
        still_readable = self.model._default_manager.visible_to(user).values("slug")
        return (
            once_readable.exclude(slug__in=still_readable)
            .order_by("slug")
            .values_list("slug", flat=True)
            .distinct()
        )

    def with_related(self):
        return self


class Stamped(models.Model):
    """Slug plus created/updated timestamps: every stored row in Casefile has these."""

    slug = models.SlugField(
        max_length=120,
        unique=True,
        default=new_key,
        help_text="Stable identifier used in URLs, the API and backups. Change it only with care.",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = UpdatedAtField()
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one on every save; an edit based on an older version is refused.",
    )
    history = HistoricalRecords(inherit=True)

    objects = SlugManager.from_queryset(StampedQuerySet)()

    class Meta:
        abstract = True

    # A sub-record's field naming the record it belongs to (a step's "agreement"): it
    # counts as published when that record is (``services.editorial_refusal``).
    editorial_parent_field = None

    def natural_key(self):
        return (self.slug,)

    def editorial_parent(self):
        """The record whose publication decides who may change this row, or None while
        it belongs to no saved record. A record answers for itself; a step, party, role,
        participant or note for its record (``editorial_parent_field``); a citation for
        the record it cites."""
        if self.editorial_parent_field is None:
            # Failing loudly: a new kind of sub-record that says nothing would otherwise
            # be open to every analyst under a published record.
            raise NotImplementedError(f"{type(self).__name__} must name its editorial_parent_field.")
        parent = getattr(self, self.editorial_parent_field, None)  # None: not yet attached
        return parent.editorial_parent() if parent is not None else None


class Record(Stamped):
    """A record that readers may see once an editor publishes it."""

    slug = DerivedSlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="Used in URLs, the API and backups. Leave it empty to have it made from the name; "
        "once the record has been published, only an editor may change it.",
    )

    publication_status = models.CharField(
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        help_text="Drafts are visible to staff only.",
    )
    publication_status_label = ChoiceLabel("publication_status")
    # Readers' "recently updated": set by the services on every editorial write to the record,
    # its lines or its citations; loads and imports write around the services and leave it as
    # stored (empty for a case file as loaded), unlike ``updated``, which every write moves.
    edited = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="When an editor or analyst last changed this record, its lines or its citations.",
    )
    # Notes about the encoding itself (why this slug, what is still to check) belong with
    # the record but not before readers: no template, serializer or export reads this field.
    editor_notes = models.TextField(
        blank=True,
        help_text="For the editorial team only: never shown on the public pages, in the API or in exports.",
    )

    objects = SlugManager.from_queryset(RecordQuerySet)()

    # What names this kind and what makes two of its records look alike (``naming.Identity``).
    identity = Identity()

    class Meta:
        abstract = True

    def slug_source(self):
        """The text a new record's slug is made from: its title or name."""
        return getattr(self, self.identity.title) if self.identity.title else str(self)

    def editorial_parent(self):
        """A record with a publication status is its own (an affiliation too: readers see
        it when it is published, whatever its member's status)."""
        return self

    @property
    def is_published(self):
        return self.publication_status == PublicationStatus.PUBLISHED

    def get_absolute_url(self):
        """The record's public page (a record app names its detail route "detail")."""
        return page_path(f"{self._meta.app_label}:detail", self.slug)


class ReviewQueue(models.Model):
    """No table: carries the editorial permissions and the admin's queue of records in review.

    ``core.submit_records`` lets analysts send a draft for review; ``core.publish_records``
    lets editors review, publish and unpublish (``manage.py setup_roles`` assigns them).
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = "review queue"
        verbose_name_plural = "review queue"
        permissions = [
            ("submit_records", "Can submit records for review"),
            ("publish_records", "Can review, publish and unpublish records"),
        ]

    def __str__(self):
        return "review queue"


class DeletedRecord(models.Model):
    """No table: the admin's list of deleted records (read from their history), to restore them."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = "deleted record"
        verbose_name_plural = "deleted records"

    def __str__(self):
        return "deleted record"


# --- proposals ----------------------------------------------------------------------


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        """Awaiting an editor (open) or the proposer (sent back)."""
        return self.filter(status__in=PENDING_PROPOSAL_STATUSES)

    def for_record(self, record):
        return self.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)

    def with_related(self):
        return self.select_related("content_type", "proposer", "decided_by")

    def with_current_versions(self):
        """The proposals as a list, each knowing its record's current version (so whether it
        is stale): one query per kind of record, however many proposals."""
        proposals = list(self)
        by_kind = {}
        for proposal in proposals:
            by_kind.setdefault(proposal.content_type_id, []).append(proposal)
        for group in by_kind.values():
            model = group[0].content_type.model_class()
            versions = dict(
                model._default_manager.filter(pk__in={proposal.object_id for proposal in group}).values_list(
                    "pk", "version"
                )
            )
            for proposal in group:
                proposal.known_current_version = versions.get(proposal.object_id)
        return proposals


class Proposal(models.Model):
    """A correction to a published record, proposed but not applied: readers keep the
    published version until an editor accepts it (``services.proposal_accept``).

    ``changes`` holds what the record would become, field by field, and for its
    sub-records (steps, parties, participants, roles, citations …) the whole list of
    rows per relation, as the API's nested write takes it: a row with a ``slug`` is that
    row, changed in place; a row without one is new; a row left out is removed.
    Related records are named by slug, dates as text."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    record_slug = models.CharField(
        max_length=120,
        help_text="The record's slug when the proposal was made (the record may be renamed or deleted since).",
    )
    record_name = models.CharField(max_length=300, help_text="The record's name when the proposal was made.")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    reason = models.TextField(help_text="Why the record should change: what is wrong, and the source that says so.")
    base_version = models.PositiveIntegerField(
        help_text="The record's version the proposal was made against; if the record changed since, the proposal "
        "is stale and must be rebased before it can be accepted.",
    )
    changes = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.OPEN,
    )
    comment = models.TextField(blank=True, help_text="The editor's comment when sending back or rejecting.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = UpdatedAtField()

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "proposed correction"
        verbose_name_plural = "proposed corrections"
        indexes = [models.Index(fields=["content_type", "object_id"], name="proposal_record")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "proposer"],
                condition=models.Q(status__in=PENDING_PROPOSAL_STATUSES),
                name="one_pending_proposal_per_proposer_and_record",
                violation_error_message="You already have a proposal on this record awaiting a decision: "
                "change or withdraw that one.",
            ),
        ]

    def __str__(self):
        return f"Proposal {self.pk} on “{self.record_name}”"

    @property
    def is_pending(self):
        return self.status in PENDING_PROPOSAL_STATUSES

    def current_record(self):
        """The record as stored now (None if it was deleted)."""
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first()

    def current_version(self):
        # Lists read every proposal's record version at once (``ProposalQuerySet.with_current_versions``).
        if hasattr(self, "known_current_version"):
            return self.known_current_version
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).values_list("version", flat=True).first()

    @property
    def is_stale(self):
        """The record was saved after the version this proposal was made against."""
        current = self.current_version()
        return current is not None and current != self.base_version


# --- the case file's revision -----------------------------------------------------

# What a database without the revision row reads (flushed by a test, or before its first
# write): an old moment, so no Last-Modified claims the case file changed recently.
REVISION_NEVER_CHANGED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
REVISION_ROW = 1

# Sent by ``CaseFileRevision.advance`` (``using``: the database alias), inside the writer's
# transaction: ``core.caching`` counts what the first reader after the write would wait for.
revision_advanced = Signal()


def new_revision_token() -> str:
    return secrets.token_hex(8)


class CaseFileRevision(models.Model):
    """How far the case file has come: one row, advanced in the same transaction by every
    write to a case-file record (``core.caching.follow_writes_to`` connects the registry's
    models) and by the bulk writes that go around model signals (backup imports, the
    synthetic case file). Whatever readers are shown is cached under the revision, so a
    write makes every older entry unreachable at once, for every process.

    ``token`` is new at every advance: a number that comes round again (a write rolled back
    after it advanced, a database restored from a dump) then never names cached content of
    another state of the case file."""

    number = models.PositiveBigIntegerField(default=0)
    token = models.CharField(max_length=16, default=new_revision_token)
    changed = models.DateTimeField(default=timezone.now, help_text="When the revision last advanced.")

    class Meta:
        verbose_name = "case-file revision"
        default_permissions = ()  # written by every write, edited by nobody
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=REVISION_ROW), name="casefile_revision_one_row"),
        ]

    def __str__(self):
        return f"revision {self.number}"

    @classmethod
    def current(cls) -> "CaseFileRevision":
        """The stored revision (one query); an unsaved "never changed" one without the row."""
        stored = next(iter(cls.objects.filter(pk=REVISION_ROW)), None)  # no ORDER BY, as first() adds
        return stored or cls(pk=REVISION_ROW, number=0, token="0", changed=REVISION_NEVER_CHANGED)

    @classmethod
    def advance(cls, using=None):
        """Advance the revision, inside the caller's transaction if there is one: readers see
        the new revision when they see the write, never before."""
        rows = cls.objects.using(using)
        moved = {"number": models.F("number") + 1, "token": new_revision_token(), "changed": timezone.now()}
        if not rows.filter(pk=REVISION_ROW).update(**moved):
            rows.get_or_create(pk=REVISION_ROW)
            rows.filter(pk=REVISION_ROW).update(**moved)
        revision_advanced.send(sender=cls, using=using)


class StoredFragment(models.Model):
    """A fragment of what readers are shown, computed once a write has committed and kept
    in the database under the revision it was computed at (``core.caching.store_after_writes``):
    the first anonymous reader after a write reads it rather than computing it, whichever
    process serves them and whatever their cache holds. One row per key, replaced at each
    revision; a row of an older revision is never read."""

    key = models.CharField(max_length=200, unique=True)
    revision_number = models.PositiveBigIntegerField()
    revision_token = models.CharField(max_length=16)
    value = models.JSONField(encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "stored fragment"
        default_permissions = ()  # written after writes, edited by nobody

    def __str__(self):
        return f"{self.key} at revision {self.revision_number}"

    @classmethod
    def at(cls, revision: CaseFileRevision) -> models.QuerySet:
        """The fragments stored at ``revision``, the only ones a reader at it may read."""
        return cls.objects.filter(revision_number=revision.number, revision_token=revision.token)
