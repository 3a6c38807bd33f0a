"""Reads of the history, beside the writes in ``services.py``: what a deleted row was and
whether it can come back, what a record was at a moment, what a slug became, what changed
between two versions, and what each creation entry was — in words.

Everything here reads history rows only. A deleted row's related records may be gone
too (a step's agreement, a citation's source), so a deleted row is named from its own
historical fields and its related records from their own history, never from live rows.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .choices import PublicationStatus

# Sub-records deleted this close to their record's deletion went with it (one cascade).
CASCADE_WINDOW = dt.timedelta(seconds=30)
# The fields that name a record, in the order they are tried.
NAME_FIELDS = ("short_title", "name", "title")
# Free text longer than this, or spanning lines, is compared line by line.
LONG_TEXT = 80
DASH = "—"


# --- naming rows from their history ------------------------------------------------------


def own_name(historical) -> str:
    """The row's name from its own fields (a record's title or name), or ""."""
    for name in NAME_FIELDS:
        value = getattr(historical, name, "")
        if value:
            return str(value)
    return ""


def parent_fields(model) -> list:
    """The keys naming the record a sub-record belongs to: its ``editorial_parent_field``,
    else the keys that delete it with their record (a citation's cited record, of which
    one is set); none for a record."""
    keys = [f for f in model._meta.concrete_fields if f.many_to_one]
    if hasattr(model, "publication_status"):
        return []
    declared = getattr(model, "editorial_parent_field", None)
    if declared:
        return [f for f in keys if f.name == declared]
    return [f for f in keys if f.remote_field.on_delete is models.CASCADE]


class HistoricalNames:
    """Names of related rows as their history has them at a moment, read in one query
    per kind of related record (``prefetch``), for lists of deleted rows."""

    def __init__(self):
        self.rows: dict = {}

    def prefetch(self, related_model, ids):
        wanted = {pk for pk in ids if pk is not None and (related_model, pk) not in self.rows}
        if not wanted or not hasattr(related_model, "history"):
            return
        for pk in wanted:
            self.rows[(related_model, pk)] = []
        rows = related_model.history.filter(id__in=wanted).order_by("history_date", "history_id")
        for row in rows:
            self.rows[(related_model, row.id)].append(row)

    def row(self, related_model, pk, at=None):
        """The related row as it stood at ``at`` (its earliest known version if younger)."""
        self.prefetch(related_model, [pk])
        versions = self.rows.get((related_model, pk)) or []
        chosen = versions[0] if versions else None
        for version in versions:
            if at is not None and version.history_date > at:
                break
            chosen = version
        return chosen

    def name(self, related_model, pk, at=None) -> str:
        """A related row's name; a nameless one (a step) by its kind and date."""
        row = self.row(related_model, pk, at)
        if row is None:
            return f"#{pk}"
        return own_name(row) or brief_description(row) or row.slug


def brief_description(historical) -> str:
    """A nameless row (a step, a role) by its kind in words and its date: “Signed, 2006”."""
    model = historical.instance_type
    parts = []
    for name in ("kind", "role", "date"):
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        value = getattr(historical, model_field.attname, None)
        if value in (None, ""):
            continue
        parts.append(str(dict(model_field.flatchoices).get(value, value)) if model_field.choices else str(value))
    return ", ".join(parts)


def deleted_label(historical, names: HistoricalNames | None = None) -> str:
    """What ``historical`` (a row of any kind's history) was, in words, from history only.

    A record is named by its title or name; a sub-record (a step, party, role,
    participant, note, citation) by its kind and choices in words, the records it
    refers to, and the record it belongs to: “Signed (12 May 2009) of agreement “CSTO””.
    """
    names = names or HistoricalNames()
    model = historical.instance_type
    at = historical.history_date
    text = own_name(historical)
    if text:
        return text
    parents = parent_fields(model)
    parent_names = {f.name for f in parents}
    parts = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in parent_names or model_field.name in ("slug", "created", "updated", "version"):
            continue
        value = getattr(historical, model_field.attname, None)
        if value in (None, ""):
            continue
        if model_field.many_to_one:
            parts.append(names.name(model_field.related_model, value, at))
        elif model_field.name in ("kind", "role") and model_field.choices:
            parts.append(str(dict(model_field.flatchoices).get(value, value)))
        elif model_field.name in ("date", "locator", "number", "role", "count"):
            parts.append(str(value))
    described = ", ".join(parts) or historical.slug
    for parent in parents:
        pk = getattr(historical, parent.attname, None)
        if pk is not None:
            kind = parent.related_model._meta.verbose_name
            return f"{described} — of {kind} “{names.name(parent.related_model, pk, at)}”"
    return described


def deleted_labels(rows) -> dict:
    """``deleted_label`` of each of ``rows`` (of one kind), by history id, reading the
    related records' history in one query per related kind."""
    names = HistoricalNames()
    rows = list(rows)
    if rows:
        model = rows[0].instance_type
        for model_field in model._meta.concrete_fields:
            if model_field.many_to_one:
                names.prefetch(model_field.related_model, [getattr(row, model_field.attname) for row in rows])
    return {row.history_id: deleted_label(row, names) for row in rows}


# --- what a slug leads to ------------------------------------------------------------------


@dataclass(frozen=True)
class Gone:
    """A record deleted while its page was public: what it was and when it went."""

    kind: str
    name: str
    removed: object  # datetime


@dataclass(frozen=True)
class Moved:
    """A record renamed: its old slug leads to it."""

    record: object


def slug_fate(model, slug, user, *, sees_drafts):
    """What an unknown ``slug`` of ``model`` became for ``user``: ``Moved`` (the record now
    has another slug), ``Gone`` (deleted) or None (never readable by ``user`` under it,
    or taken by another record now, so a plain 404).

    ``sees_drafts`` is the caller's answer for ``user`` and ``model``: whoever does not see
    drafts learns nothing from a slug that was never published — nor about a record that
    is a draft now."""
    if not hasattr(model, "publication_status"):
        return None  # sub-records have no address of their own
    manager = model._default_manager
    if manager.filter(slug=slug).exists():
        return None  # another live record, or one this user may not see: plain 404
    under_slug = model.history.filter(slug=slug)
    if not sees_drafts:
        under_slug = under_slug.filter(publication_status=PublicationStatus.PUBLISHED)
    ids = list(under_slug.order_by("-history_date", "-history_id").values_list("id", flat=True)[:50])
    for pk in dict.fromkeys(ids):
        live = manager.visible_to(user).filter(pk=pk).first()
        if live is not None:
            return Moved(live)
        if manager.filter(pk=pk).exists():
            continue  # alive but not for this user (a draft now)
        deletion = model.history.filter(id=pk, history_type="-").order_by("-history_date", "-history_id").first()
        if deletion is not None:
            return Gone(kind=str(model._meta.verbose_name), name=deleted_label(deletion), removed=deletion.history_date)
    return None


# --- comparing versions in words ---------------------------------------------------------

LOADED = "Loaded from the case file"
IMPORTED = "Imported"
RESTORED = "Restored after deletion"
CREATED_OVER_API = "Created over the API"
CREATED_IN_ADMIN = "Created in the admin"
# Creation entries, by the start of the change reason each path writes: loading
# (load_casefile), importing (import_casefile, backups), restoring (services), the API
# (its serializers, and nested lines saved with the record's reason) and the admin.
CREATION_WORDS = (
    (LOADED, LOADED),
    (IMPORTED, IMPORTED),
    (RESTORED, RESTORED),
    (CREATED_OVER_API, CREATED_OVER_API),
    ("Saved through the API", CREATED_OVER_API),
    ("Changed through the API", CREATED_OVER_API),
    (CREATED_IN_ADMIN, CREATED_IN_ADMIN),
)
ACTION_WORDS = {"~": "Changed", "-": "Deleted"}


def entry_words(historical) -> str:
    """What a history entry was: a creation named for its path, else changed or deleted."""
    if historical.history_type != "+":
        return ACTION_WORDS.get(historical.history_type, historical.history_type)
    reason = historical.history_change_reason or ""
    for start, words in CREATION_WORDS:
        if reason.startswith(start):
            return words
    return "Created"


def reason_words(historical) -> str:
    """The change reason to show beside the entry: nothing when blank, and not the words
    the entry's name already says (“Created in the admin: typo in the title” shows
    “typo in the title”)."""
    reason = (historical.history_change_reason or "").strip()
    if not reason or reason in ("None", entry_words(historical)):
        return ""
    if historical.history_type == "+":
        for start, words in CREATION_WORDS:
            if reason == start or reason == words:
                return ""
            if reason.startswith(f"{start}: "):
                return reason[len(start) + 2 :].strip()
    return reason


@dataclass
class FieldDifference:
    label: str
    before: str
    after: str
    lines: list = field(default_factory=list)  # (sign, text) for long text: " ", "-", "+"


def value_words(model_field, value, names: HistoricalNames, at=None) -> str:
    """A stored value as an editor reads it: choices by label, related records by name,
    empty as a dash."""
    if value is None or value == "":
        return DASH
    if model_field.many_to_one:
        return names.name(model_field.related_model, value, at)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def compare_versions(older, newer, *, skip=("created", "updated", "version")) -> list[FieldDifference]:
    """Field by field, what differs between two history rows of one record, in words;
    long text also line by line."""
    model = older.instance_type
    names = HistoricalNames()
    differences = []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.name in skip:
            continue
        before = getattr(older, model_field.attname, None)
        after = getattr(newer, model_field.attname, None)
        if _normal(before) == _normal(after):
            continue
        difference = FieldDifference(
            label=str(model_field.verbose_name).capitalize(),
            before=value_words(model_field, before, names, older.history_date),
            after=value_words(model_field, after, names, newer.history_date),
        )
        if _long(before) or _long(after):
            difference.lines = [
                (line[0], line[2:])
                for line in difflib.ndiff(str(before or "").splitlines(), str(after or "").splitlines())
                if line[0] in " -+"
            ]
        differences.append(difference)
    return differences


def _normal(value):
    return None if value == "" else str(value) if value is not None else None


def _long(value):
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value)


# --- deleted rows and restoring them ------------------------------------------------------


def deleted_records(model):
    """The last deletion of every row of ``model`` that does not exist now, newest first.
    Name them with ``deleted_labels``: a deleted row's related records may be gone too."""
    rows = (
        model.history.filter(history_type="-")
        .exclude(id__in=model._default_manager.values("pk"))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    seen, latest = set(), []
    for row in rows:
        if row.id not in seen:
            seen.add(row.id)
            latest.append(row)
    return latest


@dataclass(frozen=True)
class RestoreBlocker:
    """Why a deleted row cannot come back yet: ``reasons`` in words (“its source “X” was
    deleted: restore that source first”); ``comes_back_with`` names the record it was
    deleted with (“agreement “First IPAP””), which brings it back when restored."""

    reasons: str
    comes_back_with: str = ""

    def __str__(self):
        return self.reasons


def restore_blockers(rows) -> dict:
    """For deleted rows of one kind (``deleted_records``): by history id, a ``RestoreBlocker``
    for each row that cannot come back yet (a record it needs was deleted too: a step's
    agreement, a citation's source); rows that can come back are not in it. Two queries per key."""
    rows = list(rows)
    if not rows:
        return {}
    model = rows[0].instance_type
    names = HistoricalNames()
    parents = {f.name for f in parent_fields(model)}
    reasons: dict = {}
    deleted_with: dict = {}
    for model_field in _needed_keys(model):
        related = model_field.related_model
        wanted = {getattr(row, model_field.attname) for row in rows} - {None}
        alive = set(related._default_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        missing = wanted - alive
        if not missing:
            continue
        names.prefetch(related, missing)
        deletions = {}
        if model_field.name in parents:
            for deletion in related.history.filter(id__in=missing, history_type="-").order_by("history_date"):
                deletions[deletion.id] = deletion.history_date  # the last one wins
        for row in rows:
            pk = getattr(row, model_field.attname)
            if pk not in missing:
                continue
            reasons.setdefault(row.history_id, []).append(_missing_words(model_field, pk, names))
            parent_deleted = deletions.get(pk)
            if parent_deleted is not None and abs(parent_deleted - row.history_date) <= CASCADE_WINDOW:
                deleted_with[row.history_id] = f"{related._meta.verbose_name} “{names.name(related, pk)}”"
    # A row that needs more than the record it went with waits for the rest too.
    return {
        history_id: RestoreBlocker("; ".join(words), deleted_with.get(history_id, "") if len(words) == 1 else "")
        for history_id, words in reasons.items()
    }


def _needed_keys(model):
    """Keys a restored row cannot do without (a key emptied when its record is deleted is
    emptied on restore instead, as it would have been)."""
    return [f for f in model._meta.concrete_fields if f.many_to_one and f.remote_field.on_delete is not models.SET_NULL]


def _missing_words(model_field, pk, names):
    related = model_field.related_model._meta.verbose_name
    name = names.name(model_field.related_model, pk)
    return f"its {model_field.verbose_name} “{name}” was deleted: restore that {related} first"


def cascaded_children(instance, deleted_at):
    """The last deletion of each sub-record deleted with ``instance``: around ``deleted_at``,
    within the window (before it: what Django deleted first; after it: in the same cascade)."""
    for relation in instance._meta.related_objects:
        related_model = relation.related_model
        if not relation.one_to_many or not hasattr(related_model, "history"):
            continue
        if relation.on_delete is not models.CASCADE:
            continue
        candidates = (
            related_model.history.filter(
                **{relation.field.attname: instance.pk},
                history_type="-",
                history_date__gte=deleted_at - CASCADE_WINDOW,
                history_date__lte=deleted_at + CASCADE_WINDOW,
            )
            .exclude(id__in=related_model._default_manager.values("pk"))
            .order_by("-history_date", "-history_id")
        )
        seen = set()
        for candidate in candidates:
            if candidate.id not in seen:
                seen.add(candidate.id)
                yield candidate


def record_as_of(model, pk, when):
    """The record as it stood at ``when`` (raises ``model.DoesNotExist`` if it did not exist then)."""
    row = model.history.filter(id=pk, history_date__lte=when).order_by("-history_date", "-history_id").first()
    if row is None or row.history_type == "-":
        raise model.DoesNotExist(f"No {model._meta.verbose_name} with this id existed at {when}.")
    return row
