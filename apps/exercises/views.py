from django.views.generic import DetailView

from apps.core.pages import (
    GoneOrMovedMixin,
    RecordDetailView,
    RecordListView,
    Sort,
    admin_change_url,
    is_staff,
    related_facet,
)

from .filters import ExerciseFilterSet
from .models import Exercise, ExerciseSeries


class ExerciseListView(RecordListView):
    model = Exercise
    filterset_class = ExerciseFilterSet
    facets = (related_facet("series", "series", "Series"), related_facet("location", "location", "Location"))
    row_fields = ("slug", "publication_status", "name", "series", "start", "end", "location")
    sorts = (
        Sort("start", "Date", ("start", "name")),
        Sort("name", "Name", ("name",)),
        Sort("updated", "Recently updated", ("-edited", "-updated", "name")),
    )
    description = "Military exercises and the editions of recurring series such as Steppe Eagle."


class ExerciseDetailView(RecordDetailView):
    model = Exercise
    api_plural = "exercises"


class ExerciseSeriesDetailView(GoneOrMovedMixin, DetailView):
    """A recurring exercise and its editions (not cited itself: its editions are)."""

    model = ExerciseSeries
    template_name = "exercises/exerciseseries_detail.html"

    def get_queryset(self):
        return ExerciseSeries.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            editions=Exercise.objects.visible_to(self.request.user).filter(series=self.object).with_related(),
            admin_url=admin_change_url(self.object) if is_staff(self.request.user) else None,
            is_draft=not self.object.is_published,
        )
        return context
