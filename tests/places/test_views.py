"""The place pages: list with kind facet, detail with what happened there."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def almaty():
    country = factories.PlaceFactory(name="Kazakhstan", slug="kazakhstan-place", kind="country")
    return factories.PlaceFactory(name="Almaty", slug="almaty", kind="city", within=country)


def test_detail_lists_what_happened_there_in_date_order(client, almaty):
    factories.EventFactory(title="Training centre opens", date="27 April 2010", place=almaty)
    factories.ExerciseFactory(name="Steppe Eagle 2008", start="September 2008", location=almaty)
    factories.DeploymentFactory(name="BMATT team", start="May 2009", location=almaty)
    factories.EventFactory(title="Secret draft event", place=almaty, publication_status="draft")
    content = client.get(reverse("places:detail", args=["almaty"])).content.decode()
    positions = [content.index(text) for text in ("Steppe Eagle 2008", "BMATT team", "Training centre opens")]
    assert positions == sorted(positions)
    assert "Secret draft event" not in content
    assert "Kazakhstan" in content  # the place it lies within


def test_list_counts_kinds(client, almaty):
    response = client.get(reverse("places:list"))
    kinds = next(f for f in response.context["facets"] if f.name == "kind")
    assert {o.value: o.count for o in kinds.options} == {"country": 1, "city": 1}


def test_draft_is_hidden_from_readers_and_bannered_for_staff(assert_draft_only_for_staff):
    draft = factories.PlaceFactory(publication_status="draft")
    assert_draft_only_for_staff(reverse("places:detail", args=[draft.slug]))


def test_list_runs_the_same_queries_for_more_places(assert_constant_queries, almaty):
    assert_constant_queries(
        reverse("places:list"), lambda: factories.PlaceFactory.create_batch(6, within=almaty.within)
    )


def test_detail_runs_the_same_queries_for_more_happenings(assert_constant_queries, almaty):
    def grow():
        factories.EventFactory.create_batch(3, place=almaty)
        factories.ExerciseFactory.create_batch(3, location=almaty)
        factories.DeploymentFactory.create_batch(3, location=almaty)
        factories.AgreementStepFactory.create_batch(2, place=almaty)
        factories.PlaceFactory.create_batch(2, within=almaty)

    grow()  # one of each first: an empty relation skips its prefetch query
    assert_constant_queries(reverse("places:detail", args=["almaty"]), grow)


@pytest.mark.parametrize("sort", ["name", "kind", "updated"])
def test_paging_through_places_that_tie_shows_each_once(client, sort):
    places = [factories.PlaceFactory(kind="city", name=f"Twin town {n // 2}") for n in range(30)]
    seen = []
    for page in (1, 2):
        response = client.get(reverse("places:list"), {"sort": sort, "page": page})
        seen += [place.slug for place in response.context["object_list"]]
        assert response.context["paginator"].object_list.query.order_by[-1] == "pk"  # ties broken
    assert sorted(seen) == sorted(place.slug for place in places)
