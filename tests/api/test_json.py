"""Responses are encoded by orjson (apps.core.api.renderers.JSONRenderer): the same
documents DRF's own JSON encoder writes, for every endpoint and for errors."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework import renderers

from apps.core.api.renderers import JSONRenderer

from .fixtures import ENDPOINTS

pytestmark = pytest.mark.django_db


def drf_json(data):
    return json.loads(renderers.JSONRenderer().render(data))


def test_the_case_file_encodes_as_drf_encodes_it(anonymous):
    call_command("load_casefile", verbosity=0)
    urls = [f"/api/v1/{endpoint}/?page_size=100" for endpoint in ENDPOINTS]
    urls += [
        "/api/v1/timeline/?page_size=100",
        "/api/v1/search/?q=Kazakhstan",
        "/api/v1/places/astana/",
        "/api/v1/agreements/kazakhstan-russia-military-cooperation-treaty-1994/",
    ]
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content) == drf_json(response.data), url
    assert json.loads(anonymous.get("/api/v1/places/astana/").content)["latitude"] == 51.1694


def test_decimals_are_numbers_and_positional_error_keys_are_text():
    data = {"latitude": Decimal("43.25"), "errors": {"parties": {0: {"actor": ["No actor with the slug “x”."]}}}}
    assert json.loads(JSONRenderer().render(data)) == {
        "latitude": 43.25,
        "errors": {"parties": {"0": {"actor": ["No actor with the slug “x”."]}}},
    }
    assert json.loads(JSONRenderer().render(data)) == drf_json(data)


def test_text_is_utf8_and_compact_unless_an_indent_is_asked_for():
    data = {"name": "Қазақстан", "items": [1, 2]}
    assert JSONRenderer().render(data) == '{"name":"Қазақстан","items":[1,2]}'.encode()
    indented = JSONRenderer().render(data, "application/json; indent=4", {})
    assert indented.decode().startswith('{\n  "name": "Қазақстан"')
    assert json.loads(indented) == data
    assert JSONRenderer().render(None) == b""


def test_a_client_asking_for_indented_json_gets_it(anonymous):
    response = anonymous.get("/api/v1/places/?page_size=1", HTTP_ACCEPT="application/json; indent=4")
    assert response.status_code == 200
    assert response.content.startswith(b'{\n  "count": ')
