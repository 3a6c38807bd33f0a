from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from apps.core.choices import ChoiceLabel
from apps.core.dates import PartialDateField, span_constraint, span_errors
from apps.core.models import Record, RecordQuerySet, SlugManager, Stamped, facet_index, list_order_index
from apps.core.naming import Identity
from apps.core.paths import page_path

from .choices import ActorKind, AffiliationKind


class ActorQuerySet(RecordQuerySet):
    def with_related(self):
        return self.select_compact("parent", "country")

    def matching(self, text):
        return self.filter(
            models.Q(name__icontains=text) | models.Q(aliases__icontains=text) | models.Q(description__icontains=text)
        )


class Actor(Record):
    """Anyone who acts in the case: a state, organisation, programme, unit, chamber or person.

    Use ``parent`` for structure (1st Battalion within KAZBRIG; the Senate within
    Parliament) and ``aliases`` for every other name the sources use (KAZBAT, the
    38th Motorized Rifle Brigade; Majlis / Mazhilis).
    """

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=ActorKind.choices)
    kind_label = ChoiceLabel("kind")
    aliases = models.TextField(
        blank=True,
        help_text="Other names and spellings, one per line; searched like the name.",
    )
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body this one is part of (the Senate within Parliament).",
    )
    country = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nationals",
        help_text="The state this actor belongs to or acts for, where there is one.",
    )

    identity = Identity(title="name", aliases="aliases")
    objects = SlugManager.from_queryset(ActorQuerySet)()

    class Meta:
        ordering = ["name", "id"]
        # Lists are read in this order, a page at a time: the index spares sorting the whole table.
        indexes = [
            list_order_index("name", "id", name="actor_list_order"),
            facet_index("kind", name="actor_kind_facet"),
        ]
        constraints = [
            models.CheckConstraint(
                name="actor_not_own_parent",
                condition=~models.Q(parent=models.F("pk")),
                violation_error_message="An actor cannot be part of itself.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def clean(self):
        ancestor, seen = self.parent, {self.pk}
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": "This parent would make the actor part of itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if self.country_id and self.country.kind != ActorKind.STATE:
            raise ValidationError({"country": "The country must be an actor of kind “State”."})


class AffiliationQuerySet(RecordQuerySet):
    def with_related(self):
        return self.select_compact("member", "organisation")


class Affiliation(Record):
    """A dated tie between two actors: a membership, an office held, a command.

    "Kazakhstan member of PfP from 1995"; "Sembinov, Deputy Defence Minister of the
    Ministry of Defence, until November 2010". Dates are as precise as the source.
    """

    member = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="affiliated",
        help_text="The organisation, body or programme the member belongs to or serves in.",
    )
    kind = models.CharField(max_length=20, choices=AffiliationKind.choices, default=AffiliationKind.MEMBERSHIP)
    role = models.CharField(
        max_length=200,
        blank=True,
        help_text="Title or capacity as the source gives it (Deputy Defence Minister, member).",
    )
    start = PartialDateField(help_text="When it began, as precisely as known (1995, May 2009).")
    end = PartialDateField(help_text="When it ended; leave empty if ongoing or unknown.")
    notes = models.TextField(blank=True)

    identity = Identity(date="start", parties=("member", "organisation"))
    objects = SlugManager.from_queryset(AffiliationQuerySet)()

    class Meta:
        ordering = ["member__name", "start", "id"]
        constraints = [
            models.CheckConstraint(
                name="affiliation_not_with_itself",
                condition=~models.Q(member=models.F("organisation")),
                violation_error_message="An actor cannot be affiliated with itself.",
            ),
            span_constraint("affiliation"),
        ]

    def __str__(self):
        # A side withheld from the reader (``core.models.withhold_hidden``) is left out of the name.
        role = f" ({self.role})" if self.role else ""
        sides = [str(getattr(self, side)) for side in ("member", "organisation") if getattr(self, f"{side}_id")]
        return " – ".join(sides) + role

    def get_absolute_url(self):
        # On the page of a side the reader sees; with both withheld (two drafts), the actors' list.
        actor = self.member if self.member_id else self.organisation if self.organisation_id else None
        if actor is None:
            return reverse("actors:list")
        return page_path("actors:detail", actor.slug) + f"#affiliation-{self.slug}"

    def clean(self):
        if errors := span_errors(self):
            raise ValidationError(errors)


class Participation(Stamped):
    """An actor's part in a record: an agreement's party, an exercise's or an event's
    participant. Each kind declares its record and actor keys (with their related names)
    and its own list of roles; the shape, the wording and the rule that an actor holds a
    role in a record once are shared."""

    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"


def unique_role(record_field: str, name: str, message: str) -> models.UniqueConstraint:
    """An actor holds a given role in a record once."""
    return models.UniqueConstraint(fields=[record_field, "actor", "role"], name=name, violation_error_message=message)
