"""The admin's editorial pages over every kind of record: the review queue and the
deleted records (with restore). They gather every kind, so they live in the whole-case
layer; the record admins' bases are in ``apps.core.admin``."""

from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from apps.core import selectors, services
from apps.core.admin import RecordAdmin, StampedInline, error_words
from apps.core.choices import PublicationStatus
from apps.core.models import DeletedRecord, Proposal, ReviewQueue

from .models import ENTRY_TARGET_FIELDS, Collection, CollectionEntry
from .registry import casefile_models

DELETED_PER_MODEL_LIMIT = 200

class EditorialPageAdmin(admin.ModelAdmin):
    """An admin page over every kind of record, registered on a model without a table
    (``ReviewQueue``, ``DeletedRecord``) for its place in the admin's index and its permissions."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        return [path("", self.admin_site.admin_view(self.changelist_view), name=name)]

    def render(self, request, template, context):
        title = self.opts.verbose_name_plural.capitalize()
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context}
        return TemplateResponse(request, template, context)


@admin.register(ReviewQueue)
class ReviewQueueAdmin(EditorialPageAdmin):
    """Every record awaiting review, across all kinds: an editor's work list."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(services.PUBLISH_PERMISSION) or request.user.has_perm(
            services.SUBMIT_PERMISSION
        )

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        groups = []
        for model in casefile_models():
            if not hasattr(model, "publication_status") or not self.admin_site.is_registered(model):
                continue
            opts = model._meta
            in_review = model._default_manager.filter(publication_status=PublicationStatus.IN_REVIEW)
            records = list(in_review.with_related().order_by("-updated"))
            if records:
                changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                groups.append(
                    {
                        "label": opts.verbose_name_plural,
                        "records": [
                            (record, reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))
                            for record in records
                        ],
                        "changelist": f"{changelist}?publication_status__exact={PublicationStatus.IN_REVIEW}",
                    }
                )
        return self.render(
            request,
            "whole_case/admin/review_queue.html",
            {"groups": groups, "proposals": queue_proposals(request)},
        )


@admin.register(DeletedRecord)
class DeletedRecordAdmin(EditorialPageAdmin):
    """Deleted records, read from their history, each with a button that restores it."""

    def deletable_models(self, request):
        return [
            model
            for model in casefile_models()
            if request.user.has_perm(f"{model._meta.app_label}.delete_{model._meta.model_name}")
        ]

    def has_view_permission(self, request, obj=None):
        return bool(self.deletable_models(request))

    def get_urls(self):
        return [
            path(
                "<str:label>/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_restore",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        models_allowed = self.deletable_models(request)
        if not models_allowed:
            raise PermissionDenied
        groups = []
        for model in models_allowed:
            rows = selectors.deleted_records(model)[:DELETED_PER_MODEL_LIMIT]
            if rows:
                # Named and checked from history only: the rows they refer to may be gone too.
                labels = selectors.deleted_labels(rows)
                blockers = selectors.restore_blockers(rows)
                for row in rows:
                    row.label = labels[row.history_id]
                    row.blocked = blockers.get(row.history_id)
                    row.reason_words = selectors.reason_words(row)
                opts = model._meta
                groups.append(
                    {
                        "label": opts.verbose_name_plural,
                        "model_label": opts.label_lower,
                        "history_url": (
                            f"admin:{opts.app_label}_{opts.model_name}_history"
                            if self.admin_site.is_registered(model)
                            else None
                        ),
                        "rows": rows,
                    }
                )
        return self.render(request, "whole_case/admin/deleted_records.html", {"groups": groups})

    def restore_view(self, request, label, history_id):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:core_deletedrecord_changelist"))
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            raise PermissionDenied from None
        if model not in self.deletable_models(request):
            raise PermissionDenied
        historical = get_object_or_404(model.history, history_id=history_id)
        held_back = []
        try:
            services.record_restore_deleted(historical, user=request.user, held_back=held_back)
        except ValidationError as error:
            self.message_user(request, error_words(error), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:core_deletedrecord_changelist"))
        opts = model._meta
        label = selectors.deleted_label(historical)
        self.message_user(request, f"Restored the {opts.verbose_name} “{label}”.", messages.SUCCESS)
        for words in held_back:
            self.message_user(request, f"Not restored with it — {words} It stays in Deleted records.", messages.WARNING)
        restored = model._default_manager.get(pk=historical.id)
        if not self.admin_site.is_registered(model):
            return HttpResponseRedirect(reverse("admin:core_deletedrecord_changelist"))
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[restored.pk]))


# --- proposed corrections ------------------------------------------------------------------
#
# Corrections analysts propose to published records (``apps.core.services.proposal_*``):
# listed in the review queue, each with a page showing its differences from the published
# version and the editor's decisions; the proposer withdraws or rebases it there.

QUEUE_PROPOSALS_LIMIT = 200
PROPOSAL_DECISIONS = {
    "accept": (services.proposal_accept, "Accepted: the correction is published."),
    "send_back": (services.proposal_send_back, "Sent back to the proposer with your comment."),
    "reject": (services.proposal_reject, "Rejected."),
}


def may_see_proposals(user):
    return user.is_active and user.is_staff and (
        user.has_perm(services.PUBLISH_PERMISSION) or user.has_perm(services.SUBMIT_PERMISSION)
    )


def proposals_seen_by(user):
    """Editors see every proposal; anyone else their own."""
    proposals = Proposal.objects.with_related()
    return proposals if user.has_perm(services.PUBLISH_PERMISSION) else proposals.filter(proposer=user)


def queue_proposals(request):
    """Open proposals (for an editor: everyone's; for an analyst: their own), oldest first."""
    pending = proposals_seen_by(request.user).filter(status="open").order_by("created", "pk")
    return [
        (proposal, reverse("admin:core_proposal_change", args=[proposal.pk]))
        for proposal in pending[:QUEUE_PROPOSALS_LIMIT].with_current_versions()
    ]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Every proposed correction, by status; each opens on its differences and decisions."""

    list_display = ["record_name", "record_kind", "proposer", "status", "created", "stale"]
    list_filter = ["status"]
    search_fields = ["record_name", "reason"]
    list_per_page = 50

    def has_module_permission(self, request):
        return may_see_proposals(request.user)

    def has_view_permission(self, request, obj=None):
        if not may_see_proposals(request.user):
            return False
        return obj is None or request.user.has_perm(services.PUBLISH_PERMISSION) or obj.proposer_id == request.user.pk

    def has_add_permission(self, request):
        return False  # proposals are made from the record's change form

    def has_change_permission(self, request, obj=None):
        return False  # changed only through decisions

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return proposals_seen_by(request.user)

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)

        class WithCurrentVersions(changelist):
            """Whether each proposal is stale, read for the page at once."""

            def get_results(self, request):
                super().get_results(request)
                self.result_list = self.result_list.with_current_versions()

        return WithCurrentVersions

    @admin.display(description="kind of record")
    def record_kind(self, proposal):
        return proposal.content_type.model_class()._meta.verbose_name

    @admin.display(description="stale", boolean=True)
    def stale(self, proposal):
        return proposal.is_stale if proposal.is_pending else None

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<int:proposal_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name=f"{opts.app_label}_{opts.model_name}_decide",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        record = proposal.current_record()
        record_opts = proposal.content_type.model_class()._meta
        is_proposer = proposal.proposer_id == request.user.pk
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(proposal),
            "proposal": proposal,
            "record": record,
            "record_admin_url": (
                reverse(f"admin:{record_opts.app_label}_{record_opts.model_name}_change", args=[record.pk])
                if record is not None and self.admin_site.is_registered(type(record))
                else None
            ),
            "record_kind": record_opts.verbose_name,
            "diff": services.proposal_diff(proposal),
            "may_decide": proposal.status == "open"
            and services.proposal_decision_refusal(request.user, proposal) is None,
            "may_withdraw": is_proposer and proposal.is_pending,
            "may_rebase": is_proposer and proposal.is_pending and (proposal.is_stale or proposal.status == "sent_back"),
            "decide_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_decide", args=[proposal.pk]),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "whole_case/admin/proposal.html", context)

    def decide_view(self, request, proposal_id):
        detail = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[proposal_id])
        if request.method != "POST":
            return HttpResponseRedirect(detail)
        proposal = get_object_or_404(self.get_queryset(request), pk=proposal_id)
        decision = request.POST.get("decision", "")
        comment = request.POST.get("comment", "")
        try:
            if decision in PROPOSAL_DECISIONS:
                service, done = PROPOSAL_DECISIONS[decision]
                service(proposal, user=request.user, comment=comment)
            elif decision == "withdraw":
                services.proposal_withdraw(proposal, user=request.user)
                done = "Withdrawn."
            elif decision == "rebase":
                services.proposal_rebase(proposal, user=request.user)
                done = "Rebased on the current version: an editor can decide on it now."
            else:
                raise ValidationError("Choose a decision.")
        except (PermissionDenied, ValidationError, services.StaleProposal) as error:
            self.message_user(request, error_words(error), messages.ERROR)
            return HttpResponseRedirect(detail)
        self.message_user(request, f"{proposal}: {done}", messages.SUCCESS)
        return HttpResponseRedirect(detail)


class CollectionEntryInline(StampedInline):
    """The collection's lines in the source's order (by position); each points to one record."""

    model = CollectionEntry
    fields = ["position", "stated_date", "label", *ENTRY_TARGET_FIELDS]
    autocomplete_fields = ENTRY_TARGET_FIELDS
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*ENTRY_TARGET_FIELDS, "agreement_step__agreement")


@admin.register(Collection)
class CollectionAdmin(RecordAdmin):
    list_display = ["title", "source", "locator", "publication_status"]
    list_filter = ["publication_status"]
    search_fields = ["title", "description", "slug"]
    autocomplete_fields = ["source"]
    inlines = [CollectionEntryInline]
    fields = ["title", "slug", "description", ("source", "locator"), "publication_status", "created", "updated"]
