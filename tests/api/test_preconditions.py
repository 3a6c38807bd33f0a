"""Writes to an existing record must name the version they edited (body ``version`` or
``If-Match`` with the record's ETag): 428 without, 412/409 when stale, 200 when fresh."""

import pytest
import yaml

from .fixtures import ENDPOINTS, UPDATES, make_record

pytestmark = pytest.mark.django_db


def detail(endpoint, record):
    return f"/api/v1/{endpoint}/{record.slug}/"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_write_without_a_precondition_is_428_and_changes_nothing(endpoint, superuser):
    record = make_record(endpoint, status="draft")
    field, value = UPDATES[endpoint]
    for response in (
        superuser.patch(detail(endpoint, record), {field: value}, format="json"),
        superuser.delete(detail(endpoint, record)),
    ):
        assert response.status_code == 428
        assert "If-Match" in response.json()["detail"] and "version" in response.json()["detail"]
    stored = type(record).objects.get(pk=record.pk)
    assert (stored.version, getattr(stored, field)) == (record.version, getattr(record, field))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_etag_of_a_detail_makes_a_write_current(endpoint, superuser):
    record = make_record(endpoint, status="draft")
    field, value = UPDATES[endpoint]
    etag = superuser.get(detail(endpoint, record))["ETag"]
    assert etag == f'"{record._meta.model_name}-{record.pk}-v1"'
    response = superuser.patch(detail(endpoint, record), {field: value}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response["ETag"] == f'"{record._meta.model_name}-{record.pk}-v2"'
    assert response.json()[field] == value


def test_a_stale_if_match_is_412_listing_the_changes(superuser):
    record = make_record("actors", status="draft")
    etag = superuser.get(detail("actors", record))["ETag"]
    first = superuser.patch(detail("actors", record), {"description": "First."}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    stale = superuser.patch(detail("actors", record), {"description": "Second."}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    body = stale.json()
    assert (body["expected_version"], body["current_version"]) == (1, 2)
    assert [change["field"] for change in body["changed"]] == ["description"]
    assert type(record).objects.get(pk=record.pk).description == "First."


def test_a_stale_version_is_409_and_a_fresh_one_200(superuser):
    record = make_record("agreements", status="draft")
    assert (
        superuser.patch(detail("agreements", record), {"summary": "A", "version": 1}, format="json").status_code == 200
    )
    stale = superuser.patch(detail("agreements", record), {"summary": "B", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    fresh = superuser.patch(detail("agreements", record), {"summary": "B", "version": 2}, format="json")
    assert fresh.status_code == 200 and fresh.json()["version"] == 3


def test_if_match_of_another_record_or_of_nothing_is_412(superuser):
    record, other = make_record("places", status="draft"), make_record("places", status="draft")
    other_etag = superuser.get(detail("places", other))["ETag"]
    for header in (other_etag, '"made-up"', 'W/"place-x-v1"'):
        response = superuser.patch(detail("places", record), {"description": "X"}, format="json", HTTP_IF_MATCH=header)
        assert response.status_code == 412, header
    assert type(record).objects.get(pk=record.pk).version == 1


def test_if_match_any_overwrites_whatever_is_stored(superuser):
    record = make_record("events", status="draft")
    response = superuser.patch(detail("events", record), {"summary": "X"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200 and response.json()["version"] == 2


def test_a_delete_with_a_stale_version_is_refused_and_keeps_the_record(superuser):
    record = make_record("sources", status="draft")
    superuser.patch(detail("sources", record), {"notes": "x", "version": 1}, format="json")
    stale = superuser.delete(detail("sources", record), {"version": 1}, format="json")
    assert stale.status_code == 409
    assert type(record).objects.filter(pk=record.pk).exists()
    assert superuser.delete(detail("sources", record), {"version": 2}, format="json").status_code == 204


def test_transitions_need_a_precondition_too(superuser):
    record = make_record("actors", status="draft")
    assert superuser.post(detail("actors", record) + "publish/").status_code == 428
    etag = superuser.get(detail("actors", record))["ETag"]
    published = superuser.post(detail("actors", record) + "publish/", HTTP_IF_MATCH=etag)
    assert published.status_code == 200 and published.json()["publication_status"] == "published"
    stale = superuser.post(detail("actors", record) + "unpublish/", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


def test_a_version_too_large_for_the_database_is_a_400(superuser):
    record = make_record("actors", status="draft")
    response = superuser.patch(detail("actors", record), {"description": "x", "version": 2**64}, format="json")
    assert response.status_code == 400 and "version" in response.json()


def test_the_schema_documents_the_precondition(anonymous):
    schema = yaml.safe_load(anonymous.get("/api/schema/").content)
    for path, method in [
        ("/api/v1/agreements/{slug}/", "patch"),
        ("/api/v1/agreements/{slug}/", "put"),
        ("/api/v1/agreements/{slug}/", "delete"),
        ("/api/v1/agreements/{slug}/publish/", "post"),
    ]:
        operation = schema["paths"][path][method]
        assert {"409", "412", "428"} <= set(operation["responses"]), (path, method)
        assert "If-Match" in [parameter["name"] for parameter in operation.get("parameters", [])], (path, method)
