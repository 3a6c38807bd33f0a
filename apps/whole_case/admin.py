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

from apps.core import history, services
from apps.core.admin import error_words
from apps.core.choices import PublicationStatus
from apps.core.models import DeletedRecord, ReviewQueue

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
        return self.render(request, "whole_case/admin/review_queue.html", {"groups": groups})


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
            rows = services.deleted_records(model)[:DELETED_PER_MODEL_LIMIT]
            if rows:
                # Named and checked from history only: the rows they refer to may be gone too.
                labels = history.deleted_labels(rows)
                blockers = services.restore_blockers(rows)
                for row in rows:
                    row.label = labels[row.history_id]
                    row.blocked = blockers.get(row.history_id)
                    row.reason_words = history.reason_words(row)
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
        label = history.deleted_label(historical)
        self.message_user(request, f"Restored the {opts.verbose_name} “{label}”.", messages.SUCCESS)
        for words in held_back:
            self.message_user(request, f"Not restored with it — {words} It stays in Deleted records.", messages.WARNING)
        restored = model._default_manager.get(pk=historical.id)
        if not self.admin_site.is_registered(model):
            return HttpResponseRedirect(reverse("admin:core_deletedrecord_changelist"))
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[restored.pk]))
