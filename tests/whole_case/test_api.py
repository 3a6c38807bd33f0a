"""The timeline and search endpoints."""

import pytest

from tests import factories
from tests.api.fixtures import anonymous  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated(kazakhstan):
    visit = factories.EventFactory(slug="visit", title="Visit", date="May 2009")
    factories.EventParticipantFactory(event=visit, actor=kazakhstan)
    factories.EventFactory(slug="later", title="Later", date="2011")
    factories.EventFactory(slug="draft-event", date="2010", publication_status="draft")
    factories.AgreementStepFactory(date="12 November 2010", agreement=factories.AgreementFactory(slug="deal"))
    factories.DeploymentFactory(slug="officers", start="May 2011", end="2012")


def test_timeline_in_date_order_with_one_item_shape(anonymous, dated):  # noqa: F811
    results = anonymous.get("/api/v1/timeline/").json()["results"]
    assert [(item["type"], item["slug"]) for item in results] == [
        ("event", "visit"),
        ("agreement_step", results[1]["slug"]),
        ("event", "later"),
        ("deployment", "officers"),
        ("deployment", "officers"),
    ]
    shape = {"type", "slug", "title", "date", "end", "phase", "url", "page_url", "actors", "collections"}
    assert set(results[0]) == shape
    assert results[0]["date"]["display"] == "May 2009"
    assert results[0]["actors"][0]["url"].endswith("/api/v1/actors/kazakhstan/")
    assert results[1]["url"].endswith("/api/v1/agreements/deal/")


def test_timeline_filters(anonymous, dated):  # noqa: F811
    def slugs(query):
        response = anonymous.get(f"/api/v1/timeline/?{query}")
        assert response.status_code == 200
        return [item["slug"] for item in response.json()["results"]]

    assert slugs("date_from=2009-05-10&date_to=2009-06-30") == ["visit"]
    assert slugs("type=event") == ["visit", "later"]
    assert slugs("actor=kazakhstan") == ["visit"]
    assert anonymous.get("/api/v1/timeline/?date_from=2009-02-30").status_code == 400
    assert anonymous.get("/api/v1/timeline/?type=dragon").status_code == 400


def test_search_groups_results_by_type(anonymous, kazakhstan):  # noqa: F811
    factories.SourceFactory(title="Kazakhstan sends officers")
    body = anonymous.get("/api/v1/search/?q=kazakh").json()
    assert list(body["results"]) == [
        "actors",
        "affiliations",
        "agreements",
        "deployments",
        "exercises",
        "events",
        "routes",
        "places",
        "sources",
    ]
    assert [hit["slug"] for hit in body["results"]["actors"]["results"]] == ["kazakhstan"]
    assert body["results"]["sources"]["results"][0]["url"].startswith("http://testserver/api/v1/sources/")
    assert anonymous.get("/api/v1/search/").status_code == 400
    assert anonymous.get("/api/v1/search/?q=x&limit=500").status_code == 400
