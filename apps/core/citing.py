"""How a reader cites a Casefile page: Chicago (notes and bibliography), BibTeX and RIS.

A page of the case file is cited as a web page of the publication “Casefile”, with its
title, its last editorial change and its address, so that a reader's note leads back to
the same record even after its text was corrected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

PUBLISHER = "Casefile"


@dataclass(frozen=True)
class PageCitation:
    title: str
    url: str
    modified: dt.date
    accessed: dt.date
    key: str

    @property
    def chicago(self) -> str:
        """Chicago, 17th edition, bibliography form of a web page."""
        return (
            f"{PUBLISHER}. “{self.title}.” Last modified {_long(self.modified)}. "
            f"Accessed {_long(self.accessed)}. {self.url}."
        )

    @property
    def bibtex(self) -> str:
        fields = {
            "title": "{" + _bibtex_text(self.title) + "}",  # braced: keep its capitals
            "author": "{" + PUBLISHER + "}",
            "year": str(self.modified.year),
            "url": self.url,
            "urldate": self.accessed.isoformat(),
            "note": f"Last modified {self.modified.isoformat()}",
        }
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
        return f"@misc{{{self.key},\n{body}\n}}"

    @property
    def ris(self) -> str:
        lines = [
            ("TY", "ELEC"),
            ("TI", self.title),
            ("AU", PUBLISHER),
            ("PB", PUBLISHER),
            ("PY", str(self.modified.year)),
            ("DA", self.modified.strftime("%Y/%m/%d")),
            ("Y2", self.accessed.strftime("%Y/%m/%d")),
            ("UR", self.url),
            ("ER", ""),
        ]
        return "\n".join(f"{tag}  - {value}".rstrip() for tag, value in lines)


def page_citation(record, url: str, *, today: dt.date | None = None) -> PageCitation:
    return PageCitation(
        title=str(record),
        url=url,
        modified=timezone.localdate(getattr(record, "edited", None) or record.created),
        accessed=today or timezone.localdate(),
        key=f"casefile-{record._meta.model_name}-{record.slug}",
    )


def _long(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


BIBTEX_ESCAPES = {"\\": "\\textbackslash{}", **{special: "\\" + special for special in "{}&%$#_"}}


def _bibtex_text(text: str) -> str:
    """Text safe inside a BibTeX field: its special characters escaped, in one pass."""
    return "".join(BIBTEX_ESCAPES.get(character, character) for character in text)
