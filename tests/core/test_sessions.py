"""Cookies and sessions: __Host- cookies, Secure and HttpOnly, under the production (HTTPS)
settings; plain names in development and on a plain-HTTP deployment; a signed-in session
ends after two idle hours and, however active, after twelve."""

import json
import time

import pytest
from django.test import override_settings

from apps.core.middleware import SESSION_SEEN, SESSION_STARTED
from tests import factories
from tests.core.test_settings import LONG_KEY, run_manage

PRODUCTION = {"DEBUG": "0", "SECRET_KEY": LONG_KEY, "ALLOWED_HOSTS": "casefile.example.org"}
COOKIE_SETTINGS = [
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_PATH",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_DOMAIN",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
]


def settings_of(environment):
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {COOKIE_SETTINGS!r}}}))"
    )
    result = run_manage("shell", "--no-imports", "-c", script, env_overrides=environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def production_settings():
    return settings_of(PRODUCTION)


def test_production_uses_host_only_secure_cookies_over_https(production_settings):
    found = production_settings
    assert found["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert found["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"] and found["SESSION_COOKIE_HTTPONLY"]
    assert (found["SESSION_COOKIE_SAMESITE"], found["CSRF_COOKIE_SAMESITE"]) == ("Lax", "Lax")
    # What the prefix demands: path /, no Domain.
    assert (found["SESSION_COOKIE_PATH"], found["CSRF_COOKIE_PATH"]) == ("/", "/")
    assert found["SESSION_COOKIE_DOMAIN"] is None and found["CSRF_COOKIE_DOMAIN"] is None
    assert found["SECURE_SSL_REDIRECT"] and found["SECURE_HSTS_SECONDS"] >= 31536000


@pytest.mark.parametrize("environment", [{"DEBUG": "1"}, {**PRODUCTION, "HTTPS": "0"}], ids=["debug", "plain-http"])
def test_without_https_the_cookies_keep_plain_names_so_browsers_take_them(environment):
    found = settings_of(environment)
    assert not found["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert not found["SESSION_COOKIE_SECURE"] and not found["SECURE_SSL_REDIRECT"]


@pytest.mark.django_db
def test_signing_in_over_https_sets_the_production_cookies(client, production_settings):
    cookies = {name: production_settings[name] for name in COOKIE_SETTINGS if "COOKIE" in name}
    with override_settings(**cookies, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        user = factories.UserFactory(username="aigerim")
        user.set_password("a long test password")
        user.save()
        client.get("/admin/login/", secure=True)
        response = client.post(
            "/admin/login/", {"username": "aigerim", "password": "a long test password"}, secure=True
        )
        assert response.status_code == 302
        session = response.cookies[cookies["SESSION_COOKIE_NAME"]]
        csrf = client.cookies[cookies["CSRF_COOKIE_NAME"]]
        assert session["secure"] and session["httponly"] and session["path"] == "/" and not session["domain"]
        assert session["samesite"] == "Lax"
        assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
        assert client.get("/admin/", secure=True).status_code == 200


@pytest.fixture
def staff_session(client, db):
    client.force_login(factories.UserFactory())
    assert client.session[SESSION_STARTED] >= int(time.time()) - 5  # marked as it signs in
    return client


def move_back(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


@override_settings(SESSION_IDLE_SECONDS=2 * 3600)
def test_two_idle_hours_end_the_session(staff_session):
    move_back(staff_session, SESSION_SEEN, 2 * 3600 + 1)
    response = staff_session.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@override_settings(SESSION_IDLE_SECONDS=2 * 3600)
def test_activity_keeps_the_session_and_renews_the_mark(staff_session):
    move_back(staff_session, SESSION_SEEN, 3600)
    assert staff_session.get("/admin/").status_code == 200
    assert staff_session.session[SESSION_SEEN] >= int(time.time()) - 5
    move_back(staff_session, SESSION_SEEN, 3600)
    assert staff_session.get("/admin/").status_code == 200


@override_settings(SESSION_IDLE_SECONDS=2 * 3600, SESSION_MAX_SECONDS=12 * 3600)
def test_twelve_hours_end_even_an_active_session(staff_session):
    move_back(staff_session, SESSION_STARTED, 12 * 3600 + 1)
    response = staff_session.get("/admin/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_api_session_expires_as_well(client):
    client.force_login(factories.StaffUserFactory())
    draft = factories.ActorFactory(publication_status="draft")
    assert client.get(f"/api/v1/actors/{draft.slug}/").status_code == 200
    move_back(client, SESSION_SEEN, 3 * 3600)
    assert client.get(f"/api/v1/actors/{draft.slug}/").status_code == 404  # anonymous again


def test_a_busy_session_is_not_written_on_every_request(staff_session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert staff_session.get("/admin/").status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    assert writes == []
