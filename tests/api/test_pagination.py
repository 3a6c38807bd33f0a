import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_page_carries_total_count_and_links(anonymous):
    factories.ActorFactory.create_batch(5)
    body = anonymous.get("/api/v1/actors/?page_size=2&page=2").json()
    assert body["count"] == 5
    assert body["page"] == 2
    assert body["page_size"] == 2
    assert len(body["results"]) == 2
    assert "page=3" in body["next"]
    assert body["previous"]


def test_default_page_size(anonymous):
    factories.PlaceFactory.create_batch(30)
    body = anonymous.get("/api/v1/places/").json()
    assert len(body["results"]) == 25
    assert body["count"] == 30


def test_largest_page_size_is_accepted(anonymous):
    assert anonymous.get("/api/v1/actors/?page_size=100").status_code == 200


@pytest.mark.parametrize("size", ["101", "1000"])
def test_oversized_page_is_refused_not_capped(anonymous, size):
    response = anonymous.get(f"/api/v1/actors/?page_size={size}")
    assert response.status_code == 400
    assert "At most 100" in response.json()["page_size"][0]


@pytest.mark.parametrize("size", ["0", "-1", "ten"])
def test_page_size_must_be_a_positive_number(anonymous, size):
    assert anonymous.get(f"/api/v1/actors/?page_size={size}").status_code == 400


def test_page_past_the_end_is_404(anonymous):
    factories.ActorFactory()
    assert anonymous.get("/api/v1/actors/?page=9").status_code == 404


def page_through(client, url, page_size):
    slugs, page = [], 1
    while True:
        body = client.get(f"{url}&page_size={page_size}&page={page}").json()
        slugs += [row["slug"] for row in body["results"]]
        if not body["next"]:
            return slugs
        page += 1


@pytest.mark.parametrize("ordering", ["", "kind", "-kind", "name", "-updated"])
def test_paging_through_records_that_tie_shows_each_once(anonymous, ordering):
    # Every place has the same kind, and pairs share a name: each page must still
    # continue where the one before ended, whatever the database's plan for the page.
    places = [factories.PlaceFactory(kind="city", name=f"Twin town {n // 2}") for n in range(17)]
    slugs = page_through(anonymous, f"/api/v1/places/?ordering={ordering}", page_size=4)
    assert sorted(slugs) == sorted(place.slug for place in places)


@pytest.mark.parametrize("ordering", ["kind", "-name", "created"])
def test_a_chosen_order_ends_with_the_records_key(anonymous, ordering):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    factories.PlaceFactory.create_batch(2)
    with CaptureQueriesContext(connection) as captured:
        assert anonymous.get(f"/api/v1/places/?ordering={ordering}").status_code == 200
    (page_query,) = [query["sql"] for query in captured if "ORDER BY" in query["sql"]]
    assert page_query.rstrip().split("ORDER BY")[-1].split("LIMIT")[0].strip().endswith('"places_place"."id" ASC')
