from apps.core.pages import RecordDetailView, RecordListView, Sort, choice_facet, related_facet

from .filters import EventFilterSet
from .models import Event


class EventListView(RecordListView):
    model = Event
    filterset_class = EventFilterSet
    facets = (choice_facet(Event, "kind"), related_facet("place", "place", "Place"))
    row_fields = ("slug", "publication_status", "title", "kind", "date", "end", "place")
    sorts = (
        Sort("date", "Date", ("date", "title")),
        Sort("latest", "Latest first", ("-date", "title")),
        Sort("title", "Title", ("title",)),
        Sort("updated", "Recently updated", ("-edited", "-updated", "title")),
    )
    description = "Visits, speeches, votes, openings, attacks and flights that carry the story."


class EventDetailView(RecordDetailView):
    model = Event
    api_plural = "events"
