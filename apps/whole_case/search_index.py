"""Keeping the search index (``SearchEntry``, ``SearchTerm``) in step with the records.

What an entry holds is derived from the registry: every kind with ``searchable`` set is
indexed, its name (weight A) from its ``identity.title`` or its ``str()``, its other names
(B) from its ``aliases`` field, its descriptive text (C) from its other text fields
(never ``editor_notes``), and the passages of the citations readers can see (D). A kind
that needs more says so in ``KIND_DOCUMENTS``. A new kind in the registry is indexed
without a line here.

The index follows every save and deletion (signals connected in ``WholeCaseConfig.ready``:
the record apps sit below this layer and know nothing of search), and is rebuilt whole by
``rebuild_index()`` after writes that go around ``save()``: loading the case file,
importing a backup, ``manage.py rebuild_search_index``.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchVector
from django.db import connection, models
from django.db.models.signals import post_delete, post_save

from apps.citations.models import Citation
from apps.core.choices import PublicationStatus
from apps.core.models import withhold_references
from apps.core.naming import normalised_title

from .models import SearchEntry, SearchTerm
from .registry import searchable_types
from .templatetags.casefile import RECORD_REFERENCE

# PostgreSQL's text search configuration: English stemming, so "joins" finds "joined".
TEXT_SEARCH_CONFIG = "english"
# The four columns and their weights, best first; SQLite's FTS5 ranks with the same order.
WEIGHTED_COLUMNS = (("name", "A"), ("aliases", "B"), ("body", "C"), ("passages", "D"))
# bm25 column weights for FTS5, in the proportions of PostgreSQL's default ts_rank weights
# (A 1.0, B 0.4, C 0.2, D 0.1).
FTS_COLUMN_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
# SQLite's FTS5 tables (made, and kept in step by triggers, by the migration).
FTS_WORDS_TABLE = "whole_case_search_words"
FTS_TRIGRAMS_TABLE = "whole_case_search_trigrams"

BATCH = 2_000
# Words too common to be worth a term of their own (whole names keep them).
STOP_WORDS = frozenset("a an and as at by de for from in into of on or the to with within its la le du der des".split())
TERM_LENGTH = SearchTerm._meta.get_field("term").max_length


@dataclass(frozen=True)
class KindDocument:
    """What a kind adds to, or puts in place of, what is derived from its model.

    ``aliases``: attribute paths whose values (one name a line) are other names, in place
    of the ``aliases`` field; ``extra_body``: paths added to the descriptive text;
    ``related``: foreign keys read with the record (for its ``str()`` or its paths) whose
    change rewrites the entry (an affiliation is named after its two actors).
    """

    aliases: tuple[str, ...] | None = None
    extra_body: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


KIND_DOCUMENTS = {
    # Found by title, authors (one a line) and outlet.
    "sources": KindDocument(aliases=("authors",), extra_body=("container_title", "publisher", "number")),
    "agreements": KindDocument(aliases=("short_title",)),
    # An edition is found by its series' name too ("Steppe Eagle").
    "exercises": KindDocument(aliases=("series.name",), related=("series",)),
    "affiliations": KindDocument(extra_body=("role",), related=("member", "organisation")),
}

# Never indexed: for the editorial team only.
PRIVATE_FIELDS = frozenset({"editor_notes", "slug"})


@dataclass
class IndexedKind:
    key: str
    model: type
    name_field: str | None
    alias_paths: tuple[str, ...]
    body_paths: tuple[str, ...]
    related: tuple[str, ...]
    citation_field: str | None = field(default=None)

    def records(self):
        return self.model._default_manager.select_related(*self.related)

    def entry(self, record, passages):
        name = getattr(record, self.name_field) if self.name_field else str(record)
        aliases = [line.strip() for path in self.alias_paths for line in _read(record, path).splitlines()]
        # An analyst's pointers to other records ("(deployment some-slug)") are addresses, not
        # words, and may name a draft.
        body = [RECORD_REFERENCE.sub("", text) for path in self.body_paths if (text := _read(record, path).strip())]
        status = getattr(record, "publication_status", PublicationStatus.PUBLISHED)
        return SearchEntry(
            kind=self.key,
            object_id=record.pk,
            slug=record.slug,
            url=record.get_absolute_url(),
            published=status == PublicationStatus.PUBLISHED,
            name=name or "",
            aliases="\n".join(alias for alias in aliases if alias),
            body="\n".join(body),
            passages="\n".join(passages),
        )


def _read(record, path):
    value = record
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return str(value)


def _indexed_kind(record_type) -> IndexedKind:
    model = record_type.model
    document = KIND_DOCUMENTS.get(record_type.key, KindDocument())
    fields = {f.name: f for f in model._meta.concrete_fields}
    name_field = model.identity.title if model.identity.title in fields else None
    alias_paths = document.aliases if document.aliases is not None else (("aliases",) if "aliases" in fields else ())
    taken = {name_field, *alias_paths, *PRIVATE_FIELDS}
    body = (
        tuple(name for name, f in fields.items() if isinstance(f, models.TextField) and name not in taken)
        + document.extra_body
    )
    # The record a citation supports; for sources, the citing source: a passage is a
    # quotation from it, and finds it.
    citation_field = next(
        (f.name for f in Citation._meta.concrete_fields if f.many_to_one and f.related_model is model), None
    )
    return IndexedKind(record_type.key, model, name_field, alias_paths, body, document.related, citation_field)


@functools.cache
def indexed_kinds() -> dict[str, IndexedKind]:
    """Every searchable kind of the registry, by key, in the registry's order."""
    return {record_type.key: _indexed_kind(record_type) for record_type in searchable_types()}


def kind_of_model(model) -> IndexedKind | None:
    return next((kind for kind in indexed_kinds().values() if kind.model is model), None)


# --- terms ------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Text as terms are stored: Latin letters, lower case, words separated by one space."""
    return normalised_title(text)[:TERM_LENGTH].strip()


def words_of(text: str) -> list[str]:
    return [word for word in normalise(text).split() if len(word) > 2 and word not in STOP_WORDS]


def entry_terms(entry) -> list[SearchTerm]:
    """Its name and other names whole, and each distinct word of them."""
    wholes = dict.fromkeys(term for term in map(normalise, [entry.name, *entry.aliases.splitlines()]) if term)
    words = dict.fromkeys(
        word for text in [entry.name, *entry.aliases.splitlines()] for word in words_of(text) if word not in wholes
    )
    return [SearchTerm(entry=entry, term=term, whole=True) for term in wholes] + [
        SearchTerm(entry=entry, term=word, whole=False) for word in words
    ]


# --- writing ----------------------------------------------------------------------------


def _passages(kind: IndexedKind, pks) -> dict[int, list[str]]:
    """The passages readers can see (``Citation.objects.readable()``) of records ``pks``."""
    if kind.citation_field is None:
        return {}
    found = defaultdict(list)
    rows = (
        Citation.objects.readable()
        .filter(**{f"{kind.citation_field}__in": pks})
        .exclude(passage="")
        .order_by("pk")
        .values_list(kind.citation_field, "passage")
    )
    for pk, passage in rows:
        found[pk].append(passage)
    return found


def _write(kind: IndexedKind, records) -> list[int]:
    """Insert entries (and their terms) for ``records``; return the entries' ids."""
    passages = _passages(kind, [record.pk for record in records])
    for record in records:
        # A published record's entry is read by everyone: it names only the published records
        # it refers to (an affiliation with a draft member is indexed by its organisation).
        withhold_references(record, None)
    entries = SearchEntry.objects.bulk_create([kind.entry(record, passages.get(record.pk, [])) for record in records])
    SearchTerm.objects.bulk_create([term for entry in entries for term in entry_terms(entry)], batch_size=BATCH)
    return [entry.pk for entry in entries]


def _chunks(ids, size):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _fill_documents(entries):
    """PostgreSQL: compute the weighted ``document`` of ``entries`` (a queryset). SQLite's
    FTS5 tables follow the entries and terms by themselves (triggers of the migration)."""
    if connection.vendor != "postgresql":
        return
    vector = None
    for column, weight in WEIGHTED_COLUMNS:
        part = SearchVector(column, weight=weight, config=TEXT_SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    entries.update(document=vector)


def _remove(kind_key, pks):
    SearchEntry.objects.filter(kind=kind_key, object_id__in=pks).delete()


def index_records(kind: IndexedKind, pks):
    """Bring the entries of ``kind``'s records ``pks`` up to date (a record gone loses its entry)."""
    pks = list(pks)
    if not pks:
        return
    _remove(kind.key, pks)
    records = list(kind.records().filter(pk__in=pks))
    if records:
        _fill_documents(SearchEntry.objects.filter(pk__in=_write(kind, records)))


def rebuild_index(progress=None):
    """Write the whole index afresh, kind by kind, in batches; ``progress`` (a tqdm bar, or
    None) is advanced by the records indexed."""
    with connection.cursor() as cursor:
        # One statement each: deleting through the ORM would read every entry first.
        cursor.execute(f"DELETE FROM {SearchTerm._meta.db_table}")
        cursor.execute(f"DELETE FROM {SearchEntry._meta.db_table}")
    for kind in indexed_kinds().values():
        pks = list(kind.model._default_manager.order_by("pk").values_list("pk", flat=True))
        for chunk in _chunks(pks, BATCH):
            _write(kind, list(kind.records().filter(pk__in=chunk).order_by("pk")))
            if progress is not None:
                progress.update(len(chunk))
    _fill_documents(SearchEntry.objects.all())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
            cursor.execute(f"ANALYZE {SearchTerm._meta.db_table}")


def index_if_missing(using="default", **kwargs):
    """Build the index of a database that has records but no index yet (migrated to it)."""
    if not SearchEntry.objects.using(using).exists() and record_count():
        rebuild_index()


def record_count() -> int:
    """How many records ``rebuild_index`` reads (for a progress bar)."""
    return sum(kind.model._default_manager.count() for kind in indexed_kinds().values())


# --- following writes -------------------------------------------------------------------


def _record_saved(sender, instance, raw=False, **kwargs):
    # A raw save is a fixture or backup being loaded: its rows may point to rows not yet
    # written, and the command that loads them rebuilds the index when it is done.
    if raw:
        return
    kind = kind_of_model(sender)
    if kind is not None:
        was_published = (
            SearchEntry.objects.filter(kind=kind.key, object_id=instance.pk).values_list("published", flat=True).first()
        )
        index_records(kind, [instance.pk])
        if sender is _source_model() and was_published is not None:
            now_published = getattr(instance, "publication_status", None) == PublicationStatus.PUBLISHED
            if was_published != now_published:
                _reindex_cited_by(instance)
    _reindex_dependents(sender, instance)


def _record_deleted(sender, instance, **kwargs):
    kind = kind_of_model(sender)
    if kind is not None:
        _remove(kind.key, [instance.pk])
    _reindex_dependents(sender, instance)


def _citation_changed(sender, instance, raw=False, **kwargs):
    """A citation's passage is part of the entry of the record it supports."""
    if raw:
        return
    for kind in indexed_kinds().values():
        if kind.citation_field and (pk := getattr(instance, f"{kind.citation_field}_id", None)):
            index_records(kind, [pk])


def _reindex_cited_by(source):
    """Passages readers can see depend on their source being published."""
    for kind in indexed_kinds().values():
        if kind.citation_field:
            pks = Citation.objects.filter(source=source).values_list(kind.citation_field, flat=True)
            index_records(kind, {pk for pk in pks if pk is not None})


def _reindex_dependents(sender, instance):
    """Entries named after, or holding text of, the record saved (an affiliation after its actors)."""
    for kind in indexed_kinds().values():
        paths = [path for path in kind.related if kind.model._meta.get_field(path).related_model is sender]
        if paths:
            condition = models.Q()
            for path in paths:
                condition |= models.Q(**{path: instance.pk})
            index_records(kind, kind.model._default_manager.filter(condition).values_list("pk", flat=True))


def _source_model():
    return Citation._meta.get_field("source").related_model


def connect_signals():
    """Follow every save and deletion of an indexed record, of a record an entry is named
    after, and of a citation (``WholeCaseConfig.ready``)."""
    kinds = indexed_kinds().values()
    senders = {kind.model for kind in kinds}
    senders |= {kind.model._meta.get_field(path).related_model for kind in kinds for path in kind.related}
    for sender in senders:
        post_save.connect(_record_saved, sender=sender, dispatch_uid=f"search-index-save-{sender._meta.label}")
        post_delete.connect(_record_deleted, sender=sender, dispatch_uid=f"search-index-delete-{sender._meta.label}")
    post_save.connect(_citation_changed, sender=Citation, dispatch_uid="search-index-citation-save")
    post_delete.connect(_citation_changed, sender=Citation, dispatch_uid="search-index-citation-delete")
