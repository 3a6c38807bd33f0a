"""Build a large synthetic case file, for benchmarks (never on a database you care about).

At ``--scale 1`` (the default) it writes about 10,000 actors, 5,000 agreements with
4 lifecycle steps and 3 parties each, 20,000 deployments, 50,000 sources and
200,000 citations, plus places, affiliations, exercises, events and routes (with their
legs), in bulk.
Rows respect every database constraint; 1 record in 10 is a draft.
"""

import itertools
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

from apps.actors.choices import ActorKind, AffiliationKind
from apps.actors.models import Actor, Affiliation
from apps.agreements.choices import AgreementKind, PartyRole
from apps.agreements.models import Agreement, AgreementParty, AgreementStep
from apps.citations.choices import Stance
from apps.citations.models import Citation
from apps.core.choices import PublicationStatus, Reliability
from apps.core.dates import PartialDate
from apps.core.models import CaseFileRevision
from apps.deployments.choices import DeploymentStatus
from apps.deployments.models import Deployment, DeploymentRole
from apps.events.choices import EventKind, EventRole
from apps.events.models import Event, EventParticipant
from apps.exercises.models import Exercise, ExerciseParticipant
from apps.places.choices import PlaceKind
from apps.places.models import Place
from apps.routes.choices import RouteMode, RouteStatus
from apps.routes.models import Leg, Route
from apps.sources.chicago import store_formatted
from apps.sources.choices import SourceKind
from apps.sources.models import Source

# Records per kind at scale 1.
COUNTS = {
    "places": 2_000,
    "actors": 10_000,
    "affiliations": 5_000,
    "sources": 50_000,
    "agreements": 5_000,
    "deployments": 20_000,
    "exercises": 2_000,
    "events": 10_000,
    "routes": 1_000,
    "citations": 200_000,
}
STEPS_PER_AGREEMENT = 4
PARTIES_PER_AGREEMENT = 3
LEGS_PER_ROUTE = 3
STEP_KINDS = [("proposed", 0), ("signed", 1), ("approved_by_chamber", 2), ("entered_into_force", 3)]
CITED = ["actor", "agreement", "deployment", "event", "agreement_step", "exercise", "place", "affiliation"]


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic case file for benchmarks: at --scale 1 about 10,000 actors, "
        "5,000 agreements (4 steps, 3 parties each), 20,000 deployments, 50,000 sources and 200,000 "
        "citations, written with bulk_create in batches. Refuses a database that already holds records "
        "unless --force is given. Use a separate database (DATABASE_URL=sqlite:////tmp/bench.sqlite3)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Multiply every count (default 1.0).")
        parser.add_argument("--batch-size", type=int, default=2_000, help="Rows per INSERT batch (default 2000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data (default 1).")
        parser.add_argument("--force", action="store_true", help="Add to a database that already has records.")

    def handle(self, *args, scale, batch_size, seed, force, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if Actor.objects.exists() and not force:
            raise CommandError("The database already holds records; use an empty database or pass --force.")
        self.random = random.Random(seed)
        self.batch_size = batch_size
        self.prefix = f"syn{seed}"
        counts = {name: max(1, round(number * scale)) for name, number in COUNTS.items()}
        total = sum(counts.values()) + counts["agreements"] * (STEPS_PER_AGREEMENT + PARTIES_PER_AGREEMENT)
        total += counts["deployments"] + 3 * counts["exercises"] + 2 * counts["events"]
        total += counts["routes"] * (2 * LEGS_PER_ROUTE + 1)  # legs, their countries, the agreement permitting each
        total += counts["sources"]  # their Chicago forms
        with tqdm(total=total, unit="rows", desc="synthetic case file", disable=options["verbosity"] == 0) as bar:
            self.bar = bar
            with transaction.atomic():
                self.build(counts)
                CaseFileRevision.advance()  # bulk_create sends no signals
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Built: " + ", ".join(f"{n} {name}" for name, n in counts.items())))
        # Written in bulk, around the signals that keep the search index current.
        self.stdout.write("To search these records, run `manage.py rebuild_search_index`.")

    # --- helpers --------------------------------------------------------
    def insert(self, model, rows, *, keep=True):
        """bulk_create ``rows`` (any iterable) in batches; return them (with pks) when ``keep``."""
        created, rows = [], iter(rows)
        while batch := list(itertools.islice(rows, self.batch_size)):
            model.objects.bulk_create(batch, batch_size=self.batch_size)
            if keep:
                created += batch
            self.bar.update(len(batch))
        return created

    def status(self):
        return PublicationStatus.DRAFT if self.random.random() < 0.1 else PublicationStatus.PUBLISHED

    def date(self, year_from=1995, year_to=2015):
        """A partial date at a random precision."""
        year = self.random.randint(year_from, year_to)
        roll = self.random.random()
        if roll < 0.5:
            return PartialDate.day(year, self.random.randint(1, 12), self.random.randint(1, 28))
        if roll < 0.8:
            return PartialDate.month(year, self.random.randint(1, 12))
        if roll < 0.9:
            return PartialDate.season(self.random.choice(["spring", "summer", "autumn"]), year)
        return PartialDate.year(year, circa=self.random.random() < 0.3)

    def pick(self, items):
        return self.random.choice(items)

    def some(self, items, count):
        """``count`` of ``items``, in their order."""
        chosen = set(self.random.sample(items, count))
        return [item for item in items if item in chosen]

    # --- the case file --------------------------------------------------
    def build(self, counts):
        p, r = self.prefix, self.random
        places = self.insert(
            Place,
            [
                Place(
                    slug=f"{p}-place-{i}",
                    name=f"Place {i}",
                    kind=r.choice(PlaceKind.values),
                    publication_status=self.status(),
                )
                for i in range(counts["places"])
            ],
        )
        states = self.insert(
            Actor,
            [
                Actor(slug=f"{p}-state-{i}", name=f"State {i}", kind=ActorKind.STATE, publication_status=self.status())
                for i in range(max(1, counts["actors"] // 50))
            ],
        )
        kinds = [kind for kind in ActorKind.values if kind != ActorKind.STATE]
        actors = states + self.insert(
            Actor,
            [
                Actor(
                    slug=f"{p}-actor-{i}",
                    name=f"Actor {i}",
                    kind=r.choice(kinds),
                    aliases=f"A{i}\nActor number {i}",
                    description="A synthetic actor.",
                    country=self.pick(states),
                    publication_status=self.status(),
                )
                for i in range(counts["actors"] - len(states))
            ],
        )
        affiliations = self.insert(
            Affiliation,
            [
                Affiliation(
                    slug=f"{p}-affiliation-{i}",
                    member=actors[i % len(actors)],
                    organisation=actors[(i * 7 + 1) % len(actors)],
                    kind=r.choice(AffiliationKind.values),
                    role="member",
                    start=PartialDate.year(2000 + i % 10),
                    end=PartialDate.year(2011 + i % 5) if i % 2 else None,
                    publication_status=self.status(),
                )
                for i in range(counts["affiliations"])
                if i % len(actors) != (i * 7 + 1) % len(actors)
            ],
        )
        sources = self.insert(
            Source,
            [
                Source(
                    slug=f"{p}-source-{i}",
                    kind=r.choice(SourceKind.values),
                    authors=f"Author{i % 997}, Given\nMinistry {i % 13}",
                    title=f"Report on the case, number {i}",
                    container_title=f"Outlet {i % 211}",
                    publisher=f"Publisher {i % 89}",
                    date=self.date(),
                    url=f"https://example.org/sources/{i}",
                    reliability=r.choice(Reliability.values),
                    publication_status=self.status(),
                )
                for i in range(counts["sources"])
            ],
        )
        # bulk_create sends no signals: the sources' Chicago forms are stored here, as a save stores them.
        store_formatted(sources, progress=self.bar)
        agreements = self.insert(
            Agreement,
            [
                Agreement(
                    slug=f"{p}-agreement-{i}",
                    title=f"Agreement {i} on cooperation",
                    kind=r.choice(AgreementKind.values),
                    summary="A synthetic agreement.",
                    period_start=PartialDate.year(2005 + i % 5),
                    period_end=PartialDate.year(2010 + i % 5),
                    publication_status=self.status(),
                )
                for i in range(counts["agreements"])
            ],
        )
        self.insert(
            AgreementParty,
            [
                AgreementParty(
                    slug=f"{p}-party-{i}-{n}",
                    agreement=agreement,
                    actor=actors[(i * 3 + n) % len(actors)],
                    role=PartyRole.values[n],
                )
                for i, agreement in enumerate(agreements)
                for n in range(PARTIES_PER_AGREEMENT)
            ],
        )
        steps = self.insert(
            AgreementStep,
            [
                AgreementStep(
                    slug=f"{p}-step-{i}-{n}",
                    agreement=agreement,
                    kind=kind,
                    date=PartialDate.month(2005 + i % 5 + offset, 1 + i % 12),
                    acting_body=actors[i % len(actors)] if kind == "approved_by_chamber" else None,
                    votes_for=70 if kind == "approved_by_chamber" else None,
                )
                for i, agreement in enumerate(agreements)
                for n, (kind, offset) in enumerate(STEP_KINDS[:STEPS_PER_AGREEMENT])
            ],
        )
        deployments = self.insert(
            Deployment,
            [
                Deployment(
                    slug=f"{p}-deployment-{i}",
                    name=f"Deployment {i}",
                    contributor=self.pick(states),
                    unit=self.pick(actors),
                    mission=self.pick(actors),
                    location=self.pick(places),
                    legal_basis=self.pick(agreements),
                    personnel_qualifier="exact",
                    personnel_min=1 + i % 200,
                    personnel_max=1 + i % 200,
                    start=PartialDate.month(2008 + i % 4, 1 + i % 12),
                    end=PartialDate.year(2013 + i % 3) if i % 3 else None,
                    status=r.choice(DeploymentStatus.values),
                    publication_status=self.status(),
                )
                for i in range(counts["deployments"])
            ],
        )
        self.insert(
            DeploymentRole,
            [
                DeploymentRole(slug=f"{p}-role-{i}", deployment=deployment, title="staff officer", count=2)
                for i, deployment in enumerate(deployments)
            ],
        )
        exercises = self.insert(
            Exercise,
            [
                Exercise(
                    slug=f"{p}-exercise-{i}",
                    name=f"Exercise {i}",
                    start=PartialDate.month(2003 + i % 12, 1 + i % 12),
                    location=self.pick(places),
                    focus="Peacekeeping.",
                    publication_status=self.status(),
                )
                for i in range(counts["exercises"])
            ],
        )
        self.insert(
            ExerciseParticipant,
            [
                ExerciseParticipant(
                    slug=f"{p}-participant-{i}-{n}",
                    exercise=exercise,
                    actor=actors[(i * 5 + n) % len(actors)],
                    role=["host", "participant", "observer"][n],
                )
                for i, exercise in enumerate(exercises)
                for n in range(3)
            ],
        )
        events = self.insert(
            Event,
            [
                Event(
                    slug=f"{p}-event-{i}",
                    title=f"Event {i}",
                    kind=r.choice(EventKind.values),
                    date=self.date(2000, 2015),
                    place=self.pick(places),
                    summary="A synthetic event.",
                    publication_status=self.status(),
                )
                for i in range(counts["events"])
            ],
        )
        self.insert(
            EventParticipant,
            [
                EventParticipant(
                    slug=f"{p}-involvement-{i}-{n}",
                    event=event,
                    actor=actors[(i * 11 + n) % len(actors)],
                    role=[EventRole.VISITOR, EventRole.HOST][n],
                )
                for i, event in enumerate(events)
                for n in range(2)
            ],
        )
        self.build_routes(counts["routes"], places, agreements)
        targets = {
            "actor": actors,
            "agreement": agreements,
            "deployment": deployments,
            "event": events,
            "agreement_step": steps,
            "exercise": exercises,
            "place": places,
            "affiliation": affiliations,
        }
        weights = [30, 20, 20, 15, 5, 4, 3, 3]
        kinds = r.choices(CITED, weights=weights, k=counts["citations"])
        self.insert(
            Citation,
            (
                Citation(
                    slug=f"{p}-citation-{i}",
                    source=self.pick(sources),
                    locator=f"p. {1 + i % 300}",
                    passage="A synthetic passage the source supports.",
                    stance=Stance.SUPPORTS,
                    credibility=1 + i % 6,
                    **{kind: self.pick(targets[kind])},
                )
                for i, kind in enumerate(kinds)
            ),
            keep=False,
        )

    def build_routes(self, count, places, agreements):
        """Routes of one to three modes, each permitted by an agreement, with legs place to place,
        each through a country."""
        p, r = self.prefix, self.random
        routes = self.insert(
            Route,
            [
                Route(
                    slug=f"{p}-route-{i}",
                    name=f"Route {i}",
                    modes=",".join(self.some(RouteMode.values, r.randint(1, 3))),
                    status=r.choice(RouteStatus.values),
                    description="A synthetic route.",
                    publication_status=self.status(),
                )
                for i in range(count)
            ],
        )
        self.insert(
            Route.permitted_by.through,
            [
                Route.permitted_by.through(route_id=route.pk, agreement_id=self.pick(agreements).pk)
                for route in routes
            ],
        )
        legs = []
        stretches = min(LEGS_PER_ROUTE, len(places) - 1)  # a tiny scale may have few places
        for i, route in enumerate(routes):
            stops = r.sample(places, stretches + 1)
            modes = route.modes.split(",")
            legs += [
                Leg(
                    slug=f"{p}-leg-{i}-{n}",
                    route=route,
                    order=n + 1,
                    from_place=stops[n],
                    to_place=stops[n + 1],
                    mode=r.choice(modes),
                )
                for n in range(stretches)
            ]
        legs = self.insert(Leg, legs)
        # The country each stretch crosses, as sources name them: its own table, read with the legs.
        countries = [place for place in places if place.kind == PlaceKind.COUNTRY] or places
        self.insert(
            Leg.countries.through,
            [Leg.countries.through(leg_id=leg.pk, place_id=self.pick(countries).pk) for leg in legs],
            keep=False,
        )
