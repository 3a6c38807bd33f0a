"""References in and out: BibTeX, RIS and CSL-JSON, written from and read back into sources.

CSL-JSON is the hub. A source becomes a CSL item (``csl.source_to_csl``), and BibTeX
and RIS are written from that item, so the three exports never disagree. Reading runs
the other way: a BibTeX entry or an RIS record becomes a CSL item, and every CSL item
becomes the fields of a ``Source`` (``source_fields``), so one mapping decides what an
import stores whatever the file's format.

What each format cannot hold is written down once, in ``DROPPED`` (a source's field
and why), for the round-trip tests and the README's table alike.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

import bibtexparser
import rispy
from django.utils.text import slugify

from apps.core import dates

from .choices import SourceKind
from .csl import CSL_TYPES, GENRES, csl_date, csl_name

BIBTEX, RIS, CSL_JSON = "bibtex", "ris", "csl-json"
FORMATS = (BIBTEX, RIS, CSL_JSON)
FORMAT_LABELS = {BIBTEX: "BibTeX", RIS: "RIS", CSL_JSON: "CSL-JSON"}
EXTENSIONS = {BIBTEX: "bib", RIS: "ris", CSL_JSON: "json"}

# What a source keeps of itself in no reference format: its assessment and its place in
# the editorial workflow belong to the case file, not to the work it describes.
NOT_BIBLIOGRAPHIC = {
    "reliability": "the Admiralty grade is the case file's judgement, not part of the reference",
    "notes": "the analyst's notes on the grade",
    "publication_status": "an import always makes drafts, for an editor to publish",
    "editor_notes": "for the editorial team only, never exported",
}
PART_OF_YEAR = "a date or access date given as early, mid or late in a year is written as the year"
DROPPED = {
    CSL_JSON: {**NOT_BIBLIOGRAPHIC},
    BIBTEX: {**NOT_BIBLIOGRAPHIC},
    RIS: {**NOT_BIBLIOGRAPHIC},
}
# Kept, but narrowed: true of all three formats, which all start from CSL's dates.
NARROWED = {
    CSL_JSON: [PART_OF_YEAR],
    BIBTEX: [PART_OF_YEAR],
    RIS: [PART_OF_YEAR],
}


# Where each format keeps each field a reference can carry: the README's table
# (``reference_table``), written here beside the mapping so the two cannot drift apart.
FIELD_PLACES = {
    "slug": ("entry key", "ID", "id"),
    "kind": ("entry type, with entrysubtype or type", "TY, with M3", "type, with genre"),
    "authors": ("author", "AU", "author"),
    "editors": ("editor", "A2", "editor"),
    "title": ("title (capitalised words braced)", "TI", "title"),
    "container_title": ("journal, booktitle or howpublished", "T2", "container-title"),
    "publisher": ("publisher (institution for a report)", "PB", "publisher"),
    "publisher_place": ("address", "CY", "publisher-place"),
    "volume": ("volume", "VL", "volume"),
    "issue": ("number for an article, else issue", "IS", "issue"),
    "pages": ("pages", "SP and EP", "page"),
    "number": ("eid for an article, else number", "M1", "number"),
    "date": ("date (ISO 8601-2), year, month", "DA, PY", "issued"),
    "place": ("venue", "C1", "event-place"),
    "url": ("url", "UR", "URL"),
    "accessed": ("urldate", "Y2", "accessed"),
    "language": ("language", "LA", "language"),
}


# Every field of a source a reference can carry (the rest of a source is in ``NOT_BIBLIOGRAPHIC``).
REFERENCE_FIELDS = tuple(FIELD_PLACES)


def reference_table() -> str:
    """The README's table of what each format keeps, and drops, of a source."""
    formats = (BIBTEX, RIS, CSL_JSON)
    lines = [
        "| Source field | " + " | ".join(FORMAT_LABELS[name] for name in formats) + " |",
        "|---" * (len(formats) + 1) + "|",
    ]
    for name in (*FIELD_PLACES, *NOT_BIBLIOGRAPHIC):
        places = FIELD_PLACES.get(name, ("",) * len(formats))
        cells = ["dropped" if name in DROPPED[fmt] else place for fmt, place in zip(formats, places, strict=True)]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    reasons = {name: reason for fmt in formats for name, reason in DROPPED[fmt].items()}
    lines += ["", *(f"- `{name}` is dropped: {reason}." for name, reason in reasons.items())]
    narrowed = sorted({note for fmt in formats for note in NARROWED[fmt]})
    lines += [f"- In every format, {note}." for note in narrowed]
    return "\n".join(lines)


class ReferenceError(ValueError):
    """A file or an entry that cannot be read: the message names the entry and what is wrong."""


@dataclass(frozen=True)
class Entry:
    """One reference read from a file: how the file names it, and its CSL item, or what
    keeps it from being read (reported with the other entries' refusals)."""

    label: str
    item: dict
    problem: str = ""


# --- kinds ---------------------------------------------------------------------------

KIND_BY_CSL = {csl: kind for kind, csl in CSL_TYPES.items() if csl != "document"}
KIND_BY_CSL.update(
    {
        "article-magazine": SourceKind.NEWS_REPORT,
        "article": SourceKind.JOURNAL_ARTICLE,
        "post": SourceKind.WEB_PAGE,
        "post-weblog": SourceKind.WEB_PAGE,
        "paper-conference": SourceKind.OTHER,
    }
)
KIND_BY_GENRE = {genre.casefold(): kind for kind, genre in GENRES.items()}


def csl_kind(item: dict) -> str:
    """The kind of source a CSL item describes (``csl.CSL_TYPES`` read backwards)."""
    csl_type = item.get("type", "document")
    if csl_type == "document":
        return KIND_BY_GENRE.get(str(item.get("genre", "")).casefold(), SourceKind.OTHER)
    return KIND_BY_CSL.get(csl_type, SourceKind.OTHER)


def kind_item(kind: str) -> dict:
    """The CSL type (and genre) of a kind: what an entry read from BibTeX or RIS becomes."""
    item = {"type": CSL_TYPES.get(kind, "document")}
    if kind in GENRES:
        item["genre"] = GENRES[kind]
    return item


# --- dates: CSL date objects as ISO 8601-2 (BibTeX) and RIS date fields ------------------

SEASON_NAMES = {1: "spring", 2: "summer", 3: "autumn", 4: "winter"}


def csl_partial_date(value: dict | None) -> dates.PartialDate | None:
    """A CSL date object as a partial date, as precise as the object is (the inverse of
    ``csl.csl_date``). A ``raw`` or ``literal`` date is read as an analyst writes one."""
    if not value:
        return None
    circa = bool(value.get("circa"))
    parts = value.get("date-parts") or []
    if not parts:
        text = value.get("raw") or value.get("literal")
        return dates.PartialDate.parse(str(text)) if text else None
    first = [int(part) for part in parts[0] if str(part).strip()]
    if len(parts) > 1 and parts[1] and int(parts[1][0]) != first[0]:
        return dates.PartialDate.years(first[0], int(parts[1][0]), circa)
    if len(first) >= 3:
        return dates.PartialDate.day(first[0], first[1], first[2], circa)
    if len(first) == 2:
        return dates.PartialDate.month(first[0], first[1], circa)
    season = value.get("season")
    if season:
        number = int(season) if str(season).isdigit() else None
        name = SEASON_NAMES.get(number) if number else str(season).lower()
        return dates.PartialDate.season(name, first[0], circa)
    return dates.PartialDate.year(first[0], circa)


def iso_date(value: dict) -> str:
    """A CSL date as biblatex reads a date field (ISO 8601-2): 2011-06-09, 2011-06,
    2011-21 (spring; 22 summer, 23 autumn, 24 winter), 2006/2008, 2007~ (circa)."""
    parts = value["date-parts"]
    circa = "~" if value.get("circa") else ""
    first = parts[0]
    text = str(first[0]) + "".join(f"-{int(part):02d}" for part in first[1:])
    if value.get("season") and len(first) == 1:
        text += f"-{20 + int(value['season'])}"
    text += circa
    if len(parts) > 1:
        text += f"/{parts[1][0]}{circa}"
    return text


ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(~)?")


def read_iso_date(text: str) -> dict:
    """The CSL date of an ISO 8601-2 date field (``iso_date`` read backwards)."""
    spans = [ISO_DATE.fullmatch(part.strip()) for part in text.split("/")]
    if not spans or len(spans) > 2 or not all(spans):
        raise ValueError(f"“{text}” is not an ISO 8601 date (2011-06-09, 2011-06, 2011, 2006/2008).")
    first = spans[0]
    result: dict = {}
    year, month, day = int(first[1]), first[2], first[3]
    if month and 21 <= int(month) <= 24 and not day:
        result["date-parts"] = [[year]]
        result["season"] = int(month) - 20
    else:
        result["date-parts"] = [[year, *(int(part) for part in (month, day) if part)]]
    if len(spans) == 2:
        result["date-parts"].append([int(spans[1][1])])
    if any(span[4] for span in spans):
        result["circa"] = True
    return result


def ris_date(value: dict) -> str:
    """A CSL date as an RIS DA field, YYYY/MM/DD/other: year, month and day where known;
    the other part carries what RIS has no place for (a season, a span, “c.”) in the words
    Casefile reads."""
    partial = csl_partial_date(value)
    e = partial.earliest
    month = f"{e.month:02d}" if partial.precision in (dates.DAY, dates.MONTH) else ""
    day = f"{e.day:02d}" if partial.precision == dates.DAY else ""
    plain = partial.precision in (dates.DAY, dates.MONTH, dates.YEAR) and not partial.circa
    return f"{e.year}/{month}/{day}/{'' if plain else partial.display()}"


def read_ris_date(text: str) -> dict | None:
    """The CSL date of an RIS date field: YYYY/MM/DD/other, YYYY/MM/DD or YYYY."""
    year, _, rest = text.strip().partition("/")
    month, _, rest = rest.partition("/")
    day, _, other = rest.partition("/")
    if other.strip():
        try:
            return csl_date(dates.PartialDate.parse(other.strip()))
        except ValueError:
            pass  # free text ("Spring", a time of day): the numbers are the date
    if not year.strip().isdigit():
        raise ValueError(f"“{text}” is not an RIS date (YYYY/MM/DD/other).")
    numbers = [int(year)] + [int(part) for part in (month, day) if part.strip().isdigit()]
    if len(numbers) == 2 and not month.strip().isdigit():
        numbers = numbers[:1]
    return {"date-parts": [numbers]}


# --- BibTeX ------------------------------------------------------------------------------

# kind → (entry type, the field and value that tell kinds of one entry type apart)
BIBTEX_KINDS = {
    SourceKind.JOURNAL_ARTICLE: ("article", None),
    SourceKind.NEWS_REPORT: ("article", ("entrysubtype", "newspaper")),
    SourceKind.BOOK: ("book", None),
    SourceKind.CHAPTER: ("incollection", None),
    SourceKind.REPORT: ("techreport", None),
    SourceKind.WEB_PAGE: ("online", None),
    SourceKind.OFFICIAL_STATEMENT: ("misc", ("type", GENRES[SourceKind.OFFICIAL_STATEMENT])),
    SourceKind.DIPLOMATIC_CABLE: ("misc", ("type", GENRES[SourceKind.DIPLOMATIC_CABLE])),
    SourceKind.SPEECH: ("misc", ("type", "Speech")),
    SourceKind.INTERVIEW: ("misc", ("type", "Interview")),
    SourceKind.DATASET: ("misc", ("type", "Dataset")),
    SourceKind.OTHER: ("misc", None),
}
BIBTEX_READ_TYPES = {
    "article": SourceKind.JOURNAL_ARTICLE,
    "book": SourceKind.BOOK,
    "inbook": SourceKind.CHAPTER,
    "incollection": SourceKind.CHAPTER,
    "techreport": SourceKind.REPORT,
    "report": SourceKind.REPORT,
    "online": SourceKind.WEB_PAGE,
    "electronic": SourceKind.WEB_PAGE,
    "www": SourceKind.WEB_PAGE,
    "dataset": SourceKind.DATASET,
    "misc": SourceKind.OTHER,
}
BIBTEX_CONTAINERS = {"article": "journal", "incollection": "booktitle"}  # otherwise howpublished
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

# LaTeX's special characters, each written so that BibTeX's brace counting and
# bibtexparser see balanced braces (``\{`` would count as an opening brace in BibTeX).
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    **{special: "\\" + special for special in "&%$#_"},
}
BIBTEX_UNESCAPES = {
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
}
# Accents as LaTeX writes them in files made elsewhere ({\"o}, \'{e}), as combining marks.
LATEX_ACCENTS = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
}
LATEX_TOKEN = re.compile(
    r"\\(?P<word>text[a-z]+)(?:\{\})?"
    r"|\\(?P<special>[&%$#_{}])"
    r"|\\(?P<accent>[`'^\"~=.uvHck])\s*(?:\{(?P<braced>\\?[A-Za-z])\}|(?P<bare>\\?[A-Za-z]))"
    r"|\\(?P<dotless>[ij])\b\s*"
    r"|(?P<brace>[{}])"
    r"|(?P<tie>~)"
)
NAME_SEPARATOR = re.compile(r"\s+and\s+")


def bibtex_text(value) -> str:
    """A field value with LaTeX's special characters escaped; non-ASCII kept as UTF-8."""
    text = " ".join(str(value).split("\n"))
    return "".join(BIBTEX_ESCAPES.get(character, character) for character in text)


def bibtex_title(value) -> str:
    """A title with every word that holds a capital letter in braces ({NATO}, {Kazakhstan's}):
    styles that change a title's case (sentence case, lower case) then keep it as printed,
    and a title is recorded exactly as printed."""
    words = re.split(r"(\s+)", " ".join(str(value).split("\n")))
    return "".join(
        "{" + bibtex_text(word) + "}" if any(character.isupper() for character in word) else bibtex_text(word)
        for word in words
    )


def latex_text(value: str) -> str:
    """A BibTeX field value as plain text: escapes and accents decoded, grouping braces
    dropped (``bibtex_text`` and ``bibtex_title`` read backwards)."""

    def decode(match):
        if match["word"]:
            return BIBTEX_UNESCAPES.get(match["word"], "")
        if match["special"]:
            return match["special"]
        if match["accent"]:
            letter = (match["braced"] or match["bare"]).lstrip("\\")
            return unicodedata.normalize("NFC", letter + LATEX_ACCENTS[match["accent"]])
        if match["dotless"]:
            return match["dotless"]
        if match["tie"]:
            return " "
        return ""  # a grouping brace

    return LATEX_TOKEN.sub(decode, value)


def bibtex_name_part(text: str) -> str:
    """A family or given name, braced where BibTeX would split it: at “and” (“Smith and
    Sons”, which would be two names) or at a comma (“John, Jr.”, a third part)."""
    escaped = bibtex_text(text)
    return "{" + escaped + "}" if "," in text or NAME_SEPARATOR.search(text) else escaped


def bibtex_names(names) -> str:
    parts = []
    for name in names:
        if "literal" in name:
            parts.append("{" + bibtex_text(name["literal"]) + "}")  # an organisation: never split into names
        else:
            parts.append(f"{bibtex_name_part(name['family'])}, {bibtex_name_part(name['given'])}")
    return " and ".join(parts)


def split_bibtex_names(value: str) -> list[dict]:
    """“A and {B and C} and D, E” → CSL names; a name in braces is a literal (an organisation)."""
    names, depth, start, index = [], 0, 0, 0
    while index < len(value):
        character = value[index]
        depth += {"{": 1, "}": -1}.get(character, 0)
        separator = NAME_SEPARATOR.match(value, index) if depth == 0 and character.isspace() else None
        if separator:
            names.append(value[start:index])
            start = index = separator.end()
            continue
        index += 1
    names.append(value[start:])
    result = []
    for raw in (name.strip() for name in names):
        if not raw:
            continue
        if raw.startswith("{") and raw.endswith("}") and _balanced(raw[1:-1]):
            result.append({"literal": latex_text(raw[1:-1]).strip()})
            continue
        family, comma, given = raw.partition(",")
        if comma:
            result.append({"family": latex_text(family).strip(), "given": latex_text(given).strip()})
        elif " " in raw.strip():  # “Given Family”, as files made elsewhere may write it
            given, _, family = raw.strip().rpartition(" ")
            result.append({"family": latex_text(family).strip(), "given": latex_text(given).strip()})
        else:
            result.append({"literal": latex_text(raw).strip()})
    return result


def _balanced(text: str) -> bool:
    depth = 0
    for character in text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


def csl_to_bibtex(item: dict) -> str:
    """One BibTeX entry from a CSL-JSON item (see ``apps.sources.csl.source_to_csl``)."""
    kind = csl_kind(item)
    entry_type, marker = BIBTEX_KINDS[kind]
    fields: dict[str, str] = {}
    for csl_key in ("author", "editor"):
        if item.get(csl_key):
            fields[csl_key] = bibtex_names(item[csl_key])
    fields["title"] = bibtex_title(item.get("title", ""))
    if item.get("container-title"):
        fields[BIBTEX_CONTAINERS.get(entry_type, "howpublished")] = bibtex_text(item["container-title"])
    if item.get("publisher"):
        fields["institution" if entry_type == "techreport" else "publisher"] = bibtex_text(item["publisher"])
    if item.get("publisher-place"):
        fields["address"] = bibtex_text(item["publisher-place"])
    if item.get("volume"):
        fields["volume"] = bibtex_text(item["volume"])
    # An article's issue goes in ``number``, as BibTeX styles expect; its document number,
    # if it has one, in biblatex's ``eid``.
    issue_key, number_key = ("number", "eid") if entry_type == "article" else ("issue", "number")
    if item.get("issue"):
        fields[issue_key] = bibtex_text(item["issue"])
    if item.get("number"):
        fields[number_key] = bibtex_text(item["number"])
    if item.get("page"):
        fields["pages"] = bibtex_text(str(item["page"]).replace("–", "--"))
    if item.get("issued"):
        parts = item["issued"]["date-parts"]
        fields["year"] = str(parts[0][0]) + (f"--{parts[1][0]}" if len(parts) > 1 else "")
        if len(parts[0]) > 1:
            fields["month"] = MONTHS[int(parts[0][1]) - 1]
        fields["date"] = iso_date(item["issued"])
    if item.get("event-place"):
        fields["venue"] = bibtex_text(item["event-place"])
    if marker:
        fields[marker[0]] = bibtex_text(marker[1])
    if item.get("language"):
        fields["language"] = bibtex_text(item["language"])
    if item.get("URL"):
        fields["url"] = item["URL"].replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")
    if item.get("accessed"):
        fields["urldate"] = iso_date(item["accessed"])
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items() if value)
    return f"@{entry_type}{{{item['id']},\n{body}\n}}\n"


def bibtex_document(items) -> str:
    # A header comment keeps even an empty export a non-empty, typed response.
    items = list(items)
    return "\n".join([f"% Casefile: {len(items)} source(s) as BibTeX\n", *(csl_to_bibtex(item) for item in items)])


def bibtex_kind(entry_type: str, fields: dict) -> str:
    entry_type = entry_type.lower()
    for kind, (written_type, marker) in BIBTEX_KINDS.items():
        if written_type == entry_type and marker and fields.get(marker[0], "").casefold() == marker[1].casefold():
            return kind
    if entry_type == "article" and fields.get("entrysubtype", "").casefold() in ("newspaper", "magazine"):
        return SourceKind.NEWS_REPORT
    return BIBTEX_READ_TYPES.get(entry_type, SourceKind.OTHER)


def bibtex_entry_item(entry) -> dict:
    """The CSL item of a bibtexparser entry (``csl_to_bibtex`` read backwards)."""
    raw = {field.key.lower(): str(field.value) for field in entry.fields}
    # URLs and ISO dates are read as written: “~” marks an approximate date, not a space.
    verbatim = ("url", "date", "urldate")
    fields = {
        key: value.strip() if key in verbatim else latex_text(value).strip()
        for key, value in raw.items()
        if key not in ("author", "editor")
    }
    kind = bibtex_kind(entry.entry_type, fields)
    entry_type = BIBTEX_KINDS[kind][0]
    item = {"id": entry.key, **kind_item(kind)}
    for key in ("author", "editor"):
        if raw.get(key):
            item[key] = split_bibtex_names(raw[key])
    item["title"] = fields.get("title", "")
    container = fields.get(BIBTEX_CONTAINERS.get(entry_type, "howpublished")) or fields.get("journaltitle")
    container = container or fields.get("journal") or fields.get("booktitle")
    if container:
        item["container-title"] = container
    publisher = fields.get("publisher") or fields.get("institution") or fields.get("organization")
    if publisher:
        item["publisher"] = publisher
    place = fields.get("address") or fields.get("location")
    if place:
        item["publisher-place"] = place
    if fields.get("volume"):
        item["volume"] = fields["volume"]
    issue_key, number_key = ("number", "eid") if entry_type == "article" else ("issue", "number")
    if fields.get(issue_key) or fields.get("issue"):
        item["issue"] = fields.get(issue_key) or fields["issue"]
    if fields.get(number_key):
        item["number"] = fields[number_key]
    if fields.get("pages"):
        item["page"] = fields["pages"].replace("--", "–")
    if fields.get("date"):
        item["issued"] = read_iso_date(fields["date"])
    elif fields.get("year"):
        item["issued"] = _year_month_date(fields["year"], fields.get("month", ""))
    if fields.get("venue"):
        item["event-place"] = fields["venue"]
    if fields.get("language"):
        item["language"] = fields["language"]
    if fields.get("url"):
        item["URL"] = fields["url"].replace("%7B", "{").replace("%7D", "}").replace("%5C", "\\")
    if fields.get("urldate"):
        item["accessed"] = read_iso_date(fields["urldate"])
    return item


MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)}


def _year_month_date(year: str, month: str) -> dict:
    first, _, last = year.replace("–", "--").partition("--")
    if not first.strip().isdigit() or (last and not last.strip().isdigit()):
        raise ValueError(f"“{year}” is not a year.")
    parts = [[int(first)]]
    month = month.strip().lower()[:3]
    if month.isdigit() or month in MONTH_NUMBERS:
        parts[0].append(int(month) if month.isdigit() else MONTH_NUMBERS[month])
    if last:
        parts.append([int(last)])
    return {"date-parts": parts}


def read_bibtex(text: str) -> list[Entry]:
    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise ReferenceError(
            f"BibTeX: the block starting on line {block.start_line + 1} cannot be read "
            f"({type(block).__name__}): “{block.raw.strip()[:80]}”."
        )
    entries = []
    for entry in library.entries:
        label = f"@{entry.entry_type}{{{entry.key}}}"
        try:
            entries.append(Entry(label, bibtex_entry_item(entry)))
        except ValueError as error:
            entries.append(Entry(label, {}, problem=str(error)))
    return entries


# --- RIS ---------------------------------------------------------------------------------

# kind → (TY, M3 "type of work"); Zotero, EndNote and Mendeley read these types.
RIS_KINDS = {
    SourceKind.NEWS_REPORT: ("NEWS", ""),
    SourceKind.JOURNAL_ARTICLE: ("JOUR", ""),
    SourceKind.BOOK: ("BOOK", ""),
    SourceKind.CHAPTER: ("CHAP", ""),
    SourceKind.REPORT: ("RPRT", ""),
    SourceKind.OFFICIAL_STATEMENT: ("GOVDOC", GENRES[SourceKind.OFFICIAL_STATEMENT]),
    SourceKind.DIPLOMATIC_CABLE: ("GOVDOC", GENRES[SourceKind.DIPLOMATIC_CABLE]),
    SourceKind.SPEECH: ("GEN", "Speech"),
    SourceKind.INTERVIEW: ("PCOMM", ""),
    SourceKind.WEB_PAGE: ("ELEC", ""),
    SourceKind.DATASET: ("DATA", ""),
    SourceKind.OTHER: ("GEN", ""),
}
RIS_READ_TYPES = {
    **{ty: kind for kind, (ty, m3) in RIS_KINDS.items() if not m3},
    "GOVDOC": SourceKind.OFFICIAL_STATEMENT,
    "MGZN": SourceKind.NEWS_REPORT,
    "EJOUR": SourceKind.JOURNAL_ARTICLE,
    "EBOOK": SourceKind.BOOK,
    "EDBOOK": SourceKind.BOOK,
    "ECHAP": SourceKind.CHAPTER,
    "WEB": SourceKind.WEB_PAGE,
    "BLOG": SourceKind.WEB_PAGE,
    "DBASE": SourceKind.DATASET,
    "HEAR": SourceKind.SPEECH,
}
PAGE_RANGE = re.compile(r"([^\s–,]+)–([^\s–,]+)")


class CasefileRisWriter(rispy.RisWriter):
    """rispy's writer without its numbered line before each record, which other readers
    (EndNote, Zotero) do not expect."""

    def set_header(self, count):
        return ""


# rispy splits UR on ";" by default: a URL with a semicolon would come back as two.
RIS_OPTIONS = {"delimiter_tags_mapping": {}}


def _one_line(value) -> str:
    return " ".join(str(value).split())


def csl_to_ris(item: dict) -> dict:
    """One RIS record (rispy's field names) from a CSL-JSON item."""
    ty, type_of_work = RIS_KINDS[csl_kind(item)]
    record: dict = {"type_of_reference": ty, "id": item["id"]}
    for csl_key, ris_key in (("author", "authors"), ("editor", "secondary_authors")):
        if item.get(csl_key):
            record[ris_key] = [name.get("literal") or f"{name['family']}, {name['given']}" for name in item[csl_key]]
    simple = {
        "title": "title",
        "container-title": "secondary_title",
        "publisher": "publisher",
        "publisher-place": "place_published",
        "volume": "volume",
        "issue": "number",
        "number": "note",
        "event-place": "custom1",
        "language": "language",
    }
    for csl_key, ris_key in simple.items():
        if item.get(csl_key):
            record[ris_key] = _one_line(item[csl_key])
    if type_of_work:
        record["type_of_work"] = type_of_work
    if item.get("page"):
        pages = _one_line(item["page"])
        span = PAGE_RANGE.fullmatch(pages)
        record.update({"start_page": span[1], "end_page": span[2]} if span else {"start_page": pages})
    if item.get("issued"):
        record["year"] = str(item["issued"]["date-parts"][0][0])
        record["date"] = ris_date(item["issued"])
    if item.get("URL"):
        record["urls"] = [item["URL"]]
    if item.get("accessed"):
        record["access_date"] = ris_date(item["accessed"])
    return record


def ris_document(items) -> str:
    text = rispy.dumps([csl_to_ris(item) for item in items], implementation=CasefileRisWriter, **RIS_OPTIONS)
    # RIS has no comments: a file of no record is one empty line, as an empty body loses its type.
    return text or "\n"


def _ris_names(values) -> list[dict]:
    return [csl_name(value) for value in values if value.strip()]


def ris_record_item(record: dict) -> dict:
    """The CSL item of an RIS record (``csl_to_ris`` read backwards)."""
    ty = record.get("type_of_reference", "GEN").strip().upper()
    type_of_work = record.get("type_of_work", "").strip()
    kind = next(
        (kind for kind, pair in RIS_KINDS.items() if pair == (ty, type_of_work) and type_of_work),
        RIS_READ_TYPES.get(ty, SourceKind.OTHER),
    )
    item = {"id": record.get("id", ""), **kind_item(kind)}
    authors = record.get("authors", []) + record.get("first_authors", [])
    if authors:
        item["author"] = _ris_names(authors)
    if record.get("secondary_authors"):
        item["editor"] = _ris_names(record["secondary_authors"])
    title = record.get("title") or record.get("primary_title")
    if title:
        item["title"] = title
    container = record.get("secondary_title") or record.get("journal_name") or record.get("alternate_title3")
    simple = {
        "container-title": container,
        "publisher": record.get("publisher"),
        "publisher-place": record.get("place_published"),
        "volume": record.get("volume"),
        "issue": record.get("number"),
        "number": record.get("note"),
        "event-place": record.get("custom1"),
        "language": record.get("language"),
    }
    item.update({key: value for key, value in simple.items() if value})
    if record.get("start_page"):
        end = record.get("end_page", "")
        item["page"] = record["start_page"] + (f"–{end}" if end else "")
    when = record.get("date") or record.get("year") or record.get("publication_year")
    if when:
        item["issued"] = read_ris_date(when)
    if record.get("urls"):
        item["URL"] = record["urls"][0]
    if record.get("access_date"):
        item["accessed"] = read_ris_date(record["access_date"])
    return item


def read_ris(text: str) -> list[Entry]:
    starts = [number for number, line in enumerate(text.splitlines(), start=1) if line.startswith("TY  -")]
    ends = [number for number, line in enumerate(text.splitlines(), start=1) if line.rstrip() in ("ER  -", "ER")]
    if not starts:
        raise ReferenceError("RIS: no record found (a record starts with a line “TY  - …”).")
    if len(ends) < len(starts):
        ends += [0] * (len(starts) - len(ends))
        unended = next(start for start, end in zip(starts, ends, strict=True) if end < start)
        raise ReferenceError(f"RIS: the record starting on line {unended} has no end line “ER  -”.")
    entries = []
    for position, (start, record) in enumerate(
        zip(starts, rispy.loads(text, implementation=rispy.RisParser, **RIS_OPTIONS), strict=False), start=1
    ):
        label = f"RIS record {position} (line {start}{', ID ' + record['id'] if record.get('id') else ''})"
        try:
            entries.append(Entry(label, ris_record_item(record)))
        except ValueError as error:
            entries.append(Entry(label, {}, problem=str(error)))
    return entries


# --- CSL-JSON ----------------------------------------------------------------------------


def csl_json_document(items) -> str:
    return json.dumps(list(items), ensure_ascii=False, indent=2)


def read_csl_json(text: str) -> list[Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReferenceError(f"CSL-JSON: not JSON ({error.msg} at line {error.lineno}).") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ReferenceError("CSL-JSON: the file must hold an array of items.")
    entries = []
    for position, item in enumerate(data, start=1):
        label = f"CSL item {position}"
        if not isinstance(item, dict) or not isinstance(item.get("type", "document"), str):
            raise ReferenceError(f"{label}: an item must be an object with a “type”.")
        if item.get("id") not in (None, ""):
            label += f" (id {item['id']})"
        entries.append(Entry(label, {**item, "id": str(item.get("id") or "")}))
    return entries


# --- one format or another ---------------------------------------------------------------

READERS = {BIBTEX: read_bibtex, RIS: read_ris, CSL_JSON: read_csl_json}
WRITERS = {BIBTEX: bibtex_document, RIS: ris_document, CSL_JSON: csl_json_document}


def guess_format(text: str, filename: str = "") -> str:
    """The format of a file by its name's ending, else by its first characters."""
    ending = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    by_ending = {"bib": BIBTEX, "bibtex": BIBTEX, "ris": RIS, "json": CSL_JSON}
    if ending in by_ending:
        return by_ending[ending]
    start = text.lstrip()
    if start.startswith(("[", "{")):
        return CSL_JSON
    if start.startswith("TY  -") or "\nTY  -" in text:
        return RIS
    if "@" in text:
        return BIBTEX
    raise ReferenceError("The file is neither BibTeX, RIS nor CSL-JSON: name the format.")


def read_references(text: str, reference_format: str) -> list[Entry]:
    """The entries of a file in one of ``FORMATS``; a ``ReferenceError`` names what is wrong."""
    if reference_format not in READERS:
        raise ReferenceError(f"Unknown format “{reference_format}”: use one of {', '.join(FORMATS)}.")
    return READERS[reference_format](text.removeprefix("\ufeff"))


def _lines(names) -> str:
    return "\n".join(name.get("literal") or f"{name.get('family', '')}, {name.get('given', '')}" for name in names)


def _text(value) -> str:
    if isinstance(value, list):
        value = " ".join(str(part) for part in value)
    return "" if value is None else str(value).strip()


def source_fields(entry: Entry) -> dict:
    """The fields of a ``Source`` from a CSL item, as ``csl.source_to_csl`` would write them.

    The item's id becomes the slug when it is one (a key Casefile wrote); otherwise the
    slug is left empty, for the record to make one from its title.
    """
    item = entry.item
    try:
        issued, accessed = csl_partial_date(item.get("issued")), csl_partial_date(item.get("accessed"))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ReferenceError(f"{entry.label}: the date cannot be read ({error}).") from None
    slug = str(item.get("id", ""))
    return {
        "slug": slug if slug == slugify(slug) and len(slug) <= 120 else "",
        "kind": csl_kind(item),
        "authors": _lines(item.get("author") or []),
        "editors": _lines(item.get("editor") or []),
        "title": _text(item.get("title")),
        "container_title": _text(item.get("container-title")),
        "publisher": _text(item.get("publisher")),
        "publisher_place": _text(item.get("publisher-place")),
        "volume": _text(item.get("volume")),
        "issue": _text(item.get("issue")),
        "pages": _text(item.get("page")),
        "number": _text(item.get("number")),
        "date": issued,
        "place": _text(item.get("event-place")),
        "url": _text(item.get("URL")),
        "accessed": accessed,
        "language": _text(item.get("language")),
    }
