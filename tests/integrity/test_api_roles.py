"""The three roles from ``setup_roles`` (and anonymous clients) applied to the API."""

import pytest
from rest_framework.test import APIClient

from apps.actors.models import Actor
from tests import factories

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def records(db):
    return {
        "draft": factories.ActorFactory(publication_status="draft"),
        "in_review": factories.ActorFactory(publication_status="in_review"),
        "published": factories.ActorFactory(publication_status="published"),
    }


def listed(client):
    response = client.get("/api/v1/actors/", {"page_size": 100})
    assert response.status_code == 200
    return {item["slug"] for item in response.json()["results"]}


def test_anonymous_reads_published_only_and_cannot_write(records):
    client = api()
    assert listed(client) == {records["published"].slug}
    assert client.get(f"/api/v1/actors/{records['draft'].slug}/").status_code == 404
    assert client.get(f"/api/v1/actors/{records['in_review'].slug}/").status_code == 404
    assert client.post("/api/v1/actors/", {"name": "X", "kind": "state"}, format="json").status_code in (401, 403)


def test_reader_reads_drafts_but_cannot_write(reader, records):
    client = api(reader)
    assert listed(client) == {r.slug for r in records.values()}
    assert client.post("/api/v1/actors/", {"name": "X", "kind": "state"}, format="json").status_code == 403
    draft = records["draft"].slug
    assert client.patch(f"/api/v1/actors/{draft}/", {"name": "Y"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/actors/{draft}/").status_code == 403


def test_analyst_writes_drafts_but_cannot_publish_change_published_or_delete(analyst, records):
    client = api(analyst)
    created = client.post("/api/v1/actors/", {"name": "New actor", "kind": "state"}, format="json")
    assert created.status_code == 201, created.json()
    assert Actor.objects.get(slug=created.json()["slug"]).publication_status == "draft"
    draft = records["draft"].slug
    assert client.patch(f"/api/v1/actors/{draft}/", {"name": "Renamed", "version": 1}, format="json").status_code == 200
    refused = client.patch(f"/api/v1/actors/{draft}/", {"publication_status": "published", "version": 2}, format="json")
    assert refused.status_code == 403 and "Only an editor" in refused.json()["detail"]
    published = records["published"].slug
    refused = client.patch(f"/api/v1/actors/{published}/", {"name": "Renamed", "version": 1}, format="json")
    assert refused.status_code == 403 and "published" in refused.json()["detail"]
    assert client.delete(f"/api/v1/actors/{draft}/", HTTP_IF_MATCH="*").status_code == 403
    assert Actor.objects.get(slug=draft).publication_status == "draft"


def test_editor_publishes_edits_published_and_deletes(editor, records):
    client = api(editor)
    draft = records["draft"].slug
    response = client.patch(
        f"/api/v1/actors/{draft}/", {"publication_status": "published", "version": 1}, format="json"
    )
    assert response.status_code == 200
    latest = Actor.objects.get(slug=draft).history.latest("history_date")
    assert latest.history_user == editor and latest.publication_status == "published"
    assert client.delete(f"/api/v1/actors/{records['in_review'].slug}/", HTTP_IF_MATCH="*").status_code == 204


def test_publication_transitions_through_the_api(analyst, editor, reader, records):
    slug = records["draft"].slug
    url = f"/api/v1/actors/{slug}/"
    assert api().post(f"{url}submit-for-review/").status_code in (401, 403)
    assert api(reader).post(f"{url}submit-for-review/").status_code == 403
    refused = api(analyst).post(f"{url}publish/", {"version": 1}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == "Only an editor can publish records."
    submitted = api(analyst).post(f"{url}submit-for-review/", {"change_message": "ready", "version": 1}, format="json")
    assert submitted.status_code == 200 and submitted.json()["publication_status"] == "in_review"
    assert submitted.json()["version"] == 2
    stale = api(editor).post(f"{url}publish/", {"version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    published = api(editor).post(f"{url}publish/", {"version": 2, "change_message": "checked"}, format="json")
    assert published.status_code == 200 and published.json()["publication_status"] == "published"
    wrong = api(editor).post(f"{url}return-to-draft/", {"version": 3}, format="json")
    assert wrong.status_code == 400 and "cannot be returned to draft" in str(wrong.json())
    assert api(editor).post(f"{url}unpublish/", HTTP_IF_MATCH=f'"actor-{records["draft"].pk}-v3"').status_code == 200
    history = Actor.objects.get(slug=slug).history.order_by("history_date")
    assert [(row.history_user, row.history_change_reason) for row in history][1:] == [
        (analyst, "Submitted for review: ready"),
        (editor, "Published: checked"),
        (editor, "Unpublished (returned to draft)"),
    ]


def test_citations_have_no_publication_transitions(editor):
    citation = factories.CitationFactory()
    assert api(editor).post(f"/api/v1/citations/{citation.slug}/publish/").status_code == 404


def test_two_analysts_updating_one_record_through_the_api(analyst, records):
    slug = records["draft"].slug
    first = api(analyst).patch(f"/api/v1/actors/{slug}/", {"name": "First", "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    second = api(analyst).patch(f"/api/v1/actors/{slug}/", {"description": "Second", "version": 1}, format="json")
    assert second.status_code == 409
    body = second.json()
    assert [change["field"] for change in body["changed"]] == ["name"] and body["changed"][0]["after"] == "First"
    assert "you opened version 1; it is now version 2" in body["detail"]
    assert Actor.objects.get(slug=slug).description == ""
