"""The case-file backup format: one JSON file holding every record, with natural keys.

::

    {"format": "casefile", "version": 1, "exported_at": "2026-11-27T21:40:00+00:00",
     "records": {"sources.source": [{"slug": …, "created": …, "version": 3, …}, …], …}}

Models appear in loading order (``registry.CASEFILE_MODELS``), records sorted by
slug (in Python, so PostgreSQL's collation cannot change the order), fields in model
order; a foreign key is the slug of the row it points to, a many-to-many field a sorted
list of slugs. Numeric ids and history are not exported. Values use one text form on
every database (ISO datetimes in UTC, decimals as text, partial dates in their stored
form), so export → import → export gives the same bytes on SQLite and PostgreSQL, and
from one to the other (``exported_at`` aside, which ``--no-timestamp`` leaves out).
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.utils import timezone

from apps.core.dates import PartialDate
from apps.core.models import CaseFileRevision
from apps.sources.chicago import store_formatted
from apps.sources.models import Source

from . import search_index
from .registry import casefile_models

FORMAT = "casefile"
FORMAT_VERSION = 1
BATCH_SIZE = 1000


class BackupError(Exception):
    """The file cannot be imported; the message says why in plain words."""



def _plain_fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.is_relation]


def _foreign_keys(model):
    return [f for f in model._meta.concrete_fields if f.is_relation]


def _many_to_many(model):
    """M2M fields stored in their own auto-created table (not a ``through`` model we export)."""
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


def _field_order(model):
    names = {f.name for f in (*_plain_fields(model), *_foreign_keys(model), *_many_to_many(model))}
    ordered = [f.name for f in model._meta.get_fields() if getattr(f, "name", None) in names]
    # slug first: the natural key reads best at the top of each record
    return ["slug", *[name for name in ordered if name != "slug"]]


def _to_json(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, PartialDate):
        return value.to_storage()
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Cannot export a {type(value).__name__} value.")


def is_empty() -> bool:
    return not any(model._base_manager.exists() for model in casefile_models())


def count_rows() -> int:
    return sum(model._base_manager.count() for model in casefile_models())


def export_records(progress=None):
    """{model label: [record dict, …]} for the whole case file."""
    records = {}
    for model in casefile_models():
        plain = [f.attname for f in _plain_fields(model)]
        fks = {f.name: f"{f.name}__slug" for f in _foreign_keys(model)}
        rows = {}
        for values in model._base_manager.order_by().values(*plain, *fks.values()).iterator(chunk_size=2000):
            row = {name: _to_json(values[name]) for name in plain}
            row.update({name: values[lookup] for name, lookup in fks.items()})
            rows[row["slug"]] = row
        for field in _many_to_many(model):
            for slug in rows:
                rows[slug][field.name] = []
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            pairs = through._default_manager.values_list(f"{source}__slug", f"{target}__slug")
            for from_slug, to_slug in pairs.iterator(chunk_size=2000):
                rows[from_slug][field.name].append(to_slug)
            for slug in rows:
                rows[slug][field.name].sort()
        order = _field_order(model)
        records[model._meta.label_lower] = [{name: rows[slug][name] for name in order} for slug in sorted(rows)]
        if progress is not None:
            progress.update(len(rows))
    return records


def export_document(*, timestamp=True, progress=None) -> dict:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().astimezone(dt.UTC).isoformat() if timestamp else None,
        "records": export_records(progress),
    }


def dumps(document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def read_document(text) -> dict:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BackupError(f"This is not a JSON file ({error}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("This is not a Casefile backup: its “format” is not “casefile”.")
    if document.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup is in format version {document.get('version')!r}; "
            f"this Casefile reads version {FORMAT_VERSION}."
        )
    records = document.get("records")
    if not isinstance(records, dict):
        raise BackupError("This backup has no “records”: an object of record lists by kind.")
    for label, rows in records.items():
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise BackupError(f"This backup's “{label}” is not a list of records (objects of fields).")
    known = {model._meta.label_lower for model in casefile_models()}
    unknown = sorted(set(records) - known)
    if unknown:
        raise BackupError(f"This backup holds kinds of records Casefile does not know: {', '.join(unknown)}.")
    return document


def record_count(document) -> int:
    return sum(len(rows) for rows in document["records"].values())


class _Importer:
    def __init__(self, document, *, merge, change_reason, progress):
        self.records = document["records"]
        self.merge = merge
        self.change_reason = change_reason
        self.progress = progress
        self.keys = {}  # model → {slug: pk}
        self.imported = []  # every record written, validated once all are in

    def key_map(self, model):
        if model not in self.keys:
            self.keys[model] = dict(model._base_manager.values_list("slug", "pk"))
        return self.keys[model]

    def resolve(self, model, slug, field, value):
        pk = self.key_map(field.related_model).get(value)
        if pk is None:
            raise BackupError(
                f"{model._meta.label_lower} “{slug}”: {field.name} points to "
                f"{field.related_model._meta.label_lower} “{value}”, which is neither in the file nor in the database."
            )
        return pk

    def run(self):
        try:
            with transaction.atomic():
                for model in casefile_models():
                    self.import_model(model, self.records.get(model._meta.label_lower, []))
                    self.finish_self_refs(model)
                for model in casefile_models():
                    self.import_many_to_many(model, self.records.get(model._meta.label_lower, []))
                self.validate_imported()
                # Rows go in as raw inserts and bulk updates, which send no signals.
                CaseFileRevision.advance()
        except DatabaseError as error:
            # What validation cannot see before the write (two records of one kind with one slug).
            raise BackupError(f"The database refused the file: {str(error).strip().splitlines()[0]}") from None

    def validate_imported(self):
        """Every record as the admin checks it (``full_clean``), once the whole file is in:
        a record's rules may read its children, its links and the records it points to,
        which the file brings in later. A refusal rolls the whole file back."""
        for obj in self.imported:
            obj._state.adding = False  # stored now: its uniqueness is checked against the others
            # Checked as the rows were written: each field (build), the keys to other kinds
            # (resolve) and the table's constraints (constraints_in_words). Asked again, they
            # would cost tens of queries a record on a large file.
            resolved = [f.name for f in _foreign_keys(type(obj)) if f.related_model is not type(obj)]
            try:
                obj.full_clean(exclude=resolved, validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                raise refusal(obj, error) from None

    def build(self, model, row, existing):
        plain, fks = _plain_fields(model), _foreign_keys(model)
        known = {f.name for f in (*plain, *fks, *_many_to_many(model))}
        unknown = sorted(set(row) - known)
        if unknown:
            raise BackupError(f"{model._meta.label_lower} “{row.get('slug')}”: unknown field(s) {', '.join(unknown)}.")
        slug = row.get("slug")
        if not slug:
            raise BackupError(f"A {model._meta.label_lower} record has no slug.")
        obj = model(pk=existing.get(slug))
        obj._state.adding = obj.pk is None  # a stored record: uniqueness is checked against the others
        for field in plain:
            if field.name in row:
                try:
                    setattr(obj, field.attname, field.to_python(row[field.name]))
                except ValidationError as error:
                    raise refusal(obj, ValidationError({field.name: error.messages}), slug=slug) from None
        deferred = {}
        for field in fks:
            value = row.get(field.name)
            if value is None:
                setattr(obj, field.attname, None)
            elif field.related_model is model:
                deferred[field] = value  # may point to a row later in this same list
                setattr(obj, field.attname, None)
            else:
                setattr(obj, field.attname, self.resolve(model, slug, field, value))
        try:
            # The fields' own checks (choices, lengths, URL schemes, ranges) before any row is
            # written; the table's constraints when the rows are (``constraints_in_words``),
            # and the rules that read related records once those are in (validate_imported).
            obj.clean_fields(exclude=[f.name for f in fks])  # resolve() found every key
        except ValidationError as error:
            raise refusal(obj, worded_by_clean(obj) or error, slug=slug) from None
        return obj, deferred

    def import_model(self, model, rows):
        existing = self.key_map(model) if self.merge else {}
        created, updated, self_refs = [], [], {}
        for row in rows:
            obj, deferred = self.build(model, row, existing)
            (updated if obj.pk is not None else created).append(obj)
            self.imported.append(obj)
            if deferred:
                self_refs[obj.slug] = deferred
        if updated:
            self.update_existing(model, updated, self_refs)
        for level in _levels(created, self_refs):
            for obj in level:
                for field, value in self_refs.get(obj.slug, {}).items():
                    setattr(obj, field.attname, self.resolve(model, obj.slug, field, value))
            self.insert(model, level)
        keys = self.key_map(model)
        for obj in created:
            obj.pk = keys[obj.slug]
        if hasattr(model, "history"):
            self.record_history(model, created, "+")
            self.record_history(model, updated, "~")
        if self.progress is not None:
            self.progress.update(len(rows))

    def insert(self, model, objs):
        """Insert the rows as stored in the file, like ``loaddata`` does (no ``pre_save``).

        ``bulk_create`` would run each field's ``pre_save`` and ``updated`` would become "now";
        inserting the prepared values keeps the file's timestamps, so a round trip is exact.
        """
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        with constraints_in_words(objs):
            _insert_rows(model, fields, ([getattr(obj, f.attname) for f in fields] for obj in objs))
        self.keys.pop(model, None)

    def record_history(self, model, objs, history_type):
        """One history row per imported record (bulk_history_create, without its per-row overhead)."""
        history = model.history.model
        now = timezone.now()
        tracked = list(history.tracked_fields)
        extra = ["history_date", "history_change_reason", "history_type"]
        fields = [history._meta.get_field(name) for name in [*(f.name for f in tracked), *extra]]
        values = ([getattr(obj, f.attname) for f in tracked] + [now, self.change_reason, history_type] for obj in objs)
        _insert_rows(history, fields, values)

    def update_existing(self, model, objs, self_refs):
        stored = dict(model._base_manager.filter(pk__in=[o.pk for o in objs]).values_list("pk", "version"))
        for obj in objs:
            obj.version = max(obj.version, stored[obj.pk]) + 1
        names = [f.name for f in (*_plain_fields(model), *_foreign_keys(model)) if f.name != "slug"]
        with constraints_in_words(objs):
            model._base_manager.bulk_update(objs, names, batch_size=BATCH_SIZE)
        # Self-references of updated rows may point to rows created later: set them at the end.
        self.pending_self_refs = getattr(self, "pending_self_refs", [])
        self.pending_self_refs += [(model, obj) for obj in objs if obj.slug in self_refs]

    def finish_self_refs(self, model):
        pending = [obj for owner, obj in getattr(self, "pending_self_refs", []) if owner is model]
        if not pending:
            return
        rows = {row["slug"]: row for row in self.records.get(model._meta.label_lower, [])}
        fields = [f for f in _foreign_keys(model) if f.related_model is model]
        for obj in pending:
            for field in fields:
                value = rows[obj.slug].get(field.name)
                setattr(obj, field.attname, None if value is None else self.resolve(model, obj.slug, field, value))
        with constraints_in_words(pending):
            model._base_manager.bulk_update(pending, [f.name for f in fields], batch_size=BATCH_SIZE)

    def import_many_to_many(self, model, rows):
        for field in _many_to_many(model):
            through = field.remote_field.through
            source, target = field.m2m_column_name(), field.m2m_reverse_name()
            own = self.key_map(model)
            listed = [row for row in rows if field.name in row]
            if self.merge:
                through._default_manager.filter(**{f"{source}__in": [own[row["slug"]] for row in listed]}).delete()
            links = []
            for row in listed:
                for value in row[field.name]:
                    links.append(
                        through(**{source: own[row["slug"]], target: self.resolve(model, row["slug"], field, value)})
                    )
            through._default_manager.bulk_create(links, batch_size=BATCH_SIZE)


@contextmanager
def constraints_in_words(objs):
    """Leave the table's constraints to the database as many rows are written at once, and
    when it refuses them, name the record and word the rule as the admin does.

    Asking each record's constraints before the write costs a query per record and
    constraint: most of a large import's time on PostgreSQL. The write runs in a savepoint;
    on a refusal it is undone and the records are asked one by one, to find the one at fault.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        for obj in objs:
            try:
                obj.validate_constraints()
            except ValidationError as refused:
                raise refusal(obj, worded_by_clean(obj) or refused) from None
        # Two rows of the file that refuse each other (one slug twice): neither is stored yet.
        raise BackupError(f"The database refused the file: {str(error).strip().splitlines()[0]}") from None


def worded_by_clean(obj):
    """The model's ``clean()`` refusal, if it has one: a table constraint's message names no
    field, while ``clean()`` words the same rule for the field at fault (as the admin shows it)."""
    try:
        obj.clean()
    except ValidationError as error:
        return error
    except ObjectDoesNotExist:
        return None  # the rule reads a related record the file has not brought in yet
    return None


def refusal(obj, error: ValidationError, *, slug=None) -> BackupError:
    """The file refused for one record: its kind, its slug, and each field's complaint."""
    where = f"{obj._meta.label_lower} “{slug or obj.slug}”"
    if not hasattr(error, "error_dict"):
        return BackupError(f"{where}: {' '.join(error.messages)}")
    complaints = [
        " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    ]
    return BackupError(f"{where}: {'; '.join(complaints)}")


def _insert_rows(model, fields, rows):
    """INSERT many rows of values for ``fields``, each prepared by its field for this database."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepared = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), BATCH_SIZE * 10):
            cursor.executemany(sql, prepared[start : start + BATCH_SIZE * 10])


def _levels(objs, self_refs):
    """Split new rows so that a row pointing to another row of its kind comes after it."""
    remaining, placed = list(objs), set()
    new = {obj.slug for obj in objs}
    while remaining:
        level = [
            obj
            for obj in remaining
            if all(value in placed or value not in new for value in self_refs.get(obj.slug, {}).values())
        ]
        if not level:
            slugs = ", ".join(sorted(obj.slug for obj in remaining)[:5])
            raise BackupError(f"These records are part of themselves through a cycle of references: {slugs}.")
        placed.update(obj.slug for obj in level)
        chosen = {id(obj) for obj in level}
        remaining = [obj for obj in remaining if id(obj) not in chosen]
        yield level


def import_document(document, *, merge=False, change_reason="Imported from a backup", progress=None):
    """Load ``document`` (read by ``read_document``); refuse a non-empty database unless merging."""
    if not merge and not is_empty():
        raise BackupError(
            f"The database already holds {count_rows()} case-file records. Import into an empty database, "
            "or pass --merge to add the file's records and overwrite those with the same slug."
        )
    with transaction.atomic():
        importer = _Importer(document, merge=merge, change_reason=change_reason[:100], progress=progress)
        importer.run()
        # Rows are written raw, around the signals that keep the search index and the
        # sources' Chicago forms current.
        search_index.rebuild_index()
        store_formatted(obj for obj in importer.imported if isinstance(obj, Source))
