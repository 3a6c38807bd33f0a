"""A page's citations as numbered notes, in the way a paper numbers its footnotes.

One query reads every citation of the records a page shows (a record and, for an
agreement, its steps), with each cited source and its stored Chicago note
(``apps.sources.chicago``), so a page costs the same number of queries whatever the
number of notes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from apps.core.choices import PublicationStatus
from apps.core.models import sees_drafts
from apps.sources.chicago import format_notes
from apps.sources.models import Source

from .models import Citation, target_field_for


@dataclass
class PageNote:
    number: int
    citation: Citation
    reference: str  # the source as a Chicago note, HTML-safe


class PageNotes:
    """Numbered notes for one page; ``numbers_for(record)`` gives a record's note numbers."""

    def __init__(self, notes: list[PageNote]):
        self.notes = notes
        self._by_target = defaultdict(list)
        for note in notes:
            self._by_target[_target_key(note.citation)].append(note.number)

    def __iter__(self):
        return iter(self.notes)

    def __len__(self):
        return len(self.notes)

    def __bool__(self):
        return bool(self.notes)

    def numbers_for(self, record) -> list[int]:
        return self._by_target.get((target_field_for(record), record.pk), [])

    @classmethod
    def for_records(cls, user, records) -> PageNotes:
        records = [record for record in records if record is not None]
        if not records:
            return cls([])
        fields = defaultdict(list)
        for record in records:
            fields[target_field_for(record)].append(record.pk)
        condition = reduce(or_, (Q(**{f"{name}__in": pks}) for name, pks in fields.items()))
        citations = Citation.objects.with_related().select_related("source__formatted").filter(condition)
        if not sees_drafts(user, Source):
            # On the joined source, not "among the published sources": with a subquery SQLite
            # reads every published source's citations to find a record's few.
            citations = citations.filter(source__publication_status=PublicationStatus.PUBLISHED)
        # Notes follow the order of the records on the page, then the order encoded.
        position = {(target_field_for(record), record.pk): index for index, record in enumerate(records)}
        ordered = sorted(
            citations,
            key=lambda c: (position.get(_target_key(c), len(position)), c.pk),
        )
        references = format_notes({c.source_id: c.source for c in ordered}.values())
        return cls(
            [
                PageNote(number=index, citation=citation, reference=references[citation.source_id])
                for index, citation in enumerate(ordered, start=1)
            ]
        )


def _target_key(citation):
    target = citation.target
    return target_field_for(target), target.pk
