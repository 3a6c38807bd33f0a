from django.core.exceptions import ValidationError
from django.db import models

from apps.actors.models import Actor
from apps.agreements.models import Agreement
from apps.core.choices import ChoiceLabel
from apps.core.dates import PartialDateField, span_constraint, span_errors
from apps.core.models import (
    Record,
    RecordQuerySet,
    SlugManager,
    Stamped,
    facet_index,
    list_order_index,
    page_order_index,
    related_list,
)
from apps.core.naming import Identity
from apps.places.models import Place

from .choices import DeploymentStatus, PersonnelQualifier


class DeploymentQuerySet(RecordQuerySet):
    def with_related(self):
        return self.select_compact("contributor", "unit", "mission", "location", "legal_basis").prefetch_related(
            # Ordered as the model orders them, less their deployment (see related_list).
            models.Prefetch(
                "roles",
                queryset=DeploymentRole.objects.without_timestamps().order_by("account", "title", "pk"),
                to_attr="prefetched_roles",
            )
        )

    def matching(self, text):
        return self.filter(models.Q(name__icontains=text) | models.Q(description__icontains=text))


class Deployment(Record):
    """Personnel one actor sends (or proposes to send) somewhere, for a mission.

    Record the head count as the source states it: an exact number, a bound ("not
    exceeding twenty-seven") or an estimate ("around 165"), and keep the wording in
    ``personnel_text``.
    """

    name = models.CharField(max_length=300)
    contributor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="contributed_deployments", help_text="The sending state or body."
    )
    unit = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_deployments",
        help_text="The unit the personnel come from (KAZBRIG).",
    )
    mission = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mission_deployments",
        help_text="The mission, operation or force served (ISAF, the CSTO rapid reaction force).",
    )
    location = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="deployments"
    )
    personnel_qualifier = models.CharField(
        max_length=12, choices=PersonnelQualifier.choices, default=PersonnelQualifier.UNKNOWN
    )
    personnel_min = models.PositiveIntegerField(
        null=True, blank=True, help_text="Lower bound, or the exact number."
    )
    personnel_max = models.PositiveIntegerField(
        null=True, blank=True, help_text="Upper bound, or the exact number."
    )
    personnel_text = models.CharField(
        max_length=200, blank=True, help_text="The head count in the source's words (“four officers”)."
    )
    start = PartialDateField()
    end = PartialDateField()
    status = models.CharField(max_length=12, choices=DeploymentStatus.choices)
    status_label = ChoiceLabel("status")
    legal_basis = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="deployments"
    )
    rotation = models.CharField(max_length=200, blank=True, help_text="Rotation, where stated (every six months).")
    description = models.TextField(blank=True)

    role_list = related_list("roles", to_attr="prefetched_roles")

    identity = Identity(title="name", date="start", parties=("contributor",))
    objects = SlugManager.from_queryset(DeploymentQuerySet)()

    class Meta:
        ordering = ["start", "name", "id"]
        # Lists are read in this order, a page at a time: the index spares sorting the whole table.
        indexes = [
            list_order_index("start", "name", "id", name="deployment_list_order"),
            page_order_index("start", "name", "id", name="deployment_page_order"),
            facet_index("status", name="deployment_status_facet"),
            facet_index("contributor", name="deployment_contributor_facet"),
            facet_index("mission", name="deployment_mission_facet"),
            facet_index("location", name="deployment_location_facet"),
        ]
        constraints = [
            span_constraint("deployment"),
            models.CheckConstraint(
                name="deployment_personnel_bounds_ordered",
                condition=models.Q(personnel_min__isnull=True)
                | models.Q(personnel_max__isnull=True)
                | models.Q(personnel_min__lte=models.F("personnel_max")),
                violation_error_message="The lower personnel bound cannot exceed the upper bound.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def personnel_display(self):
        """The head count in words, numbers with thousands separators: “more than 30,000”."""
        q, low, high = self.personnel_qualifier, self.personnel_min, self.personnel_max
        if q == PersonnelQualifier.EXACT and low is not None:
            return f"{low:,}"
        if q == PersonnelQualifier.AT_MOST and high is not None:
            return f"at most {high:,}"
        if q == PersonnelQualifier.AT_LEAST and low is not None:
            return f"at least {low:,}"
        if q == PersonnelQualifier.MORE_THAN and low is not None:
            return f"more than {low:,}"
        if q == PersonnelQualifier.ABOUT and low is not None:
            return f"about {low:,}"
        if q == PersonnelQualifier.BETWEEN and low is not None and high is not None:
            return f"{low:,}–{high:,}"
        return self.personnel_text or "not stated"

    def clean(self):
        super().clean()
        errors = span_errors(self)
        low, high, q = self.personnel_min, self.personnel_max, self.personnel_qualifier
        if low is not None and high is not None and low > high:
            errors["personnel_max"] = "The upper personnel bound cannot be below the lower bound."
        exact_ok = low is not None and (high is None or high == low)
        needs = {
            PersonnelQualifier.EXACT: (
                exact_ok,
                "An exact count needs the number as lower bound (and the same upper bound, if any).",
            ),
            PersonnelQualifier.AT_MOST: (high is not None, "“At most” needs an upper bound."),
            PersonnelQualifier.AT_LEAST: (low is not None, "“At least” needs a lower bound."),
            PersonnelQualifier.MORE_THAN: (low is not None, "“More than” needs a lower bound."),
            PersonnelQualifier.ABOUT: (low is not None, "“About” needs the estimate as lower bound."),
            PersonnelQualifier.BETWEEN: (low is not None and high is not None, "“Between” needs both bounds."),
            PersonnelQualifier.UNKNOWN: (
                low is None and high is None,
                "Choose how the count is stated before giving numbers.",
            ),
        }
        ok, message = needs[q]
        if not ok:
            errors["personnel_qualifier"] = message
        if errors:
            raise ValidationError(errors)


class DeploymentRole(Stamped):
    """A post or function within a deployment (coordination officer, medical officer).

    Where sources disagree on the roles, record each account's roles and say whose
    account it is in ``account``.
    """

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200)
    count = models.PositiveIntegerField(null=True, blank=True)
    account = models.CharField(
        max_length=200, blank=True, help_text="Whose account lists this role (defence ministry, 25 May 2011)."
    )
    notes = models.CharField(max_length=300, blank=True)

    editorial_parent_field = "deployment"

    class Meta:
        ordering = ["deployment", "account", "title"]

    def __str__(self):
        count = f"{self.count} × " if self.count else ""
        return f"{count}{self.title}"
