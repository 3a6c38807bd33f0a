from apps.core.pages import FacetSpec, RecordDetailView, RecordListView, Sort, choice_facet

from .choices import StepKind
from .filters import NO_STEPS, AgreementFilterSet, latest_step_kind
from .models import SHOWN_TITLE, Agreement


class AgreementListView(RecordListView):
    model = Agreement
    filterset_class = AgreementFilterSet
    facets = (
        FacetSpec(
            parameter="status",
            field="lifecycle_kind",
            label="Current status",
            choices=(*StepKind.choices, (NO_STEPS, "No dated steps")),
            annotation=latest_step_kind,
            empty=NO_STEPS,
        ),
        choice_facet(Agreement, "kind"),
        choice_facet(Agreement, "transit_mode", multiple=False),
        choice_facet(Agreement, "cargo_scope", multiple=False),
    )
    row_fields = ("slug", "publication_status", "title", "short_title", "kind", "period_start", "period_end")
    sorts = (
        Sort("title", "Title", (SHOWN_TITLE.asc(), "title")),
        Sort("period", "Period covered", ("period_start", "title")),
        Sort("updated", "Recently updated", ("-edited", "-updated", "title")),
    )
    description = "Treaties, memoranda, plans and laws, each with its parties and its dated lifecycle."


class AgreementDetailView(RecordDetailView):
    model = Agreement
    api_plural = "agreements"

    def cited_records(self, record):
        return [record, *record.ordered_steps()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement, user = self.object, self.request.user
        visible = set(Agreement.objects.visible_to(user).values_list("pk", flat=True))
        context.update(
            steps=agreement.ordered_steps(),
            supersedes=[other for other in agreement.supersedes_list if other.pk in visible],
            superseded_by=[other for other in agreement.superseded_by_list if other.pk in visible],
            deployments=agreement.deployments.visible_to(user).with_related(),
            # The routes app sits beside deployments, above agreements: read through the relation.
            routes=agreement.routes.visible_to(user).order_by("name"),
        )
        return context
