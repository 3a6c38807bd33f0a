"""factory_boy factories for every Casefile model."""

import factory

from apps.actors.models import Actor, Affiliation
from apps.agreements.models import Agreement, AgreementParty, AgreementStep
from apps.citations.models import Citation
from apps.core.choices import PublicationStatus
from apps.deployments.models import Deployment, DeploymentRole
from apps.events.models import Event, EventParticipant
from apps.exercises.models import Exercise, ExerciseParticipant, ExerciseSeries
from apps.places.models import Place
from apps.routes.models import Leg, Route, RouteConstraint
from apps.sources.models import Note, Source
from apps.whole_case.models import Collection, CollectionEntry


class RecordFactory(factory.django.DjangoModelFactory):
    publication_status = PublicationStatus.PUBLISHED

    class Meta:
        abstract = True


class SourceFactory(RecordFactory):
    kind = "news_report"
    title = factory.Sequence(lambda n: f"Report number {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    container_title = "Interfax-Kazakhstan"
    date = "9 June 2011"

    class Meta:
        model = Source


class NoteFactory(factory.django.DjangoModelFactory):
    document = factory.SubFactory(SourceFactory, kind="journal_article")
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Footnote text {n}.")

    class Meta:
        model = Note


class PlaceFactory(RecordFactory):
    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    kind = "city"

    class Meta:
        model = Place


class ActorFactory(RecordFactory):
    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = "state"

    class Meta:
        model = Actor


class AffiliationFactory(RecordFactory):
    member = factory.SubFactory(ActorFactory)
    organisation = factory.SubFactory(ActorFactory, kind="international_organisation")
    kind = "membership"

    class Meta:
        model = Affiliation


class AgreementFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Agreement {n}")
    slug = factory.Sequence(lambda n: f"agreement-{n}")
    kind = "treaty"

    class Meta:
        model = Agreement


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    agreement = factory.SubFactory(AgreementFactory)
    actor = factory.SubFactory(ActorFactory)
    role = "party"

    class Meta:
        model = AgreementParty


class AgreementStepFactory(factory.django.DjangoModelFactory):
    agreement = factory.SubFactory(AgreementFactory)
    kind = "signed"
    date = "12 November 2010"

    class Meta:
        model = AgreementStep


class DeploymentFactory(RecordFactory):
    name = factory.Sequence(lambda n: f"Deployment {n}")
    slug = factory.Sequence(lambda n: f"deployment-{n}")
    contributor = factory.SubFactory(ActorFactory)
    status = "proposed"
    personnel_qualifier = "exact"
    personnel_min = 4
    personnel_max = 4

    class Meta:
        model = Deployment


class DeploymentRoleFactory(factory.django.DjangoModelFactory):
    deployment = factory.SubFactory(DeploymentFactory)
    title = "medical officer"
    count = 1

    class Meta:
        model = DeploymentRole


class ExerciseSeriesFactory(RecordFactory):
    name = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")

    class Meta:
        model = ExerciseSeries


class ExerciseFactory(RecordFactory):
    name = factory.Sequence(lambda n: f"Exercise {n}")
    slug = factory.Sequence(lambda n: f"exercise-{n}")
    start = "September 2008"

    class Meta:
        model = Exercise


class ExerciseParticipantFactory(factory.django.DjangoModelFactory):
    exercise = factory.SubFactory(ExerciseFactory)
    actor = factory.SubFactory(ActorFactory)
    role = "participant"

    class Meta:
        model = ExerciseParticipant


class EventFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = "visit"
    date = "14 January 2009"

    class Meta:
        model = Event


class EventParticipantFactory(factory.django.DjangoModelFactory):
    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = "visitor"

    class Meta:
        model = EventParticipant


class RouteFactory(RecordFactory):
    name = factory.Sequence(lambda n: f"Route {n}")
    slug = factory.Sequence(lambda n: f"route-{n}")
    modes = "rail"
    status = "operational"
    # A spur names the place where it leaves its parent route (a database constraint).
    branch_place = factory.Maybe("branches_from", yes_declaration=factory.SubFactory(PlaceFactory))

    class Meta:
        model = Route


class LegFactory(factory.django.DjangoModelFactory):
    route = factory.SubFactory(RouteFactory)
    order = factory.Sequence(lambda n: n + 1)
    from_place = factory.SubFactory(PlaceFactory)
    to_place = factory.SubFactory(PlaceFactory)
    mode = "rail"

    class Meta:
        model = Leg


class RouteConstraintFactory(factory.django.DjangoModelFactory):
    route = factory.SubFactory(RouteFactory)
    kind = "container_size"
    text = "Restricted to 20-foot TEUs."

    class Meta:
        model = RouteConstraint


class CitationFactory(factory.django.DjangoModelFactory):
    source = factory.SubFactory(SourceFactory)
    actor = factory.SubFactory(ActorFactory)
    locator = "p. 1"
    passage = "A passage."

    class Meta:
        model = Citation


class CollectionFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Milestones table {n}")
    slug = factory.Sequence(lambda n: f"collection-{n}")
    source = factory.SubFactory(SourceFactory)
    locator = "Table 1"

    class Meta:
        model = Collection


class CollectionEntryFactory(factory.django.DjangoModelFactory):
    collection = factory.SubFactory(CollectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    label = factory.Sequence(lambda n: f"Milestone {n}")
    stated_date = "2007"
    event = factory.SubFactory(EventFactory)

    class Meta:
        model = CollectionEntry


class StaffUserFactory(factory.django.DjangoModelFactory):
    """A member of staff allowed to view every record: sees drafts on the public pages."""

    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True
    is_superuser = True

    class Meta:
        model = "auth.User"


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user; pass ``groups=["Analyst"]`` after ``manage.py setup_roles`` has run."""

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            from django.contrib.auth.models import Group

            self.groups.set(Group.objects.filter(name__in=names))
