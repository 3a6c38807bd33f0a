"""FilterSets for actors and affiliations, shared by the API and the public list pages."""

import django_filters

from apps.core.filters import OrderingFilter, RecordFilterSet, RelatedSlugFilter, SpanFilterSet, involving

from .choices import ActorKind, AffiliationKind
from .models import Actor, Affiliation


class ActorFilterSet(RecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=ActorKind.choices, label="Kind of actor (repeat for several).")
    parent = RelatedSlugFilter(
        field_name="parent", label="Slug of the body this actor is part of (direct children only)."
    )
    country = RelatedSlugFilter(field_name="country", label="Slug of the state this actor belongs to.")
    member_of = django_filters.CharFilter(
        method="filter_member_of",
        label="Slug of an organisation: actors affiliated with it (member, office, command …).",
    )
    ordering = OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("created", "created"), ("updated", "updated")),
        label="Sort by name, kind, created or updated; prefix “-” for descending.",
    )

    class Meta:
        model = Actor
        fields = ["q", "kind", "parent", "country", "member_of", "publication_status"]

    def filter_member_of(self, queryset, name, value):
        return queryset.filter(involving(Affiliation, "member", "organisation", actors=self.named(Actor, value)))


class AffiliationFilterSet(SpanFilterSet):
    search_fields = ("role", "notes", "member__name", "organisation__name")
    open_ended = True  # an affiliation without an end is ongoing (or its end is unknown)

    kind = django_filters.MultipleChoiceFilter(
        choices=AffiliationKind.choices, label="Kind of affiliation (repeat for several)."
    )
    member = RelatedSlugFilter(field_name="member", label="Slug of the member actor.")
    organisation = RelatedSlugFilter(field_name="organisation", label="Slug of the organisation, body or programme."
    )
    actor = django_filters.CharFilter(
        method="filter_actor", label="Slug of an actor on either side (member or organisation)."
    )
    role = django_filters.CharFilter(
        field_name="role", lookup_expr="icontains", label="Words in the title or capacity (Deputy Defence Minister)."
    )
    ordering = OrderingFilter(
        fields=(("start", "start"), ("end", "end"), ("member__name", "member"), ("organisation__name", "organisation")),
        label="Sort by start, end, member or organisation; prefix “-” for descending.",
    )

    class Meta:
        model = Affiliation
        fields = ["q", "kind", "member", "organisation", "actor", "role", "date_from", "date_to", "publication_status"]

    def filter_actor(self, queryset, name, value):
        return queryset.filter(self.related_named("member", value) | self.related_named("organisation", value))
