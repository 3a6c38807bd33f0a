"""Shared admin pieces: versioned, history-keeping admins; publication actions; review queue.

Every write goes through ``apps.core.services`` (the API calls the same functions):
forms, inline rows (added, changed, deleted), links, deletions one by one or in bulk,
and actions. Who may change what — the permission methods, the forms' and formsets'
refusals — is ``services.editorial_refusal``'s to say. The change form carries the
version it was opened with, so a save based on an older version is refused with a form
error naming what changed meanwhile, and the analyst's input stays in the form.
django-simple-history supplies the history page (with the differences between
versions) and the revert form; this module adds the change message, the "as it stood
on" lookup, sub-record history, deleted records and roles.
"""

import copy
import datetime as dt
import re
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from . import selectors, services
from .choices import PublicationStatus
from .history_admin import ReadableHistoryMixin
from .models import Proposal
from .naming import look_alikes

RELATED_HISTORY_LIMIT = 100


def error_words(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# --- forms ------------------------------------------------------------------------------


@dataclass
class MergeRow:
    """One field of a stale edit, in three columns: as opened, as saved meanwhile, as typed."""

    label: str
    opened: str
    saved: str
    typed: str
    outcome: str  # "theirs": their change kept; "same": both typed the same; "conflict": choose
    choice: object = None  # the radio buttons of a conflict (a BoundField)


KEEP_MINE, TAKE_THEIRS = "mine", "theirs"


def with_cleaned_values(instance, cleaned_data):
    """A copy of ``instance`` carrying the form's values, for asking the editorial rule
    about the row as it would be saved (a citation moved onto a published record)."""
    candidate = copy.copy(instance)
    for name, value in cleaned_data.items():
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.many_to_many:
            setattr(candidate, field.name, value)
    return candidate


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the form was opened with, and an optional change message.

    When someone saved the record after this form was opened, the form is not saved: it is
    shown again holding a three-way merge — the fields only the other person changed take
    their values, the fields only you changed keep yours — with a table of what you opened,
    what was saved meanwhile and what you typed. Fields you both changed differently must be
    chosen explicitly (keep yours or take theirs) before the next save goes through, so a
    second save never writes back values for fields you did not touch.
    """

    user = None  # set per request by StampedAdmin.get_form

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    conflicts = forms.CharField(widget=forms.HiddenInput, required=False)
    change_message = forms.CharField(
        required=False,
        max_length=services.CHANGE_MESSAGE_MAX_LENGTH,
        label="Change message",
        help_text="Optional: why you made this change. It is kept in the record's history.",
        widget=forms.TextInput(attrs={"size": 80}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.merge_rows: list[MergeRow] = []
        if self.instance.pk is not None and not self.is_bound:
            # The stored version, not instance.version: the revert form shows an old version.
            model = type(self.instance)
            stored = model._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            self.fields["expected_version"].initial = stored
        for name in self.shown_conflicts():
            self.fields[f"keep__{name}"] = self.conflict_choice(name)

    def shown_conflicts(self) -> list[str]:
        """The fields both editors changed, as listed when the merge was last shown."""
        if not self.is_bound:
            return []
        listed = self.data.get(self.add_prefix("conflicts"), "")
        return [name for name in listed.split(",") if name in self.fields]

    def conflict_choice(self, name):
        return forms.ChoiceField(
            label=f"{self.fields[name].label}: which value to save",
            choices=[(KEEP_MINE, "Keep what you typed"), (TAKE_THEIRS, "Take what was saved meanwhile")],
            widget=forms.RadioSelect,
            required=True,
        )

    def clean(self):
        cleaned = super().clean()
        # A conflict shown last time and now resolved: "take theirs" is the stored value
        # (the instance is read afresh for each request and not yet touched by this form).
        for name in self.shown_conflicts():
            if cleaned.get(f"keep__{name}") == TAKE_THEIRS:
                cleaned[name] = getattr(self.instance, name)
        if self.user is not None:
            # The save would be refused all the same (record_save asks the rule); here the
            # refusal is a message on the form, with the analyst's input kept.
            action = services.ADD if self.instance.pk is None else services.CHANGE
            refusal = services.editorial_refusal(self.user, with_cleaned_values(self.instance, cleaned), action)
            if refusal is not None:
                raise ValidationError(refusal, code="editorial")
        expected = cleaned.get("expected_version")
        if self.instance.pk is None or expected is None:
            return cleaned
        stale = services.changes_since(type(self.instance), self.instance.pk, expected)
        if stale is not None:
            self.merge(stale, cleaned)
            who = f" by {stale.by}" if stale.by else ""
            raise ValidationError(
                f"This {self.instance._meta.verbose_name} was changed{who} while you were editing it (you opened "
                f"version {stale.expected_version}; it is now version {stale.current_version}). Nothing was saved. "
                "The form now holds both sets of changes: check the table, choose where you both changed a field, "
                "and save again." + (f" Also changed meanwhile: {'; '.join(stale.related)}." if stale.related else ""),
                code="stale",
            )
        return cleaned

    def merge(self, stale, cleaned):
        """Write the three-way merge into the form's data and list it in ``merge_rows``."""
        data = self.data.copy()
        conflicts = []
        for change in stale.changes:
            name = change.field
            if name not in self.fields or name not in cleaned:
                continue  # not on this form: the stored value stays as the other person left it
            typed = cleaned[name]
            if _same(typed, change.before):
                self.set_data(data, name, change.after)
                outcome = "theirs"
            elif _same(typed, change.after):
                outcome = "same"
            else:
                conflicts.append(name)
                outcome = "conflict"
            self.merge_rows.append(
                MergeRow(
                    label=str(self.fields[name].label),
                    opened=self.shown(name, change.before),
                    saved=self.shown(name, change.after),
                    typed=self.shown(name, typed),
                    outcome=outcome,
                )
            )
        # The next save is measured against the version merged here.
        data[self.add_prefix("expected_version")] = str(stale.current_version)
        data[self.add_prefix("conflicts")] = ",".join(conflicts)
        self.data = data
        for name in conflicts:
            self.fields[f"keep__{name}"] = self.conflict_choice(name)
        for row, name in zip(
            [row for row in self.merge_rows if row.outcome == "conflict"], conflicts, strict=True
        ):
            row.choice = self[f"keep__{name}"]

    def set_data(self, data, name, value):
        field = self.fields[name]
        key = self.add_prefix(name)
        if isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
            else:
                data.pop(key, None)
            return
        value = getattr(value, "pk", value)
        prepared = field.prepare_value(value)
        data[key] = "" if prepared is None else str(prepared)

    def shown(self, name, value):
        """A value as an analyst reads it: choices in words, related records by name."""
        if value in (None, ""):
            return "—"
        choices = dict(getattr(self.fields[name], "choices", None) or [])
        if not hasattr(value, "pk") and value in choices:
            return str(choices[value])
        return str(value)


def _same(first, second):
    """Equal as stored: related records by key, empty text and None alike."""
    first, second = getattr(first, "pk", first), getattr(second, "pk", second)
    return (first in (None, "") and second in (None, "")) or first == second


class ConstraintWordsFormSet(forms.BaseInlineFormSet):
    """Inline rows: duplicates refused with the constraint's own words; each row added,
    changed or deleted is put to the editorial rule (a published row is an editor's)."""

    user = None  # set per request by StampedInline.get_formset

    def clean(self):
        super().clean()
        if self.user is None:
            return
        refused_deletions = []
        for form in self.forms:
            if form.errors:
                continue
            # After each form's own validation its instance carries the submitted values.
            if form.cleaned_data.get("DELETE"):
                if form.instance.pk is not None:
                    refusal = services.editorial_refusal(self.user, form.instance, services.DELETE)
                    if refusal is not None:
                        refused_deletions.append(f"“{form.instance}”: {refusal}")
            elif form.has_changed():
                action = services.ADD if form.instance.pk is None else services.CHANGE
                refusal = services.editorial_refusal(self.user, form.instance, action)
                if refusal is not None:
                    form.add_error(None, refusal)
        if refused_deletions:
            # A row marked for deletion shows no errors of its own: say it above the rows.
            raise ValidationError(refused_deletions)

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and set(constraint.fields) >= set(unique_check):
                return constraint.violation_error_message
        return super().get_unique_error_message(unique_check)


# --- actions ------------------------------------------------------------------------------


def transition_action(service, description, permission):
    def action(modeladmin, request, queryset):
        done, refused = 0, []
        for record in queryset:
            try:
                service(record, user=request.user)
                done += 1
            except (PermissionDenied, ValidationError, services.StaleEdit) as error:
                refused.append(f"“{record}”: {error_words(error)}")
        if done:
            modeladmin.message_user(request, f"{description}: {done} record(s).", messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, f"Not done for {line}", messages.ERROR)

    action.__name__ = service.__name__.removeprefix("record_")
    return admin.action(description=description, permissions=[permission])(action)


submit_for_review = transition_action(services.record_submit_for_review, "Submit selected records for review", "submit")
publish = transition_action(services.record_publish, "Publish selected records", "publish")
unpublish = transition_action(services.record_unpublish, "Unpublish selected records (return to draft)", "publish")
return_to_draft = transition_action(
    services.record_return_to_draft, "Return selected records in review to draft", "publish"
)


# --- model admins -------------------------------------------------------------------------


class StampedAdmin(ReadableHistoryMixin, SimpleHistoryAdmin):
    """Base for every Casefile admin: versioned saves through the services, history pages."""

    form = VersionedAdminForm
    change_form_template = "core/admin/change_form.html"
    object_history_template = "core/admin/object_history.html"
    readonly_fields = ["created", "updated"]
    list_per_page = 50
    save_on_top = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        with_related = getattr(queryset, "with_related", None)
        return with_related() if with_related else queryset

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        listed = {name for _, options in fieldsets for name in options["fields"]}
        if any(field.name == "editor_notes" for field in self.model._meta.fields) and "editor_notes" not in listed:
            # Every record kind's internal notes, last and apart, whatever its own fieldsets say.
            fieldsets.append(("For editors only", {"fields": ["editor_notes"]}))
        editable = self.has_add_permission(request) if obj is None else self.has_change_permission(request, obj)
        if editable:
            fieldsets.append(("Change message", {"fields": ["change_message", "expected_version"]}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # a class made for this request
        return form

    # The model permission, staff status and the published-record rule: all the rule's.
    def has_add_permission(self, request):
        return services.editorial_allows(request.user, self.model, services.ADD)

    def has_change_permission(self, request, obj=None):
        return services.editorial_allows(request.user, self.model if obj is None else obj, services.CHANGE)

    def has_delete_permission(self, request, obj=None):
        return services.editorial_allows(request.user, self.model if obj is None else obj, services.DELETE)

    def _change_message(self, request, form):
        message = form.cleaned_data.get("change_message", "")
        match = request.resolver_match
        if not message and match and match.url_name.endswith("_simple_history"):
            historical = self.model.history.filter(history_id=match.args[1]).first()
            if historical is not None:
                when = timezone.localtime(historical.history_date)
                message = f"Restored version {historical.version} of {when:%d %b %Y %H:%M}"
        return message

    def save_model(self, request, obj, form, change):
        # The ModelForm has just run full_clean() on this instance: no second validation.
        message = self._change_message(request, form)
        services.record_save(
            obj,
            expected_version=form.cleaned_data.get("expected_version") if change else None,
            user=request.user,
            change_message=message if change else created_in_the_admin(message),
            validate=False,
        )

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)  # form.save(commit=False): nothing written yet
        # Django then calls form.save_m2m() (the change form's save_related, simple-history's
        # revert form): the links go through the service instead.
        form.save_m2m = lambda: save_links(request, form)
        return obj

    def save_formset(self, request, form, formset, change):
        message = form.cleaned_data.get("change_message", "")
        instances = formset.save(commit=False)  # builds the rows; the services write them
        for obj in formset.deleted_objects:
            services.record_delete(obj, user=request.user, change_message=message)
        for obj in instances:
            words = created_in_the_admin(message) if obj.pk is None else message
            services.record_save(obj, user=request.user, change_message=words, validate=False)
        for inline_form in formset.forms:
            if inline_form.instance in instances:
                save_links(request, inline_form)

    def delete_model(self, request, obj):
        services.record_delete(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action: one by one through the service (each checked, each
        # recorded with the user), all or none.
        with transaction.atomic():
            for obj in queryset:
                services.record_delete(obj, user=request.user, change_message="Deleted from the list")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.StaleEdit:
            # Someone saved between this form's validation and its save (the transaction was
            # rolled back); validating again now shows the refusal in the form, input kept.
            return super().changeform_view(request, object_id, form_url, extra_context)

    # --- history ---------------------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history hides the Revert button from view-only users but would accept their POST.
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        pk = unquote(object_id)
        as_of = request.GET.get("as_of", "").strip()
        if as_of:
            when = _parse_moment(as_of)
            if when is None:
                self.message_user(request, f"“{as_of}” is not a date (write 2026-05-31 or 2026-05-31 14:00).",
                                  messages.ERROR)
            else:
                try:
                    row = selectors.record_as_of(self.model, pk, when)
                except self.model.DoesNotExist as error:
                    self.message_user(request, str(error), messages.WARNING)
                else:
                    opts = self.model._meta
                    return HttpResponseRedirect(
                        reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[pk, row.history_id])
                    )
        context = {"related_history": self.related_history(request, pk), "as_of": as_of, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def related_history(self, request, pk):
        """Changes to the record's own lines (steps, parties, participants, citations …)."""
        entries = []
        for relation in self.model._meta.related_objects:
            related_model = relation.related_model
            if not relation.one_to_many or not hasattr(related_model, "history"):
                continue
            rows = (
                related_model.history.filter(**{relation.field.attname: pk})
                .select_related("history_user")
                .order_by("-history_date", "-history_id")[:RELATED_HISTORY_LIMIT]
            )
            for row in rows:
                previous = row.prev_record if row.history_type == "~" else None
                changes = selectors.compare_versions(previous, row) if previous is not None else []
                entries.append(
                    {
                        "kind": related_model._meta.verbose_name,
                        "row": row,
                        # Named from the history: the line, or what it refers to, may be deleted.
                        "label": selectors.deleted_label(row),
                        "entry_words": selectors.entry_words(row),
                        "reason_words": selectors.reason_words(row),
                        "changes": changes,
                    }
                )
        entries.sort(key=lambda entry: entry["row"].history_date, reverse=True)
        return entries[:RELATED_HISTORY_LIMIT]


def created_in_the_admin(message):
    """The change reason of a record or line created in the admin: the history names the
    creation for its path (``selectors.entry_words``), with the editor's own words after it."""
    return f"{selectors.CREATED_IN_ADMIN}: {message}" if message else selectors.CREATED_IN_ADMIN


def save_links(request, form):
    """A form's many-to-many links (an agreement's ``supersedes``, a note's ``cites``)."""
    obj = form.instance
    for field in obj._meta.many_to_many:
        if field.name in form.cleaned_data:
            targets = form.cleaned_data[field.name]
            services.record_links_set(obj, relation=field.name, targets=targets, user=request.user)


def _parse_moment(text):
    moment = parse_datetime(text.replace(" ", "T", 1)) if ("T" in text or " " in text) else None
    if moment is None:
        day = parse_date(text)
        if day is None:
            return None
        moment = dt.datetime.combine(day, dt.time.max)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


# --- helping an analyst record facts right -------------------------------------------------
# Ranked autocomplete, a warning about look-alikes, transition buttons on the change form,
# and the slug kept still once readers have it. Mixed into ``RecordAdmin`` below.

# The transitions offered as buttons on a record's change form, in the order shown.
CHANGE_FORM_TRANSITIONS = {
    "submit_for_review": ("Submit for review", services.record_submit_for_review),
    "publish": ("Publish", services.record_publish),
    "return_to_draft": ("Return to draft", services.record_return_to_draft),
    "unpublish": ("Return to draft (unpublish)", services.record_unpublish),
}
LOOK_ALIKES_NAMED = 5


def search_rank(identity, term):
    """0 for a record named ``term`` exactly (its title, or one of its aliases), 1 for one
    whose name begins with it, 2 for the rest: an analyst typing "Kazakhstan" into the actor
    picker is offered the state before the agreements and units whose descriptions name it."""
    exact = models.Q(**{f"{identity.title}__iexact": term})
    prefix = models.Q(**{f"{identity.title}__istartswith": term})
    if identity.aliases:
        # Aliases are one a line (a browser sends a textarea's lines ending in \r\n).
        alias = " *" + re.escape(term)
        exact |= models.Q(**{f"{identity.aliases}__iregex": rf"(^|\n){alias} *\r?(\n|$)"})
        prefix |= models.Q(**{f"{identity.aliases}__iregex": rf"(^|\n){alias}"})
    return models.Case(
        models.When(exact, then=models.Value(0)),
        models.When(prefix, then=models.Value(1)),
        default=models.Value(2),
        output_field=models.IntegerField(),
    )


class AnalystAidsAdmin(admin.ModelAdmin):
    """What a record's admin does to help an analyst get a fact right the first time."""

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        identity = getattr(self.model, "identity", None)
        if not term or identity is None or not identity.title or ORDER_VAR in request.GET:
            # A list the analyst sorted by a column stays sorted so.
            return queryset, may_have_duplicates
        ordering = [*(self.get_ordering(request) or self.model._meta.ordering), "pk"]
        ranked = queryset.annotate(search_rank=search_rank(identity, term)).order_by("search_rank", *ordering)
        return ranked, may_have_duplicates

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and "slug" not in readonly and self.slug_is_public(obj):
            if not services.editorial_allows(request.user, self.model, "publish"):
                readonly.append("slug")
        return readonly

    @staticmethod
    def slug_is_public(record):
        """Whether readers have had the record under its slug: published now or once."""
        return record.is_published or record.history.filter(publication_status=PublicationStatus.PUBLISHED).exists()

    def response_add(self, request, obj, post_url_continue=None):
        # After the inlines are saved: the parties and participants count too.
        self.warn_of_look_alikes(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def warn_of_look_alikes(self, request, record):
        found = look_alikes(record)
        if not found:
            return
        kind = self.model._meta.verbose_name
        links = format_html_join(
            ", ",
            "<a href=\"{}\">{}</a>",
            ((self.change_url(other), str(other)) for other in found[:LOOK_ALIKES_NAMED]),
        )
        more = f" and {len(found) - LOOK_ALIKES_NAMED} more" if len(found) > LOOK_ALIKES_NAMED else ""
        self.message_user(
            request,
            format_html(
                "This {} looks like {} already in the case file: {}{}. If it is the same, keep one and "
                "delete the other; if not, a distinguishing title helps readers tell them apart.",
                kind,
                "one" if len(found) == 1 else "others",
                links,
                more,
            ),
            messages.WARNING,
        )

    def change_url(self, record):
        opts = record._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])

    # The transition buttons: offered when the rule allows them, applied through the services.

    def transition_buttons(self, request, record):
        opts = self.model._meta
        return [
            {
                "name": name,
                "label": label,
                "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_transition", args=[record.pk, name]),
            }
            for name, (label, _service) in CHANGE_FORM_TRANSITIONS.items()
            if record.publication_status in services.TRANSITIONS[name][0]
            and services.editorial_refusal(request.user, record, name) is None
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        record = self.get_object(request, unquote(object_id))
        if record is not None:
            context["transition_buttons"] = self.transition_buttons(request, record)
            context["record_version"] = record.version
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        opts = self.model._meta
        transition = path(
            "<path:object_id>/transition/<str:name>/",
            self.admin_site.admin_view(self.transition_view),
            name=f"{opts.app_label}_{opts.model_name}_transition",
        )
        return [transition, *super().get_urls()]

    def transition_view(self, request, object_id, name):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        record = self.get_object(request, unquote(object_id))
        if record is None or name not in CHANGE_FORM_TRANSITIONS:
            raise Http404(f"No such {self.model._meta.verbose_name} or transition.")
        label, service = CHANGE_FORM_TRANSITIONS[name]
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            self.message_user(request, "Reload the page and press the button again.", messages.ERROR)
        else:
            try:
                with transaction.atomic():
                    service(record, user=request.user, expected_version=version)
            except services.StaleEdit as stale:
                who = f" by {stale.by}" if stale.by else ""
                self.message_user(
                    request,
                    f"{label}: not done. This {self.model._meta.verbose_name} was changed{who} after you opened it "
                    f"(version {stale.expected_version}; it is now version {stale.current_version}). "
                    "Check it as it is now, then press the button again.",
                    messages.ERROR,
                )
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{label}: not done. {error_words(error)}", messages.ERROR)
            else:
                status = record.get_publication_status_display().lower()
                self.message_user(request, f"{label}: done. “{record}” is now {status}.", messages.SUCCESS)
        return HttpResponseRedirect(self.change_url(record))


# --- proposing a correction to a published record ---------------------------------------------
#
# An analyst may not change a published record, so its change form opens read-only; it
# offers "Propose a correction" (the same page with ``?propose=1``), where the form and its
# inlines are editable and saving them makes a proposal (``services.proposal_submit``)
# instead of a change. Readers keep the published version until an editor accepts it.

PROPOSE_PARAMETER = "propose"


class ProposingInline:
    """An inline on the proposal form: rows may be added, changed and removed as far as
    the model permissions go; the proposal, not the row, is judged by the editorial rule."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = None  # no per-row refusal: the rows are proposed, not saved
        return formset

    def has_add_permission(self, request, obj=None):
        return services.editorial_allows(request.user, self.model, services.ADD)

    def has_change_permission(self, request, obj=None):
        return services.editorial_allows(request.user, self.model, services.CHANGE)

    def has_delete_permission(self, request, obj=None):
        return services.editorial_allows(request.user, self.model, services.DELETE)


class ProposalRefused(Exception):
    """The services refused the proposal after the form accepted it (the change form then
    shows their words)."""


class ProposeCorrectionMixin:
    """The "Propose a correction" mode of a record's change form (see above)."""

    def may_propose(self, request, obj):
        """Whether ``obj`` is a published record this user may not change, but may propose to."""
        return (
            obj is not None
            and obj.pk is not None
            and getattr(obj, "is_published", False)
            and services.editorial_refusal(request.user, obj, services.CHANGE) is not None
            and services.editorial_refusal(request.user, self.model, services.CHANGE) is None
        )

    def proposing(self, request, obj):
        return bool(request.GET.get(PROPOSE_PARAMETER)) and self.may_propose(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.proposing(request, obj)

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if not self.proposing(request, obj):
            return inlines
        return [type(f"Proposing{inline.__name__}", (ProposingInline, inline), {}) for inline in inlines]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.proposing(request, obj):
            return fieldsets
        # The change message is the proposal's reason here.
        kept = [(name, options) for name, options in fieldsets if name != "Change message"]
        return [
            ("Your proposed correction", {"fields": ["proposal_reason", "expected_version"]}),
            *kept,
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not self.proposing(request, obj):
            return super().get_form(request, obj, change=change, **kwargs)
        pending = Proposal.objects.pending().for_record(obj).filter(proposer=request.user)

        class ProposalForm(self.form):
            proposal_reason = forms.CharField(
                label="Reason for the correction",
                widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
                help_text="What is wrong in the published record, and the source that says so. Editors read this "
                "beside the differences.",
            )

            def clean(self):
                if pending.exists():
                    raise ValidationError(
                        "You already have a proposal on this record awaiting a decision: change or withdraw that "
                        "one (Proposed corrections).",
                        code="pending",
                    )
                return super().clean()

        form = super().get_form(request, obj, change=change, form=ProposalForm, **kwargs)
        form.user = None  # the editorial rule judges the proposal, not a save of the form
        return form

    def proposal_values(self, form, formsets):
        """The form's and the inlines' changes, keyed by the model's names, as Python values."""
        values = {}
        for name in form.changed_data:
            field = _model_field(self.model, name)
            if field is not None:
                value = form.cleaned_data[name]
                values[name] = list(value) if field.many_to_many else value
        relations = services.proposal_relations(self.model)
        for formset in formsets:
            relation = formset.fk.remote_field.get_accessor_name()
            if relation not in relations or not formset.has_changed():
                continue
            items = []
            for row in formset.forms:
                cleaned, instance = getattr(row, "cleaned_data", None) or {}, row.instance
                if (instance.pk is None and not row.has_changed()) or (instance.pk and cleaned.get("DELETE")):
                    continue  # an empty extra row; a row to remove (left out of the list)
                item = {"slug": instance.slug} if instance.pk else {}
                for name in row.changed_data if instance.pk else cleaned:
                    field = _model_field(formset.model, name)
                    if field is not None and name != formset.fk.name and not field.many_to_many:
                        item[name] = cleaned[name]
                items.append(item)
            values[relation] = items
        return values

    def save_model(self, request, obj, form, change):
        if not self.proposing(request, obj):
            return super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        if not self.proposing(request, obj):
            return super().save_related(request, form, formsets, change)
        values = self.proposal_values(form, formsets)
        record = type(obj)._default_manager.get(pk=obj.pk)  # as stored: the form changed obj in memory
        try:
            if not values:
                raise ValidationError("You changed nothing, so no correction was proposed.")
            request.casefile_proposal = services.proposal_submit(
                record,
                changes=services.proposal_encode(self.model, values),
                reason=form.cleaned_data["proposal_reason"],
                user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            raise ProposalRefused(error_words(error)) from None

    def construct_change_message(self, request, form, formsets, add=False):
        if not add and self.proposing(request, form.instance):
            return []  # the inlines were not saved, so they have no saved rows to describe
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if self.proposing(request, obj):
            return None  # nothing changed: the proposal keeps who proposed what
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        proposal = getattr(request, "casefile_proposal", None)
        if proposal is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            f"Your correction to “{proposal.record_name}” was sent to the editors. Readers keep the published "
            "version until an editor accepts it.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:core_proposal_change", args=[proposal.pk]))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        context = dict(extra_context or {})
        if self.proposing(request, obj):
            context.update(
                proposing=True,
                show_save_and_continue=False,
                show_save_and_add_another=False,
                show_delete_link=False,
                title=f"Propose a correction to “{obj}”",
            )
        elif self.may_propose(request, obj):
            context.update(
                propose_url=f"{request.path}?{PROPOSE_PARAMETER}=1",
                own_pending_proposals=[
                    (proposal, reverse("admin:core_proposal_change", args=[proposal.pk]))
                    for proposal in Proposal.objects.pending().for_record(obj).filter(proposer=request.user)
                ],
            )
        try:
            return super().changeform_view(request, object_id, form_url, context)
        except ProposalRefused as refused:
            self.message_user(request, f"No correction was proposed: {refused}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def _model_field(model, name):
    """The model's field written by form field ``name``, or None (the form's own fields)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if (field.concrete or field.many_to_many) and field.editable and not field.primary_key else None


class RecordAdmin(ProposeCorrectionMixin, AnalystAidsAdmin, StampedAdmin):
    """Base for records with a publication status: transitions as actions, editors only publish."""

    actions = [submit_for_review, publish, return_to_draft, unpublish]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not services.editorial_allows(request.user, self.model, "publish") and "publication_status" not in readonly:
            readonly.append("publication_status")
        return readonly

    def has_submit_permission(self, request):
        return services.editorial_allows(request.user, self.model, "submit_for_review")

    def has_publish_permission(self, request):
        return services.editorial_allows(request.user, self.model, "publish")


class StampedInline(admin.TabularInline):
    """Base for sub-record inlines: plain-word duplicate errors, read-only under a published record."""

    formset = ConstraintWordsFormSet
    extra = 0
    show_change_link = False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user  # a class made for this request
        return formset

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if hasattr(self.model, "publication_status") and not services.editorial_allows(
            request.user, self.model, "publish"
        ):
            readonly.append("publication_status")
        return readonly

    def row_under(self, parent):
        """An unsaved row of this inline under ``parent`` (the record being edited): what
        the rule is asked about when Django asks whether rows may be added, changed or
        deleted there. A row's own status is judged per row, in the formset."""
        if parent is None:
            return self.model
        name = self.fk_name or next(
            field.name
            for field in self.model._meta.get_fields()
            if field.many_to_one and isinstance(parent, field.related_model)
        )
        return self.model(**{name: parent})

    def has_add_permission(self, request, obj=None):
        return services.editorial_allows(request.user, self.row_under(obj), services.ADD)

    def has_change_permission(self, request, obj=None):
        return services.editorial_allows(request.user, self.row_under(obj), services.CHANGE)

    def has_delete_permission(self, request, obj=None):
        return services.editorial_allows(request.user, self.row_under(obj), services.DELETE)


class StampedStackedInline(StampedInline):
    template = admin.StackedInline.template


def citation_inline(model):
    """The citations inline of a kind of record: its ``citations`` reverse relation, with
    the citation model found through it (citations sit above every record app)."""
    relation = model._meta.get_field("citations")

    class CitationInline(StampedInline):
        model = relation.related_model
        fk_name = relation.field.name  # the citation's column for this kind of record
        fields = ["source", "note", "locator", "passage", "stance", "credibility"]
        autocomplete_fields = ["source", "note"]
        verbose_name = "citation"
        verbose_name_plural = "citations (sources for this record)"

        def get_queryset(self, request):
            return super().get_queryset(request).select_related("source", "note")

    CitationInline.__name__ = f"{model.__name__}CitationInline"
    return CitationInline

