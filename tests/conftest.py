import pytest
from django.core.management import call_command

from . import factories


@pytest.fixture(scope="module")
def loaded_casefile(django_db_setup, django_db_blocker):
    """The case file as `load_casefile` loads it, once for a whole module of read-only tests."""
    with django_db_blocker.unblock():
        call_command("load_casefile", verbosity=0)
        yield
        call_command("flush", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: no throttle count, token-guessing count or cached
    page carried over from an earlier test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def kazakhstan(db):
    return factories.ActorFactory(name="Kazakhstan", slug="kazakhstan", kind="state")


@pytest.fixture
def parliament(db, kazakhstan):
    parliament = factories.ActorFactory(
        name="Parliament of Kazakhstan", slug="parliament", kind="legislature", country=kazakhstan
    )
    return parliament


@pytest.fixture
def majlis(parliament):
    return factories.ActorFactory(
        name="Majlis", slug="majlis", kind="legislature", parent=parliament, aliases="Mazhilis\nlower house"
    )


@pytest.fixture
def senate(parliament):
    return factories.ActorFactory(name="Senate", slug="senate", kind="legislature", parent=parliament)


@pytest.fixture
def staff_client(client, db):
    """A client signed in as staff: the public pages show drafts, banners and admin links."""
    client.force_login(factories.StaffUserFactory())
    return client


@pytest.fixture
def count_queries(client):
    """count_queries(url, client=client) -> (response, number of SQL queries the request ran)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url, *, using=None):
        with CaptureQueriesContext(connection) as queries:
            response = (using or client).get(url)
        return response, len(queries.captured_queries)

    return count


@pytest.fixture
def assert_constant_queries(count_queries):
    """Request ``url``, call ``grow()`` to add records, request again: the query counts must match."""

    def check(url, grow, *, using=None):
        first, before = count_queries(url, using=using)
        assert first.status_code == 200
        grow()
        second, after = count_queries(url, using=using)
        assert second.status_code == 200
        assert before == after, f"{url}: {before} queries, then {after} with more records"
        return second

    return check


@pytest.fixture
def assert_draft_only_for_staff(staff_client):
    """A draft's page is a 404 for anonymous readers and a bannered page, with an admin link, for staff."""

    def check(url):
        from django.test import Client

        assert Client().get(url).status_code == 404
        response = staff_client.get(url)
        assert response.status_code == 200
        content = response.content.decode()
        assert 'class="draft-banner"' in content
        assert "Edit in admin" in content
        return response

    return check


def pytest_sessionfinish(session):
    """Remove the write-ahead log SQLite leaves beside a dropped test database.

    The test database is a temporary file in WAL mode (settings); a connection still open
    when it was dropped (a live-server thread's, say) leaves its ``-wal`` and ``-shm`` files."""
    import glob
    import os

    from django.conf import settings

    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if database["ENGINE"] != "django.db.backends.sqlite3" or not name:
        return
    for leftover in glob.glob(f"{glob.escape(name)}*-wal") + glob.glob(f"{glob.escape(name)}*-shm"):
        if not os.path.exists(leftover.rsplit("-", 1)[0]):
            os.remove(leftover)


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty in-memory cache: the database rolls back between
    tests, the cache does not (a shared Redis is not flushed: its keys carry a revision
    token no other test's database writes)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _forced_authentication_carries_credentials(monkeypatch):
    """``APIClient.force_authenticate`` signs a test's requests in without the credentials a
    real client sends. The reader cache tells someone's request from an anonymous one by
    those credentials, before any view runs; so such requests carry an Authorization
    header, as a real client's do (DRF's forced authentication ignores it)."""
    from rest_framework.test import APIClient

    force = APIClient.force_authenticate

    def force_authenticate(self, user=None, token=None):
        force(self, user, token)
        if user is None and token is None:
            self.defaults.pop("HTTP_AUTHORIZATION", None)
        else:
            self.defaults["HTTP_AUTHORIZATION"] = "Token forced-authentication-in-a-test"

    monkeypatch.setattr(APIClient, "force_authenticate", force_authenticate)
