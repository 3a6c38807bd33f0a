"""Shared pieces of the per-model FilterSets (used by the API and the public list pages).

Every app's ``filters.py`` declares one FilterSet per model on top of
``RecordFilterSet``, which gives each of them the same free-text ``q``, the same
publication-status filter and the same precision-aware ``date_from`` / ``date_to``.
"""

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import IsoDateTimeField

from apps.core.choices import PublicationStatus
from apps.core.dates import overlapping
from apps.core.models import related_model


def span_overlapping(start_field, end_field, date_from, date_to, *, open_ended=False):
    """Q: the record's span [start, end] may overlap [date_from, date_to].

    A record without an end lasts until its start's latest day, unless the span is
    ``open_ended`` (an affiliation with no end is taken as ongoing). Precision is
    honoured: "May 2009" spans 2009-05-01…2009-05-31.
    """
    condition = models.Q()
    if date_to is not None:
        condition &= models.Q(**{f"{start_field}__earliest_lte": date_to})
    if date_from is not None:
        still_running = models.Q(**{f"{end_field}__isnull": True})
        if not open_ended:
            still_running &= models.Q(**{f"{start_field}__latest_gte": date_from})
        condition &= models.Q(**{f"{end_field}__latest_gte": date_from}) | still_running
    return condition


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering, ending with the record's key.

    Records that tie on the chosen order (every place of one kind, with ``?ordering=kind``)
    would otherwise come in whatever order the database finds them, which may differ from
    one page to the next: a client paging through would see some records twice and miss
    others. Each model's default ordering ends with its key for the same reason.
    """

    def filter(self, queryset, value):
        queryset = super().filter(queryset, value)
        ordering = queryset.query.order_by
        if value in EMPTY_VALUES or not ordering:
            return queryset
        if isinstance(ordering[-1], str) and ordering[-1].lstrip("-") in {"pk", "id"}:
            return queryset
        return queryset.order_by(*ordering, "pk")


class UTCTimeField(IsoDateTimeField):
    """An ISO 8601 time, turned into UTC before it reaches the database.

    Python reads offsets up to ±23:59, PostgreSQL refuses those beyond ±15:59 with an
    error (a 500, found by schemathesis); in UTC every offset is the same instant. A time
    whose UTC form falls outside the years 1–9999 (9999-12-31T23:00-05:00) is refused.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(dt.UTC)
        except OverflowError:
            raise ValidationError("Give a time between the years 1 and 9999.", code="invalid") from None


class ChangedFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCTimeField


class StrictBooleanField(forms.Field):
    """true or false, as the API's schema declares a boolean; left out or empty: no filter.
    Any other value ("null", "1", "yes") is refused rather than read as "no filter", which
    would answer with every record."""

    def to_python(self, value):
        if value in EMPTY_VALUES:
            return None
        if isinstance(value, bool):
            return value
        try:
            return {"true": True, "false": False}[value]
        except KeyError:
            raise ValidationError(f"Give true or false, not “{value}”.", code="invalid") from None


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class RelatedSlugFilter(django_filters.CharFilter):
    """The slug of a related record (``field_name`` is the relation's path): matches the
    records tied to it, if the request's user may see it (``FreeTextFilterSet.named``)."""

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        return queryset.filter(self.parent.related_named(self.field_name, value))


class FreeTextFilterSet(django_filters.FilterSet):
    """Base FilterSet with the free-text ``q``.

    Subclasses set ``search_fields`` when their QuerySet has no ``matching(text)``.
    """

    search_fields = ()

    q = django_filters.CharFilter(
        method="filter_q",
        label="Free text: matches names, aliases, titles and summaries (case-insensitive).",
    )
    # For clients that keep a copy: ask for what changed since the last ``updated`` seen
    # (inclusive, so a record saved in the same instant as the last one read is not missed).
    updated_since = ChangedFilter(
        field_name="updated",
        lookup_expr="gte",
        label="Only records last changed at or after this time (ISO 8601, e.g. 2026-11-28T04:45:44Z; "
        "the value of a record's “updated” works as it is).",
    )
    updated_before = ChangedFilter(
        field_name="updated",
        lookup_expr="lt",
        label="Only records last changed before this time (ISO 8601).",
    )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if self.search_fields:
            condition = models.Q()
            for field in self.search_fields:
                condition |= models.Q(**{f"{field}__icontains": value})
            return queryset.filter(condition)
        return queryset.matching(value)

    def named(self, model, slug):
        """The ``model`` record with this slug, as a queryset, if the request's user may see
        it: a filter naming a hidden record (a draft, for a reader) then answers exactly as
        for a slug that names nothing. None when no slug is given."""
        if slug in EMPTY_VALUES:
            return None
        return model._default_manager.visible_to(getattr(self.request, "user", None)).filter(slug=slug)

    def related_named(self, relation, slug):
        """Q: the record's ``relation`` (a field path) is the record named by ``slug`` (``named``)."""
        return models.Q(**{f"{relation}__in": self.named(related_model(self.queryset.model, relation), slug)})

    def first_given(self, name, *names):
        """True for the first of ``names`` the request gives, so filters read together apply once."""
        given = [other for other in names if self.form.cleaned_data.get(other) not in (None, "", [])]
        return bool(given) and given[0] == name


class RecordFilterSet(FreeTextFilterSet):
    """Free text plus publication status: the base of every record's FilterSet."""

    publication_status = django_filters.ChoiceFilter(
        choices=PublicationStatus.choices,
        label="Publication status (anonymous readers only ever see published records).",
    )


class DateRangeCheck:
    """A filter form's check that ``date_from`` is not after ``date_to``: said plainly,
    rather than answered with an empty list a reader would believe."""

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to",
                f"The range ends ({date_to:%-d %B %Y}) before it begins ({date_from:%-d %B %Y}): swap the two dates.",
            )
        return cleaned


class DatedFilterSet(RecordFilterSet):
    """Adds a precision-aware ``date_from`` / ``date_to``; subclasses implement
    ``filter_dates(queryset, date_from, date_to)``."""

    date_from = django_filters.DateFilter(
        method="filter_date_range",
        label="Only records whose date may fall on or after this day (YYYY-MM-DD). "
        "Partial dates match by their whole span: “May 2009” matches any range touching May 2009.",
    )
    date_to = django_filters.DateFilter(
        method="filter_date_range",
        label="Only records whose date may fall on or before this day (YYYY-MM-DD), precision honoured.",
    )

    def get_form_class(self):
        # django-filter builds the form class per filterset; the range check rides on it.
        return type(f"{type(self).__name__}Form", (DateRangeCheck, super().get_form_class()), {})

    def filter_date_range(self, queryset, name, value):
        # Both bounds are applied together, once, so a span must overlap the whole range.
        if not self.first_given(name, "date_from", "date_to"):
            return queryset
        return self.filter_dates(
            queryset, self.form.cleaned_data.get("date_from"), self.form.cleaned_data.get("date_to")
        )

    def filter_dates(self, queryset, date_from, date_to):
        raise NotImplementedError


class SingleDateFilterSet(DatedFilterSet):
    """For models dated by one partial-date field (``date_field``)."""

    date_field = "date"

    def filter_dates(self, queryset, date_from, date_to):
        return queryset.filter(overlapping(self.date_field, date_from, date_to))


class SpanFilterSet(DatedFilterSet):
    """For models dated by a start and an end (deployments, exercises, affiliations)."""

    start_field, end_field, open_ended = "start", "end", False

    def filter_dates(self, queryset, date_from, date_to):
        return queryset.filter(
            span_overlapping(self.start_field, self.end_field, date_from, date_to, open_ended=self.open_ended)
        )


def involving(relation_model, record_field, actor_lookup="actor", actors=None, **extra):
    """Exists(...) over a through table: the record involves one of ``actors`` (a
    queryset, such as ``FreeTextFilterSet.named`` gives; any actor when None), with
    ``extra`` conditions such as a role.

    An Exists subquery rather than a join keeps each record once in the list, with
    no DISTINCT over wide rows.
    """
    lookup = {f"{actor_lookup}__in": actors} if actors is not None else {}
    return models.Exists(relation_model.objects.filter(**{record_field: models.OuterRef("pk")}, **lookup, **extra))


def participation_filterset(relation_model, record_field, role_choices):
    """Base FilterSet for records with actors in roles (events, exercises): ``participant``
    (or ``actor``) and ``role``, applied together on the same participation."""

    class ParticipationFilterSet(django_filters.FilterSet):
        participant = django_filters.CharFilter(
            method="filter_participant", label="Slug of an actor taking part (in any role, or the one in “role”)."
        )
        actor = django_filters.CharFilter(
            method="filter_participant", label="Slug of an actor involved in any role (same as “participant”)."
        )
        role = django_filters.ChoiceFilter(
            choices=role_choices,
            method="filter_participant",
            label="With “participant”: only that role. Alone: records where some actor has that role.",
        )

        def filter_participant(self, queryset, name, value):
            if not self.first_given(name, "participant", "actor", "role"):
                return queryset
            data = self.form.cleaned_data
            extra = {"role": data["role"]} if data.get("role") else {}
            actors = self.named(related_model(relation_model, "actor"), data.get("participant") or data.get("actor"))
            return queryset.filter(involving(relation_model, record_field, actors=actors, **extra))

    return ParticipationFilterSet
