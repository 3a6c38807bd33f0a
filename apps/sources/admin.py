from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from apps.core.admin import RecordAdmin, StampedAdmin, StampedStackedInline

from .forms import ReferenceImportForm
from .models import Note, Source
from .references import ReferenceError
from .services import sources_import


class NoteInline(StampedStackedInline):
    model = Note
    fk_name = "document"
    fields = ["kind", "number", "text", "cites"]
    autocomplete_fields = ["cites"]


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ["title", "authors_short", "kind", "container_title", "date", "reliability", "publication_status"]
    list_filter = ["kind", "reliability", "publication_status", "language"]
    search_fields = ["title", "authors", "container_title", "publisher", "url", "slug"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "authors", "editors"]}),
        (
            "Where it appeared",
            {"fields": ["container_title", "publisher", "publisher_place", "volume", "issue", "pages", "number"]},
        ),
        ("When, where, online", {"fields": ["date", "place", "url", "accessed", "language"]}),
        ("Assessment", {"fields": ["reliability", "notes"]}),
        ("Publication", {"fields": ["publication_status", "created", "updated"]}),
    ]

    change_list_template = "sources/admin/source_change_list.html"

    def get_urls(self):
        opts = self.model._meta
        import_references = path(
            "import/",
            self.admin_site.admin_view(self.import_references_view),
            name=f"{opts.app_label}_{opts.model_name}_import",
        )
        return [import_references, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_add_permission(request):
            extra_context["import_references_url"] = reverse("admin:sources_source_import")
        return super().changelist_view(request, extra_context)

    def import_references_view(self, request):
        """Upload a file, see what it would create and match (a dry run), then confirm: the
        same service as ``manage.py import_references`` and the API."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ReferenceImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            confirmed = bool(request.POST.get("confirm"))
            try:
                report = sources_import(
                    form.cleaned_data["text"],
                    user=request.user,
                    reference_format=form.cleaned_data["reference_format"] or None,
                    filename=form.cleaned_data["filename"],
                    dry_run=not confirmed,
                )
            except ReferenceError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                if confirmed:
                    self.message_user(request, report.summary(), messages.SUCCESS)
                    drafts = reverse("admin:sources_source_changelist") + "?publication_status__exact=draft"
                    return HttpResponseRedirect(drafts)
        confirm_form = ReferenceImportForm(initial=form.cleaned_data if report is not None else None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import references",
            "form": form,
            "upload_form": ReferenceImportForm() if report is not None else form,
            "confirm_form": confirm_form,
            "report": report,
        }
        return TemplateResponse(request, "sources/admin/import_references.html", context)

    @admin.display(description="authors", ordering="authors")
    def authors_short(self, source):
        authors = source.author_list
        return "; ".join(authors[:2]) + (" et al." if len(authors) > 2 else "")


@admin.register(Note)
class NoteAdmin(StampedAdmin):
    list_display = ["number", "kind", "document", "excerpt"]
    list_filter = ["kind", "document"]
    search_fields = ["text", "document__title", "cites__title"]
    autocomplete_fields = ["document", "cites"]
    ordering = ["document", "kind", "number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")

    @admin.display(description="text")
    def excerpt(self, note):
        return note.text[:120]
