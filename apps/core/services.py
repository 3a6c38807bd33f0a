"""Writes that keep the edit trail whole: versioned saves, publication transitions, restores.

The admin's ``save_model`` and the API call these same functions, so a stale edit,
a missing role or an invalid record is refused with the same words everywhere.
History itself is kept by django-simple-history; these functions only say who did
what and why (``_history_user`` / ``_change_reason``) and never touch history rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from .choices import PublicationStatus

SUBMIT_PERMISSION = "core.submit_records"
PUBLISH_PERMISSION = "core.publish_records"
# history_change_reason is a CharField(max_length=100) in every historical table.
CHANGE_MESSAGE_MAX_LENGTH = 100
# A record's own bookkeeping: never reported as "changed meanwhile".
BOOKKEEPING_FIELDS = {"updated", "version", "created"}
# Sub-records deleted this long before their parent count as deleted with it (cascade).
CASCADE_WINDOW = dt.timedelta(seconds=30)


# --- concurrency -----------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: object
    after: object

    def __str__(self):
        return f"{self.label}: “{_shown(self.before)}” → “{_shown(self.after)}”"


def _shown(value):
    return "" if value is None else str(value)


class StaleEdit(Exception):
    """The record was saved by someone else after this edit began.

    ``changes`` lists what changed meanwhile (field, before, after, from the history);
    ``related`` names sub-records (steps, parties, citations …) changed meanwhile.
    """

    def __init__(self, instance, *, expected_version, current_version, changes, related=(), by=None, at=None):
        self.instance = instance
        self.expected_version = expected_version
        self.current_version = current_version
        self.changes = list(changes)
        self.related = list(related)
        self.by = by
        self.at = at
        super().__init__(self.message)

    @property
    def changed_fields(self):
        return [change.field for change in self.changes]

    @property
    def message(self):
        kind = self.instance._meta.verbose_name
        who = f" by {self.by}" if self.by else ""
        when = f" on {timezone.localtime(self.at):%d %b %Y at %H:%M}" if self.at else ""
        parts = [
            f"This {kind} was changed{who}{when} while you were editing it "
            f"(you opened version {self.expected_version}; it is now version {self.current_version})."
        ]
        if self.changes:
            parts.append("Changed meanwhile: " + "; ".join(str(change) for change in self.changes) + ".")
        if self.related:
            parts.append("Also changed meanwhile: " + "; ".join(self.related) + ".")
        if not self.changes and not self.related:
            parts.append("The earlier version is not in the history, so the changes cannot be listed.")
        parts.append("Your input is kept: compare it with the current record, then save again.")
        return " ".join(parts)

    def as_dict(self):
        """For the API's 409 body."""
        return {
            "detail": self.message,
            "expected_version": self.expected_version,
            "current_version": self.current_version,
            "changed": [
                {"field": c.field, "before": _shown(c.before), "after": _shown(c.after)} for c in self.changes
            ],
            "related_changes": self.related,
        }


def _history_row(model, pk, version):
    return model.history.filter(id=pk, version=version).order_by("-history_date", "-history_id").first()


def changes_since(model, pk, version) -> StaleEdit | None:
    """What happened to row ``pk`` after ``version``, read from its history (None if nothing)."""
    current_version = model._default_manager.filter(pk=pk).values_list("version", flat=True).first()
    if current_version is None or current_version == version:
        return None
    instance = model._default_manager.get(pk=pk)
    before = _history_row(model, pk, version)
    after = model.history.filter(id=pk).order_by("-history_date", "-history_id").first()
    changes, related = [], []
    if before is not None and after is not None:
        delta = after.diff_against(before, excluded_fields=BOOKKEEPING_FIELDS, foreign_keys_are_objs=True)
        for change in delta.changes:
            label = str(model._meta.get_field(change.field).verbose_name)
            changes.append(FieldChange(change.field, label, change.old, change.new))
        related = _related_changes(instance, since=before.history_date)
    return StaleEdit(
        instance,
        expected_version=version,
        current_version=current_version,
        changes=changes,
        related=related,
        by=after.history_user if after is not None else None,
        at=after.history_date if after is not None else None,
    )


def _related_changes(instance, *, since):
    """Sub-records (steps, parties, participants, citations …) touched after ``since``."""
    described = []
    for relation in instance._meta.related_objects:
        related_model = relation.related_model
        if not relation.one_to_many or not hasattr(related_model, "history"):
            continue
        rows = related_model.history.filter(
            **{relation.field.attname: instance.pk, "history_date__gt": since}
        ).order_by("history_date")
        verbs = {"+": "added", "~": "changed", "-": "removed"}
        for row in rows[:20]:
            described.append(f"{related_model._meta.verbose_name} “{row.instance}” {verbs[row.history_type]}")
    return described


def _tag(instance, user, change_message):
    """Tell django-simple-history who saves and why (read when the history row is written)."""
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    instance._change_reason = (change_message or "")[:CHANGE_MESSAGE_MAX_LENGTH] or None


def _can_publish(user):
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def _check_may_edit(instance, stored_status, user, *, adding=False):
    """The model permission first; then: analysts edit drafts, published records are an editor's."""
    if user is None:
        return
    opts = instance._meta
    action = "add" if adding else "change"
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        raise PermissionDenied(f"You are not allowed to {action} {opts.verbose_name_plural}.")
    if not hasattr(instance, "publication_status") or _can_publish(user):
        return
    if stored_status == PublicationStatus.PUBLISHED:
        raise PermissionDenied(
            f"This {opts.verbose_name} is published: only an editor can change it. "
            "Ask an editor to return it to draft first."
        )
    if instance.publication_status != (stored_status or PublicationStatus.DRAFT):
        raise PermissionDenied(
            "Only an editor can change the publication status directly; "
            "use “Submit for review” to send a draft to an editor."
        )


def record_save(instance, *, expected_version=None, user=None, change_message="", validate=True):
    """Save ``instance`` if nobody saved it since ``expected_version``; return it, version raised.

    The check and the increment are one conditional UPDATE (``… WHERE version = expected``),
    so two concurrent saves cannot both pass, on PostgreSQL or SQLite. A stale edit raises
    ``StaleEdit`` naming what changed meanwhile. ``expected_version=None`` (scripts, a new
    record) skips the check. ``user=None`` means the system itself (commands, imports).
    """
    if validate:
        instance.full_clean()
    if instance._state.adding or instance.pk is None:
        _check_may_edit(instance, None, user, adding=True)
        instance.version = 1
        _tag(instance, user, change_message)
        instance.save(force_insert=True)
        return instance
    stored = type(instance)._default_manager.filter(pk=instance.pk)
    stored_status = (
        stored.values_list("publication_status", flat=True).first() if hasattr(instance, "publication_status") else None
    )
    _check_may_edit(instance, stored_status, user)
    return _save_if_current(instance, expected_version, user, change_message)


def _save_if_current(instance, expected_version, user, change_message):
    """Raise the version by one with ``UPDATE … WHERE version = expected``, then save.

    On PostgreSQL the UPDATE locks the row until commit, so a concurrent save waits and
    then finds the version changed; SQLite serialises writers. Either way one save wins.
    """
    model = type(instance)
    stored = model._default_manager.filter(pk=instance.pk)
    with transaction.atomic():
        if expected_version is None:
            expected_version = stored.values_list("version", flat=True).get()
        if not stored.filter(version=expected_version).update(version=F("version") + 1):
            stale = changes_since(model, instance.pk, expected_version)
            if stale is None:  # deleted meanwhile
                raise ValidationError(f"This {model._meta.verbose_name} was deleted while you were editing it.")
            raise stale
        instance.version = expected_version + 1
        _tag(instance, user, change_message)
        instance.save()
    return instance


def record_check_version(model, pk, expected_version):
    """Raise ``StaleEdit`` now if ``expected_version`` is out of date (a form's early warning)."""
    if expected_version is None or pk is None:
        return
    stale = changes_since(model, pk, expected_version)
    if stale is not None:
        raise stale


# --- publication ------------------------------------------------------------------

TRANSITIONS = {
    # name: (allowed from, to, permission, verb for the history, refusal when the role is missing)
    "submit_for_review": (
        {PublicationStatus.DRAFT},
        PublicationStatus.IN_REVIEW,
        SUBMIT_PERMISSION,
        "Submitted for review",
        "Only analysts and editors can submit records for review.",
    ),
    "publish": (
        {PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW},
        PublicationStatus.PUBLISHED,
        PUBLISH_PERMISSION,
        "Published",
        "Only an editor can publish records.",
    ),
    "unpublish": (
        {PublicationStatus.PUBLISHED},
        PublicationStatus.DRAFT,
        PUBLISH_PERMISSION,
        "Unpublished (returned to draft)",
        "Only an editor can unpublish records.",
    ),
    "return_to_draft": (
        {PublicationStatus.IN_REVIEW},
        PublicationStatus.DRAFT,
        PUBLISH_PERMISSION,
        "Returned to draft after review",
        "Only an editor can return a record in review to draft.",
    ),
}


def _transition(name, record, *, user, change_message="", expected_version=None):
    allowed_from, target, permission, verb, refusal = TRANSITIONS[name]
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(refusal)
    if record.publication_status not in allowed_from:
        raise ValidationError(
            f"“{record}” is {record.get_publication_status_display().lower()}: "
            f"it cannot be {verb.split(' (')[0].lower()} from there."
        )
    record.publication_status = target
    record.full_clean()
    message = f"{verb}: {change_message}" if change_message else verb
    return _save_if_current(record, record.version if expected_version is None else expected_version, user, message)


def record_submit_for_review(record, *, user, change_message="", expected_version=None):
    """Draft → in review: an analyst asks an editor to check the record."""
    return _transition("submit_for_review", record, user=user, change_message=change_message,
                       expected_version=expected_version)


def record_publish(record, *, user, change_message="", expected_version=None):
    """Draft or in review → published: readers see it. Editors only."""
    return _transition("publish", record, user=user, change_message=change_message,
                       expected_version=expected_version)


def record_unpublish(record, *, user, change_message="", expected_version=None):
    """Published → draft: readers no longer see it. Editors only."""
    return _transition("unpublish", record, user=user, change_message=change_message,
                       expected_version=expected_version)


def record_return_to_draft(record, *, user, change_message="", expected_version=None):
    """In review → draft: the editor sends it back to the analyst. Editors only."""
    return _transition("return_to_draft", record, user=user, change_message=change_message,
                       expected_version=expected_version)


def record_delete(record, *, user, change_message=""):
    """Delete a record (and, by cascade, its sub-records); its history keeps every version."""
    opts = record._meta
    if user is not None and not user.has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
        raise PermissionDenied(f"You are not allowed to delete {opts.verbose_name_plural}.")
    _tag(record, user, change_message or "Deleted")
    record.delete()


# --- restoring ----------------------------------------------------------------------


def record_restore_version(historical, *, user, expected_version=None, change_message=""):
    """Make the record look as it did in ``historical`` (one row of its history)."""
    model = historical.instance_type
    current = model._default_manager.get(pk=historical.id)
    restored = historical.instance
    restored._state.adding = False
    when = timezone.localtime(historical.history_date)
    message = change_message or f"Restored version {historical.version} of {when:%d %b %Y %H:%M}"
    return record_save(
        restored,
        expected_version=current.version if expected_version is None else expected_version,
        user=user,
        change_message=message,
    )


def deleted_records(model):
    """The last deletion of every row of ``model`` that does not exist now, newest first."""
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


def record_restore_deleted(historical, *, user, change_message=""):
    """Bring back a deleted row from its history, with the sub-records deleted along with it.

    The row gets its old primary key and slug back, so links and citations to it work again.
    Sub-records (steps, parties, participants, roles, citations …) whose deletion was
    recorded within ``CASCADE_WINDOW`` before the row's own deletion are restored too.
    """
    model = historical.instance_type
    if historical.history_type != "-":
        raise ValidationError("Only a deletion can be undone this way.")
    if model._default_manager.filter(pk=historical.id).exists():
        raise ValidationError(f"This {model._meta.verbose_name} exists again already.")
    last_version = model.history.filter(id=historical.id).aggregate(models.Max("version"))["version__max"] or 0
    instance = historical.instance
    instance._state.adding = True
    instance.version = last_version + 1
    when = timezone.localtime(historical.history_date)
    message = change_message or f"Restored after deletion on {when:%d %b %Y %H:%M}"
    with transaction.atomic():
        try:
            instance.full_clean(validate_unique=True)
        except ValidationError as error:
            raise ValidationError(f"Cannot restore “{instance}”: {_plain(error)}") from None
        _tag(instance, user, message)
        instance.save(force_insert=True)
        for child in _cascaded_children(instance, historical.history_date):
            record_restore_deleted(child, user=user, change_message=message)
    return instance


def _plain(error):
    if hasattr(error, "message_dict"):
        return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


def _cascaded_children(instance, deleted_at):
    for relation in instance._meta.related_objects:
        related_model = relation.related_model
        if not relation.one_to_many or not hasattr(related_model, "history"):
            continue
        if relation.on_delete is not models.CASCADE:
            continue
        candidates = related_model.history.filter(
            **{relation.field.attname: instance.pk},
            history_type="-",
            history_date__gte=deleted_at - CASCADE_WINDOW,
            history_date__lte=deleted_at,
        ).exclude(id__in=related_model._default_manager.values("pk"))
        yield from candidates


def record_as_of(model, pk, when):
    """The record as it stood at ``when`` (raises ``model.DoesNotExist`` if it did not exist then)."""
    row = model.history.filter(id=pk, history_date__lte=when).order_by("-history_date", "-history_id").first()
    if row is None or row.history_type == "-":
        raise model.DoesNotExist(f"No {model._meta.verbose_name} with this id existed at {when}.")
    return row


