from django.db import models


class DeploymentStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"
    CANCELLED = "cancelled", "Cancelled"


class PersonnelQualifier(models.TextChoices):
    """How the source states a head count: "four officers", "not exceeding 27", "around 165"."""

    EXACT = "exact", "Exactly"
    AT_MOST = "at_most", "At most"
    AT_LEAST = "at_least", "At least"
    MORE_THAN = "more_than", "More than"
    ABOUT = "about", "About"
    BETWEEN = "between", "Between"
    UNKNOWN = "unknown", "Not stated"
