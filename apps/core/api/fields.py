"""Serializer fields shared by every app's API: partial dates and compact related records."""

import re
import weakref

from django.urls import NoReverseMatch, reverse
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from apps.core.dates import PartialDate
from apps.core.models import readable_by, visible_rows, withhold_references

_DETAIL_PATHS: dict = {}
# Each request's scheme and host, for as long as the request lives: worked out once per
# request rather than once per link, as a page links to hundreds of records.
_REQUEST_HOSTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# What a slug can hold (Django's SlugField): text with anything else names no record, and is
# not sent to the database (PostgreSQL refuses a NUL character in a query with an error).
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def is_slug(text) -> bool:
    return isinstance(text, str) and SLUG.fullmatch(text) is not None


def detail_path(model) -> str | None:
    """The API detail path template of a model ("/api/v1/actors/{slug}/"), or None.

    Reversed once per model and cached: a page of 100 records with a few relations
    each would otherwise reverse hundreds of URLs.
    """
    if model not in _DETAIL_PATHS:
        meta = model._meta
        try:
            _DETAIL_PATHS[model] = reverse(
                f"{meta.app_label}-api:{meta.model_name}-detail", kwargs={"slug": "__slug__"}
            )
        except NoReverseMatch:
            _DETAIL_PATHS[model] = None
    return _DETAIL_PATHS[model]


def api_url(record, request) -> str | None:
    """Absolute API URL of a record (None for records without an endpoint)."""
    path = detail_path(type(record))
    if path is None:
        return None
    path = path.replace("__slug__", record.slug)
    if request is None:
        return path
    host = _REQUEST_HOSTS.get(request)
    if host is None:
        host = _REQUEST_HOSTS[request] = request.build_absolute_uri("/")[:-1]
    return host + path


def record_name(record) -> str:
    """What a reader calls the record: its short title, name or title."""
    return (
        getattr(record, "short_title", "") or getattr(record, "name", "") or getattr(record, "title", "") or str(record)
    )


def viewer(request):
    """Who asks: the request's user (None, seen as anonymous, without a request)."""
    return getattr(request, "user", None)


def compact(record, request) -> dict | None:
    """The compact form of a related record: {slug, name, kind, url}; None for a record
    the viewer may not see (a published record's reference to a draft is withheld)."""
    user = viewer(request)
    if record is None or not readable_by(user, record):
        return None
    # A name computed from its own references (an affiliation's) names only what the viewer
    # sees; a line that cannot stand without a hidden one (a leg from a draft place) is withheld.
    if not withhold_references(record, user):
        return None
    return {
        "slug": record.slug,
        "name": record_name(record),
        "kind": getattr(record, "kind", None),
        "url": api_url(record, request),
    }


class PartialDateField(serializers.Field):
    """A partial date: written as text ("May 2009", "c. 2007", "2006–2008", or the stored
    form "2009-05-01/2009-05-31/month"), or as {"value": …}; read as
    {value, precision, display, earliest, latest, circa}."""

    csv_suffixes = ("_earliest", "_latest")  # CSV columns beside the display text

    default_error_messages = {"invalid": "{message}"}

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)  # given by ModelSerializer for the text column
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.as_dict() if value else None

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("value")
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("invalid", message="Give the date as text, e.g. “2011-06-09”, “May 2009” or “c. 2007”.")
        if isinstance(data, str) and not data.strip():
            if self.allow_null:
                return None
            self.fail("invalid", message="This date is required.")
        try:
            return PartialDate.parse(data)
        except ValueError as error:
            self.fail("invalid", message=str(error))

    def validate_empty_values(self, data):
        if data == "" and not self.required:
            return (True, None)
        return super().validate_empty_values(data)


class CompactListField(serializers.ManyRelatedField):
    """A list of related records in compact form, without those the viewer may not see."""

    def to_representation(self, iterable):
        return [item for item in super().to_representation(iterable) if item is not None]


class CompactRelatedField(serializers.SlugRelatedField):
    """A related record: written as its slug, read as {slug, name, kind, url}, or null when
    the viewer may not see it (a draft, to anyone who does not see drafts of its kind)."""

    csv_suffixes = ("_name",)  # CSV column beside the slug

    default_error_messages = {
        "does_not_exist": "No {model} with the slug “{value}”.",
        "invalid": "Give the slug of the record, as text.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            if not is_slug(data):
                raise queryset.model.DoesNotExist
            return queryset.get(slug=data)
        except queryset.model.DoesNotExist:
            self.fail("does_not_exist", model=queryset.model._meta.verbose_name, value=str(data)[:120])
        except (TypeError, ValueError):
            self.fail("invalid")

    def get_queryset(self):
        # A record the writer may not see is named by a slug that names nothing, as for
        # a reader's filter.
        return visible_rows(super().get_queryset(), viewer(self.context.get("request")))

    def get_choices(self, cutoff=None):
        """The browsable API's form offers the records by slug (a compact form cannot key a choice)."""
        queryset = self.get_queryset()
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {record.slug: self.display_value(record) for record in queryset}

    def to_representation(self, value):
        return compact(value, self.context.get("request"))

    def use_pk_only_optimization(self):
        return False

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **{k: v for k, v in kwargs.items() if k != "many"})}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return CompactListField(**list_kwargs)


class TimestampField(serializers.DateTimeField):
    """A stored UTC timestamp in ISO 8601, written as it is stored: DRF's field would
    convert each value to the current time zone, which for a UTC value changes nothing."""

    def to_representation(self, value):
        if not value:
            return None
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
