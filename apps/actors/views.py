from django.db.models import Q

from apps.agreements.models import Agreement
from apps.casefiles.pages import RecordDetailView, RecordListView, Sort, choice_facet
from apps.deployments.models import Deployment
from apps.events.models import Event
from apps.exercises.models import Exercise

from .filters import ActorFilterSet
from .models import Actor, Affiliation


class ActorListView(RecordListView):
    model = Actor
    filterset_class = ActorFilterSet
    facets = (choice_facet(Actor, "kind"),)
    sorts = (
        Sort("name", "Name", ("name",)),
        Sort("kind", "Kind", ("kind", "name")),
        Sort("updated", "Recently updated", ("-updated", "name")),
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
        agreements = Agreement.objects.visible_to(user).filter(
            Q(party_roles__actor=actor) | Q(steps__acting_body=actor)
        )
        context.update(
            children=Actor.objects.visible_to(user).filter(parent=actor).order_by("name"),
            memberships=self.memberships,
            members=self.members,
            agreements=Agreement.objects.filter(pk__in=agreements.values("pk")).with_related(),
            deployments=Deployment.objects.visible_to(user)
            .filter(Q(contributor=actor) | Q(unit=actor) | Q(mission=actor))
            .with_related(),
            exercises=Exercise.objects.visible_to(user).filter(participations__actor=actor).distinct().with_related(),
            events=Event.objects.visible_to(user).filter(involvements__actor=actor).distinct().with_related(),
        )
        return context

    def cited_records(self, record):
        return [record, *self.memberships, *self.members]
