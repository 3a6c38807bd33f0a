from apps.core.pages import RecordDetailView, RecordListView, Sort, choice_facet

from .filters import RouteFilterSet
from .models import Route


class RouteListView(RecordListView):
    model = Route
    filterset_class = RouteFilterSet
    facets = (choice_facet(Route, "status"),)
    row_fields = ("slug", "publication_status", "name", "modes", "status", "branches_from", "branch_place")
    sorts = (
        Sort("name", "Name", ("name",)),
        Sort("status", "Status", ("status", "name")),
        Sort("updated", "Recently updated", ("-edited", "-updated", "name")),
    )
    description = (
        "Supply routes and air lines of communication into Afghanistan, leg by leg, as the sources describe them."
    )


class RouteDetailView(RecordDetailView):
    model = Route
    api_plural = "routes"

    def cited_records(self, record):
        return [record, *record.leg_list, *record.constraint_list]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        route, user = self.object, self.request.user
        visible = set(
            Route._meta.get_field("permitted_by").related_model.objects.visible_to(user).values_list("pk", flat=True)
        )
        context.update(
            permitted_by=[agreement for agreement in route.permitted_by_list if agreement.pk in visible],
            spurs=route.spurs.visible_to(user).order_by("name"),
        )
        return context
