from django.db import models


class RouteMode(models.TextChoices):
    RAIL = "rail", "Rail"
    ROAD = "road", "Road"
    SEA = "sea", "Sea"
    AIR = "air", "Air"


class RouteStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    TESTED = "tested", "Tested"
    OPERATIONAL = "operational", "Operational"
    ALTERNATE = "alternate", "Alternate (bad weather or emergency)"
    DISUSED = "disused", "Disused"


class ConstraintKind(models.TextChoices):
    """What a route's limit is about, as the source states it."""

    CONTAINER_SIZE = "container_size", "Container size"
    TRANSIT_TIME = "transit_time", "Transit time"
    CARGO = "cargo", "Cargo restriction"
    USE = "use", "When the route may be used"
    OTHER = "other", "Other"
