"""Writes that keep the edit trail whole: versioned saves, a record's children and links,
publication transitions, deletions, restores — and the one rule of who may make them.

Every write of the admin (forms, inline rows, links, deletions, actions) and of the API
(records, nested children, citations, transitions) goes through these functions, so a
stale edit, a missing role or an invalid record is refused with the same words everywhere, and
``editorial_refusal`` alone decides who may change what readers see.
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

from . import selectors
from .choices import PublicationStatus
from .models import CaseFileRevision

SUBMIT_PERMISSION = "core.submit_records"
PUBLISH_PERMISSION = "core.publish_records"
# history_change_reason is a CharField(max_length=100) in every historical table.
CHANGE_MESSAGE_MAX_LENGTH = 100
# A record's own bookkeeping: never reported as "changed meanwhile".
BOOKKEEPING_FIELDS = {"updated", "version", "created"}
# Sub-records deleted this long before their parent count as deleted with it (cascade).


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


# --- who may change what readers see ------------------------------------------------

ADD, CHANGE, DELETE = "add", "change", "delete"


def staff_refusal(user) -> str | None:
    """Why ``user`` may change nothing at all, or None: the admin's own gate (active staff),
    asked by ``editorial_refusal`` and by the API's permission class before a write is read."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return "Only staff members change the case file: ask an administrator for staff status."
    return None


def editorial_refusal(user, obj, action) -> str | None:
    """Why ``user`` may not ``action`` ``obj``, in words; None when they may.

    The one home of "only editors change what readers see": the services below, the
    API (through them) and the admin's permissions, forms and formsets all ask it.
    ``obj`` is a row — as stored, or as it is about to be saved — or a model, for the
    question in general ("may this user add citations at all?"). ``action`` is "add",
    "change", "delete" or a transition's name ("publish" …). ``user=None`` is the system
    (commands, imports, restores by script) and may save and delete, but publication is
    always a person's decision.

    - Only active staff write, through the admin and the API alike: a member of the
      Editor group without staff status cannot use the admin, so the API refuses them too.
    - Then the model permission (``agreements.add_agreementstep`` …) or the transition's.
    - Editors (``core.publish_records``) may do the rest. Anyone else (an analyst) may not
      touch a published record, nor a sub-record of one (a step, party, role,
      participant or note; a citation of a published record), neither as stored nor as
      it would be saved (a citation moved onto a published record); may not set a
      publication status (that is a transition); and may not delete a record whose
      deletion takes a published record with it.
    """
    model = obj if isinstance(obj, type) else type(obj)
    opts = model._meta
    if action in TRANSITIONS:
        permission, refusal = TRANSITIONS[action][2], TRANSITIONS[action][4]
    else:
        permission = f"{opts.app_label}.{action}_{opts.model_name}"
        refusal = f"You are not allowed to {action} {opts.verbose_name_plural}."
    if user is None:
        return refusal if action in TRANSITIONS else None
    staff_only = staff_refusal(user)
    if staff_only is not None:
        return staff_only
    if not user.has_perm(permission):
        return refusal
    if user.has_perm(PUBLISH_PERMISSION) or isinstance(obj, type) or action in TRANSITIONS:
        return None
    return _what_readers_see(obj, action)


def _what_readers_see(obj, action):
    """A non-editor's refusal for ``obj``, or None: see ``editorial_refusal``."""
    model = type(obj)
    stored = None
    if action != ADD and obj.pk is not None:
        stored = model._default_manager.filter(pk=obj.pk).first()
    # Deleting acts on the row as stored; adding or changing also on the row as it will be.
    rows = [stored or obj] if action == DELETE else [row for row in (stored, obj) if row is not None]
    checked = set()
    for row in rows:
        parent = row.editorial_parent()
        if parent is None or parent.pk is None or (type(parent), parent.pk) in checked:
            continue
        checked.add((type(parent), parent.pk))
        if not _published_as_stored(parent):
            continue
        kind = parent._meta.verbose_name
        if parent.pk == obj.pk and isinstance(parent, model):
            return (
                f"This {kind} is published: only an editor can {action} it. "
                "Ask an editor to return it to draft first."
            )
        return (
            f"This {model._meta.verbose_name} belongs to the published {kind} “{parent}”: only an editor "
            f"can {action} it. Ask an editor to return the {kind} to draft first."
        )
    if hasattr(obj, "publication_status") and action != DELETE:
        before = stored.publication_status if stored is not None else PublicationStatus.DRAFT
        if obj.publication_status != before:
            return (
                "Only an editor can change the publication status directly; "
                "use “Submit for review” to send a draft to an editor."
            )
    if action == DELETE:
        return _published_casualty(stored or obj)
    return None


def _published_as_stored(record):
    """Read from the database: the record in hand may carry an edit not yet saved."""
    return (
        type(record)._default_manager.filter(pk=record.pk, publication_status=PublicationStatus.PUBLISHED).exists()
    )


def _published_casualty(record):
    """The refusal when deleting ``record`` would delete a published record with it
    (an actor's published affiliations), else None. Sub-records cascading with it are
    its own, so unpublished with it; only records with a status of their own are looked for."""
    if record.pk is None:
        return None
    for relation in record._meta.related_objects:
        related = relation.related_model
        if not relation.one_to_many or relation.on_delete is not models.CASCADE:
            continue
        if not hasattr(related, "publication_status"):
            continue
        casualty = (
            related._default_manager.filter(**{relation.field.name: record})
            .filter(publication_status=PublicationStatus.PUBLISHED)
            .first()
        )
        if casualty is not None:
            return (
                f"Deleting this {record._meta.verbose_name} would delete the published "
                f"{related._meta.verbose_name} “{casualty}” with it: only an editor can do that."
            )
    return None


def editorial_check(user, obj, action):
    """Raise ``PermissionDenied`` with ``editorial_refusal``'s words when it refuses."""
    refusal = editorial_refusal(user, obj, action)
    if refusal is not None:
        raise PermissionDenied(refusal)


def editorial_allows(user, obj, action) -> bool:
    """``editorial_refusal`` as a yes or no, for the admin's permission methods."""
    return editorial_refusal(user, obj, action) is None


def record_save(instance, *, expected_version=None, user=None, change_message="", validate=True):
    """Save ``instance`` if nobody saved it since ``expected_version``; return it, version raised.

    The check and the increment are one conditional UPDATE (``… WHERE version = expected``),
    so two concurrent saves cannot both pass, on PostgreSQL or SQLite. A stale edit raises
    ``StaleEdit`` naming what changed meanwhile. ``expected_version=None`` (scripts, a new
    record) skips the check. ``user=None`` means the system itself (commands, imports).
    Who may save what is ``editorial_check``'s to say.
    """
    if validate:
        instance.full_clean()
    if instance._state.adding or instance.pk is None:
        editorial_check(user, instance, ADD)
        instance.version = 1
        _tag(instance, user, change_message)
        _mark_edited(instance)
        instance.save(force_insert=True)
        return instance
    editorial_check(user, instance, CHANGE)
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
        _mark_edited(instance)
        instance.save()
    return instance


def _mark_edited(row, *, saved=False):
    """Note that an editorial write changes the record readers see: the row itself, or the
    record its line or citation belongs to (its ``edited`` moves, not its version).
    ``saved``: the row is not saved again after this (a change to its links)."""
    record = row.editorial_parent()
    if record is None:
        return
    if record is row and not saved:
        row.edited = timezone.now()  # saved with the row
    elif record.pk is not None:
        type(record)._default_manager.filter(pk=record.pk).update(edited=timezone.now())
        CaseFileRevision.advance()  # an UPDATE sends no signal, and readers see "edited"


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
    allowed_from, target, _permission, verb, _refusal = TRANSITIONS[name]
    editorial_check(user, record, name)
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
    editorial_check(user, record, DELETE)
    _tag(record, user, change_message or "Deleted")
    _mark_edited(record)  # a line deleted changes its record
    record.delete()


# --- a record's children and links ----------------------------------------------------------


class ChildrenInvalid(ValidationError):
    """Children given to ``record_children_sync`` were refused; ``errors`` maps the index
    of each refused child in the list given to its ``ValidationError``."""

    def __init__(self, errors):
        self.errors = dict(sorted(errors.items()))
        super().__init__([f"Item {index + 1}: {_plain(error)}" for index, error in self.errors.items()])


def record_children_sync(record, *, model, parent_field, items, user, change_message=""):
    """Make ``record``'s children of ``model`` (those whose ``parent_field`` is ``record``)
    be ``items``, each a dict of field values; return the children as saved, in order.

    An item carrying the ``slug`` of one of the record's children is that child, changed
    in place: the same row, so its citations, its slug and its history stay with it. An
    item without a slug is a new child; a child no item names is deleted. Each child
    written or deleted goes through ``record_save`` or ``record_delete`` (so the editorial
    rule, a raised version and a history row with ``user``); an unchanged child is left
    alone. All or nothing: call it inside the transaction that saves the record, and a
    refusal leaves nothing written. Raises ``ChildrenInvalid`` naming each refused item.
    """
    kind = model._meta.verbose_name
    existing = {child.slug: child for child in model._default_manager.filter(**{parent_field: record})}
    errors, named = {}, set()
    for index, item in enumerate(items):
        slug = item.get("slug")
        if slug is None:
            continue
        if slug in named:
            errors[index] = ValidationError({"slug": f"The {kind} “{slug}” is given twice."})
        elif slug not in existing:
            errors[index] = ValidationError(
                {"slug": f"This {record._meta.verbose_name} has no {kind} “{slug}”: leave the slug out to add one."}
            )
        named.add(slug)
    if errors:
        raise ChildrenInvalid(errors)
    children, written = [], []
    with transaction.atomic():
        # Deletions first: a child given anew may take the place (actor and role) of one removed.
        for slug, child in existing.items():
            if slug not in named:
                record_delete(child, user=user, change_message=change_message)
        for index, item in enumerate(items):
            child = existing.get(item.get("slug")) or model(**{parent_field: record})
            # A child's many-to-many links (a leg's countries) are set once the row is saved.
            links = {name: value for name, value in item.items() if model._meta.get_field(name).many_to_many}
            columns = {name: value for name, value in item.items() if name not in links}
            changed = child.pk is None or any(_differs(child, name, value) for name, value in columns.items())
            relinked = {
                name: targets
                for name, targets in links.items()
                if child.pk is None or {row.pk for row in getattr(child, name).all()} != {row.pk for row in targets}
            }
            children.append(child)
            if not changed and not relinked:
                continue
            for name, value in columns.items():
                setattr(child, name, value)
            try:
                _check_columns(child)
            except ValidationError as error:
                errors[index] = error
                continue
            if changed:
                record_save(child, user=user, change_message=change_message, validate=False)
            for name, targets in relinked.items():
                record_links_set(child, relation=name, targets=targets, user=user)
            written.append((index, child))
        # clean() compares a child with its siblings (an agreement's steps in date order):
        # asked once all are written, so that moving several dates at once is judged on
        # where they end up, not on the order they were written in.
        for index, child in written:
            try:
                child.clean()
            except ValidationError as error:
                errors[index] = error
        if errors:
            raise ChildrenInvalid(errors)
    return children


def _differs(row, name, value):
    """Whether setting ``name`` to ``value`` changes ``row`` (a related record compared
    by its key, so that comparing does not load it)."""
    field = row._meta.get_field(name)
    if field.many_to_one:
        return getattr(row, field.attname) != (value.pk if value is not None else None)
    return getattr(row, name) != value


def _check_columns(instance):
    """What ``full_clean()`` checks but ``clean()``: each field, uniqueness, constraints,
    so that the database refuses nothing a message could have said."""
    errors = {}
    for check in (instance.clean_fields, instance.validate_unique, instance.validate_constraints):
        try:
            check(exclude=set(errors))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def record_links_set(record, *, relation, targets, user):
    """Set ``record``'s many-to-many ``relation`` (an agreement's ``supersedes``, a note's
    ``cites``) to ``targets``: a change to the record, under the editorial rule. Links are
    not in the history (it keeps rows)."""
    editorial_check(user, record, CHANGE)
    getattr(record, relation).set(targets)
    _mark_edited(record, saved=True)


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


def record_restore_deleted(historical, *, user, change_message="", held_back=None, deleted_with=None):
    """Bring back a deleted row from its history, with the sub-records deleted along with it.

    The row gets its old primary key and slug back, so links and citations to it work again.
    Sub-records (steps, parties, participants, roles, citations …) whose deletion was
    recorded within ``selectors.CASCADE_WINDOW`` before the row's own deletion are restored too, each
    through this function (the editorial rule, a history row naming ``user``). A row that
    needs a record deleted since (a citation's source) cannot come back until that record
    does: the row itself is refused with those words; a sub-record is left in the deleted
    records and described in ``held_back`` (a list the caller passes) instead.
    ``deleted_with`` is the moment of the deletion a sub-record went with (its record's):
    a cascade deletes rows in an order each database chooses, so lines of lines (a step's
    citations) are looked for around that moment, not before the step's own deletion.
    Many-to-many links (an agreement's ``supersedes``) are not in the history and stay unset.
    """
    model = historical.instance_type
    kind = model._meta.verbose_name
    if historical.history_type != "-":
        raise ValidationError("Only a deletion can be undone this way.")
    if model._default_manager.filter(pk=historical.id).exists():
        raise ValidationError(f"This {kind} exists again already.")
    label = selectors.deleted_label(historical)
    blockers = selectors.restore_blockers([historical])
    if blockers:
        raise ValidationError(f"The {kind} “{label}” cannot be restored yet: {blockers[historical.history_id]}.")
    last_version = model.history.filter(id=historical.id).aggregate(models.Max("version"))["version__max"] or 0
    instance = historical.instance
    for model_field in model._meta.concrete_fields:
        if model_field.many_to_one and model_field.remote_field.on_delete is models.SET_NULL:
            pk = getattr(instance, model_field.attname)
            if pk is not None and not model_field.related_model._default_manager.filter(pk=pk).exists():
                setattr(instance, model_field.attname, None)
    instance._state.adding = True
    instance.version = last_version + 1
    when = timezone.localtime(historical.history_date)
    message = change_message or f"Restored after deletion on {when:%d %b %Y %H:%M}"
    held_back = [] if held_back is None else held_back
    with transaction.atomic():
        try:
            instance.full_clean(validate_unique=True)
        except ValidationError as error:
            raise ValidationError(f"The {kind} “{label}” cannot be restored: {_plain(error)}") from None
        editorial_check(user, instance, ADD)  # a restored published record is published again
        _tag(instance, user, message)
        _mark_edited(instance)
        instance.save(force_insert=True)
        moment = deleted_with or historical.history_date
        for child in selectors.cascaded_children(instance, moment):
            try:
                with transaction.atomic():
                    record_restore_deleted(
                        child, user=user, change_message=message, held_back=held_back, deleted_with=moment
                    )
            except ValidationError as error:
                held_back.append(_plain(error))
    return instance


def _plain(error):
    if hasattr(error, "message_dict"):
        return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


# --- proposals ---------------------------------------------------------------------------
#
# A correction to a published record, kept aside until an editor accepts it: readers keep
# the published version meanwhile. ``Proposal.changes`` is plain JSON (related records by
# slug, dates as text), so a proposal reads the same in the admin, the API and a backup;
# ``proposal_encode`` writes it from Python values and ``_proposal_decode`` reads it back.
# Accepting applies it through ``record_save``, ``record_links_set`` and
# ``record_children_sync``, exactly as an editor's own edit would be applied.

# Set by the editor's transitions, or by the services themselves: never proposed.
NOT_PROPOSABLE = {"publication_status", "version", "created", "updated", "id"}
PROPOSAL_DIFF_INLINE_MAX = 30  # a longer value, or one of several lines, is compared piece by piece
# Unchanged text kept on each side of a change in the diff; the rest is shortened to "…".
PROPOSAL_DIFF_CONTEXT_WORDS = 12
PROPOSAL_DIFF_CONTEXT_LINES = 2


class StaleProposal(Exception):
    """The record was saved after the version a proposal was made against: the proposal
    must be rebased (``proposal_rebase``) before it can be accepted."""

    def __init__(self, proposal, current_version, stale=None):
        self.proposal = proposal
        self.current_version = current_version
        self.stale = stale
        super().__init__(self.message)

    @property
    def message(self):
        record_kind = self.proposal.content_type.model_class()._meta.verbose_name
        text = (
            f"This proposal was made against version {self.proposal.base_version} of the {record_kind}, which is "
            f"now at version {self.current_version}: the proposer must rebase it on the current version (and check "
            "it still says what they mean) before it can be accepted."
        )
        if self.stale is not None and (self.stale.changes or self.stale.related):
            changed = [str(change) for change in self.stale.changes] + list(self.stale.related)
            text += " Changed meanwhile: " + "; ".join(changed) + "."
        return text

    def as_dict(self):
        """For the API's 409 body."""
        body = self.stale.as_dict() if self.stale is not None else {"changed": [], "related_changes": []}
        body.update(
            {
                "detail": self.message,
                "expected_version": self.proposal.base_version,
                "current_version": self.current_version,
            }
        )
        return body


def proposal_relations(model):
    """{relation name: (child model, the child's field naming the record)} of the
    sub-records a proposal may change with the record: rows that belong to it (deleted with
    it) and have no publication status of their own — steps, parties, participants, roles,
    notes, citations."""
    relations = {}
    for relation in model._meta.related_objects:
        child = relation.related_model
        if not relation.one_to_many or relation.on_delete is not models.CASCADE:
            continue
        if hasattr(child, "publication_status") or not hasattr(child, "editorial_parent"):
            continue
        relations[relation.get_accessor_name()] = (child, relation.field.name)
    return relations


def _key_of(row):
    """How ``changes`` names a related record: by slug where it has one."""
    return getattr(row, "slug", None) or row.pk


def _encode_value(field, value):
    if value is None:
        return None
    if field.many_to_many:
        return [_key_of(row) for row in value]
    if field.many_to_one or field.one_to_one:
        return _key_of(value)
    if hasattr(value, "to_storage") and hasattr(value, "display"):  # a partial date
        shown = value.display()
        return shown if field.to_python(shown) == value else value.to_storage()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, int | float | bool | str):
        return value
    return str(value)  # decimals and the like: text, read back by the field


def proposal_encode(model, values):
    """``changes`` as stored, from Python values keyed by the model's names: fields (related
    records as rows, dates as dates), many-to-many links (lists of rows) and sub-record
    relations (lists of dicts of the child's field values; ``slug`` names a kept child)."""
    relations = proposal_relations(model)
    encoded = {}
    for name, value in values.items():
        if name in relations:
            child_model = relations[name][0]
            encoded[name] = [
                {key: item_value if key == "slug" else _encode_value(child_model._meta.get_field(key), item_value)
                 for key, item_value in item.items()}
                for item in value
            ]
        else:
            encoded[name] = _encode_value(model._meta.get_field(name), value)
    return encoded


def _decode_value(model, name, value, *, parent_field=None):
    """One stored value back into what the field holds; ``ValidationError`` when it cannot be."""
    from django.core.exceptions import FieldDoesNotExist

    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        raise ValidationError(f"A {model._meta.verbose_name} has no field “{name}”.") from None
    if name == "publication_status":
        raise ValidationError("Publication is an editor's decision: a proposal changes what a record says.")
    if name in NOT_PROPOSABLE or name == parent_field or not getattr(field, "editable", False) or not field.concrete:
        raise ValidationError(f"“{name}” cannot be changed by a proposal.")
    if value is None:
        return None

    def related(key):
        target = field.related_model
        lookup = {"slug": key} if any(f.name == "slug" for f in target._meta.fields) else {"pk": key}
        try:
            return target._default_manager.get(**lookup)
        except (target.DoesNotExist, ValueError, TypeError):
            raise ValidationError(f"There is no {target._meta.verbose_name} “{key}”.") from None

    if field.many_to_many:
        if not isinstance(value, list):
            raise ValidationError("Give a list of slugs.")
        return [related(key) for key in value]
    if field.many_to_one or field.one_to_one:
        return related(value)
    return field.to_python(value)


def _proposal_decode(model, changes):
    """(fields, links, children) from stored ``changes``, each keyed by the model's names;
    raises a ``ValidationError`` naming each value that cannot be read."""
    fields, links, children, errors = _proposal_read(model, changes)
    if errors:
        raise ValidationError(errors)
    return fields, links, children


def _proposal_read(model, changes):
    """``_proposal_decode``'s work: what could be read, and {name: messages} for the rest."""
    if not isinstance(changes, dict) or not changes:
        raise ValidationError({"changes": "Propose at least one change."})
    relations = proposal_relations(model)
    fields, links, children, errors = {}, {}, {}, {}
    for name, value in changes.items():
        try:
            if name in relations:
                child_model, parent_field = relations[name]
                if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                    raise ValidationError("Give the list of rows, each as an object of field values.")
                items, item_errors = [], []
                for index, item in enumerate(value):
                    decoded = {}
                    for key, item_value in item.items():
                        try:
                            decoded[key] = (
                                item_value if key == "slug"
                                else _decode_value(child_model, key, item_value, parent_field=parent_field)
                            )
                        except ValidationError as error:
                            item_errors.append(f"Item {index + 1}: {key}: {_plain(error)}")
                    items.append(decoded)
                if item_errors:
                    raise ValidationError(item_errors)
                children[name] = items
            else:
                decoded = _decode_value(model, name, value)
                if model._meta.get_field(name).many_to_many:
                    links[name] = decoded
                else:
                    fields[name] = decoded
        except ValidationError as error:
            errors[name] = error.messages
    return fields, links, children, errors


def _proposal_apply(record, fields, links, children, *, user, expected_version, change_message):
    """Write the decoded changes onto ``record`` through the services; call it in a transaction."""
    for name, value in fields.items():
        setattr(record, name, value)
    record_save(record, expected_version=expected_version, user=user, change_message=change_message)
    for name, targets in links.items():
        record_links_set(record, relation=name, targets=targets, user=user)
    relations = proposal_relations(type(record))
    for name, items in children.items():
        child_model, parent_field = relations[name]
        try:
            record_children_sync(
                record, model=child_model, parent_field=parent_field, items=items, user=user,
                change_message=change_message,
            )
        except ChildrenInvalid as invalid:
            raise ValidationError({name: invalid.messages}) from None


class _TrialOver(Exception):
    """Ends a trial write, so that its transaction rolls back."""


def proposal_validate(record, changes):
    """Check ``changes`` against the record as stored now, as an editor's save would:
    each value, the record's own rules, each sub-record and the sub-records together.
    Nothing is kept (the trial write is rolled back). Returns the changes in their stored
    form; raises ``ValidationError`` with messages per field."""
    model = type(record)
    fields, links, children, errors = _proposal_read(model, changes)
    current = model._default_manager.get(pk=record.pk)
    try:
        with transaction.atomic():
            _proposal_apply(current, fields, links, children, user=None, expected_version=None, change_message="")
            raise _TrialOver
    except _TrialOver:
        pass
    except ValidationError as error:  # the values that could be read, as a save judges them
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return proposal_encode(model, {**fields, **links, **children})


def _proposal_model():
    from .models import Proposal  # the models import nothing from here; kept local all the same

    return Proposal


def proposal_submit(record, *, changes, reason, user):
    """Propose ``changes`` to the published ``record``, for an editor to accept.

    Anyone allowed to change this kind of record may propose (an analyst must, for a
    published record; an editor may). The changes are validated in full now, so that an
    editor only ever decides on a correction that can be applied.
    """
    Proposal = _proposal_model()
    refusal = editorial_refusal(user, type(record), CHANGE)
    if refusal is not None:
        raise PermissionDenied(refusal)
    kind = record._meta.verbose_name
    if not _published_as_stored(record):
        raise ValidationError(f"This {kind} is not published: edit it directly, then submit it for review.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the record should change (and on what source)."})
    stored = proposal_validate(record, changes)
    proposal = Proposal(
        record=record,
        record_slug=record.slug,
        record_name=str(record)[:300],
        proposer=user,
        reason=reason.strip(),
        base_version=type(record)._default_manager.values_list("version", flat=True).get(pk=record.pk),
        changes=stored,
    )
    proposal.full_clean()  # the one-pending-proposal constraint, in its own words
    proposal.save()
    return proposal


def proposal_decision_refusal(user, proposal) -> str | None:
    """Why ``user`` may not accept, send back or reject ``proposal``; None for an editor who
    may change the record (the editorial rule's answer for the record, plus the editor's role)."""
    model = proposal.content_type.model_class()
    refusal = editorial_refusal(user, model, CHANGE)
    if refusal is not None:
        return refusal
    if not user.has_perm(PUBLISH_PERMISSION):
        return "Only an editor can accept, send back or reject a proposed correction."
    return None


def _decision_check(user, proposal):
    refusal = proposal_decision_refusal(user, proposal)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _require_status(proposal, allowed, verb):
    if proposal.status not in allowed:
        raise ValidationError(
            f"This proposal is {proposal.get_status_display().lower()}: it cannot be {verb} any more."
        )


def _decide(proposal, status, *, user, comment):
    proposal.status = status
    proposal.comment = comment
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save()
    return proposal


def proposal_accept(proposal, *, user, comment=""):
    """Apply an open proposal through the services, in one transaction: the record's history
    gets one entry naming the proposal and its proposer. A stale proposal raises
    ``StaleProposal`` (rebase it first); a proposal that no longer applies, ``ValidationError``."""
    from .choices import ProposalStatus

    _decision_check(user, proposal)
    _require_status(proposal, {ProposalStatus.OPEN}, "accepted")
    record = proposal.current_record()
    if record is None:
        raise ValidationError(f"“{proposal.record_name}” was deleted: this proposal cannot be applied.")
    if record.version != proposal.base_version:
        raise StaleProposal(proposal, record.version, changes_since(type(record), record.pk, proposal.base_version))
    fields, links, children = _proposal_decode(type(record), proposal.changes)
    message = f"Proposal {proposal.pk} by {proposal.proposer}: {proposal.reason}"
    with transaction.atomic():
        try:
            _proposal_apply(
                record, fields, links, children, user=user, expected_version=proposal.base_version,
                change_message=message,
            )
        except StaleEdit as stale:  # saved between the check above and this write
            raise StaleProposal(proposal, stale.current_version, stale) from None
        _decide(proposal, ProposalStatus.ACCEPTED, user=user, comment=comment)
    return proposal


def _required_comment(comment, why):
    if not (comment or "").strip():
        raise ValidationError({"comment": why})
    return comment.strip()


def proposal_send_back(proposal, *, user, comment):
    """Return an open proposal to its proposer with what to change; they revise it
    (``proposal_rebase`` with new changes) or withdraw it."""
    from .choices import ProposalStatus

    _decision_check(user, proposal)
    _require_status(proposal, {ProposalStatus.OPEN}, "sent back")
    comment = _required_comment(comment, "Tell the proposer what to change.")
    return _decide(proposal, ProposalStatus.SENT_BACK, user=user, comment=comment)


def proposal_reject(proposal, *, user, comment):
    """Close a pending proposal without applying it."""
    from .choices import PENDING_PROPOSAL_STATUSES, ProposalStatus

    _decision_check(user, proposal)
    _require_status(proposal, set(PENDING_PROPOSAL_STATUSES), "rejected")
    comment = _required_comment(comment, "Tell the proposer why the correction is not made.")
    return _decide(proposal, ProposalStatus.REJECTED, user=user, comment=comment)


def _proposer_check(user, proposal, verb):
    if user is None or user.pk != proposal.proposer_id:
        raise PermissionDenied(f"Only the person who made a proposal can {verb} it.")


def proposal_withdraw(proposal, *, user):
    """The proposer takes back a pending proposal."""
    from .choices import PENDING_PROPOSAL_STATUSES, ProposalStatus

    _proposer_check(user, proposal, "withdraw")
    _require_status(proposal, set(PENDING_PROPOSAL_STATUSES), "withdrawn")
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save()
    return proposal


def proposal_rebase(proposal, *, user, changes=None, reason=None):
    """The proposer makes a pending proposal current again: its changes (or ``changes``,
    revised) are checked against the record as it is now and based on its current
    version. A proposal sent back is open again for an editor."""
    from .choices import PENDING_PROPOSAL_STATUSES, ProposalStatus

    _proposer_check(user, proposal, "rebase")
    _require_status(proposal, set(PENDING_PROPOSAL_STATUSES), "rebased")
    record = proposal.current_record()
    if record is None:
        raise ValidationError(f"“{proposal.record_name}” was deleted: withdraw this proposal.")
    proposal.changes = proposal_validate(record, proposal.changes if changes is None else changes)
    if reason is not None:
        proposal.reason = _required_comment(reason, "Say why the record should change (and on what source).")
    proposal.base_version = record.version
    proposal.record_slug, proposal.record_name = record.slug, str(record)[:300]
    proposal.status = ProposalStatus.OPEN
    proposal.save()
    return proposal


# --- a proposal's differences from the published record ---


@dataclass
class TextPiece:
    """A run of text in a compared value: "equal", "delete" (published only), "insert"
    (proposed only) or "elided" (unchanged text left out)."""

    op: str
    text: str


@dataclass
class FieldDiff:
    name: str
    label: str
    before: str
    after: str
    pieces: list | None = None  # long or multi-line text: the pieces, in order
    by_line: bool = False


@dataclass
class RowDiff:
    change: str  # "added", "changed" or "removed"
    label: str
    fields: list


@dataclass
class RelationDiff:
    name: str
    label: str
    rows: list


@dataclass
class ProposalDiff:
    fields: list
    relations: list

    def __bool__(self):
        return bool(self.fields or self.relations)


def _display(field, value):
    """A value as an editor reads it: choices in words, related records by name."""
    if value in (None, "") or (field.many_to_many and not value):
        return "—"
    if field.many_to_many:
        return ", ".join(sorted(str(row) for row in value))
    if field.choices and not field.is_relation:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "display"):
        return value.display()
    return str(value)


def _text_pieces(before, after):
    """(pieces, by_line): line by line for text of several lines, word by word for one."""
    import difflib
    import re

    by_line = "\n" in before or "\n" in after
    split = (lambda text: text.splitlines(keepends=True)) if by_line else (lambda text: re.findall(r"\S+\s*", text))
    old, new = split(before), split(after)
    pieces = []
    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            pieces.extend(_unchanged(old[i1:i2], first=index == 0, last=index == len(opcodes) - 1, by_line=by_line))
            continue
        if op in ("delete", "replace"):
            pieces.append(TextPiece("delete", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(TextPiece("insert", "".join(new[j1:j2])))
    return pieces, by_line


def _unchanged(parts, *, first, last, by_line):
    """An unchanged run, shortened to its ends around the changes: an editor reads what
    changed in its context, not a whole summary twice."""
    keep = PROPOSAL_DIFF_CONTEXT_LINES if by_line else PROPOSAL_DIFF_CONTEXT_WORDS
    head = [] if first else parts[:keep]
    tail = [] if last else parts[-keep:]
    if len(parts) <= len(head) + len(tail) + keep:
        return [TextPiece("equal", "".join(parts))]
    gap = "…\n" if by_line else "… "
    return [piece for piece in (
        TextPiece("equal", "".join(head)) if head else None,
        TextPiece("elided", gap),
        TextPiece("equal", "".join(tail)) if tail else None,
    ) if piece is not None]


def _field_diff(field, before, after):
    if field.many_to_many:
        same = {row.pk for row in before} == {row.pk for row in after}
    else:
        same = _same_value(before, after)
    if same:
        return None
    diff = FieldDiff(field.name, str(field.verbose_name), _display(field, before), _display(field, after))
    is_text = isinstance(before, str | type(None)) and isinstance(after, str) and not field.choices
    if is_text and before and (
        max(len(before), len(after)) > PROPOSAL_DIFF_INLINE_MAX or "\n" in before or "\n" in after
    ):
        diff.pieces, diff.by_line = _text_pieces(before, after)
    return diff


def _same_value(first, second):
    first, second = getattr(first, "pk", first), getattr(second, "pk", second)
    return (first in (None, "") and second in (None, "")) or first == second


def _row_label(row):
    try:
        return str(row)
    except Exception:  # an unsaved row whose name reads a relation not yet set
        return f"new {row._meta.verbose_name}"


def proposal_diff(proposal):
    """What accepting ``proposal`` would change, against the record as stored now (the
    published version): field by field, long text piece by piece, and the sub-records
    added, changed and removed. Values that no longer read (a related record deleted since)
    are shown as stored."""
    record = proposal.current_record()
    if record is None:
        return ProposalDiff([], [])
    model = type(record)
    relations = proposal_relations(model)
    fields = []
    for name, value in proposal.changes.items():
        if name in relations:
            continue
        field = model._meta.get_field(name)
        try:
            after = _decode_value(model, name, value)
        except ValidationError:
            after = value
        before = list(getattr(record, name).all()) if field.many_to_many else getattr(record, name)
        diff = _field_diff(field, before, after)
        if diff is not None:
            fields.append(diff)
    relation_diffs = []
    for name, items in proposal.changes.items():
        if name not in relations:
            continue
        child_model, parent_field = relations[name]
        existing = {row.slug: row for row in child_model._default_manager.filter(**{parent_field: record})}
        rows, named = [], set()
        for item in items:
            decoded = {}
            for key, value in item.items():
                if key == "slug":
                    continue
                try:
                    decoded[key] = _decode_value(child_model, key, value, parent_field=parent_field)
                except ValidationError:
                    decoded[key] = value
            current = existing.get(item.get("slug"))
            if current is None:
                new_row = child_model(**{parent_field: record})
                shown = []
                for key, value in decoded.items():
                    field = child_model._meta.get_field(key)
                    try:
                        setattr(new_row, key, value)
                    except (ValueError, TypeError):
                        pass
                    if value not in (None, ""):
                        shown.append(FieldDiff(key, str(field.verbose_name), "—", _display(field, value)))
                rows.append(RowDiff("added", _row_label(new_row), shown))
                continue
            named.add(current.slug)
            changed = [
                diff
                for key, value in decoded.items()
                if (diff := _field_diff(child_model._meta.get_field(key), getattr(current, key), value)) is not None
            ]
            if changed:
                rows.append(RowDiff("changed", _row_label(current), changed))
        for slug, row in existing.items():
            if slug not in named:
                rows.append(RowDiff("removed", _row_label(row), []))
        if rows:
            relation_diffs.append(RelationDiff(name, str(child_model._meta.verbose_name_plural), rows))
    return ProposalDiff(fields, relation_diffs)
