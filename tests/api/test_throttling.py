"""Brakes on the API: wrong tokens from one address lock that address out of token sign-in
for a while (429, the right token included); throttles answer 429 with Retry-After over a
rate; the schema declares the 429."""

import secrets

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories

GUESSER = "203.0.113.7"


def with_token(key, address=GUESSER):
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def rates(**scopes):
    """REST_FRAMEWORK with these throttle rates (others off)."""
    chosen = {"anon": None, "user": None, "write": None, **scopes}
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": chosen})


@pytest.fixture
def token(db):
    return Token.objects.create(user=factories.StaffUserFactory()).key


@override_settings(API_TOKEN_FAILURE_LIMIT=5, API_TOKEN_LOCKOUT_SECONDS=900)
def test_guessing_tokens_locks_the_address_out_even_for_the_right_token(token):
    for _ in range(5):
        assert with_token(secrets.token_hex(20)).get("/api/v1/actors/").status_code == 401
    refused = with_token(token).get("/api/v1/actors/")
    assert refused.status_code == 429
    assert 890 <= int(refused["Retry-After"]) <= 900
    assert "wrong API tokens" in refused.json()["detail"]
    # Another address, and readers without a token at the same address, go on as before.
    assert with_token(token, address="198.51.100.20").get("/api/v1/actors/").status_code == 200
    assert APIClient(REMOTE_ADDR=GUESSER).get("/api/v1/actors/").status_code == 200


@override_settings(API_TOKEN_FAILURE_LIMIT=3)
def test_valid_tokens_are_never_counted_against_their_address(token):
    client = with_token(token)
    for _ in range(10):
        assert client.get("/api/v1/actors/").status_code == 200
    for _ in range(2):
        assert with_token("wrong").get("/api/v1/actors/").status_code == 401
    assert client.get("/api/v1/actors/").status_code == 200  # two wrong ones: below the limit


@rates(anon="3/minute")
@pytest.mark.django_db
def test_anonymous_readers_over_the_rate_get_429_with_retry_after():
    client = APIClient(REMOTE_ADDR=GUESSER)
    # Each a different address: an anonymous read answered from the reader cache costs
    # nothing and is not counted (tests/caching), so the rate is met by reads that run.
    for size in (1, 2, 3):
        assert client.get("/api/v1/actors/", {"page_size": size}).status_code == 200
    throttled = client.get("/api/v1/places/")
    assert throttled.status_code == 429
    assert 1 <= int(throttled["Retry-After"]) <= 60
    # Counted per address: another reader is not held up.
    assert APIClient(REMOTE_ADDR="198.51.100.20").get("/api/v1/actors/").status_code == 200


@rates(anon="2/minute", user="5/minute")
def test_signed_in_users_have_their_own_rate(token):
    client = with_token(token)
    for _ in range(5):
        assert client.get("/api/v1/actors/").status_code == 200
    assert client.get("/api/v1/actors/").status_code == 429


@rates(write="2/minute")
def test_writes_are_counted_apart_from_reads(token):
    client = with_token(token)
    for name in ("First", "Second"):
        assert client.post("/api/v1/actors/", {"name": name, "kind": "state"}, format="json").status_code == 201
    third = client.post("/api/v1/actors/", {"name": "Third", "kind": "state"}, format="json")
    assert third.status_code == 429 and "Retry-After" in third
    assert client.get("/api/v1/actors/").status_code == 200  # reading goes on


@pytest.mark.django_db
def test_the_default_rates_leave_a_busy_reader_alone():
    client = APIClient(REMOTE_ADDR=GUESSER)
    assert all(client.get("/api/v1/actors/").status_code == 200 for _ in range(100))


@pytest.mark.django_db
def test_the_schema_declares_429_with_retry_after_on_every_operation(client):
    schema = client.get("/api/schema/?format=json").json()
    operations = [op for path in schema["paths"].values() for op in path.values() if "responses" in op]
    assert operations
    for operation in operations:
        throttled = operation["responses"]["429"]
        assert "Retry-After" in throttled["headers"], operation["operationId"]
    assert schema["components"]["schemas"]["Throttled"]["required"] == ["detail"]
