"""CSV export of any list: the same rows as the JSON, flattened one record per line.

Related records become their slug (plus a ``<field>_name`` column), partial dates
their display text (plus ``<field>_earliest`` / ``<field>_latest``), lists of
related records slugs joined by "; ".
"""

import csv
import io
from decimal import Decimal

import orjson
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework import renderers


class JSONRenderer(ORJSONRenderer):
    """JSON encoded by orjson: the same document as DRF's encoder writes, several times
    faster (README, "API performance"). Asked for with an ``indent`` (``Accept: application/json; indent=4``, or by
    the browsable API), it is indented by two spaces, the only indent orjson writes."""

    @staticmethod
    def default(value):
        # A decimal field that is not coerced to text (coordinates) is a JSON number, as
        # DRF's own encoder writes it; drf-orjson-renderer would follow the global
        # COERCE_DECIMAL_TO_STRING setting and write a string.
        if isinstance(value, Decimal):
            return float(value)
        return ORJSONRenderer.default(value)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        # Errors of a nested list are keyed by position ({"parties": {0: …}}): written as
        # "0", as the json module writes them.
        options = self.options | orjson.OPT_NON_STR_KEYS
        if accepted_media_type and self.wants_indent(accepted_media_type, renderer_context or {}):
            options |= orjson.OPT_INDENT_2
        return orjson.dumps(data, default=self.default, option=options)

    def wants_indent(self, accepted_media_type, renderer_context):
        if self.html_media_type in accepted_media_type:
            return True  # the browsable API shows the document to a person
        if "indent" not in accepted_media_type and "indent" not in renderer_context:
            return False  # the usual request: no media type to parse
        return bool(renderers.JSONRenderer().get_indent(accepted_media_type, renderer_context))


def is_date(value):
    return isinstance(value, dict) and "precision" in value and isinstance(value.get("display"), str)


def is_compact(value):
    return isinstance(value, dict) and isinstance(value.get("slug"), str) and "url" in value


def flatten_value(value):
    """One cell: a list or nested object as short text."""
    if value is None:
        return ""
    if is_date(value):
        return value["display"]
    if is_compact(value):
        return value["slug"]
    if isinstance(value, dict):
        parts = (flatten_value(item) for key, item in value.items() if key not in {"slug", "url"})
        return ", ".join(part for part in parts if part)
    if isinstance(value, list):
        return "; ".join(flatten_value(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten_row(row: dict) -> dict:
    flat = {}
    for key, value in row.items():
        if is_date(value):
            flat[key] = value["display"]
            flat[f"{key}_earliest"] = value["earliest"]
            flat[f"{key}_latest"] = value["latest"]
        elif is_compact(value):
            flat[key] = value["slug"]
            flat[f"{key}_name"] = value["name"]
        else:
            flat[key] = flatten_value(value)
    return flat


def serializer_columns(view) -> list[str]:
    """The CSV columns of a view's serializer, so every export has the same header: each
    field, and after it the columns its value flattens into (``csv_suffixes``)."""
    try:
        fields = view.get_serializer().fields
    except (AssertionError, AttributeError):  # a view without a serializer: the data's keys only
        return []
    columns = []
    for name, field in fields.items():
        columns.append(name)
        columns += [name + suffix for suffix in getattr(field, "csv_suffixes", ())]
    return columns


class _Line:
    """A file for ``csv.writer`` that hands each written line back instead of keeping it."""

    def write(self, line):
        return line


def csv_stream(columns, rows, lines_per_chunk=1000):
    """The CSV of ``rows`` (records as the API shows them), produced as it is read: an
    export of a large case file holds one chunk of lines in memory, not the whole file."""
    writer = csv.DictWriter(_Line(), fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    chunk = [writer.writeheader()]
    for row in rows:
        chunk.append(writer.writerow(flatten_row(row)))
        if len(chunk) >= lines_per_chunk:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            return self.render_error(data)
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):  # a single record
            data = [data]
        rows = [flatten_row(row) for row in data or []]
        view = (renderer_context or {}).get("view")
        columns = serializer_columns(view) if view is not None and response is not None else []
        for row in rows:
            columns.extend(key for key in row if key not in columns)
        output = io.StringIO()
        writer = csv.DictWriter(output, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        return output.getvalue().encode("utf-8")

    def render_error(self, data):
        """An error as two columns, field and message (``detail`` for errors of the whole request)."""
        output = io.StringIO()
        writer = csv.writer(output, lineterminator="\r\n")
        writer.writerow(["field", "message"])
        items = data.items() if isinstance(data, dict) else [("detail", data)]
        for field, message in items:
            writer.writerow([field, flatten_value(message)])
        return output.getvalue().encode("utf-8")
