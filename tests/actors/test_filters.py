import pytest

from apps.actors.filters import ActorFilterSet, AffiliationFilterSet
from apps.actors.models import Actor, Affiliation
from tests import factories

pytestmark = pytest.mark.django_db


def slugs(filterset_class, model, **params):
    filterset = filterset_class(params, queryset=model.objects.with_related())
    assert filterset.is_valid(), filterset.errors
    return {record.slug for record in filterset.qs}


def test_actor_filters(kazakhstan, parliament, majlis, senate):
    nato = factories.ActorFactory(slug="nato", kind="international_organisation", name="NATO")
    factories.AffiliationFactory(member=kazakhstan, organisation=nato)
    assert slugs(ActorFilterSet, Actor, kind=["legislature"]) == {"parliament", "majlis", "senate"}
    assert slugs(ActorFilterSet, Actor, parent="parliament") == {"majlis", "senate"}
    assert slugs(ActorFilterSet, Actor, country="kazakhstan") == {"parliament"}
    assert slugs(ActorFilterSet, Actor, member_of="nato") == {"kazakhstan"}
    assert slugs(ActorFilterSet, Actor, q="mazhilis") == {"majlis"}
    assert slugs(ActorFilterSet, Actor, publication_status="draft") == set()
    ordered = ActorFilterSet({"ordering": "-name"}, queryset=Actor.objects.all()).qs
    assert [actor.name for actor in ordered] == sorted((actor.name for actor in ordered), reverse=True)


def test_affiliation_filters(kazakhstan):
    nato = factories.ActorFactory(slug="nato", kind="international_organisation")
    factories.AffiliationFactory(slug="pfp", member=kazakhstan, organisation=nato, start="1995")
    office = factories.AffiliationFactory(
        slug="office", kind="office", role="Deputy Defence Minister", start="2008", end="November 2010"
    )
    assert slugs(AffiliationFilterSet, Affiliation, member="kazakhstan") == {"pfp"}
    assert slugs(AffiliationFilterSet, Affiliation, organisation="nato") == {"pfp"}
    assert slugs(AffiliationFilterSet, Affiliation, actor="nato") == {"pfp"}
    assert slugs(AffiliationFilterSet, Affiliation, actor=office.member.slug) == {"office"}
    assert slugs(AffiliationFilterSet, Affiliation, kind=["office"]) == {"office"}
    assert slugs(AffiliationFilterSet, Affiliation, role="defence") == {"office"}
    assert slugs(AffiliationFilterSet, Affiliation, q="deputy") == {"office"}
    # An affiliation without an end is ongoing; "November 2010" reaches the 30th.
    assert slugs(AffiliationFilterSet, Affiliation, date_from="2012-01-01") == {"pfp"}
    assert slugs(AffiliationFilterSet, Affiliation, date_from="2010-11-30", date_to="2010-12-31") == {"pfp", "office"}
    assert slugs(AffiliationFilterSet, Affiliation, date_to="1994-12-31") == set()
