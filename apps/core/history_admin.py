"""The admin's history pages in an editor's words: every entry named for what it was
(“Created over the API”, “Restored after deletion”), changes with statuses and choices by
their labels and related records by name, and any two versions compared field by field,
long text line by line. Mixed into ``core.admin.StampedAdmin``."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from . import selectors


class DeletedRecordName:
    """Stands for a deleted record on its history page: its key for the page's links and its
    name from its history (its own ``__str__`` may follow a relation to a deleted row)."""

    def __init__(self, pk, name):
        self.pk = pk
        self.name = name

    def __str__(self):
        return self.name


class ReadableHistoryMixin:
    object_history_list_template = "core/admin/object_history_list.html"
    history_compare_template = "core/admin/history_compare.html"

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.history_compare_view),
            name=f"{opts.app_label}_{opts.model_name}_history_compare",
        )
        return [compare, *super().get_urls()]

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each entry of the page in words, with what it changed from the version before."""
        entries = list(historical_records)
        for index, entry in enumerate(entries):
            entry.entry_words = selectors.entry_words(entry)
            entry.reason_words = selectors.reason_words(entry)
            entry.readable_changes = []
            if entry.history_type == "~":
                older = entries[index + 1] if index + 1 < len(entries) else entry.prev_record
                if older is not None:
                    entry.readable_changes = selectors.compare_versions(older, entry)

    def history_view(self, request, object_id, extra_context=None):
        pk = unquote(object_id)
        extra_context = dict(extra_context or {})
        if not self.model._default_manager.filter(pk=pk).exists():
            latest = self.model.history.filter(id=pk).order_by("-history_date", "-history_id").first()
            if latest is not None:
                extra_context["object"] = DeletedRecordName(latest.id, selectors.deleted_label(latest))
        return super().history_view(request, object_id, extra_context)

    def history_view_title(self, request, obj):
        return f"History: {self.history_name(obj)}"

    def history_name(self, obj):
        """The record's name; a deleted row's from its history (its related rows may be gone)."""
        try:
            return str(obj)
        except ObjectDoesNotExist:
            latest = self.model.history.filter(id=obj.pk).order_by("-history_date", "-history_id").first()
            return selectors.deleted_label(latest) if latest is not None else str(obj.pk)

    def history_compare_view(self, request, object_id):
        pk = unquote(object_id)
        opts = self.model._meta
        versions = self.model.history.filter(id=pk)
        latest = versions.order_by("-history_date", "-history_id").first()
        if latest is None:
            raise Http404
        obj = self.model._default_manager.filter(pk=pk).first() or latest.instance
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[pk])
        chosen = [request.GET.get("older", ""), request.GET.get("newer", "")]
        rows = {str(row.history_id): row for row in versions.filter(history_id__in=[c for c in chosen if c.isdigit()])}
        if len(rows) != 2 or chosen[0] == chosen[1]:
            self.message_user(request, "Choose two different versions of this record to compare.", messages.WARNING)
            return HttpResponseRedirect(history_url)
        older, newer = sorted(rows.values(), key=lambda row: (row.history_date, row.history_id))
        for entry in (older, newer):
            entry.entry_words = selectors.entry_words(entry)
            entry.reason_words = selectors.reason_words(entry)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {self.history_name(obj)}",
            "opts": opts,
            "object": obj,
            "object_id": pk,
            "history_url": history_url,
            "older": older,
            "newer": newer,
            "differences": selectors.compare_versions(older, newer),
        }
        return TemplateResponse(request, self.history_compare_template, context)
