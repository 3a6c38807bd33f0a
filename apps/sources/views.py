from django.urls import reverse
from django.views.generic import TemplateView

from apps.core.models import withhold_references
from apps.core.pages import RecordDetailView, RecordListView, Sort, admin_changelist_url, choice_facet, is_staff

from .chicago import STYLE_NAME, format_bibliography
from .choices import NoteKind
from .filters import SourceFilterSet
from .models import Note, Source
from .references import FORMAT_LABELS

# (API format, label) of the reference-manager downloads, offered by the list and the bibliography.
REFERENCE_EXPORTS = tuple(FORMAT_LABELS.items())


class SourceListView(RecordListView):
    model = Source
    filterset_class = SourceFilterSet
    facets = (choice_facet(Source, "kind"), choice_facet(Source, "reliability"))
    row_fields = ("slug", "publication_status", "title", "authors", "container_title", "date", "kind", "reliability")
    sorts = (
        Sort("author", "Author", ("authors", "title")),
        Sort("date", "Date", ("date", "title")),
        Sort("title", "Title", ("title",)),
        Sort("updated", "Recently updated", ("-edited", "-updated", "title")),
    )
    description = "Every work the case file cites, with its reliability grade and what it supports."
    export_formats = (("csv", "CSV"), *REFERENCE_EXPORTS)


class SourceDetailView(RecordDetailView):
    """A source: its full reference, its grade, what cites it and the footnotes that give it."""

    model = Source
    api_plural = "sources"

    def cited_records(self, record):
        return []  # a source is what citations point to, not a record that carries them

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source, user = self.object, self.request.user
        # The reverse relation: citations sit above sources. Each is seen with the record it
        # supports, which is named from what the reader sees (an affiliation's actors).
        # A citation of a line that cannot stand without a hidden record (a leg from a draft
        # place) goes with it.
        cited_by = [
            citation
            for citation in source.citations.visible_to(user).with_related()
            if withhold_references(citation.target, user)
        ]
        context.update(
            reference=format_bibliography([source])[0][1],
            cited_by=cited_by,
            cited_in_notes=Note.objects.with_related()
            .filter(cites=source, document__in=Source.objects.visible_to(user))
            .order_by("document__title", "kind", "number"),
        )
        notes = list(Note.objects.with_related().filter(document=source))
        context.update(
            document_notes=notes,
            footnotes=[note for note in notes if note.kind == NoteKind.FOOTNOTE],
            bibliography_notes=[note for note in notes if note.kind == NoteKind.BIBLIOGRAPHY],
        )
        return context


class BibliographyView(TemplateView):
    """All sources in Chicago notes-bibliography style, sorted by author."""

    template_name = "sources/bibliography.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = format_bibliography(Source.objects.visible_to(self.request.user).in_bibliography_order())
        api_list = reverse("sources-api:source-list")
        context.update(
            entries=entries,
            style_name=STYLE_NAME,
            admin_url=admin_changelist_url(Source) if is_staff(self.request.user) else None,
            exports=[(label, f"{api_list}?format={name}") for name, label in REFERENCE_EXPORTS],
        )
        return context
