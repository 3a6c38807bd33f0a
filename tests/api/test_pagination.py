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
