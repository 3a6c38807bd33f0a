"""The search index: one entry per record readers can search, kept beside the records.

Entries are derived data, written only by ``search_index`` (on every save and deletion of
a record, and whole by ``manage.py rebuild_search_index``); nobody edits them. Each
database reads them with its own text index: on PostgreSQL the weighted ``document``
(a stored ``tsvector`` with a GIN index) and trigram indexes on ``SearchTerm.term``; on
SQLite two FTS5 tables made by the migration (words, weighted per column, and trigrams of
the terms), which triggers keep in step with every write to these tables.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One searchable record: its kind (the registry's key), its name (weight A), other
    names (B), summary and descriptive text (C), and the passages of its published
    citations (D). ``published`` mirrors the record's status, so that a reader who sees
    published records only is never offered a draft's words."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    slug = models.CharField(max_length=120)
    url = models.CharField(max_length=300, help_text="The record's page, for suggestions offered as one types.")
    published = models.BooleanField()
    name = models.TextField()
    aliases = models.TextField(blank=True)
    body = models.TextField(blank=True)
    passages = models.TextField(blank=True)
    # Filled on PostgreSQL only (setweight(to_tsvector(...)) of the four columns); SQLite's
    # words live in its FTS5 table, and this column stays empty there.
    document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_record")]

    def __str__(self):
        return f"{self.kind}: {self.name}"


class SearchTerm(models.Model):
    """A name, another name, or one word of either, of an entry, normalised (Latin letters,
    lower case, no punctuation): what exact matches, close spellings ("did you mean") and
    suggestions as one types are looked up in."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=200, db_index=True)
    # A whole name or alias (matched exactly and offered as one types), or one word of it.
    whole = models.BooleanField()

    def __str__(self):
        return self.term
