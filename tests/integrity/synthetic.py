"""A synthetic case file of any size, built with bulk_create (for backup round trips)."""

from decimal import Decimal

from django.utils import timezone

from apps.actors.models import Actor, Affiliation
from apps.agreements.models import Agreement, AgreementStep
from apps.citations.models import Citation
from apps.core.dates import PartialDate
from apps.events.models import Event, EventParticipant
from apps.places.models import Place
from apps.sources.models import Note, Source

BATCH = 2000


def build_synthetic(total=50_000):
    """Create about ``total`` rows spread over every kind of relation the backup must keep."""
    unit = max(total * 10 // 73 + 1, 10)  # about 7.3 rows per unit, below
    moment = timezone.now().replace(microsecond=123456)
    stamp = {"created": moment, "updated": moment, "publication_status": "published"}
    sources = Source.objects.bulk_create(
        [
            Source(
                slug=f"s-{i:06d}",
                kind="news_report",
                title=f"Report {i} — “quoted”",
                date=PartialDate.year(2000 + i % 20),
                version=1 + i % 3,
                **stamp,
            )
            for i in range(unit)
        ],
        batch_size=BATCH,
    )
    places = Place.objects.bulk_create(
        [
            Place(
                slug=f"p-{i:06d}",
                name=f"Place {i}",
                latitude=Decimal("43.256700"),
                longitude=Decimal("76.928600"),
                **stamp,
            )
            for i in range(unit // 2)
        ],
        batch_size=BATCH,
    )
    actors = Actor.objects.bulk_create(
        [Actor(slug=f"a-{i:06d}", name=f"Actor {i}", kind="state", **stamp) for i in range(unit)], batch_size=BATCH
    )
    actors = list(Actor.objects.order_by("slug"))
    for i, actor in enumerate(actors[1:], start=1):
        actor.parent_id = actors[i - 1].pk if i % 7 else None
    Actor.objects.bulk_update(actors, ["parent"], batch_size=BATCH)
    Affiliation.objects.bulk_create(
        [
            Affiliation(
                slug=f"af-{i:06d}",
                member=actors[i],
                organisation=actors[i + 1],
                start=PartialDate.month(2005, 1 + i % 12),
                **stamp,
            )
            for i in range(unit // 2)
        ],
        batch_size=BATCH,
    )
    agreements = Agreement.objects.bulk_create(
        [Agreement(slug=f"ag-{i:06d}", title=f"Agreement {i}", kind="treaty", **stamp) for i in range(unit // 10)],
        batch_size=BATCH,
    )
    agreements = list(Agreement.objects.order_by("slug"))
    Agreement.supersedes.through.objects.bulk_create(
        [
            Agreement.supersedes.through(from_agreement_id=agreements[i].pk, to_agreement_id=agreements[i - 1].pk)
            for i in range(1, len(agreements))
        ]
    )
    AgreementStep.objects.bulk_create(
        [
            AgreementStep(
                slug=f"st-{i:06d}",
                agreement=agreements[i % len(agreements)],
                kind="signed",
                date=PartialDate.day(2010, 1 + i % 12, 1 + i % 28),
                created=moment,
                updated=moment,
            )
            for i in range(unit // 5)
        ],
        batch_size=BATCH,
    )
    events = Event.objects.bulk_create(
        [
            Event(
                slug=f"e-{i:06d}",
                title=f"Event {i}",
                kind="visit",
                date=PartialDate.day(2009, 1, 1 + i % 28),
                place=places[i % len(places)],
                **stamp,
            )
            for i in range(unit)
        ],
        batch_size=BATCH,
    )
    events = list(Event.objects.order_by("slug"))
    EventParticipant.objects.bulk_create(
        [
            EventParticipant(
                slug=f"ep-{i:06d}", event=events[i], actor=actors[i], role="visitor", created=moment, updated=moment
            )
            for i in range(unit)
        ],
        batch_size=BATCH,
    )
    sources = list(Source.objects.order_by("slug"))
    notes = Note.objects.bulk_create(
        [
            Note(
                slug=f"n-{i:06d}", document=sources[0], number=i + 1, text=f"Note {i}.", created=moment, updated=moment
            )
            for i in range(unit)
        ],
        batch_size=BATCH,
    )
    notes = list(Note.objects.order_by("slug"))
    Note.cites.through.objects.bulk_create(
        [Note.cites.through(note_id=note.pk, source_id=sources[i % len(sources)].pk) for i, note in enumerate(notes)],
        batch_size=BATCH,
    )
    Citation.objects.bulk_create(
        [
            Citation(
                slug=f"c-{i:06d}",
                source=sources[i % len(sources)],
                event=events[i],
                locator=f"p. {i}",
                created=moment,
                updated=moment,
            )
            for i in range(unit)
        ],
        batch_size=BATCH,
    )
    return sum(
        model.objects.count()
        for model in (
            Source,
            Place,
            Actor,
            Affiliation,
            Agreement,
            AgreementStep,
            Event,
            EventParticipant,
            Note,
            Citation,
        )
    )
