"""Partial dates: a date known only as precisely as the source states it.

Most dates in a case file are partial: "May 2009", "spring 2011", "late 2005",
"2006–2008", "c. 2007". A ``PartialDate`` keeps the earliest and latest day the
statement allows, how precise it is, and whether it is approximate ("circa").
It sorts by its earliest day, filters by overlap with a real date range, and
displays exactly as precisely as it is known.

``PartialDateField`` stores one in a single text column as
``YYYY-MM-DD/YYYY-MM-DD/precision[/c]``. Because both bounds are ISO dates at
fixed positions, the column sorts chronologically as text and range filters
compare the two ten-character bounds, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Substr

DAY = "day"
MONTH = "month"
SEASON = "season"
PART = "part"  # early / mid / late in a year
YEAR = "year"
YEARS = "years"  # a span of whole years, "2006–2008"

PRECISIONS = [
    (DAY, "day"),
    (MONTH, "month"),
    (SEASON, "season"),
    (PART, "part of a year"),
    (YEAR, "year"),
    (YEARS, "span of years"),
]
PRECISION_CODES = frozenset(code for code, _ in PRECISIONS)

# Northern-hemisphere meteorological seasons; winter YYYY runs from December YYYY
# to the end of February YYYY+1 (the winter that begins in that year).
SEASONS = {
    "spring": ((3, 1), (5, 31), 0),
    "summer": ((6, 1), (8, 31), 0),
    "autumn": ((9, 1), (11, 30), 0),
    "fall": ((9, 1), (11, 30), 0),
    "winter": ((12, 1), (2, 28), 1),
}
PARTS = {
    "early": ((1, 1), (4, 30)),
    "mid": ((5, 1), (8, 31)),
    "late": ((9, 1), (12, 31)),
}
# English month names, whatever the server's locale (calendar.month_name follows the
# locale, and formats the name anew on every lookup).
MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

CIRCA = re.compile(r"^(c\.|ca\.|circa|around|about|~)\s*", re.IGNORECASE)
DASHES = re.compile(r"\s*[–—-]\s*")


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to lie between ``earliest`` and ``latest`` (inclusive)."""

    earliest: dt.date
    latest: dt.date
    precision: str
    circa: bool = False

    def __post_init__(self):
        if self.precision not in PRECISION_CODES:
            raise ValueError(f"Unknown date precision “{self.precision}”.")
        if self.latest < self.earliest:
            raise ValueError("A date range cannot end before it starts.")

    # --- construction -------------------------------------------------
    @classmethod
    def day(cls, year, month, day, circa=False):
        date = dt.date(year, month, day)
        return cls(date, date, DAY, circa)

    @classmethod
    def month(cls, year, month, circa=False):
        return cls(dt.date(year, month, 1), dt.date(year, month, _last_day(year, month)), MONTH, circa)

    @classmethod
    def year(cls, year, circa=False):
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR, circa)

    @classmethod
    def years(cls, first, last, circa=False):
        return cls(dt.date(first, 1, 1), dt.date(last, 12, 31), YEARS, circa)

    @classmethod
    def season(cls, name, year, circa=False):
        (m1, d1), (m2, d2), carry = SEASONS[name.lower()]
        end_year = year + carry
        d2 = min(d2, _last_day(end_year, m2))
        return cls(dt.date(year, m1, d1), dt.date(end_year, m2, d2), SEASON, circa)

    @classmethod
    def part(cls, name, year, circa=False):
        (m1, d1), (m2, d2) = PARTS[name.lower()]
        return cls(dt.date(year, m1, d1), dt.date(year, m2, d2), PART, circa)

    @classmethod
    def from_storage(cls, text: str) -> PartialDate:
        """Read the stored form "2009-05-01/2009-05-31/month[/c]" (what the database
        holds), without trying the forms analysts write.

        Remembered per stored text: a partial date is immutable, and a page of records
        repeats the same few dates (every step signed on one day, every "2011"), so a
        page reads each distinct date once instead of once per row.
        """
        if cls is PartialDate:
            return _read_stored(text)
        return cls._from_storage(text)

    @classmethod
    def _from_storage(cls, text: str) -> PartialDate:
        parts = text.split("/")
        if (len(parts) == 3 or (len(parts) == 4 and parts[3] == "c")) and parts[2] in PRECISION_CODES:
            try:
                earliest, latest = dt.date.fromisoformat(parts[0]), dt.date.fromisoformat(parts[1])
            except ValueError:
                return cls.parse(text)
            return cls(earliest, latest, parts[2], len(parts) == 4 and parts[3] == "c")
        return cls.parse(text)

    @classmethod
    def parse(cls, text) -> PartialDate:
        """Read a date as an analyst writes it, or as it is stored.

        Accepts "2011-06-09", "9 June 2011", "June 9, 2011", "2011-05", "May 2009",
        "spring 2011", "late 2005", "2011", "2006–2008", "c. 2007", and the stored
        form "2009-05-01/2009-05-31/month".
        """
        if isinstance(text, PartialDate):
            return text
        if isinstance(text, dt.datetime):
            text = text.date()
        if isinstance(text, dt.date):
            return cls(text, text, DAY)
        if not isinstance(text, str | int):
            raise ValueError(f"Cannot read a date from {text!r}.")
        raw = str(text).strip()
        if not raw:
            raise ValueError("Empty date.")
        stored = re.fullmatch(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})/([a-z]+)(/c)?", raw)
        if stored:
            return cls(
                dt.date.fromisoformat(stored[1]),
                dt.date.fromisoformat(stored[2]),
                stored[3],
                bool(stored[4]),
            )
        circa = bool(CIRCA.match(raw))
        body = CIRCA.sub("", raw).strip().rstrip(".")
        try:
            return cls._parse_body(body, circa)
        except (ValueError, KeyError) as error:
            if "out of range" in str(error) or "must be in" in str(error):
                raise ValueError(f"“{raw}” is not a real date: {error}.") from None
            raise ValueError(
                f"“{raw}” is not a date Casefile can read. Write it as precisely as the source "
                "does: 2011-06-09, 9 June 2011, May 2009, spring 2011, late 2005, 2011, "
                "2006–2008, or c. 2007."
            ) from None

    @classmethod
    def _parse_body(cls, body, circa):
        lowered = body.lower()
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", lowered):
            return cls.day(int(m[1]), int(m[2]), int(m[3]), circa)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", lowered):
            return cls.month(int(m[1]), int(m[2]), circa)
        if m := re.fullmatch(r"(\d{4})", lowered):
            return cls.year(int(m[1]), circa)
        if m := re.fullmatch(r"(\d{4})(?:\s*[–—-]\s*|\s+to\s+)(\d{2,4})", lowered):
            first, last = int(m[1]), m[2]
            last = int(last) if len(last) == 4 else int(m[1][:2] + last)
            if last <= first:
                raise ValueError("a span of years must end after it starts")
            return cls.years(first, last, circa)
        if m := re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})", lowered):
            return cls.day(int(m[3]), MONTHS[m[2]], int(m[1]), circa)
        if m := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", lowered):
            return cls.day(int(m[3]), MONTHS[m[1]], int(m[2]), circa)
        if m := re.fullmatch(r"([a-z]+)\.?,?\s+(\d{4})", lowered):
            word, year = m[1], int(m[2])
            if word in MONTHS:
                return cls.month(year, MONTHS[word], circa)
            if word in SEASONS:
                return cls.season(word, year, circa)
            if word in PARTS:
                return cls.part(word, year, circa)
        raise ValueError("unreadable")

    # --- storage --------------------------------------------------------
    def to_storage(self) -> str:
        value = f"{self.earliest.isoformat()}/{self.latest.isoformat()}/{self.precision}"
        return value + "/c" if self.circa else value

    # --- display --------------------------------------------------------
    def display(self) -> str:
        e = self.earliest
        if self.precision == DAY:
            text = f"{e.day} {MONTH_NAMES[e.month]} {e.year}"
        elif self.precision == MONTH:
            text = f"{MONTH_NAMES[e.month]} {e.year}"
        elif self.precision == SEASON:
            name = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}[e.month]
            text = f"{name} {e.year}"
        elif self.precision == PART:
            name = {1: "early", 5: "mid", 9: "late"}[e.month]
            text = f"{name} {e.year}"
        elif self.precision == YEAR:
            text = str(e.year)
        else:
            text = f"{e.year}–{self.latest.year}"
        return f"c. {text}" if self.circa else text

    __str__ = display

    def overlaps(self, start: dt.date | None, end: dt.date | None) -> bool:
        return (end is None or self.earliest <= end) and (start is None or self.latest >= start)

    def sort_key(self):
        return (self.earliest, self.latest)

    def __lt__(self, other):
        return self.sort_key() < other.sort_key()

    def __le__(self, other):
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other):
        return self.sort_key() > other.sort_key()

    def __ge__(self, other):
        return self.sort_key() >= other.sort_key()

    def as_dict(self) -> dict:
        """The API form: {value, earliest, latest, precision, circa, display}."""
        return dict(_api_form(self))


@lru_cache(maxsize=4096)
def _read_stored(text: str) -> PartialDate:
    # Errors are not cached (lru_cache keeps only returned values).
    return PartialDate._from_storage(text)


@lru_cache(maxsize=4096)
def _api_form(date: PartialDate) -> dict:
    # Shared between equal dates: as_dict() hands out a copy, so no caller can change it.
    return {
        "value": date.to_storage(),
        "earliest": date.earliest.isoformat(),
        "latest": date.latest.isoformat(),
        "precision": date.precision,
        "circa": date.circa,
        "display": date.display(),
    }


# The forms ``PartialDate.parse`` reads, as the help text under every date box.
ACCEPTED_FORMATS = (
    "Dates as precise as the source: 2011-03-14, 14 March 2011, March 2011, spring 2011 "
    "(or summer, autumn, winter), early 2011 (or mid, late), 2011, 2006–2008; c. 2007 if approximate."
)


class PartialDateFormField(forms.CharField):
    """A text box that accepts a date as precisely as the source gives it."""

    def __init__(self, *args, **kwargs):
        # The field's own words (what the date is) first, then how it may be written:
        # every date box in the admin and its inlines says it the same way.
        own = kwargs.get("help_text")
        kwargs["help_text"] = f"{own} {ACCEPTED_FORMATS}" if own else ACCEPTED_FORMATS
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, PartialDate):
            return value.display()
        if isinstance(value, str) and value:
            try:
                return PartialDate.parse(value).display()
            except ValueError:
                return value
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_partial_date") from None


class PartialDateField(models.CharField):
    """A model field holding a ``PartialDate`` (see the module docstring)."""

    description = "A date with its precision (day, month, season, part of year, year, span)"

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 32
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        # No MaxLengthValidator (CharField adds one): the value is a PartialDate, whose stored
        # form always fits.
        self.validators[:] = [check for check in self.validators if not isinstance(check, MaxLengthValidator)]

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        return PartialDate.from_storage(value)

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, PartialDate):
            return value or None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_partial_date") from None

    def get_prep_value(self, value):
        if value is None or value == "":
            return None
        return self.to_python(value).to_storage()

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.to_storage() if value else None

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", PartialDateFormField)
        return models.Field.formfield(self, **kwargs)


class StoredBounds(models.Func):
    """A partial date's two ISO bounds as stored (its first 21 characters, "earliest/latest"),
    which sort as the dates do: for ordering, and for an index that serves that ordering.

    The positions are written into the SQL rather than passed as parameters: SQLite uses an
    index on an expression only for the very same expression, which a parameter is not.
    """

    template = "SUBSTR(%(expressions)s, 1, 21)"
    output_field = models.CharField()


class _BoundLookup(models.Lookup):
    """Compare one bound of a stored partial date with an ISO date, as text.

    ``field__earliest_lte=date`` and ``field__latest_gte=date`` are what a range
    filter needs; the right-hand side is a ``datetime.date`` or ISO string.
    """

    bound_start = 1
    operator = "<="

    def get_prep_lookup(self):
        return self.rhs.isoformat() if isinstance(self.rhs, dt.date) else str(self.rhs)

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = compiler.compile(Substr(self.lhs, self.bound_start, 10))
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} {self.operator} {rhs_sql}", (*lhs_params, *rhs_params)


@PartialDateField.register_lookup
class EarliestLte(_BoundLookup):
    lookup_name = "earliest_lte"
    bound_start = 1
    operator = "<="


@PartialDateField.register_lookup
class LatestGte(_BoundLookup):
    lookup_name = "latest_gte"
    bound_start = 12
    operator = ">="


def overlapping(field_name: str, start: dt.date | None, end: dt.date | None) -> models.Q:
    """Q object: the partial date in ``field_name`` may fall within [start, end].

    A record dated "May 2009" overlaps 2009-05-10…2009-06-30: precision is honoured
    by comparing the filter range with the whole span the date allows.
    """
    condition = models.Q()
    if end is not None:
        condition &= models.Q(**{f"{field_name}__earliest_lte": end})
    if start is not None:
        condition &= models.Q(**{f"{field_name}__latest_gte": start})
    return condition


def ends_not_before_start(start_field: str, end_field: str) -> models.Q:
    """Check-constraint condition: the end's latest day is not before the start's earliest.

    Compared as ISO text on the stored bounds, so "May 2011" to "2011" is allowed (the
    year can end after May) while "2011" to "2010" is refused.
    """
    from django.db.models.lookups import GreaterThanOrEqual

    return (
        models.Q(**{f"{start_field}__isnull": True})
        | models.Q(**{f"{end_field}__isnull": True})
        | models.Q(GreaterThanOrEqual(Substr(end_field, 12, 10), Substr(start_field, 1, 10)))
    )


END_BEFORE_START = "The end cannot come before the start."


def span_constraint(model_name: str, start_field: str = "start", end_field: str = "end") -> models.CheckConstraint:
    """The database's guard that a record's end does not come before its start
    (named ``<model>_end_not_before_start``); ``span_errors`` words it for forms."""
    return models.CheckConstraint(
        name=f"{model_name}_end_not_before_start",
        condition=ends_not_before_start(start_field, end_field),
        violation_error_message=END_BEFORE_START,
    )


def span_errors(record, start_field: str = "start", end_field: str = "end") -> dict[str, str]:
    """{end field: message} when the end's latest day is before the start's earliest, else {}."""
    start, end = getattr(record, start_field), getattr(record, end_field)
    if start and end and end.latest < start.earliest:
        return {end_field: END_BEFORE_START}
    return {}
