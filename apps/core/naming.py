"""How a kind of record is named, and what makes two records of a kind look alike.

A record's slug is derived from its title or name when it is created without one, so
the URL readers get says what the record is ("kazakhstan", not "6c1271159df8"). An
analyst about to add a record that is already in the case file is warned by
``look_alikes``. Each kind says which of its fields count in one ``Identity``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.text import slugify


@dataclass(frozen=True)
class Identity:
    """The fields that identify a kind of record.

    ``title``: the field that names it (its slug is derived from it; the admin's
    autocomplete ranks exact matches of it first). ``aliases``: other names, one a line,
    ranked like the title. ``date`` and ``parties`` (lookup paths to the actors taking
    part): two records with the same parties on the same date look alike.
    """

    title: str | None = None
    aliases: str | None = None
    date: str | None = None
    parties: tuple[str, ...] = ()


# Russian and Kazakh Cyrillic as the case file's English sources spell it (BGN/PCGN-like);
# other scripts lose their accents only (Mäjilis → majilis) through slugify.
CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
            "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
            "a", "gh", "q", "ng", "o", "u", "u", "h", "i",
        ],
        strict=True,
    )
)
LATIN_LETTERS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "þ": "th"}


def transliterate(text: str) -> str:
    """``text`` in plain Latin letters, for slugs and for comparing titles."""
    letters = []
    for char in text:
        lower = char.lower()
        latin = CYRILLIC.get(lower, LATIN_LETTERS.get(lower))
        if latin is None:
            letters.append(char)
        else:
            letters.append(latin.capitalize() if char != lower else latin)
    return unicodedata.normalize("NFKD", "".join(letters)).encode("ascii", "ignore").decode("ascii")


def slug_base(text: str, max_length: int) -> str:
    """``text`` as a slug, cut at a word boundary to fit ``max_length``."""
    slug = slugify(transliterate(text))
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-")


def unique_slug(model, text: str, *, exclude_pk=None) -> str:
    """A slug for a new ``model`` row named ``text``: its slugified name, or with ``-2``,
    ``-3`` … when another row of the kind has that slug already."""
    max_length = model._meta.get_field("slug").max_length
    base = slug_base(text, max_length) or model._meta.model_name
    taken_rows = model._default_manager.filter(slug__startswith=base[: max_length - 4])
    if exclude_pk is not None:
        taken_rows = taken_rows.exclude(pk=exclude_pk)
    taken = set(taken_rows.values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = slug_base(base, max_length - len(suffix)) + suffix
        if candidate not in taken:
            return candidate
        number += 1


def normalised_title(text: str) -> str:
    """A title as compared for look-alikes: Latin letters, lower case, no punctuation."""
    words = re.sub(r"[^a-z0-9]+", " ", transliterate(text or "").lower())
    return " ".join(words.split())


# Titles this close (difflib's ratio, 0–1) read as the same title with a typo or a variant.
SIMILAR_TITLE_RATIO = 0.9


def similar_titles(first: str, second: str) -> bool:
    if not first or not second:
        return False
    if first == second:
        return True
    matcher = SequenceMatcher(None, first, second)
    # The quick upper bounds first: most pairs of titles are far apart.
    return (
        matcher.real_quick_ratio() >= SIMILAR_TITLE_RATIO
        and matcher.quick_ratio() >= SIMILAR_TITLE_RATIO
        and matcher.ratio() >= SIMILAR_TITLE_RATIO
    )


def party_ids(record) -> set:
    """The actors taking part in a saved ``record``, by key, along its ``parties`` paths."""
    model = type(record)
    found = set()
    for path in model.identity.parties:
        values = model._default_manager.filter(pk=record.pk).values_list(path, flat=True)
        found.update(value for value in values if value is not None)
    return found


def look_alikes(record) -> list:
    """Saved records of ``record``'s kind that look like it: a similar title, or the same
    parties on the same date. For a warning, never a refusal: two agreements may share a
    title, two visits the same day and the same hosts."""
    model = type(record)
    identity = model.identity
    others = model._default_manager.exclude(pk=record.pk)
    found = {}
    if identity.title:
        title = normalised_title(getattr(record, identity.title))
        if title:
            for pk, other_title in others.values_list("pk", identity.title).iterator():
                if similar_titles(title, normalised_title(other_title)):
                    found[pk] = None
    date = getattr(record, identity.date) if identity.date else None
    parties = party_ids(record) if identity.parties and date is not None else set()
    if parties:
        for other in others.filter(**{identity.date: date}).exclude(pk__in=found):
            if party_ids(other) == parties:
                found[other.pk] = other
    loaded = model._default_manager.in_bulk([pk for pk, other in found.items() if other is None])
    return sorted(
        (other or loaded[pk] for pk, other in found.items()),
        key=lambda other: (str(other).lower(), other.pk),
    )
