from django.db import connections, models
from django.db.models.functions import Collate

from apps.core.choices import ChoiceLabel, Reliability
from apps.core.dates import PartialDateField
from apps.core.models import Record, RecordQuerySet, SlugManager, Stamped, facet_index, list_order_index
from apps.core.naming import Identity
from apps.core.paths import page_path

from .choices import NoteKind, SourceKind


class SourceQuerySet(RecordQuerySet):
    def with_related(self):
        return self

    def in_bibliography_order(self):
        """With their Chicago forms, in Chicago's bibliography order (``FormattedReference.sort_key``).

        The key is compared character by character, as Python compares it where the key is
        made, not by the database's language rules: PostgreSQL's collation would otherwise
        weigh punctuation and spaces differently. Ties (two identical entries) keep the list order.
        """
        by_character = "C" if connections[self.db].vendor == "postgresql" else "BINARY"
        return self.select_related("formatted").order_by(
            Collate("formatted__sort_key", by_character), *self.model._meta.ordering
        )

    def matching(self, text):
        return self.filter(
            models.Q(title__icontains=text)
            | models.Q(authors__icontains=text)
            | models.Q(container_title__icontains=text)
            | models.Q(publisher__icontains=text)
        )


class Source(Record):
    """A work that supports facts in the case file: an article, report, cable, interview …

    Record authors, titles, outlets, dates and URLs exactly as printed, at the
    precision printed. Grade the source's reliability on the Admiralty scale (A–F);
    how credible each fact is gets graded on the citation.
    """

    kind = models.CharField(max_length=24, choices=SourceKind.choices)
    kind_label = ChoiceLabel("kind")
    authors = models.TextField(
        blank=True,
        help_text="One author per line, “Family, Given” (McDermott, Roger N.). "
        "An organisation as author goes on one line as it is printed.",
    )
    editors = models.TextField(blank=True, help_text="One editor per line, “Family, Given”.")
    title = models.CharField(max_length=500, help_text="Title exactly as printed.")
    container_title = models.CharField(
        max_length=300,
        blank=True,
        help_text="Journal, newspaper, news agency, website or book the work appears in.",
    )
    publisher = models.CharField(max_length=300, blank=True)
    publisher_place = models.CharField(max_length=200, blank=True)
    volume = models.CharField(max_length=40, blank=True)
    issue = models.CharField(max_length=40, blank=True)
    pages = models.CharField(max_length=80, blank=True, help_text="Page range as printed (43–54).")
    number = models.CharField(
        max_length=80, blank=True, help_text="Report, document or cable number (CA-10-12/13-0307)."
    )
    date = PartialDateField(help_text="Publication date, as precisely as printed.")
    place = models.CharField(
        max_length=200, blank=True, help_text="Where an interview, speech or briefing took place."
    )
    url = models.URLField(max_length=500, blank=True, verbose_name="URL")
    accessed = PartialDateField(verbose_name="access date")
    language = models.CharField(
        max_length=16, blank=True, default="en", help_text="Language of the work, as an IETF tag (en, ru, kk)."
    )
    reliability = models.CharField(
        max_length=1,
        choices=Reliability.choices,
        default=Reliability.F,
        help_text="Admiralty scale grade of the source as a whole.",
    )
    reliability_label = ChoiceLabel("reliability")
    notes = models.TextField(blank=True, help_text="Why this grade; anything a reader should know.")

    identity = Identity(title="title", date="date")
    objects = SlugManager.from_queryset(SourceQuerySet)()

    class Meta:
        ordering = ["authors", "title", "id"]
        # Lists are read in this order, a page at a time: the index spares sorting the whole table.
        indexes = [
            list_order_index("authors", "title", "id", name="source_list_order"),
            facet_index("kind", name="source_kind_facet"),
            facet_index("reliability", name="source_reliability_facet"),
        ]

    def __str__(self):
        return self.short_reference

    @property
    def author_list(self):
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    @property
    def short_reference(self):
        authors = self.author_list
        lead = authors[0].split(",")[0] if authors else (self.container_title or "")
        when = f", {self.date}" if self.date else ""
        return f"{lead + ': ' if lead else ''}{self.title}{when}"


class FormattedReference(models.Model):
    """A source as Chicago notes-bibliography style gives it: its bibliography entry, its
    note and its place in the bibliography. Derived from the source whenever it is written
    (``chicago.store_formatted``), so that pages read it instead of running the style;
    nobody edits it, and it is neither in the history nor in backups.
    """

    source = models.OneToOneField(
        Source,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="formatted",
    )
    entry = models.TextField(help_text="The bibliography entry, HTML.")
    note = models.TextField(help_text="The note (first-reference form), HTML, without its closing period.")
    sort_key = models.TextField(help_text="The entry as the bibliography sorts it.")
    formatting = models.CharField(
        max_length=200,
        help_text="What formatted it (style and processor versions): a form made otherwise is formatted again.",
    )

    def __str__(self):
        return f"Chicago forms of source {self.source_id}"


class NoteQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("document").prefetch_related("cites")


class Note(Stamped):
    """A footnote or bibliography entry of a document in the case file, kept verbatim.

    ``cites`` lists the works the note refers to, with "Ibid." resolved to the work
    it repeats, so that every note of a paper is accounted for and can be followed
    from fact to source and back.
    """

    document = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="notes_in_document")
    kind = models.CharField(max_length=16, choices=NoteKind.choices, default=NoteKind.FOOTNOTE)
    number = models.PositiveIntegerField(help_text="Footnote number, or position in the bibliography.")
    text = models.TextField(help_text="The note exactly as printed.")
    cites = models.ManyToManyField(
        Source, related_name="cited_in_notes", blank=True, help_text="The works this note cites."
    )

    editorial_parent_field = "document"

    objects = SlugManager.from_queryset(NoteQuerySet)()

    class Meta:
        ordering = ["document", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "kind", "number"],
                name="note_unique_number",
                violation_error_message="This document already has a note with this number.",
            )
        ]

    def __str__(self):
        prefix = "n." if self.kind == NoteKind.FOOTNOTE else "bibliography"
        return f"{self.document.title[:40]} {prefix} {self.number}"

    @property
    def anchor(self) -> str:
        """Anchor of the note on its document's source page: note-12, bibliography-3."""
        prefix = "note" if self.kind == NoteKind.FOOTNOTE else "bibliography"
        return f"{prefix}-{self.number}"

    def get_absolute_url(self):
        return page_path("sources:detail", self.document.slug) + f"#{self.anchor}"
