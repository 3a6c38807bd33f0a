from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from apps.agreements.models import Agreement
from apps.core.choices import ChoiceLabel, PublicationStatus
from apps.core.models import (
    Record,
    RecordQuerySet,
    SlugManager,
    Stamped,
    StampedQuerySet,
    facet_index,
    list_order_index,
    related_list,
    sees_drafts,
)
from apps.core.naming import Identity
from apps.places.choices import PlaceKind
from apps.places.models import Place

from .choices import ConstraintKind, RouteMode, RouteStatus

MODE_ORDER = list(RouteMode.values)
MODE_LABELS = dict(RouteMode.choices)


def modes_text(values) -> str:
    """Modes as stored: known values, each once, in the choices' order ("rail,road")."""
    chosen = set(values)
    return ",".join(mode for mode in MODE_ORDER if mode in chosen)


def modes_list(text) -> list[str]:
    return [mode for mode in (text or "").split(",") if mode]


class ModesFormField(forms.MultipleChoiceField):
    """Ticks one box per mode in the admin; gives the model the stored text."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return modes_list(value) if isinstance(value, str) else value

    def clean(self, value):
        return modes_text(super().clean(value))

    def has_changed(self, initial, data):
        return modes_text(self.prepare_value(initial) or []) != modes_text(data or [])


class ModesField(models.CharField):
    """One or more of rail, road, sea and air, stored as text ("rail,road") so that it
    reads, filters and moves between SQLite and PostgreSQL alike."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return ModesFormField(
            choices=RouteMode.choices, required=not self.blank, label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        unknown = [mode for mode in modes_list(value) if mode not in MODE_LABELS]
        if unknown:
            raise ValidationError(
                f"Unknown mode “{unknown[0]}”: choose from {', '.join(MODE_ORDER)}.", code="invalid_choice"
            )


def mode_q(mode):
    """Rows whose modes include ``mode`` (the text is "rail,road": match a whole item)."""
    return (
        models.Q(modes=mode)
        | models.Q(modes__startswith=f"{mode},")
        | models.Q(modes__endswith=f",{mode}")
        | models.Q(modes__contains=f",{mode},")
    )


class RouteQuerySet(RecordQuerySet):
    def with_related(self):
        # Ordered as the models order them, less their route (see related_list).
        legs = (
            Leg.objects.without_timestamps()
            .select_related("from_place", "to_place")
            # Without to_attr: the API's serializer reads a leg's countries as the relation.
            .prefetch_related(models.Prefetch("countries", queryset=Place.objects.compact().order_by("name")))
            .order_by("order", "pk")
        )
        constraints = RouteConstraint.objects.without_timestamps().order_by("kind", "pk")
        return self.select_compact("branches_from", "branch_place").prefetch_related(
            models.Prefetch("legs", queryset=legs, to_attr="prefetched_legs"),
            models.Prefetch("constraints", queryset=constraints, to_attr="prefetched_constraints"),
            models.Prefetch("permitted_by", queryset=Agreement.objects.compact(), to_attr="prefetched_permitted_by"),
        )

    def matching(self, text):
        return self.filter(
            models.Q(name__icontains=text) | models.Q(aliases__icontains=text) | models.Q(description__icontains=text)
        )

    def with_mode(self, mode):
        return self.filter(mode_q(mode))


class Route(Record):
    """A supply route or air line of communication, as the source describes it: its modes,
    the agreements that permit it, its limits, and its legs in order, place to place.

    A spur is a route that branches from another at a place: name both. Where the source
    names only a country or port, the legs run between those places and say so.
    """

    name = models.CharField(max_length=200)
    aliases = models.TextField(blank=True, help_text="Other names, one per line (Baltic-to-Afghanistan route).")
    modes = ModesField(help_text="Every mode the route uses: rail, road, sea, air.")
    status = models.CharField(max_length=12, choices=RouteStatus.choices)
    status_label = ChoiceLabel("status")
    permitted_by = models.ManyToManyField(
        Agreement,
        blank=True,
        related_name="routes",
        help_text="Agreements that open the route or allow transit along it.",
    )
    branches_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spurs",
        help_text="For a spur: the route it branches from.",
    )
    branch_place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="route_branches",
        help_text="For a spur: the place on the other route where it branches off.",
    )
    description = models.TextField(blank=True)

    leg_list = related_list("legs", to_attr="prefetched_legs")
    constraint_list = related_list("constraints", to_attr="prefetched_constraints")
    permitted_by_list = related_list("permitted_by", to_attr="prefetched_permitted_by")

    identity = Identity(title="name")
    objects = SlugManager.from_queryset(RouteQuerySet)()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            list_order_index("name", "id", name="route_list_order"),
            facet_index("status", name="route_status_facet"),
        ]
        constraints = [
            models.CheckConstraint(
                name="route_has_a_mode",
                condition=~models.Q(modes=""),
                violation_error_message="Choose at least one mode.",
            ),
            # One way only in the database: a backup's import writes a spur's route (a reference
            # to its own kind) after the row, so the place may stand alone for a moment;
            # clean() refuses a place without a route.
            models.CheckConstraint(
                name="route_spur_names_its_branch_place",
                condition=models.Q(branches_from__isnull=True) | models.Q(branch_place__isnull=False),
                violation_error_message="A spur names the place where it branches from the other route.",
            ),
            models.CheckConstraint(
                name="route_not_a_spur_of_itself",
                condition=~models.Q(branches_from=models.F("pk")),
                violation_error_message="A route cannot branch from itself.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def mode_list(self):
        return modes_list(self.modes)

    @property
    def modes_display(self):
        return ", ".join(MODE_LABELS[mode].lower() for mode in self.mode_list if mode in MODE_LABELS)

    def clean(self):
        super().clean()
        errors = {}
        if bool(self.branches_from_id) != bool(self.branch_place_id):
            missing = "branch_place" if self.branches_from_id else "branches_from"
            errors[missing] = "A spur names both the route it branches from and the place where it does."
        elif self.branches_from_id and self.pk and self.branches_from_id == self.pk:
            errors["branches_from"] = "A route cannot branch from itself."
        elif self.branches_from_id and not self.branches_from.legs.filter(
            models.Q(from_place_id=self.branch_place_id) | models.Q(to_place_id=self.branch_place_id)
        ).exists():
            errors["branch_place"] = f"No leg of “{self.branches_from}” starts or ends at {self.branch_place}."
        if self.pk and self.modes:
            for leg in self.legs.exclude(mode=""):
                if leg.mode not in self.mode_list:
                    errors["modes"] = f"Leg {leg.order} goes by {leg.get_mode_display().lower()}: keep that mode."
                    break
        if errors:
            raise ValidationError(errors)


class LegQuerySet(StampedQuerySet):
    def visible_to(self, user):
        """A leg is seen with its route, and only with both its ends: a leg from or to a draft
        place cannot be told without naming it (``core.models.withhold_references``)."""
        legs = self
        if not sees_drafts(user, Route):
            legs = legs.filter(route__publication_status=PublicationStatus.PUBLISHED)
        if not sees_drafts(user, Place):
            published = PublicationStatus.PUBLISHED
            legs = legs.filter(from_place__publication_status=published, to_place__publication_status=published)
        return legs


class Leg(Stamped):
    """One stretch of a route, from one place to the next, in order.

    Give the mode where the source states it, and the countries the stretch crosses where
    the source names them. Tick "enters Afghanistan" on the stretch that crosses the border:
    its starting place is then shown as an entry point into Afghanistan.
    """

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="legs")
    order = models.PositiveSmallIntegerField(help_text="1 for the first stretch, then 2, 3 …")
    from_place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="legs_from")
    to_place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="legs_to")
    mode = models.CharField(
        max_length=8, choices=RouteMode.choices, blank=True, help_text="Leave empty where the source does not say."
    )
    mode_label = ChoiceLabel("mode")
    countries = models.ManyToManyField(
        Place,
        blank=True,
        related_name="legs_crossing",
        limit_choices_to={"kind": PlaceKind.COUNTRY},
        help_text="Countries the stretch crosses, where the source names them.",
    )
    enters_afghanistan = models.BooleanField(
        default=False, help_text="The stretch crosses into Afghanistan; its start is an entry point."
    )
    notes = models.CharField(max_length=300, blank=True)

    editorial_parent_field = "route"

    objects = SlugManager.from_queryset(LegQuerySet)()

    class Meta:
        ordering = ["route", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "order"],
                name="leg_unique_order_per_route",
                violation_error_message="This route already has a leg in this position.",
            ),
            models.CheckConstraint(
                name="leg_goes_somewhere",
                condition=~models.Q(from_place=models.F("to_place")),
                violation_error_message="A leg goes from one place to another: choose two different places.",
            ),
            models.CheckConstraint(
                name="leg_order_from_one",
                condition=models.Q(order__gte=1),
                violation_error_message="Legs are numbered from 1.",
            ),
        ]

    def __str__(self):
        return f"{self.route}: {self.order}. {self.from_place} → {self.to_place}"

    def get_absolute_url(self):
        return self.route.get_absolute_url() + f"#leg-{self.slug}"

    @property
    def approximate(self):
        """Whether the line drawn for the leg joins points that stand for larger areas."""
        return self.from_place.coordinates_approximate or self.to_place.coordinates_approximate

    def clean(self):
        super().clean()
        if self.from_place_id and self.from_place_id == self.to_place_id:
            raise ValidationError({"to_place": "A leg goes from one place to another: choose two different places."})
        if self.route_id and self.mode and self.route.modes and self.mode not in self.route.mode_list:
            raise ValidationError(
                {"mode": f"“{self.route}” goes by {self.route.modes_display}: add this mode to the route first."}
            )


class RouteConstraint(Stamped):
    """A limit on a route as the source states it: a container size, a transit time, a
    cargo restriction, when the route may be used. Keep the source's words in ``text``."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="constraints")
    kind = models.CharField(max_length=16, choices=ConstraintKind.choices)
    text = models.CharField(max_length=400, help_text="The limit in the source's words (“restricted to 20-foot TEUs”).")

    editorial_parent_field = "route"

    class Meta:
        ordering = ["route", "kind"]
        verbose_name = "route constraint"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text}"

    def get_absolute_url(self):
        return self.route.get_absolute_url() + f"#constraint-{self.slug}"
