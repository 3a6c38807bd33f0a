import pytest

from tests import factories
from tests.api.fixtures import analyst, analyst_user, anonymous  # noqa: F401

pytestmark = pytest.mark.django_db


def test_create_a_citation_by_target_type_and_slug(analyst):  # noqa: F811
    source = factories.SourceFactory()
    step = factories.AgreementStepFactory(agreement=factories.AgreementFactory(publication_status="draft"))
    body = {"source": source.slug, "target_type": "agreement_step", "target": step.slug, "locator": "p. 46"}
    response = analyst.post("/api/v1/citations/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["target_type"] == "agreement_step"
    assert response.json()["target"]["slug"] == step.slug
    assert step.citations.get().locator == "p. 46"


def test_retargeting_clears_the_old_target(analyst, kazakhstan):  # noqa: F811
    citation = factories.CitationFactory(actor=factories.ActorFactory(publication_status="draft"))
    event = factories.EventFactory(publication_status="draft")
    response = analyst.patch(
        f"/api/v1/citations/{citation.slug}/",
        {"target_type": "event", "target": event.slug, "version": citation.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    citation.refresh_from_db()
    assert (citation.event, citation.actor) == (event, None)


def test_a_citation_cannot_move_onto_or_off_a_published_record_without_an_editor(analyst):  # noqa: F811
    draft, published = factories.EventFactory(publication_status="draft"), factories.EventFactory()
    citation = factories.CitationFactory(actor=None, event=draft)
    onto = analyst.patch(f"/api/v1/citations/{citation.slug}/", {"target": published.slug, "version": 1}, format="json")
    assert onto.status_code == 403 and "belongs to the published event" in onto.json()["detail"]
    moved = factories.CitationFactory(actor=None, event=published)
    off = analyst.patch(f"/api/v1/citations/{moved.slug}/", {"target": draft.slug, "version": 1}, format="json")
    assert off.status_code == 403
    citation.refresh_from_db()
    moved.refresh_from_db()
    assert (citation.event, moved.event) == (draft, published)


def test_readers_do_not_see_citations_of_drafts(anonymous):  # noqa: F811
    factories.CitationFactory(slug="of-draft-actor", actor=factories.ActorFactory(publication_status="draft"))
    factories.CitationFactory(slug="of-draft-source", source=factories.SourceFactory(publication_status="draft"))
    factories.CitationFactory(slug="visible")
    assert [c["slug"] for c in anonymous.get("/api/v1/citations/").json()["results"]] == ["visible"]


def test_record_detail_lists_its_citations(anonymous):  # noqa: F811
    citation = factories.CitationFactory(locator="p. 4", passage="Four officers.")
    body = anonymous.get(f"/api/v1/actors/{citation.actor.slug}/").json()
    assert body["citations"][0]["locator"] == "p. 4"
    assert body["citations"][0]["source"]["slug"] == citation.source.slug


TARGETS = {
    "actor": lambda status: factories.ActorFactory(publication_status=status),
    "affiliation": lambda status: factories.AffiliationFactory(publication_status=status),
    "agreement": lambda status: factories.AgreementFactory(publication_status=status),
    "agreement_step": lambda status: factories.AgreementStepFactory(
        agreement=factories.AgreementFactory(publication_status=status)
    ),
    "deployment": lambda status: factories.DeploymentFactory(publication_status=status),
    "exercise": lambda status: factories.ExerciseFactory(publication_status=status),
    "event": lambda status: factories.EventFactory(publication_status=status),
    "place": lambda status: factories.PlaceFactory(publication_status=status),
    "route": lambda status: factories.RouteFactory(publication_status=status),
    "route_leg": lambda status: factories.LegFactory(route=factories.RouteFactory(publication_status=status)),
    "route_constraint": lambda status: factories.RouteConstraintFactory(
        route=factories.RouteFactory(publication_status=status)
    ),
}


def test_readers_see_citations_of_published_records_of_every_kind_and_none_of_drafts(anonymous):  # noqa: F811
    from apps.citations.choices import CITABLE_FIELDS

    assert sorted(TARGETS) == sorted(CITABLE_FIELDS)
    shown = set()
    for kind, make in TARGETS.items():
        for status in ("published", "draft", "in_review"):
            targets = {name: None for name in CITABLE_FIELDS} | {kind: make(status)}
            factories.CitationFactory(slug=f"{kind}-{status}".replace("_", "-"), **targets)
        shown.add(f"{kind}-published".replace("_", "-"))
    listed = anonymous.get("/api/v1/citations/?page_size=100").json()
    assert {c["slug"] for c in listed["results"]} == shown
    assert listed["count"] == len(shown) == len(CITABLE_FIELDS)
