"""A NUL character in a query string, a form field or a path is a 400 with a plain
message on every reader path, pages and API alike — never a 500 on PostgreSQL, which
cannot hold NUL in text."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client

from apps.core.middleware import NUL_REFUSED
from tests import factories

from .test_visibility import drafts, reader_paths  # noqa: F401 (the fixture, by name)

pytestmark = pytest.mark.django_db


def with_nul(path):
    """Two variants of ``path``: its own parameters with a NUL in each value, and a NUL
    search word (``q``) added beside them."""
    split = urlsplit(path)
    own = parse_qsl(split.query)
    variants = [f"{split.path}?{urlencode([*own, ('q', 'a' + chr(0) + 'b')])}"]
    if own:
        variants.append(f"{split.path}?{urlencode([(name, value + chr(0)) for name, value in own])}")
    return variants


def assert_refused(response, path):
    assert response.status_code == 400, (path, response.status_code, response.content[:300])
    if "/api/" in path:
        assert response.json() == {"detail": NUL_REFUSED, "code": "invalid"}
    else:
        assert response["Content-Type"].startswith("text/plain")
        assert response.content.decode() == NUL_REFUSED


def test_every_reader_path_refuses_a_nul_in_its_query(drafts):  # noqa: F811
    kept, _ = drafts
    client = Client()
    client.force_login(factories.UserFactory(username="staff", is_staff=True, is_superuser=True))
    paths = [variant for path in reader_paths(kept) for variant in with_nul(path)]
    assert len(paths) > 40
    for path in paths:
        assert_refused(client.get(path), path)


@pytest.mark.parametrize(
    "path",
    [
        "/timeline/?actor=%00",
        "/actors/?q=a%00b",
        "/api/v1/agreements/?party=%00",
        "/api/v1/timeline/?actor=%00",
        "/deployments/?contributor=x%00",
        "/search/?q=%00",
        "/actors/?%00=1",
    ],
)
def test_a_nul_in_a_filter_is_a_plain_400(client, path):
    assert_refused(client.get(path), path)


def test_a_nul_in_the_path_is_a_400(client):
    assert_refused(client.get("/actors/a%00b/"), "/actors/a%00b/")


def test_a_nul_in_a_form_field_is_a_400(client):
    response = client.post("/admin/login/", {"username": "a\x00b", "password": "x"})
    assert_refused(response, "/admin/login/")


def test_a_request_without_nul_goes_through(client):
    factories.ActorFactory(name="Ministry of Defence", publication_status="published")
    assert client.get("/actors/?q=Ministry").status_code == 200
    assert client.get("/api/v1/actors/?q=Ministry").status_code == 200
