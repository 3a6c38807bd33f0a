from django.db.models import Q

from apps.core.pages import RecordDetailView, RecordListView, Sort, choice_facet

from .filters import ActorFilterSet
from .models import Actor, Affiliation


class ActorListView(RecordListView):
    model = Actor
    filterset_class = ActorFilterSet
    facets = (choice_facet(Actor, "kind"),)
    row_fields = ("slug", "publication_status", "name", "kind", "aliases", "parent", "country")
    sorts = (
        Sort("name", "Name", ("name",)),
        Sort("kind", "Kind", ("kind", "name")),
        Sort("updated", "Recently updated", ("-edited", "-updated", "name")),
    )
    description = "States, organisations, programmes, units, chambers and people who act in the case."


class ActorDetailView(RecordDetailView):
    model = Actor
    api_plural = "actors"

    def get_context_data(self, **kwargs):
        actor, user = self.object, self.request.user
        affiliations = (
            Affiliation.objects.visible_to(user)
            .filter(Q(member=actor) | Q(organisation=actor))
            .filter(member__in=Actor.objects.visible_to(user), organisation__in=Actor.objects.visible_to(user))
            .with_related()
            .order_by("start", "pk")
        )
        # In the order the page shows them, so the note numbers run in reading order.
        self.memberships = [a for a in affiliations if a.member_id == actor.pk]
        self.members = [a for a in affiliations if a.member_id != actor.pk]
        context = super().get_context_data(**kwargs)
        # An actor's records come through the reverse relations of the record apps above
        # actors (their models are not imported here: they depend on actors, not the reverse).
        agreements = actor.agreements.model.objects.visible_to(user).filter(
            Q(party_roles__actor=actor) | Q(steps__acting_body=actor)
        )
        deployments = actor.contributed_deployments.model.objects.visible_to(user)
        context.update(
            children=Actor.objects.visible_to(user).filter(parent=actor).order_by("name"),
            memberships=self.memberships,
            members=self.members,
            agreements=agreements.model.objects.filter(pk__in=agreements.values("pk")).with_related(),
            deployments=deployments.filter(Q(contributor=actor) | Q(unit=actor) | Q(mission=actor)).with_related(),
            exercises=actor.exercises.visible_to(user).distinct().with_related(),
            events=actor.events.visible_to(user).distinct().with_related(),
        )
        return context

    def cited_records(self, record):
        return [record, *self.memberships, *self.members]
