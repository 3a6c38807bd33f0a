"""Structured logs: each security event and each request error is one line of JSON, with no
password or token in it."""

import io
import json
import logging
import sys

import pytest
from django.test import RequestFactory, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.core.logs import JsonLinesFormatter
from tests import factories

WRONG_PASSWORD = "Wr0ng-but-secret-password"


@pytest.fixture
def log_lines():
    """The lines written to the log while the test runs, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def events(lines, name):
    return [line for line in lines if line.get("event") == name]


@override_settings(AXES_FAILURE_LIMIT=2, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
@pytest.mark.django_db
def test_failed_sign_ins_and_the_lockout_are_logged_without_the_password(client, log_lines):
    factories.UserFactory(username="aigerim")
    for _ in range(2):
        client.post("/admin/login/", {"username": "aigerim", "password": WRONG_PASSWORD})
    lines = log_lines()
    failed = events(lines, "sign_in_failed")
    assert len(failed) == 2
    assert failed[0]["username"] == "aigerim" and failed[0]["path"] == "/admin/login/" and failed[0]["client"]
    [locked] = events(lines, "sign_in_locked_out")
    assert locked["username"] == "aigerim" and locked["level"] == "WARNING"
    assert WRONG_PASSWORD not in json.dumps(lines)


@override_settings(API_TOKEN_FAILURE_LIMIT=2)
@pytest.mark.django_db
def test_rejected_tokens_and_the_token_lockout_are_logged_without_the_token(log_lines):
    guessed = "0123456789abcdef0123456789abcdef01234567"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {guessed}")
    client.get("/api/v1/actors/")
    client.get("/api/v1/actors/")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=factories.UserFactory()).key}")
    assert client.get("/api/v1/actors/").status_code == 429
    lines = log_lines()
    assert [line["failures"] for line in events(lines, "api_token_rejected")] == [1, 2]
    assert len(events(lines, "api_token_locked_out")) == 1
    # Django's own line for each refused request, in the same shape.
    assert [line["status_code"] for line in lines if line["logger"] == "django.request"] == [401, 401, 429]
    assert guessed not in json.dumps(lines)


def test_a_server_error_is_one_line_with_its_traceback_and_without_the_query():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    request = RequestFactory().get("/agreements/?token=secret-value")
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", (request.path,),
            exc_info=sys.exc_info(), extra={"status_code": 500, "request": request},
        )
    handler.emit(record)
    [line] = stream.getvalue().splitlines()
    found = json.loads(line)
    assert (found["status_code"], found["method"], found["path"]) == (500, "GET", "/agreements/")
    assert "RuntimeError: the database went away" in found["exception"]
    assert "secret-value" not in line


@pytest.mark.django_db
def test_a_refused_write_and_a_stale_edit_are_logged_as_request_lines(log_lines, roles):
    actor = factories.ActorFactory()
    outsider = APIClient()
    outsider.force_authenticate(factories.UserFactory(is_staff=False, groups=["Editor"]))
    assert outsider.delete(f"/api/v1/actors/{actor.slug}/", HTTP_IF_MATCH="*").status_code == 403
    editor = APIClient()
    editor.force_authenticate(factories.UserFactory(groups=["Editor"]))
    version = actor.version
    first = editor.patch(f"/api/v1/actors/{actor.slug}/", {"name": "Renamed", "version": version}, format="json")
    assert first.status_code == 200
    stale = editor.patch(f"/api/v1/actors/{actor.slug}/", {"name": "Again", "version": version}, format="json")
    assert stale.status_code == 409
    refusals = [(line["status_code"], line["method"], line["path"]) for line in log_lines() if "status_code" in line]
    assert refusals == [
        (403, "DELETE", f"/api/v1/actors/{actor.slug}/"),
        (stale.status_code, "PATCH", f"/api/v1/actors/{actor.slug}/"),
    ]
