"""Concurrent writers through a live server, and the 503 a busy database answers.

Runs on SQLite (a file in WAL mode, one connection per server thread, as in production)
and on PostgreSQL (``DATABASE_URL=postgres://…``). On SQLite writers queue for the one
write lock; on PostgreSQL they wait for the row. Either way a stale ``version`` is a 409,
and a write that cannot get its lock in time is a 503 with Retry-After, never a 500.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import requests
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.agreements.models import Agreement
from apps.core.busy import is_database_busy
from tests import factories
from tests.admin.test_admin import form_data

WRITERS = 20


@pytest.fixture
def editor_token(editor):
    return Token.objects.create(user=editor).key


def history_count(agreement):
    return Agreement.history.filter(id=agreement.pk).count()


def patch_all_at_once(bodies_by_url, token):
    """PATCH every (url, body) in its own thread, all released together; the responses in order."""
    start = threading.Barrier(len(bodies_by_url))

    def patch(url_and_body):
        url, body = url_and_body
        start.wait()
        return requests.patch(url, json=body, headers={"Authorization": f"Token {token}"}, timeout=60)

    with ThreadPoolExecutor(max_workers=len(bodies_by_url)) as pool:
        return list(pool.map(patch, bodies_by_url))


def assert_busy_answer_says_when_to_retry(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) >= 1


def test_twenty_simultaneous_edits_of_one_agreement_one_wins_the_rest_are_told_it_changed(
    live_server, editor_token
):
    agreement = factories.AgreementFactory(title="Partnership for Peace Framework Document")
    before = history_count(agreement)
    url = f"{live_server.url}/api/v1/agreements/{agreement.slug}/"
    bodies = [(url, {"title": f"Edit {n}", "version": agreement.version}) for n in range(WRITERS)]

    responses = patch_all_at_once(bodies, editor_token)

    statuses = sorted(response.status_code for response in responses)
    assert 500 not in statuses
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 409, 412, 503}, statuses
    for response in responses:
        if response.status_code == 503:
            assert_busy_answer_says_when_to_retry(response)
        elif response.status_code == 409:
            assert response.json()["current_version"] == agreement.version + 1
    winner = next(response for response in responses if response.status_code == 200).json()
    agreement.refresh_from_db()
    assert (agreement.title, agreement.version) == (winner["title"], winner["version"])
    assert history_count(agreement) == before + 1


def test_twenty_simultaneous_edits_of_twenty_agreements_all_land(live_server, editor_token):
    agreements = factories.AgreementFactory.create_batch(WRITERS)
    before = {agreement.pk: history_count(agreement) for agreement in agreements}
    bodies = [
        (f"{live_server.url}/api/v1/agreements/{agreement.slug}/", {"title": f"Edited {agreement.slug}",
                                                                     "version": agreement.version})
        for agreement in agreements
    ]

    responses = patch_all_at_once(bodies, editor_token)
    retries = [(body, response) for body, response in zip(bodies, responses, strict=True)
               if response.status_code == 503]
    for _, response in retries:
        assert_busy_answer_says_when_to_retry(response)
    if retries:  # nothing was written by a 503: the same request again, once, when told
        time.sleep(max(int(response.headers["Retry-After"]) for _, response in retries))
        retried = patch_all_at_once([body for body, _ in retries], editor_token)
        responses = [response for response in responses if response.status_code != 503] + retried

    assert [response.status_code for response in responses] == [200] * WRITERS
    for agreement in agreements:
        agreement.refresh_from_db()
        assert (agreement.title, agreement.version) == (f"Edited {agreement.slug}", 2)
        assert history_count(agreement) == before[agreement.pk] + 1


@contextmanager
def write_lock_held_elsewhere():
    """Another connection holds the lock a write to an agreement needs, and this one gives up
    on it after 0.1 s (instead of the configured wait): the real error, soon."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    with other.cursor() as cursor, connection.cursor() as ours:
        if connection.vendor == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
            ours.execute("PRAGMA busy_timeout = 100")
        else:
            cursor.execute("BEGIN")
            cursor.execute(f"LOCK TABLE {Agreement._meta.db_table} IN EXCLUSIVE MODE")
            ours.execute("SET lock_timeout = '100ms'")
    try:
        yield
    finally:
        other.close()
        connection.close()  # the next query reconnects with the configured wait


@pytest.mark.django_db(transaction=True)
def test_an_api_write_that_cannot_get_the_lock_is_a_503_with_retry_after(editor_token):
    agreement = factories.AgreementFactory(title="Individual Partnership Action Plan")
    before = history_count(agreement)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {editor_token}")

    with write_lock_held_elsewhere():
        response = client.patch(
            f"/api/v1/agreements/{agreement.slug}/", {"title": "IPAP", "version": 1}, format="json"
        )

    assert_busy_answer_says_when_to_retry(response)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "database_busy"
    assert "send it again" in response.json()["detail"]
    agreement.refresh_from_db()
    assert (agreement.title, agreement.version, history_count(agreement)) == (
        "Individual Partnership Action Plan", 1, before
    )
    # once the lock is free, the same request goes through
    response = client.patch(f"/api/v1/agreements/{agreement.slug}/", {"title": "IPAP", "version": 1}, format="json")
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_admin_save_that_cannot_get_the_lock_is_a_503_page(editor):
    agreement = factories.AgreementFactory(title="Individual Partnership Action Plan")
    client = Client()
    client.force_login(editor)
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = form_data(client.get(url))
    data["title"] = "IPAP"

    with write_lock_held_elsewhere():
        response = client.post(url, data)

    assert_busy_answer_says_when_to_retry(response)
    assert response["Content-Type"].startswith("text/html")
    assert "Busy, try again" in response.content.decode()
    agreement.refresh_from_db()
    assert (agreement.title, agreement.version) == ("Individual Partnership Action Plan", 1)


@pytest.mark.django_db
def test_other_database_errors_are_not_taken_for_a_busy_database():
    with pytest.raises(Exception) as missing_table, connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert not is_database_busy(missing_table.value)
    assert not is_database_busy(OperationalError("server closed the connection unexpectedly"))
    assert not is_database_busy(OperationalError("database is locked"))  # not from the database itself


@pytest.mark.django_db
@pytest.mark.parametrize("error_name", ["SerializationFailure", "DeadlockDetected", "LockNotAvailable"])
def test_postgresql_errors_after_which_a_retry_can_succeed_are_a_busy_database(error_name):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's own errors")
    import psycopg.errors

    with pytest.raises(OperationalError) as raised, connection.wrap_database_errors:
        raise getattr(psycopg.errors, error_name)()
    assert is_database_busy(raised.value)
