"""Source exports that reference managers read as they are: CSL-JSON and BibTeX.

Both start from the CSL-JSON mapping in ``apps.sources.csl``; BibTeX is derived
from the CSL item, so the two exports never disagree.
"""

import json
import re

from rest_framework import renderers

BIBTEX_TYPES = {
    "article-journal": "article",
    "article-newspaper": "article",
    "article-magazine": "article",
    "book": "book",
    "chapter": "incollection",
    "report": "techreport",
}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
LATEX_SPECIALS = re.compile(r"([&%$#_])")


class CSLJSONRenderer(renderers.BaseRenderer):
    media_type = "application/vnd.citationstyles.csl+json"
    format = "csl-json"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def bibtex_text(value) -> str:
    """A field value in braces: balanced, with LaTeX's special characters escaped."""
    text = str(value).replace("{", "(").replace("}", ")")
    return LATEX_SPECIALS.sub(r"\\\1", text)


def bibtex_names(names) -> str:
    parts = []
    for name in names:
        if "literal" in name:
            parts.append("{" + bibtex_text(name["literal"]) + "}")  # an organisation: never split into names
        else:
            parts.append(f"{bibtex_text(name['family'])}, {bibtex_text(name['given'])}")
    return " and ".join(parts)


def bibtex_date_fields(date) -> dict:
    """year / month (BibTeX) and date (biblatex, ISO 8601 with ranges as a/b)."""
    parts = date.get("date-parts") or []
    if not parts:
        return {}
    first = parts[0]
    fields = {"year": str(first[0])}
    if len(first) > 1:
        fields["month"] = MONTHS[int(first[1]) - 1]
    iso = "-".join(f"{int(part):02d}" if index else str(part) for index, part in enumerate(first))
    if len(parts) > 1:
        iso += "/" + "-".join(str(part) for part in parts[1])
        fields["year"] = f"{first[0]}--{parts[1][0]}"
    fields["date"] = iso
    return fields


def csl_to_bibtex(item: dict) -> str:
    """One BibTeX entry from a CSL-JSON item (see ``apps.sources.csl.source_to_csl``)."""
    kind = BIBTEX_TYPES.get(item["type"], "misc")
    fields: dict[str, str] = {}
    for csl_key, bib_key in (("author", "author"), ("editor", "editor")):
        if item.get(csl_key):
            fields[bib_key] = bibtex_names(item[csl_key])
    fields["title"] = bibtex_text(item.get("title", ""))
    container = item.get("container-title")
    if container:
        container_key = {"article": "journal", "incollection": "booktitle"}.get(kind, "howpublished")
        fields[container_key] = bibtex_text(container)
    if item.get("publisher"):
        fields["institution" if kind == "techreport" else "publisher"] = bibtex_text(item["publisher"])
    simple = {"publisher-place": "address", "volume": "volume", "language": "language", "genre": "type"}
    for csl_key, bib_key in simple.items():
        if item.get(csl_key):
            fields[bib_key] = bibtex_text(item[csl_key])
    if item.get("issue") or item.get("number"):
        fields["number"] = bibtex_text(item.get("issue") or item.get("number"))
    if item.get("page"):
        fields["pages"] = bibtex_text(str(item["page"]).replace("–", "--"))
    if item.get("issued"):
        fields.update(bibtex_date_fields(item["issued"]))
        if item["issued"].get("circa"):
            fields["note"] = "Date approximate"
    if item.get("URL"):
        fields["url"] = item["URL"].replace("{", "%7B").replace("}", "%7D")
    if item.get("accessed"):
        fields["urldate"] = bibtex_date_fields(item["accessed"]).get("date", "")
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items() if value)
    return f"@{kind}{{{item['id']},\n{body}\n}}\n"


class BibTeXRenderer(renderers.BaseRenderer):
    media_type = "application/x-bibtex"
    format = "bibtex"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, list):  # an error: BibTeX has comments for that
            return f"% {json.dumps(data, ensure_ascii=False)}\n".encode()
        # A header comment keeps even an empty export a non-empty, typed response.
        entries = [f"% Casefile: {len(data)} source(s) as BibTeX\n", *(csl_to_bibtex(item) for item in data)]
        return "\n".join(entries).encode("utf-8")
