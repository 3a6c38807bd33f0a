"""Security headers on every kind of response: a public page, the API, the admin, the API docs."""

import pytest

from tests import factories

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}


def directives(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/actors/", "/api/v1/actors/", "/admin/login/", "/api/docs/"])
def test_every_kind_of_response_carries_the_security_headers(client, url):
    factories.ActorFactory()
    response = client.get(url)
    assert response.status_code == 200
    found = directives(response)
    assert {name: found.get(name) for name in POLICY} == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_admin_behind_its_login_carries_the_policy_too(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert directives(response)["script-src"] == "'self'"


@pytest.mark.django_db
def test_only_the_browsable_api_may_use_inline_style_and_never_inline_script(client):
    response = client.get("/api/v1/actors/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    found = directives(response)
    assert found["style-src"] == "'self' 'unsafe-inline'"
    assert found["script-src"] == "'self'"


@pytest.mark.django_db
def test_the_api_docs_page_has_no_inline_script_or_style(client):
    page = client.get("/api/docs/").content.decode()
    assert "<style" not in page
    assert "<script>" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()
