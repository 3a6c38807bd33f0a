from django.db import models

from apps.core.choices import ChoiceLabel
from apps.core.models import Record, RecordQuerySet, SlugManager, facet_index, list_order_index
from apps.core.naming import Identity

from .choices import PlaceKind


class PlaceQuerySet(RecordQuerySet):
    def with_related(self):
        return self.select_compact("within")

    def matching(self, text):
        return self.filter(models.Q(name__icontains=text) | models.Q(aliases__icontains=text))


class Place(Record):
    """A location named in the case file: a city, base, airfield, port or training centre.

    Deployments, exercises and events point here, so a place is typed once and can be
    shown on a map. Give coordinates where a reader would expect a map to show it.
    """

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices, default=PlaceKind.CITY)
    kind_label = ChoiceLabel("kind")
    within = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contains",
        help_text="The larger place this one lies in (Kapchagai within Kazakhstan).",
    )
    aliases = models.TextField(blank=True, help_text="Other spellings, one per line (Kapshagay).")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    coordinates_approximate = models.BooleanField(
        default=False,
        help_text="The coordinates stand for a larger area than the place itself: the source names only a "
        "country, city or port, and the point is its centre.",
    )
    description = models.TextField(blank=True)

    identity = Identity(title="name")
    objects = SlugManager.from_queryset(PlaceQuerySet)()

    class Meta:
        ordering = ["name", "id"]
        # Lists are read in this order, a page at a time: the index spares sorting the whole table.
        indexes = [
            list_order_index("name", "id", name="place_list_order"),
            facet_index("kind", name="place_kind_facet"),
            facet_index("within", name="place_within_facet"),
        ]
        constraints = [
            models.CheckConstraint(
                name="place_latitude_range",
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                violation_error_message="Latitude must lie between -90 and 90 degrees.",
            ),
            models.CheckConstraint(
                name="place_longitude_range",
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                violation_error_message="Longitude must lie between -180 and 180 degrees.",
            ),
            models.CheckConstraint(
                name="place_coordinates_paired",
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
            models.CheckConstraint(
                name="place_approximate_needs_coordinates",
                condition=models.Q(coordinates_approximate=False) | models.Q(latitude__isnull=False),
                violation_error_message="Only coordinates that are given can be approximate.",
            ),
            models.CheckConstraint(
                name="place_not_within_itself",
                condition=~models.Q(within=models.F("pk")),
                violation_error_message="A place cannot lie within itself.",
            ),
        ]

    def __str__(self):
        return self.name
