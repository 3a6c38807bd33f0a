"""The two page shapes every record type shares: a filtered list and a detail page.

A list page reads its filters from the same FilterSet as the API, counts the
records beside each filter option (one aggregate query per facet, and one more for
the labels of a facet over related records), sorts and
paginates; a detail page reads one record by slug and numbers its citations as
notes. Both start from the model's ``visible_to(user).with_related()``, so drafts
stay with staff and the number of queries does not grow with the records shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, F, Q, QuerySet, When, Window
from django.db.models.functions import Rank
from django.db.models.lookups import IsNull
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView

from . import selectors
from .api.pagination import MAX_PAGE_SIZE
from .caching import cached_by_revision, keys_digest
from .citing import page_citation
from .models import (
    related_model,
    sees_drafts,  # noqa: F401 (also re-exported for the record apps' views)
    withhold_hidden,
)

# A detail page numbers the citations of the records it shows. Citations sit above every
# record app, so the citations app plugs in the function that reads and formats them
# (``CitationsConfig.ready``); a record app's page gets notes without importing it.
_page_notes = None


def provide_page_notes(function):
    """Register ``function(user, records)`` → the page's numbered notes (iterable, with
    ``numbers_for(record)``)."""
    global _page_notes
    _page_notes = function


def page_notes(user, records):
    if _page_notes is None:
        raise RuntimeError("No page notes provider: is apps.citations in INSTALLED_APPS?")
    return _page_notes(user, records)


def is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff)


def admin_change_url(record) -> str | None:
    meta = record._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return None


def admin_changelist_url(model) -> str | None:
    meta = model._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    except NoReverseMatch:
        return None


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    """Counts of the matching records per value of one filter (kind, status …).

    ``hidden`` counts the values left out: a facet over related records shows the
    ``FACET_LIMIT`` most frequent (and any chosen), not thousands of actors.
    """

    name: str
    label: str
    options: list[FacetOption]
    hidden: int = 0


FACET_LIMIT = 12


@dataclass(frozen=True)
class FacetSpec:
    """One facet of a list page: a FilterSet parameter and what to count it by.

    ``field`` is a field path (or the name of ``annotation``) holding the parameter's
    values; labels come from ``choices`` or, for a related record, ``label_field``.
    ``multiple`` facets accept several values (a MultipleChoiceFilter); the others
    hold one value, and choosing another replaces it. ``empty`` is the parameter
    value that stands for records with no value (None).
    """

    parameter: str
    field: str
    label: str
    choices: tuple = ()
    label_field: str | None = None
    multiple: bool = True
    annotation: Any = None
    empty: str | None = None


def choice_facet(model, name, *, multiple=True) -> FacetSpec:
    field = model._meta.get_field(name)
    return FacetSpec(
        parameter=name,
        field=name,
        label=str(field.verbose_name).capitalize(),
        choices=tuple(field.choices),
        multiple=multiple,
    )


def related_facet(parameter, relation, label, *, label_field="name") -> FacetSpec:
    """A facet over a related record, by slug (contributor, series, location …)."""
    return FacetSpec(
        parameter=parameter,
        field=f"{relation}__slug",
        label=label,
        label_field=f"{relation}__{label_field}",
        multiple=False,
    )


def may_be_empty(model, path) -> bool:
    """Whether the field at ``path`` ("start", "contributor__name") may hold no value."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.null:
            return True
        model = field.related_model
    return False


def unknown_last(term, model) -> list:
    """Ordering terms that put records without the value (undated, no head count) after
    the rest, whichever way the sort runs and whatever the database's habit.

    Written as "is it empty" and then the value rather than as NULLS LAST, which SQLite
    cannot read from an index: an index on the same terms (a model's page-order index)
    serves the sort on SQLite and PostgreSQL alike. A column that always holds a value is
    sorted as it is, in the order of its plain index.
    """
    if not isinstance(term, str):
        return [term]
    name = term.removeprefix("-")
    value = F(name).desc() if term.startswith("-") else F(name).asc()
    return [IsNull(F(name), True).asc(), value] if may_be_empty(model, name) else [value]


def unshown_fields(model, shown) -> list[str]:
    """The concrete fields of ``model`` other than its key and ``shown``."""
    return [field.name for field in model._meta.concrete_fields if not field.primary_key and field.name not in shown]


def query_with(query: list[tuple[str, list[str]]], parameter: str, values: list[str]) -> str:
    """``query`` (name, values) pairs as a query string, with ``parameter`` holding
    ``values`` (none: left out) in its place, or added last."""
    pairs = [(name, values if name == parameter else held) for name, held in query]
    if all(name != parameter for name, _ in query):
        pairs.append((parameter, values))
    return urlencode(pairs, doseq=True)


@dataclass(frozen=True)
class Sort:
    key: str
    label: str
    ordering: tuple  # field names or expressions; the record's key is added as the last tie-breaker


class RecordListView(ListView):
    """A list page: FilterSet filters, facets with counts, sorting, pagination.

    Subclasses set ``model``, ``filterset_class`` (the API's FilterSet), ``facets``
    (``FacetSpec``s), ``sorts`` (the first is the default) and ``description``.
    The FilterSet's own ``ordering`` parameter is not used: ``sort`` names one of
    the page's sorts, which is followed by the record's key, so that records that tie
    keep one order from page to page.
    """

    filterset_class = None
    facets: tuple[FacetSpec, ...] = ()
    sorts: tuple[Sort, ...] = ()
    # The record's own fields the rows show (its related records' through ``with_related``);
    # the others (descriptions, notes, timestamps) are not read. Empty: every field.
    row_fields: tuple[str, ...] = ()
    search_param = "q"
    export_formats = (("csv", "CSV"),)  # (API format, label): the API's streamed, unpaged downloads
    paginate_by = 25
    description = ""

    def base_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def filter_queryset(self, queryset, data):
        if self.filterset_class is None:
            return queryset, None
        filterset = self.filterset_class(data=data, queryset=queryset, request=self.request)
        if not filterset.is_valid():
            return queryset.none(), filterset
        return filterset.qs, filterset

    def get_paginate_by(self, queryset):
        """``page_size`` records a page when the reader asks (1 to the API's maximum), so a
        page can show as many rows as an API page; anything else gives the default."""
        wanted = self.request.GET.get("page_size", "")
        if wanted.isdigit() and 1 <= int(wanted) <= MAX_PAGE_SIZE:
            return int(wanted)
        return self.paginate_by

    def current_sort(self) -> Sort:
        wanted = self.request.GET.get("sort")
        return next((sort for sort in self.sorts if sort.key == wanted), self.sorts[0])

    def read_filters(self):
        self.filtered, self.filterset = self.filter_queryset(self.base_queryset(), self.filter_data())

    def get_queryset(self):
        self.read_filters()
        ordering = [part for term in self.current_sort().ordering for part in unknown_last(term, self.model)]
        rows = self.filtered.with_related()
        if self.row_fields:
            rows = rows.defer(*unshown_fields(self.model, self.row_fields))
        return rows.order_by(*ordering, "pk")

    def filter_data(self) -> QueryDict:
        data = self.request.GET.copy()
        for name in ("page", "sort", "page_size"):
            data.pop(name, None)
        return data

    def exports(self) -> list[tuple[str, str]]:
        """(label, URL) of the API's downloads of this list with the page's filters: every
        matching record, not just this page."""
        opts = self.model._meta
        try:
            url = reverse(f"{opts.app_label}-api:{opts.model_name}-list")
        except NoReverseMatch:
            return []
        # Only the filters: the API refuses parameters it does not take (a tracking tag the page ignored).
        query = self.filter_data()
        filters = set(self.filterset_class.base_filters) if self.filterset_class is not None else set()
        for name in set(query) - filters:
            query.pop(name)
        downloads = []
        for format_name, label in self.export_formats:
            query["format"] = format_name
            downloads.append((label, f"{url}?{query.urlencode()}"))
        return downloads

    def facet_counts(self, spec: FacetSpec, chosen=()) -> tuple[list[tuple[str, str, int]], int]:
        """(value, label, count) of the matching records, ignoring the facet's own filter,
        and how many values were left out: one grouped query, and for a facet over related
        records one more for the labels of the values shown (``related_counts``)."""
        data = self.filter_data()
        if spec.parameter in data:
            data.pop(spec.parameter)
            queryset, _ = self.filter_queryset(self.base_queryset(), data)
        else:  # the list's own filters: read them once, not once more per facet
            queryset = self.filtered
        # A filter over a relation with many rows (an event's places) may hold a record twice,
        # and is then counted once (DISTINCT); without filters each record is there once, and
        # counting rows spares the database a distinct set per value over every record.
        count = Count("pk", distinct=any(values for _, values in data.lists()))
        if spec.label_field:
            return self.related_counts(spec, queryset, chosen, count)
        if spec.annotation is not None:
            queryset = queryset.annotate(**{spec.field: spec.annotation()})
        counted = {}
        for row in queryset.order_by().values(spec.field).annotate(count=count):
            value = row[spec.field]
            if value is None:
                if spec.empty is None:
                    continue
                value = spec.empty
            counted[value] = row["count"]
        return [(value, label, counted[value]) for value, label in spec.choices if value in counted], 0

    def related_counts(self, spec: FacetSpec, queryset, chosen, count) -> tuple[list[tuple[str, str, int]], int]:
        """A facet over related records, which may have thousands of values (every actor
        that sent personnel): the ``FACET_LIMIT`` most frequent (ties by label), any
        ``chosen`` beyond them, and how many values there are in all.

        The records are counted by the related record's key, from the list's own table and
        index, with no join to the related table; the database ranks the keys and sends only
        those that may be shown (the most frequent and any tied with the last of them), and
        a second query reads the slugs and labels of just those. Grouping every matching
        record by the related record's slug and label instead costs several times more.
        """
        relation, slug_field = spec.field.rsplit("__", 1)
        label_field = spec.label_field.rsplit("__", 1)[1]
        related = related_model(self.model, relation)
        ranking = [F("count").desc()]
        if chosen:
            is_chosen = Q(**{f"{relation}__in": related._default_manager.filter(**{f"{slug_field}__in": chosen})})
            ranking.insert(0, Case(When(is_chosen, then=0), default=1).asc())
        keys = list(
            queryset.filter(self.visible_or_none(relation, none=spec.empty is not None))
            .order_by()
            .values(relation)
            .annotate(count=count)
            .annotate(values_counted=Window(Count("*")), rank=Window(Rank(), order_by=ranking))
            .filter(rank__lte=FACET_LIMIT + len(chosen))
            .values_list(relation, "count", "values_counted")
        )
        counts = {key: count for key, count, _ in keys}
        values_counted = keys[0][2] if keys else 0
        # The database's order of the labels (its collation), as the list's sort uses.
        labelled = (
            related._default_manager.filter(pk__in=[key for key in counts if key is not None])
            .order_by(label_field, slug_field)
            .values_list("pk", slug_field, label_field)
            if counts
            else []
        )
        rows = [(slug, label, counts[key]) for key, slug, label in labelled]
        if None in counts:  # the records with no related record (``empty``), labelled by the empty value
            rows.insert(0, (spec.empty, None, counts[None]))
        # Most frequent first, ties in label order (a stable sort); the chosen values, whatever
        # their count, beside the FACET_LIMIT most frequent others, and last among their equals.
        by_count = sorted(rows, key=lambda row: -row[2])
        others = [row for row in by_count if row[0] not in chosen][:FACET_LIMIT]
        ranked = sorted(others + [row for row in by_count if row[0] in chosen], key=lambda row: -row[2])
        kept = ranked[:FACET_LIMIT] + [row for row in ranked[FACET_LIMIT:] if row[0] in chosen]
        return kept, max(values_counted - len(kept), 0)

    def visible_or_none(self, relation, *, none=True):
        """Q: the records' ``relation`` is a record the reader may see (or, with ``none``,
        empty), so a facet never offers one they may not (a draft contributor, to a reader)."""
        model = related_model(self.model, relation)
        visible = Q(**{f"{relation}__in": model._default_manager.visible_to(self.request.user)})
        return Q(**{f"{relation}__isnull": True}) | visible if none else visible

    def all_facet_counts(self) -> dict[str, tuple[list[tuple[str, str, int]], int]]:
        """``facet_counts`` of every facet, by parameter, kept by revision for readers.

        The counts depend on the filters only: a reader who turns the page, sorts or asks
        for more rows reuses them until the next write, and only the first request after a
        write counts (``cached_by_revision``; staff and writers always count afresh). The
        unfiltered list's counts are counted once the write commits (``readers_facets``):
        its first reader finds them stored."""
        filters = sorted((name, sorted(values)) for name, values in self.filter_data().lists())
        return cached_by_revision(self.facets_key(filters), self.count_facets, stored=not filters)

    def facets_key(self, filters) -> str:
        """Names the list, its facets (counts stored by code that had others are not read)
        and the filters."""
        facets = ",".join(spec.parameter for spec in self.facets)
        return f"facets:{self.model._meta.label_lower}:{facets}:{keys_digest(filters)}"

    def count_facets(self) -> dict[str, tuple[list[tuple[str, str, int]], int]]:
        get = self.request.GET
        return {spec.parameter: self.facet_counts(spec, get.getlist(spec.parameter)) for spec in self.facets}

    @classmethod
    def readers_facets(cls, **initkwargs) -> tuple[str, dict]:
        """(key, counts) of the unfiltered list's facets as an anonymous reader is shown them,
        for ``core.caching.store_after_writes``."""
        request = HttpRequest()
        request.method = "GET"
        request.user = AnonymousUser()
        view = cls(**initkwargs)
        view.setup(request)
        view.read_filters()
        return view.facets_key([]), view.count_facets()

    def build_facets(self) -> list[Facet]:
        result = []
        all_counts = self.all_facet_counts() if self.facets else {}
        # The page's query without its page number, in its order: each option's link changes
        # one parameter of it (a QueryDict copied per option costs more than the counts).
        query = [(name, values) for name, values in self.request.GET.lists() if name != "page"]
        for spec in self.facets:
            chosen = self.request.GET.getlist(spec.parameter)
            options = []
            counted, hidden = all_counts[spec.parameter]
            counted = list(counted)
            known = {value for value, _, _ in counted}
            labels = dict(spec.choices)
            counted += [(value, labels.get(value, value), 0) for value in chosen if value not in known]
            for value, label, count in counted:
                if value in chosen:
                    values = [v for v in chosen if v != value]
                elif spec.multiple:
                    values = [*chosen, value]
                else:
                    values = [value]
                url = f"?{query_with(query, spec.parameter, values)}"
                options.append(FacetOption(value=value, label=label, count=count, selected=value in chosen, url=url))
            result.append(Facet(name=spec.parameter, label=spec.label, options=options, hidden=hidden))
        return result

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        shown = withhold_hidden(context["object_list"], self.request.user)
        context["object_list"] = shown
        if page is not None:
            page.object_list = shown
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        context.update(
            filterset=self.filterset,
            facets=self.build_facets(),
            sorts=self.sorts,
            current_sort=self.current_sort(),
            search_param=self.search_param,
            search_value=self.request.GET.get(self.search_param, ""),
            total=context["paginator"].count,
            page_query=query.urlencode(),
            sort_query=sort_query.urlencode(),
            is_filtered=any(item.strip() for _, values in self.filter_data().lists() for item in values),
            admin_url=admin_changelist_url(self.model) if is_staff(self.request.user) else None,
            page_description=self.description,
            exports=self.exports(),
            verbose_name=self.model._meta.verbose_name,
            verbose_name_plural=self.model._meta.verbose_name_plural,
        )
        return context


class GoneOrMovedMixin:
    """A detail page whose slug leads nowhere now answers from the history: 301 to the
    record's current page when it was renamed, 410 Gone naming what it was and when it
    was removed when it was deleted, and a plain 404 otherwise — including for whoever
    does not see drafts, when the slug was only ever a draft's or the record is one now.
    Read afresh on each request: nothing is cached that a restore or a rename would outdate."""

    gone_template_name = "gone.html"

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            answer = self.gone_or_moved(request, self.kwargs.get(self.slug_url_kwarg))
            if answer is None:
                raise
            return answer
        return self.render_to_response(self.get_context_data(object=self.object))

    def gone_or_moved(self, request, slug):
        if not slug:
            return None
        fate = selectors.slug_fate(self.model, slug, request.user, sees_drafts=sees_drafts(request.user, self.model))
        if isinstance(fate, selectors.Moved):
            query = request.META.get("QUERY_STRING", "")
            response = HttpResponsePermanentRedirect(fate.record.get_absolute_url() + (f"?{query}" if query else ""))
        elif isinstance(fate, selectors.Gone):
            response = TemplateResponse(request, self.gone_template_name, {"gone": fate}, status=410)
        else:
            return None
        # Browsers keep 301s and 410s unless told otherwise; a restore or a new record under
        # the slug would then never be seen.
        add_never_cache_headers(response)
        return response


class RecordDetailView(GoneOrMovedMixin, DetailView):
    """One record by slug, with its citations as numbered notes.

    ``api_plural`` names the record's API collection (/api/v1/<plural>/<slug>/);
    ``cited_records(record)`` lists the records whose citations the page numbers
    (the record itself, plus sub-records such as an agreement's steps). A renamed or
    deleted record's old address answers from its history (``GoneOrMovedMixin``).
    """

    api_plural = ""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).with_related()

    def get_object(self, queryset=None):
        record = super().get_object(queryset)
        withhold_hidden([record], self.request.user)
        return record

    def cited_records(self, record):
        return [record]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        context.update(
            notes=page_notes(self.request.user, self.cited_records(record)),
            api_url=f"/api/v1/{self.api_plural}/{record.slug}/" if self.api_plural else None,
            admin_url=admin_change_url(record) if is_staff(self.request.user) else None,
            is_draft=not record.is_published,
            cite=page_citation(record, self.request.build_absolute_uri(record.get_absolute_url())),
        )
        return withhold_in_context(context, self.request.user)


def withhold_in_context(context, user):
    """The records a page lists beside its own (an actor's agreements, a place's
    deployments), read and withheld from as the page's record is (``withhold_hidden``)."""
    for name, value in context.items():
        if isinstance(value, QuerySet) and hasattr(value.model, "publication_status"):
            context[name] = withhold_hidden(value, user)
        elif isinstance(value, list) and value and hasattr(value[0], "publication_status"):
            withhold_hidden(value, user)
    return context
