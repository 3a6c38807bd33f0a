"""Every API operation refuses a query parameter it does not take, and takes exactly those
its schema declares; boolean parameters are true or false; ``fields=`` names real fields."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from tests import factories

MADE_UP = "contributer"  # a misspelt filter: before, it was ignored and every record came back
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/?format=json").json()


def operations(schema):
    """(method, path with its variables filled, the query parameters the schema declares)."""
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            filled = re.sub(r"\{proposal_id\}", "1", re.sub(r"\{slug\}", "no-such-record", path))
            yield method, filled, declared


def api_routes(patterns=None, prefix=""):
    """Every route the URL configuration serves under /api/v1/, as a regex source (but the
    answer to addresses no endpoint serves)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/") and pattern.name != "api-unknown":
            yield route


def test_every_operation_in_the_schema_refuses_a_made_up_parameter_and_lists_what_it_takes(db, schema):
    editor = APIClient()
    editor.force_authenticate(factories.StaffUserFactory(is_superuser=True))
    checked = []
    for method, path, declared in operations(schema):
        response = getattr(editor, method)(f"{path}?{MADE_UP}=kazakhstan", {}, format="json")
        assert response.status_code == 400, (method, path, response.status_code)
        body = response.json()
        assert body["code"] == "unknown_parameter", (method, path, body)
        assert body["unknown"] == [MADE_UP]
        assert MADE_UP in body["detail"]
        # What the API takes is what the schema says it takes: the two cannot drift apart.
        assert set(body["accepted"]) == declared, (method, path)
        checked.append((method, path))
    assert len(checked) > 100  # every kind's list, detail, writes and actions


def test_every_api_route_is_in_the_schema_or_is_the_root(schema):
    """So the walk above covers a new endpoint by default: a route missing from the schema
    (and so from that walk) fails here."""
    documented = {re.sub(r"\{[a-z_]+\}", "X", path) for path in schema["paths"]}
    for route in api_routes():
        concrete = "/" + re.sub(r"\(\?P<[a-z_]+>[^)]*\)|<[a-z_:]+>", "X", route).replace("\\.", ".")
        if concrete in {"/api/v1/"} or "(?P<format>" in route or "\\.X" in concrete:
            continue
        assert concrete in documented, route


def test_an_address_no_endpoint_serves_is_a_404_in_the_api_s_error_format(client, db):
    # A line break in the address too: the catch-all must match across it, as Django's resolver does.
    for url in (
        "/api/v1/actors/not%20a%20slug/",
        "/api/v1/actorz/",
        "/api/v1/actors/x/proposals/-1/accept/",
        "/api/v1/exercises/u%C3%A4%0A%7F/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"
    assert client.get("/api/v1/actors").status_code == 301  # Django's APPEND_SLASH still redirects


def test_the_api_root_refuses_a_made_up_parameter(client, db):
    response = client.get(f"/api/v1/?{MADE_UP}=x")
    assert response.status_code == 400
    assert response.json()["accepted"] == ["format"]


@pytest.mark.parametrize(
    ("url", "unknown", "suggested"),
    [
        ("/api/v1/deployments/?contributer=kazakhstan", "contributer", "contributor"),
        ("/api/v1/citations/?agreement=afghanistan-transit", "agreement", "target"),
        ("/api/v1/actors/kazakhstan/?page=2", "page", "fields"),
        ("/api/v1/timeline/?actors=kazakhstan", "actors", "actor"),
        ("/api/v1/search/?q=eagle&type=actors", "type", "limit"),
        ("/api/v1/agreements/removed/?since=2026-01-01T00:00:00Z&page=2", "page", "since"),
    ],
)
def test_a_misspelt_or_misplaced_parameter_is_named_with_those_accepted(client, db, url, unknown, suggested):
    factories.ActorFactory(slug="kazakhstan")
    response = client.get(url)
    assert response.status_code == 400
    body = response.json()
    assert body["unknown"] == [unknown]
    assert suggested in body["accepted"]
    assert f"This operation takes: {', '.join(body['accepted'])}." in body["detail"]


def test_unknown_field_names_are_refused_naming_them(client, db):
    factories.ActorFactory(slug="kazakhstan")
    for url in ("/api/v1/actors/?fields=slug,nmae", "/api/v1/actors/kazakhstan/?fields=slug,nmae"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "nmae" in response.json()["fields"][0]
    assert client.get("/api/v1/actors/kazakhstan/?fields=slug,citations").json().keys() == {"slug", "citations"}
    assert client.get("/api/v1/actors/?fields=slug,name").json()["results"][0].keys() == {"slug", "name"}


@pytest.mark.parametrize("value", ["1", "yes", "null", "True"])
def test_booleans_are_true_or_false_only(client, db, value):
    factories.PlaceFactory(latitude=43.88, longitude=77.07)
    for name, url in (("brief", "/api/v1/places/"), ("has_coordinates", "/api/v1/places/")):
        response = client.get(f"{url}?{name}={value}")
        assert response.status_code == 400, (name, value)
        assert response.json()["code"] == "invalid"
        assert name in response.json()


def test_booleans_as_declared_still_work(client, db):
    factories.PlaceFactory(latitude=43.88, longitude=77.07)
    factories.PlaceFactory(latitude=None, longitude=None)
    assert client.get("/api/v1/places/?has_coordinates=true").json()["count"] == 1
    assert client.get("/api/v1/places/?has_coordinates=false").json()["count"] == 1
    assert client.get("/api/v1/places/?has_coordinates=").json()["count"] == 2
    assert client.get("/api/v1/places/?brief=true").json()["results"][0].keys() == {"slug", "name", "url"}


def test_pages_ignore_parameters_they_do_not_know_and_keep_them_out_of_export_links(client, db):
    factories.ActorFactory(kind="state")
    response = client.get("/actors/?kind=state&utm_source=newsletter")
    assert response.status_code == 200
    exports = [url for _, url in response.context["view"].exports()]
    assert exports and all("utm_source" not in url and "kind=state" in url for url in exports)
    assert all(client.get(url).status_code == 200 for url in exports)
