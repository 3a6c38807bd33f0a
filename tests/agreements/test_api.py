"""Agreements over the API: parties and steps are written nested, and replace what was there."""

import pytest

from tests import factories
from tests.api.fixtures import analyst, analyst_user, anonymous  # noqa: F401

pytestmark = pytest.mark.django_db


def test_create_with_parties_and_steps(analyst, kazakhstan, senate):  # noqa: F811
    body = {
        "title": "Agreement on air transit",
        "short_title": "Air transit",
        "kind": "treaty",
        "parties": [{"actor": "kazakhstan", "role": "party"}],
        "steps": [
            {"kind": "rejected_by_chamber", "date": "9 June 2011", "acting_body": "senate", "votes_for": 10},
            {"kind": "signed", "date": "12 November 2010"},
        ],
    }
    response = analyst.post("/api/v1/agreements/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["name"] == "Air transit"
    assert data["status"] == "rejected_by_chamber"
    assert data["status_text"] == "Rejected by Senate (9 June 2011)"
    assert [party["actor"]["slug"] for party in data["parties"]] == ["kazakhstan"]
    assert [step["kind"] for step in data["steps"]] == ["signed", "rejected_by_chamber"]
    assert data["steps"][1]["acting_body"]["url"].endswith("/api/v1/actors/senate/")


def test_update_replaces_parties_and_keeps_steps(analyst, kazakhstan):  # noqa: F811
    agreement = factories.AgreementFactory(publication_status="draft")
    factories.AgreementPartyFactory(agreement=agreement)
    factories.AgreementStepFactory(agreement=agreement)
    response = analyst.patch(
        f"/api/v1/agreements/{agreement.slug}/",
        {"parties": [{"actor": "kazakhstan", "role": "signatory"}], "version": agreement.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert [(p["actor"]["slug"], p["role"]) for p in response.json()["parties"]] == [("kazakhstan", "signatory")]
    assert agreement.steps.count() == 1


def test_brief_and_field_selection(anonymous):  # noqa: F811
    agreement = factories.AgreementFactory(short_title="IPAP")
    brief = anonymous.get("/api/v1/agreements/?brief=true").json()["results"][0]
    assert brief == {
        "slug": agreement.slug,
        "name": "IPAP",
        "url": f"http://testserver/api/v1/agreements/{agreement.slug}/",
    }
    picked = anonymous.get(f"/api/v1/agreements/{agreement.slug}/?fields=slug,kind").json()
    assert picked == {"slug": agreement.slug, "kind": "treaty"}


def test_dates_are_value_precision_and_display(anonymous):  # noqa: F811
    agreement = factories.AgreementFactory(period_start="c. 2006")
    period = anonymous.get(f"/api/v1/agreements/{agreement.slug}/").json()["period_start"]
    assert period == {
        "value": "2006-01-01/2006-12-31/year/c",
        "earliest": "2006-01-01",
        "latest": "2006-12-31",
        "precision": "year",
        "circa": True,
        "display": "c. 2006",
    }
