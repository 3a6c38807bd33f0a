from apps.core.pages import RecordDetailView, RecordListView, Sort, choice_facet, related_facet

from .filters import PlaceFilterSet
from .models import Place


class PlaceListView(RecordListView):
    model = Place
    filterset_class = PlaceFilterSet
    facets = (choice_facet(Place, "kind"), related_facet("within", "within", "Within"))
    row_fields = ("slug", "publication_status", "name", "kind", "within")
    sorts = (
        Sort("name", "Name", ("name",)),
        Sort("kind", "Kind", ("kind", "name")),
        Sort("updated", "Recently updated", ("-edited", "-updated", "name")),
    )
    description = "Countries, cities, bases, airfields, ports and training centres named in the case."


class PlaceDetailView(RecordDetailView):
    model = Place
    api_plural = "places"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        place, user = self.object, self.request.user
        # What happened here, through the reverse relations of the record apps above places.
        steps = place.agreement_steps.visible_to(user)
        happenings = [
            *(
                (step.date, step, f"{step.agreement} — {step.get_kind_display().lower()}", "agreement step")
                for step in steps.select_related("agreement", "acting_body")
            ),
            *(
                (d.start, d, d.name, "deployment")
                for d in place.deployments.visible_to(user).with_related()
            ),
            *(
                (e.start, e, e.name, "exercise")
                for e in place.exercises.visible_to(user).with_related()
            ),
            *(
                (e.date, e, e.title, e.get_kind_display().lower())
                for e in (place.events.all() | place.events_touching.all()).distinct().visible_to(user).with_related()
            ),
        ]
        # Undated records go last; the rest in date order, as on the timeline.
        happenings.sort(key=lambda row: (row[0] is None, row[0].sort_key() if row[0] else ()))
        # Routes through here: their legs start, end or cross here (the routes app sits above places).
        legs = (
            (place.legs_from.all() | place.legs_to.all() | place.legs_crossing.all())
            .distinct()
            .visible_to(user)
            .select_related("route", "from_place", "to_place")
            .order_by("route__name", "route", "order")
        )
        context.update(
            route_legs=legs,
            contains=Place.objects.visible_to(user).filter(within=place).order_by("name"),
            happenings=[{"date": d, "record": r, "title": t, "kind": k} for d, r, t, k in happenings],
        )
        return context
