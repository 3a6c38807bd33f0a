"""The case file as a whole: overview, timeline, the actor network and search."""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.core.paginator import Paginator
from django.http import QueryDict
from django.urls import reverse
from django.views.generic import TemplateView

from apps.actors.models import Actor
from apps.core.filters import DateRangeCheck
from apps.core.pages import RecordDetailView
from apps.sources.models import Source

from .integrity import CASE_DOCUMENT_SLUG
from .models import Collection, CollectionEntry
from .network import TIE_TYPES, Network
from .registry import navigation_types, overview_types
from .search import search
from .timeline import ENTRY_TYPES, Timeline, collection_marks

RECENT = 8
# Timeline entries per page: the whole Vigilant Eagle case file fits on one.
TIMELINE_PAGE = 500
# Up to this many actors, the timeline's actor selector lists them all; beyond it, the
# actors named on the page shown (with thousands of actors the selector was most of the
# page's weight). Every actor's own page links to its timeline.
TIMELINE_ACTOR_CHOICES = 300


class OverviewView(TemplateView):
    template_name = "whole_case/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        sections = []
        recent = []
        for record_type in overview_types():
            model = record_type.model
            visible = model.objects.visible_to(user)
            sections.append(
                {
                    "name": record_type.key,
                    "label": model._meta.verbose_name_plural,
                    "count": visible.count(),
                    "blurb": record_type.blurb,
                    "url": reverse(record_type.list_url_name),
                }
            )
            # Changed by an editorial write, not merely loaded with the case file.
            recent += list(visible.filter(edited__isnull=False).order_by("-edited", "-pk")[:RECENT])
        recent.sort(key=lambda record: record.edited, reverse=True)
        timeline = Timeline(user)
        dated_count = timeline.count()
        context.update(
            sections=sections,
            recent=recent[:RECENT],
            first=timeline[0] if dated_count else None,
            last=timeline.last() if dated_count else None,
            dated_count=dated_count,
            document=Source.objects.visible_to(user).filter(slug=CASE_DOCUMENT_SLUG).first(),
        )
        return context


class TimelineView(TemplateView):
    """Every dated record and step by year, filterable by type and actor (kept in the URL)."""

    template_name = "whole_case/timeline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        types = [name for name in self.request.GET.getlist("type") if name in ENTRY_TYPES]
        actor_slug = self.request.GET.get("actor", "").strip()
        actor = Actor.objects.visible_to(user).filter(slug=actor_slug).first() if actor_slug else None
        collections = list(Collection.objects.visible_to(user).only("slug", "title").order_by("title"))
        collection_slug = self.request.GET.get("collection", "").strip()
        collection = next((c for c in collections if c.slug == collection_slug), None)
        entries = Timeline(user, types=types or None, actor=actor if actor else None, collection=collection)
        if (actor_slug and actor is None) or (collection_slug and collection is None):
            entries = Timeline(user, types=[])
        paginator = Paginator(entries, TIMELINE_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        shown = list(page.object_list)
        marks, titles = collection_marks(user), {c.slug: c for c in collections}
        for entry in shown:
            listed = [] if entry.phase == "end" else marks.get((entry.type, entry.record.pk), [])
            entry.in_collections = [titles[slug] for slug in listed if slug in titles]
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            years=[(year, list(group)) for year, group in groupby(shown, key=lambda entry: entry.year)],
            year_pages=entries.year_pages(TIMELINE_PAGE).items(),
            page_obj=page,
            paginator=paginator,
            page_query=query.urlencode(),
            total=len(entries),
            entry_types=ENTRY_TYPES,
            chosen_types=types,
            actor=actor,
            actor_slug=actor_slug,
            collections=collections,
            collection=collection,
            collection_slug=collection_slug,
            chart_data_url=self.chart_data_url(types, actor, actor_slug, collection, collection_slug),
            **self.actor_choices(user, shown, actor),
        )
        return context

    @staticmethod
    def chart_data_url(types, actor, actor_slug, collection, collection_slug):
        """The chart's one request: the dataset with the filters the page applied (an actor
        or collection the reader cannot see leaves the chart empty, as it leaves the list)."""
        url = reverse("whole_case-api:timeline-dataset")
        if (actor_slug and actor is None) or (collection_slug and collection is None):
            return None
        query = QueryDict(mutable=True)
        query.setlist("type", types)
        if actor is not None:
            query["actor"] = actor.slug
        if collection is not None:
            query["collection"] = collection.slug
        return f"{url}?{query.urlencode()}" if query else url

    @staticmethod
    def actor_choices(user, shown, actor):
        """The actors the selector offers: all of them, or those on the page (and the chosen one)."""
        visible = Actor.objects.visible_to(user)
        total = visible.count()
        if total <= TIMELINE_ACTOR_CHOICES:
            everyone = visible.order_by("name").only("slug", "name")
            return {"actors": everyone, "actors_total": total, "actors_on_page": False}
        named = {person["slug"]: person["name"] for entry in shown for person in entry.actors}
        if actor is not None:
            named[actor.slug] = actor.name
        choices = [{"slug": slug, "name": name} for slug, name in sorted(named.items(), key=lambda pair: pair[1])]
        return {"actors": choices, "actors_total": total, "actors_on_page": True}


class NetworkFilterForm(DateRangeCheck, forms.Form):
    type = forms.MultipleChoiceField(choices=list(TIE_TYPES.items()), required=False,
                                     widget=forms.CheckboxSelectMultiple, label="Ties through")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))


class NetworkView(TemplateView):
    """Actors tied by the records that name them together: a chart drawn in the browser
    from ``/api/v1/network/`` (with this page's filters), and the same ties as a table."""

    template_name = "whole_case/network.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = NetworkFilterForm(self.request.GET or None)
        params = form.cleaned_data if form.is_valid() else {}
        network = Network(
            self.request.user,
            types=params.get("type") or None,
            date_from=params.get("date_from"),
            date_to=params.get("date_to"),
        )
        context.update(
            form=form,
            network=network,
            tie_types=TIE_TYPES,
            data_url=reverse("whole_case-api:network") + (f"?{self.request.GET.urlencode()}" if params else ""),
        )
        return context


class CollectionDetailView(RecordDetailView):
    """A collection's entries in the source's order, each linked to its record; entries
    pointing to what the reader may not see are left out."""

    model = Collection
    api_plural = "collections"
    template_name = "whole_case/collection_detail.html"

    def cited_records(self, record):
        return []  # a collection names its source itself; it has no citations

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = CollectionEntry.objects.visible_to(self.request.user).filter(collection=self.object)
        context["entries"] = entries.with_targets().order_by("position", "pk")
        return context


class SearchView(TemplateView):
    """Every kind of record at once, kinds in the order of their best result, each result
    with a snippet of where the words were found; a close spelling offered when the words
    typed name nothing (``search.search``)."""

    template_name = "whole_case/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = search(self.request.user, self.request.GET.get("q", ""))
        list_urls = {record_type.key: reverse(record_type.list_url_name) for record_type in navigation_types()}
        for group in found.groups:
            group.list_url = list_urls.get(group.key)
        context.update(q=found.q, groups=found.groups, total=found.total, suggestion=found.suggestion)
        return context
