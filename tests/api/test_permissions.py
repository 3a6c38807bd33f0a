"""The permissions matrix: anonymous, analyst, superuser × read draft, read published,
create, update, delete, on every endpoint (plus a signed-in reader without rights).

"analyst" here holds every model permission but not the editors' (core.publish_records):
what is published — a record, or a citation of a published record — is not theirs to change.
"""

import pytest

from .fixtures import ENDPOINTS, UPDATES, create_payload, make_record

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "analyst", "superuser"]
CAN_WRITE = {"analyst", "superuser"}
SEES_DRAFTS = {"analyst", "superuser"}


@pytest.fixture
def as_role(request):
    def client(role):
        return request.getfixturevalue(role)

    return client


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_read_published(endpoint, role, as_role):
    record = make_record(endpoint)
    client = as_role(role)
    listing = client.get(f"/api/v1/{endpoint}/")
    assert listing.status_code == 200
    assert record.slug in [item["slug"] for item in listing.json()["results"]]
    assert client.get(f"/api/v1/{endpoint}/{record.slug}/").status_code == 200


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_read_draft(endpoint, role, as_role):
    record = make_record(endpoint, status="draft")
    client = as_role(role)
    listing = client.get(f"/api/v1/{endpoint}/")
    detail = client.get(f"/api/v1/{endpoint}/{record.slug}/")
    visible = role in SEES_DRAFTS
    assert (record.slug in [item["slug"] for item in listing.json()["results"]]) is visible
    assert detail.status_code == (200 if visible else 404)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_create(endpoint, role, as_role):
    response = as_role(role).post(f"/api/v1/{endpoint}/", create_payload(endpoint), format="json")
    if role == "analyst" and endpoint == "citations":
        # The payload cites a published actor: the new passage would be public at once.
        assert response.status_code == 403
        assert "belongs to the published actor" in response.json()["detail"]
    elif role in CAN_WRITE:
        assert response.status_code == 201, response.json()
        assert response.json()["slug"]
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)


@pytest.mark.parametrize("status", ["draft", "published"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_update(endpoint, role, status, as_role):
    """Analysts edit drafts; published records are an editor's (here: the superuser's) to change,
    as in the admin (apps.core.services.editorial_refusal). A citation is published with the
    record it cites (``status`` is the cited actor's)."""
    record = make_record(endpoint, status=status)
    field, value = UPDATES[endpoint]
    response = as_role(role).patch(
        f"/api/v1/{endpoint}/{record.slug}/", {field: value, "version": record.version}, format="json"
    )
    editable = role == "superuser" or (role == "analyst" and status == "draft")
    if editable:
        assert response.status_code == 200, response.json()
        assert response.json()[field] == value
        assert response.json()["version"] == 2
        record.refresh_from_db()
        assert getattr(record, field) == value
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        if role == "analyst":
            assert "only an editor can change it" in response.json()["detail"]


def test_analyst_cannot_publish_directly(analyst):
    response = analyst.post("/api/v1/actors/", {**create_payload("actors"), "publication_status": "published"})
    assert response.status_code == 403
    assert "Only an editor can change the publication status" in response.json()["detail"]


def test_stale_edit_is_a_409_naming_what_changed(superuser):
    record = make_record("actors", status="draft")
    first = superuser.patch(f"/api/v1/actors/{record.slug}/", {"description": "First.", "version": 1}, format="json")
    assert first.status_code == 200
    stale = superuser.patch(f"/api/v1/actors/{record.slug}/", {"description": "Second.", "version": 1}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert (body["expected_version"], body["current_version"]) == (1, 2)
    assert "description" in [change["field"] for change in body["changed"]]


@pytest.mark.parametrize("status", ["draft", "published"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_delete(endpoint, role, status, as_role):
    record = make_record(endpoint, status=status)
    response = as_role(role).delete(f"/api/v1/{endpoint}/{record.slug}/", {"version": record.version}, format="json")
    exists = type(record).objects.filter(pk=record.pk).exists()
    if role == "analyst" and status == "published":
        assert response.status_code == 403 and "only an editor can delete it" in response.json()["detail"]
        assert exists
    elif role in CAN_WRITE:
        assert response.status_code == 204
        assert not exists
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert exists


def test_token_authentication_reaches_drafts(superuser):
    record = make_record("actors", status="draft")
    assert superuser.get(f"/api/v1/actors/{record.slug}/").status_code == 200


def test_deleting_a_cited_source_is_refused_with_a_reason(superuser):
    citation = make_record("citations")
    response = superuser.delete(f"/api/v1/sources/{citation.source.slug}/", HTTP_IF_MATCH="*")
    assert response.status_code == 409
    assert "cannot be deleted" in response.json()["detail"]
