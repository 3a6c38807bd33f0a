from django.core.exceptions import ValidationError
from django.db import models

from apps.actors.models import Actor, Affiliation
from apps.agreements.models import Agreement, AgreementStep
from apps.core.choices import Credibility, PublicationStatus
from apps.core.models import PointsToOneRecord, SlugManager, Stamped, exactly_one_filled, sees_drafts
from apps.deployments.models import Deployment
from apps.events.models import Event
from apps.exercises.models import Exercise
from apps.places.models import Place
from apps.routes.models import Leg, Route, RouteConstraint
from apps.sources.models import Note, Source

from .choices import CITABLE, CITABLE_FIELDS, Stance


class CitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A citation is seen with its source and the record it supports (a step: its
        agreement): by staff who may view citations and the drafts among those, else only
        when both are published or of a kind ``user`` sees drafts of."""
        return self.readable(user if sees_drafts(user, self.model) else None)

    def readable(self, user=None):
        """Citations whose source and cited record are both published, or of kinds ``user``
        sees drafts of.

        Written as "not in the drafts" of each kind, rather than as a join per kind: drafts
        are few, so on a large case file this is several times faster (README, "API
        performance"). "Cites no record of this kind, or not a draft one" asks the cheap
        question first: a citation has one target, so for nine kinds of ten the column is
        empty and the drafts are not looked up.
        """
        published = PublicationStatus.PUBLISHED
        citations = self
        for name in CITABLE_FIELDS:
            model = self.model._meta.get_field(name).related_model
            # A line (a step, a leg) is seen and published with its record.
            parent = model.editorial_parent_field
            if sees_drafts(user, model._meta.get_field(parent).related_model if parent else model):
                continue
            status = f"{parent}__publication_status" if parent else "publication_status"
            drafts = model.objects.exclude(**{status: published}).values("pk")
            citations = citations.filter(models.Q(**{f"{name}__isnull": True}) | ~models.Q(**{f"{name}__in": drafts}))
        source = self.model._meta.get_field("source").related_model
        if sees_drafts(user, source):
            return citations
        return citations.exclude(source__in=source.objects.exclude(publication_status=published).values("pk"))

    def with_related(self):
        # The sub-records' parents too: pages link a step to its agreement, an
        # affiliation to its member, and a note to its document; a chamber's vote
        # is named after the chamber ("Approved by the Majlis").
        return self.select_related(
            "source",
            "note__document",
            *CITABLE_FIELDS,
            "agreement_step__agreement",
            "agreement_step__acting_body",
            "route_leg__route",
            "route_leg__from_place",
            "route_leg__to_place",
            "route_constraint__route",
            "affiliation__member",
            "affiliation__organisation",
        )

    def for_record(self, record):
        return self.filter(**{target_field_for(record): record})


def target_field_for(record):
    for name, _ in CITABLE:
        if isinstance(record, Citation._meta.get_field(name).related_model):
            return name
    raise TypeError(f"{type(record).__name__} cannot be cited.")


def _target(model, name):
    return models.ForeignKey(
        model, on_delete=models.CASCADE, null=True, blank=True, related_name="citations", verbose_name=name
    )


class Citation(PointsToOneRecord, Stamped):
    """Ties one record to the source that supports (or disputes, or qualifies) it.

    Give the locator (page, footnote) and the passage the citation rests on, and
    grade how credible this piece of information is (1–6). A cited source cannot be
    deleted; deleting a record removes its own citations.
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    note = models.ForeignKey(
        Note,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citations",
        help_text="The footnote through which the case document gives this source, if any.",
    )
    locator = models.CharField(max_length=100, blank=True, help_text="Page or section (p. 46, 43–54, n. 87).")
    passage = models.TextField(blank=True, help_text="The statement this citation supports, quoted or paraphrased.")
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.SUPPORTS)
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices, default=Credibility.CANNOT_JUDGE, help_text="Admiralty scale, 1–6."
    )

    actor = _target(Actor, "actor")
    affiliation = _target(Affiliation, "affiliation")
    agreement = _target(Agreement, "agreement")
    agreement_step = _target(AgreementStep, "agreement step")
    deployment = _target(Deployment, "deployment")
    exercise = _target(Exercise, "exercise")
    event = _target(Event, "event")
    place = _target(Place, "place")
    route = _target(Route, "route")
    route_leg = _target(Leg, "route leg")
    route_constraint = _target(RouteConstraint, "route constraint")

    targets = CITABLE
    objects = SlugManager.from_queryset(CitationQuerySet)()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="citation_exactly_one_target",
                condition=exactly_one_filled(CITABLE_FIELDS),
                violation_error_message="A citation supports exactly one record.",
            ),
            models.CheckConstraint(
                name="citation_credibility_range",
                condition=models.Q(credibility__gte=1, credibility__lte=6),
                violation_error_message="Credibility is graded 1 to 6.",
            ),
        ]

    def __str__(self):
        locator = f", {self.locator}" if self.locator else ""
        return f"{self.source}{locator}"

    def editorial_parent(self):
        """A citation is published with the record it cites (a step's: its agreement)."""
        target = self.target
        return target.editorial_parent() if target is not None else None

    def clean(self):
        super().clean()
        if len(self.chosen_targets()) != 1:
            raise ValidationError("A citation supports exactly one record: choose one, and only one.")
        if self.note_id and self.source_id and not self.note_cites_source():
            raise ValidationError({"note": "This note does not cite the chosen source."})

    def note_cites_source(self) -> bool:
        # One query on the note's links, without reading the note: an import asks this of every citation.
        return Note.cites.through.objects.filter(note_id=self.note_id, source_id=self.source_id).exists()
