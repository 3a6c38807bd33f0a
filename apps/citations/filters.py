"""FilterSet for citations, shared by the API and the public pages."""

import django_filters
from django.db import models

from apps.core.choices import Credibility, Reliability
from apps.core.filters import FreeTextFilterSet, OrderingFilter
from apps.sources.choices import SourceKind

from .choices import CITABLE, CITABLE_FIELDS, Stance
from .models import Citation


class CitationFilterSet(FreeTextFilterSet):
    search_fields = ("passage", "locator", "source__title")

    source = django_filters.CharFilter(field_name="source__slug", label="Slug of the cited source.")
    source_kind = django_filters.MultipleChoiceFilter(
        field_name="source__kind", choices=SourceKind.choices, label="Kind of the cited source (repeat for several)."
    )
    reliability = django_filters.MultipleChoiceFilter(
        field_name="source__reliability",
        choices=Reliability.choices,
        label="Admiralty reliability grade of the cited source, A–F (repeat for several).",
    )
    credibility = django_filters.MultipleChoiceFilter(
        choices=Credibility.choices, label="Admiralty credibility of the information, 1–6 (repeat for several)."
    )
    stance = django_filters.ChoiceFilter(
        choices=Stance.choices, label="Whether the source supports, qualifies or disputes."
    )
    target_type = django_filters.ChoiceFilter(
        choices=CITABLE, method="filter_target", label="Kind of record cited (actor, agreement, agreement_step …)."
    )
    target = django_filters.CharFilter(
        method="filter_target", label="Slug of the cited record (combine with target_type when slugs may clash)."
    )
    ordering = OrderingFilter(
        fields=(("created", "created"), ("updated", "updated"), ("credibility", "credibility"), ("locator", "locator")),
        label="Sort by created, updated, credibility or locator; prefix “-” for descending.",
    )

    class Meta:
        model = Citation
        fields = ["q", "source", "source_kind", "reliability", "credibility", "stance", "target_type", "target"]

    def filter_target(self, queryset, name, value):
        # target_type and target are applied together, once.
        if not self.first_given(name, "target_type", "target"):
            return queryset
        kind, slug = self.form.cleaned_data.get("target_type"), self.form.cleaned_data.get("target")
        fields = [kind] if kind else CITABLE_FIELDS
        if not slug:
            return queryset.filter(**{f"{kind}__isnull": False})
        condition = models.Q()
        for field in fields:
            condition |= models.Q(**{f"{field}__slug": slug})
        return queryset.filter(condition)
