"""Conditional requests: ETag and Last-Modified on what anonymous readers get, 304 without
running the view while nothing changed, never after a change; Cache-Control for each audience."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core import services
from apps.core.caching import settled_last_modified
from apps.core.models import CaseFileRevision
from tests import factories

# A page, an API list, a record page and the exports in each format.
URLS = (
    "/agreements/",
    "/agreements/air-transit/",
    "/api/v1/agreements/",
    "/api/v1/agreements/?format=csv",
    "/api/v1/sources/?format=bibtex",
    "/api/v1/sources/?format=csl-json",
    "/sources/bibliography/",
    "/timeline/",
)


@pytest.fixture
def agreement(db):
    factories.SourceFactory(title="Kazakhstan sends officers", publication_status="published")
    return factories.AgreementFactory(title="Air transit agreement", slug="air-transit", publication_status="published")


def settle():
    """Move the revision's moment a minute back, as if the last write were a while ago
    (Last-Modified is given once the second of the last write is over)."""
    CaseFileRevision.objects.update(changed=timezone.now() - dt.timedelta(minutes=1))


def get(url, **headers):
    """(response, number of queries)."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url, headers=headers)
        if response.streaming:
            b"".join(response.streaming_content)
    return response, len(queries.captured_queries)


def edit(agreement, editor):
    agreement.refresh_from_db()
    agreement.summary = "Air transit, by rail and by air."
    services.record_save(agreement, user=editor)


@pytest.mark.parametrize("url", URLS)
def test_an_unchanged_response_is_304_without_running_the_view(agreement, cache_backend, url):
    settle()
    first, _ = get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=60"
    for validator in ({"If-None-Match": first["ETag"]}, {"If-Modified-Since": first["Last-Modified"]}):
        answer, queries = get(url, **validator)
        assert answer.status_code == 304, validator
        assert answer["ETag"] == first["ETag"]
        assert not answer.content
        assert queries == 1  # the revision, and no view


@pytest.mark.parametrize("url", URLS)
def test_a_changed_response_is_never_304(agreement, editor, cache_backend, url):
    settle()
    first, _ = get(url)
    edit(agreement, editor)
    for validator in ({"If-None-Match": first["ETag"]}, {"If-Modified-Since": first["Last-Modified"]}):
        answer, _ = get(url, **validator)
        assert answer.status_code == 200, validator
        assert answer["ETag"] != first["ETag"]


def test_an_etag_is_304_even_when_the_entry_is_gone(agreement):
    """The revision's ETag alone proves the reader's copy current."""
    from django.core.cache import cache

    first, _ = get("/agreements/")
    cache.clear()
    answer, queries = get("/agreements/", **{"If-None-Match": first["ETag"]})
    assert (answer.status_code, queries) == (304, 1)


def test_no_last_modified_until_the_second_of_the_last_write_is_over(agreement):
    """HTTP dates count seconds: a Last-Modified given during the second of a write would
    let a second write within that second pass for no change."""
    now = timezone.now()
    assert settled_last_modified(CaseFileRevision(changed=now - dt.timedelta(seconds=2))) == (
        now - dt.timedelta(seconds=2)
    ).replace(microsecond=0)
    # A write still in its second (the clock read a moment before the second ends).
    CaseFileRevision.objects.update(changed=now + dt.timedelta(seconds=5))
    first, _ = get("/agreements/")
    assert not first.has_header("Last-Modified")
    assert first.has_header("ETag")


def test_an_api_record_keeps_its_version_etag_and_revalidates_by_date(agreement, editor, cache_backend):
    """A record's ETag names its version, for If-Match; it says nothing of the records it
    shows nested, so it gives no 304 (Last-Modified does)."""
    settle()
    url = "/api/v1/agreements/air-transit/"
    first, _ = get(url)
    assert first["ETag"] == f'"agreement-{agreement.pk}-v1"'
    assert get(url, **{"If-None-Match": first["ETag"]})[0].status_code == 200
    assert get(url, **{"If-Modified-Since": first["Last-Modified"]})[0].status_code == 304


def test_staff_responses_are_private(agreement, editor):
    client = Client()
    client.force_login(editor)
    for url in ("/agreements/", "/api/v1/agreements/", "/api/v1/agreements/?format=csv"):
        response = client.get(url)
        assert "private" in response["Cache-Control"]
        assert "no-cache" in response["Cache-Control"]
        assert not response.has_header("Last-Modified")


def test_moved_and_gone_answers_keep_their_no_cache(agreement, editor):
    agreement.refresh_from_db()
    agreement.slug = "air-transit-2010"
    services.record_save(agreement, user=editor)
    for url in ("/agreements/air-transit/", "/api/v1/agreements/air-transit/"):
        response, _ = get(url)
        assert response.status_code == 301
        assert "no-cache" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_max_age_is_a_setting(agreement, settings):
    settings.CASEFILE_CACHE_MAX_AGE = 300
    assert get("/agreements/")[0]["Cache-Control"] == "public, max-age=300"
