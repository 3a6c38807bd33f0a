"""Writes of sources beyond one record at a time: importing a file of references.

Every source is written by ``apps.core.services.record_save``, as the admin and the
API write one, so the models' validation, the editorial rules and the history apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core import services

from .models import Source
from .references import FORMAT_LABELS, Entry, ReferenceError, guess_format, read_references, source_fields


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    reference_format: str
    created: list[tuple[str, Source]] = field(default_factory=list)  # (entry label, new source)
    matched: list[tuple[str, Source]] = field(default_factory=list)  # (entry label, source already there)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "Would create" if self.dry_run else "Created"
        return (
            f"{verb} {len(self.created)} source(s) from {FORMAT_LABELS[self.reference_format]}; "
            f"{len(self.matched)} entr{'y' if len(self.matched) == 1 else 'ies'} matched a source already in the "
            "case file and left it as it is."
        )


def title_key(title: str, date) -> tuple[str, int | None]:
    """A title and year compared as a reader would: case, punctuation and spacing aside."""
    words = re.sub(r"\W+", " ", title.casefold()).strip()
    return words, (date.earliest.year if date else None)


def url_key(url: str) -> str:
    """A URL compared without its scheme, a leading “www.” or a trailing slash."""
    bare = re.sub(r"^[a-z][a-z0-9+.-]*://(www\.)?", "", url.strip(), flags=re.IGNORECASE)
    host, slash, rest = bare.partition("/")
    return (host.lower() + slash + rest).rstrip("/")


class SourceIndex:
    """The sources already in the case file (drafts too), by URL and by title and year:
    read once, and kept up to date with what the import adds."""

    def __init__(self):
        self.by_url, self.by_title, self.slugs = {}, {}, set()
        for source in Source.objects.only("pk", "slug", "title", "date", "url"):
            self.add(source)

    def add(self, source):
        if source.url:
            self.by_url.setdefault(url_key(source.url), source)
        self.by_title.setdefault(title_key(source.title, source.date), source)
        self.slugs.add(source.slug)

    def match(self, fields) -> Source | None:
        by_url = self.by_url.get(url_key(fields["url"])) if fields["url"] else None
        return by_url or self.by_title.get(title_key(fields["title"], fields["date"]))


def _refusal(label: str, error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        words = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    else:
        words = " ".join(error.messages)
    return f"{label}: {words}"


def sources_import(
    text: str,
    *,
    user,
    reference_format: str | None = None,
    filename: str = "",
    dry_run: bool = False,
    progress: Callable[[list[Entry]], Iterable[Entry]] = iter,
) -> ImportReport:
    """Create a draft source for every entry of a BibTeX, RIS or CSL-JSON file that the case
    file does not hold yet (matched by URL, else by title and year), all in one transaction.

    A file that cannot be read raises ``ReferenceError``; entries the models refuse raise
    one ``ValidationError`` listing each, named as the file names it, and nothing is written.
    ``user=None`` is the system (a management command); a person needs the right to add
    sources (``PermissionDenied`` otherwise). ``progress`` wraps the entries (a progress bar).
    """
    reference_format = reference_format or guess_format(text, filename)
    entries = read_references(text, reference_format)
    if not entries:
        raise ReferenceError(f"The {FORMAT_LABELS[reference_format]} file holds no reference.")
    services.editorial_check(user, Source, services.ADD)
    report = ImportReport(reference_format=reference_format, dry_run=dry_run)
    refusals = []
    with transaction.atomic():
        index = SourceIndex()
        for entry in progress(entries):
            if entry.problem:
                refusals.append(f"{entry.label}: {entry.problem}")
                continue
            try:
                fields = source_fields(entry)
            except ReferenceError as error:
                refusals.append(str(error))
                continue
            existing = index.match(fields)
            if existing is not None:
                report.matched.append((entry.label, existing))
                continue
            if fields["slug"] in index.slugs:
                fields["slug"] = ""  # another work holds the key: a slug is made from the title
            source = Source(**fields)
            try:
                services.record_save(
                    source,
                    user=user,
                    change_message=f"Imported from {FORMAT_LABELS[reference_format]}: {entry.label}",
                )
            except ValidationError as error:
                refusals.append(_refusal(entry.label, error))
                continue
            index.add(source)
            report.created.append((entry.label, source))
        if refusals:
            raise ValidationError(refusals)
        if dry_run:
            transaction.set_rollback(True)
    return report
