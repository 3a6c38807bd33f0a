"""Shared bases for every Casefile record: slug, timestamps, publication status."""

import secrets
from operator import attrgetter

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models.base import ModelState
from django.db.models.constants import LOOKUP_SEP
from django.db.models.fields.related_descriptors import ManyToManyDescriptor
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from .choices import PublicationStatus
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


class SlugManager(models.Manager):
    """Natural keys by slug, so fixtures and backups load without numeric ids."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


# What a compact reference to a record shows ({slug, name, kind, url}), and whether a
# reader may see it; the other columns of a related record are not read for lists.
COMPACT_FIELDS = frozenset({"slug", "publication_status", "name", "title", "short_title", "kind"})


def related_model(model, relation_path):
    """The model at the end of ``relation_path`` ("steps__acting_body") from ``model``."""
    for part in relation_path.split("__"):
        model = model._meta.get_field(part).related_model
    return model


class KeysIn(models.Lookup):
    """``relation__keys_in=[1, 2, 3]``: the relation's key is one of these integers.

    What ``__in`` does, for the one case where the values need no preparing: a page's
    record keys, read from the records themselves. Django's ``__in`` prepares and
    normalises each value through the field (a model instance, a string, an expression
    …), which for a page of 100 records cost more than the rest of compiling the query.
    Anything but a list of integers is refused.
    """

    lookup_name = "keys_in"
    prepare_rhs = False

    def get_prep_lookup(self):
        keys = self.rhs
        if not isinstance(keys, list | tuple) or not all(type(key) is int for key in keys):
            raise TypeError(f"keys_in takes a list of integer keys, not {keys!r:.80}")
        return keys

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        column, params = self.process_lhs(compiler, connection)
        return f"{column} IN ({', '.join(['%s'] * len(self.rhs))})", (*params, *self.rhs)


models.ForeignObject.register_lookup(KeysIn)
models.ManyToManyField.register_lookup(KeysIn)


class prefetched_list(cached_property):  # noqa: N801 (a decorator-like descriptor, named as Django's)
    """A to-many relation read as a plain list of its rows.

    ``with_related()`` fills it for a whole page with ``prefetch()``: Django otherwise
    builds one queryset per record and relation on a page, which costs more than reading
    the rows. On a record fetched without ``with_related()`` it reads the relation afresh
    each time (nothing cached to go stale). Write through ``related_manager()``, which
    forgets a prefetched list.

    It is its own prefetcher (Django's ``get_prefetch_querysets`` protocol), so that
    ``prefetch_related()``, chunked iteration and ``prefetch_related_objects()`` fill it
    as they fill any relation, but with cheaper queries than Django's own: children are
    selected by the parents' keys as plain numbers (``keys_in``; Django normalises each
    parent instance into the ``IN`` list, and sets each child's parent through the
    relation's descriptor); a many-to-many relation is read with the link table joined by a filter
    and the record's key as an annotation (Django adds an ``extra()`` column and a join
    of its own, whose compiling costs more than running the query).

    A ``cached_property`` so that Django's prefetching asks whether the list is filled
    (``name in record.__dict__``) rather than reading it.
    """

    def __init__(self, relation):
        self.relation = relation
        super().__init__(self.read)

    def read(self, record):
        return list(getattr(record, self.relation).all())

    def __get__(self, record, owner=None):
        if record is None:
            return self
        return self.read(record)  # only reached when no prefetched list is in record.__dict__

    def prefetch(self, queryset=None):
        return models.Prefetch(self.name, queryset=queryset, to_attr=self.name)

    def is_cached(self, record):
        return self.name in record.__dict__

    def get_prefetch_querysets(self, instances, querysets=None):
        """(rows, key of a row, key of a record, single, cache name, is descriptor) for
        ``prefetch_one_level``; the rows need not be a queryset, only iterable."""
        queryset = querysets[0] if querysets else None
        descriptor = getattr(type(instances[0]), self.relation)
        if isinstance(descriptor, ManyToManyDescriptor):
            return self._linked_rows(descriptor, instances, queryset)
        foreign_key = descriptor.field  # on the child, pointing at the record
        key_name = foreign_key.target_field.attname
        records = {getattr(record, key_name): record for record in instances}
        if queryset is None:
            queryset = foreign_key.model._default_manager.all()
        rows = without_ordering_by(queryset, foreign_key).filter(**{f"{foreign_key.attname}__keys_in": list(records)})

        def parent_key(child):
            key = getattr(child, foreign_key.attname)
            foreign_key.set_cached_value(child, records[key])  # child.agreement without a query
            return key

        return rows, parent_key, attrgetter(key_name), False, self.name, False

    def _linked_rows(self, descriptor, instances, queryset):
        field = descriptor.field
        # From the linked records' side, the relation back to the records being read.
        back = field.name if descriptor.reverse else field.related_query_name()
        if queryset is None:
            queryset = (field.model if descriptor.reverse else field.related_model)._default_manager.all()
        rows = queryset.filter(**{f"{back}__keys_in": [record.pk for record in instances]}).annotate(
            _prefetch_link_key=models.F(back)  # one row per link: a record linked twice comes twice
        )
        return rows, attrgetter("_prefetch_link_key"), attrgetter("pk"), False, self.name, False


def without_ordering_by(queryset, foreign_key):
    """``queryset`` without the ordering terms that go through ``foreign_key``.

    Child rows are ordered by their record first (an agreement's parties by the
    agreement, that is by its title), which groups them for the admin; in a prefetched
    list every row has the same record, so those terms order nothing and cost a join."""
    query = queryset.query
    ordering = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    names = {foreign_key.name, foreign_key.attname}
    own = [
        term
        for term in ordering
        if not (isinstance(term, str) and term.lstrip("-").split(LOOKUP_SEP)[0] in names)
    ]
    if len(own) == len(ordering):
        return queryset
    return queryset.order_by(*own, "pk")  # pk: a stable order when nothing else is left


def related_manager(record, attribute):
    """The related manager behind ``attribute``: the relation itself, or the one a
    ``prefetched_list`` reads (whose list is then dropped, as it is about to change)."""
    descriptor = getattr(type(record), attribute, None)
    if isinstance(descriptor, prefetched_list):
        record.__dict__.pop(attribute, None)
        attribute = descriptor.relation
    return getattr(record, attribute)


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

    @classmethod
    def from_db(cls, db, field_names, values):
        """A row read from the database, built without ``Model.__init__``.

        ``__init__`` sorts out positional and keyword arguments, defaults, deferred
        columns and the init signals; for a row read back from the database it comes
        down to one attribute per column read (``field_names`` are the attribute
        names), and it is most of the time a page of records with their related rows
        takes to load. No receiver listens to pre_init or post_init for these models
        (a test checks), and a test compares every model's rows with Django's own.
        """
        record = cls.__new__(cls)
        record.__dict__.update(zip(field_names, values, strict=True))
        state = record._state = ModelState()
        state.adding = False
        state.db = db
        return record


class Record(Stamped):
    """A record that readers may see once an editor publishes it."""

    publication_status = models.CharField(
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        help_text="Drafts are visible to staff only.",
    )

    objects = SlugManager.from_queryset(RecordQuerySet)()

    class Meta:
        abstract = True

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
