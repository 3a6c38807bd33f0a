"""Request bodies at the edges: nested too deep, or an integer the database column cannot
hold, are a 400 naming why, never a 500 (on SQLite and PostgreSQL alike)."""

import json

import pytest

from apps.core.api.parsers import MAX_JSON_DEPTH

from .fixtures import create_payload, field_errors

pytestmark = pytest.mark.django_db

TOO_BIG = 2**64
PG_INTEGER_MAX = 2_147_483_647


def post(client, endpoint, payload):
    return client.post(f"/api/v1/{endpoint}/", payload, format="json")


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000])
def test_a_body_nested_too_deep_is_refused_with_the_reason(analyst, depth):
    body = '{"name": "Deep", "kind": "government_body", "description": ' + nested(depth) + "}"
    response = analyst.post("/api/v1/actors/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
    assert str(MAX_JSON_DEPTH) in response.json()["detail"]


def test_a_body_at_the_depth_limit_is_parsed(analyst):
    # The actor's description is a string, so the nested list is a field error, not a parse error.
    depth = MAX_JSON_DEPTH - 1
    body = '{"name": "Deep", "kind": "government_body", "description": ' + nested(depth) + "}"
    response = analyst.post("/api/v1/actors/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(field_errors(response.json())) == ["description"]


def test_brackets_inside_strings_do_not_count_as_depth(analyst):
    payload = create_payload("actors") | {"description": "[" * 1_000 + "{" * 1_000}
    response = post(analyst, "actors", payload)
    assert response.status_code == 201, response.content[:300]


def test_malformed_json_is_still_a_400(analyst):
    response = analyst.post("/api/v1/actors/", '{"name": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


# (endpoint, how to put the value into a valid body, the field the 400 names)
INTEGER_FIELDS = [
    ("deployments", lambda p, v: p | {"personnel_qualifier": "at_least", "personnel_min": v, "personnel_max": None},
     ["personnel_min"]),
    ("deployments", lambda p, v: p | {"personnel_qualifier": "at_most", "personnel_max": v}, ["personnel_max"]),
    ("deployments", lambda p, v: p | {"roles": [{"title": "medic", "count": v}]}, ["roles", "0", "count"]),
    ("agreements", lambda p, v: p | {"steps": [{"kind": "signed", "date": "2010", "votes_for": v}]},
     ["steps", "0", "votes_for"]),
    ("agreements", lambda p, v: p | {"steps": [{"kind": "signed", "date": "2010", "votes_against": v}]},
     ["steps", "0", "votes_against"]),
    ("agreements", lambda p, v: p | {"steps": [{"kind": "signed", "date": "2010", "abstentions": v}]},
     ["steps", "0", "abstentions"]),
    ("agreements", lambda p, v: p | {"steps": [{"kind": "signed", "date": "2010", "sequence": v}]},
     ["steps", "0", "sequence"]),
    ("citations", lambda p, v: p | {"credibility": v}, ["credibility"]),
    ("places", lambda p, v: p | {"latitude": v}, ["latitude"]),
    ("places", lambda p, v: p | {"longitude": v}, ["longitude"]),
]


def error_at(errors, path):
    for key in path:
        errors = errors[key]
    return errors


@pytest.mark.parametrize("value", [TOO_BIG, PG_INTEGER_MAX + 1, -1, 10**400])
@pytest.mark.parametrize(("endpoint", "with_value", "path"), INTEGER_FIELDS)
def test_an_integer_out_of_the_column_s_range_is_a_400_naming_the_field(analyst, endpoint, with_value, path, value):
    if path[-1] == "sequence" and value == PG_INTEGER_MAX + 1:
        value = 32_768  # a small-integer column
    if path[-1] in {"latitude", "longitude"} and value == -1:
        value = -1000
    response = post(analyst, endpoint, with_value(create_payload(endpoint), value))
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert error_at(response.json(), path)


def test_the_largest_value_a_column_holds_is_stored(analyst):
    payload = create_payload("deployments") | {
        "personnel_qualifier": "at_least",
        "personnel_min": PG_INTEGER_MAX,
        "personnel_max": None,
        "roles": [{"title": "medic", "count": PG_INTEGER_MAX}],
    }
    response = post(analyst, "deployments", payload)
    assert response.status_code == 201, response.content[:300]
    assert response.json()["personnel_min"] == PG_INTEGER_MAX


@pytest.mark.parametrize("version", [TOO_BIG, PG_INTEGER_MAX + 1, 0, -1, 10**400])
def test_a_version_out_of_range_is_a_400_naming_it(analyst, version):
    created = post(analyst, "actors", create_payload("actors")).json()
    response = analyst.patch(f"/api/v1/actors/{created['slug']}/", {"version": version, "description": "x"},
                             format="json")
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert "version" in response.json()


@pytest.mark.parametrize("version", [str(TOO_BIG), "9" * 400])
def test_an_if_match_version_out_of_range_is_not_a_500(analyst, version):
    created = post(analyst, "actors", create_payload("actors")).json()
    etag = created and analyst.get(f"/api/v1/actors/{created['slug']}/")["ETag"]
    huge = etag.rsplit("-v", 1)[0] + f'-v{version}"'
    response = analyst.patch(f"/api/v1/actors/{created['slug']}/", {"description": "x"}, format="json",
                             HTTP_IF_MATCH=huge)
    assert response.status_code in {400, 412}, (response.status_code, response.content[:300])


def test_json_numbers_too_long_to_read_are_a_400(analyst):
    body = json.dumps(create_payload("actors"))[:-1] + ', "version": ' + "9" * 5000 + "}"
    response = analyst.post("/api/v1/actors/", body, content_type="application/json")
    assert response.status_code == 400
