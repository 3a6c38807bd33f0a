"""Sources as CSL-JSON, the format of citeproc processors, Zotero and pandoc.

``source_to_csl(source)`` is the one mapping from a ``Source`` to a CSL-JSON item:
the API's ``?format=csl-json`` export and the public bibliography (rendered with
citeproc-py) both use it. The output validates against the CSL-JSON schema
vendored next to this module (``csl-data.json``, from citation-style-language/schema).
"""

from __future__ import annotations

from pathlib import Path

from apps.core import dates

from .choices import SourceKind

SCHEMA_PATH = Path(__file__).with_name("csl-data.json")

CSL_TYPES = {
    SourceKind.NEWS_REPORT: "article-newspaper",
    SourceKind.JOURNAL_ARTICLE: "article-journal",
    SourceKind.BOOK: "book",
    SourceKind.CHAPTER: "chapter",
    SourceKind.REPORT: "report",
    SourceKind.OFFICIAL_STATEMENT: "document",
    SourceKind.SPEECH: "speech",
    SourceKind.INTERVIEW: "interview",
    SourceKind.DIPLOMATIC_CABLE: "document",
    SourceKind.WEB_PAGE: "webpage",
    SourceKind.DATASET: "dataset",
    SourceKind.OTHER: "document",
}

# CSL has no type for these; the genre keeps what the work is in the reference.
GENRES = {
    SourceKind.OFFICIAL_STATEMENT: "Official statement",
    SourceKind.DIPLOMATIC_CABLE: "Diplomatic cable",
}

# CSL seasons are numbered 1 (spring) to 4 (winter).
SEASON_NUMBERS = {3: 1, 6: 2, 9: 3, 12: 4}


def csl_name(line: str) -> dict:
    """“Family, Given” → {family, given}; anything else (an organisation) → {literal}."""
    family, comma, given = line.partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": line.strip()}


def csl_names(text: str) -> list[dict]:
    return [csl_name(line) for line in text.splitlines() if line.strip()]


def csl_date(value: dates.PartialDate | str | None) -> dict | None:
    """A partial date as CSL date-parts, exactly as precise as it is known.

    Day → [[y, m, d]]; month → [[y, m]]; season → [[y]] with ``season``; part of a
    year and year → [[y]]; a span of years → [[y1], [y2]]; “c.” → ``circa``.
    """
    if value in (None, ""):
        return None
    value = dates.PartialDate.parse(value)
    e, latest = value.earliest, value.latest
    result: dict = {}
    if value.precision == dates.DAY:
        result["date-parts"] = [[e.year, e.month, e.day]]
    elif value.precision == dates.MONTH:
        result["date-parts"] = [[e.year, e.month]]
    elif value.precision == dates.SEASON:
        result["date-parts"] = [[e.year]]
        result["season"] = SEASON_NUMBERS[e.month]
    elif value.precision == dates.YEARS:
        result["date-parts"] = [[e.year], [latest.year]]
    else:  # a year, or early / mid / late in a year: CSL knows no part of a year
        result["date-parts"] = [[e.year]]
    if value.circa:
        result["circa"] = True
    return result


def source_to_csl(source) -> dict:
    """One CSL-JSON item for a ``Source``; empty fields are left out, as CSL expects."""
    item = {
        "id": source.slug,
        "type": CSL_TYPES.get(source.kind, "document"),
        "title": source.title,
        "author": csl_names(source.authors),
        "editor": csl_names(source.editors),
        "container-title": source.container_title,
        "publisher": source.publisher,
        "publisher-place": source.publisher_place,
        "volume": source.volume,
        "issue": source.issue,
        "page": source.pages,
        "number": source.number,
        "genre": GENRES.get(source.kind, ""),
        "event-place": source.place,
        "URL": source.url,
        "language": source.language,
        "issued": csl_date(source.date),
        "accessed": csl_date(source.accessed),
    }
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def sources_to_csl(sources) -> list[dict]:
    return [source_to_csl(source) for source in sources]
