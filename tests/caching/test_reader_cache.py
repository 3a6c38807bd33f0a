"""Readers get cached pages, API responses and exports, and see every write at once;
whoever signs in never shares a cached response, either way."""

import json
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.agreements.models import Agreement
from apps.agreements.views import AgreementListView
from apps.core import selectors, services
from tests import factories
from tests.admin.test_admin import form_data

# A page, an API list and an export of the same records.
READS = ("/agreements/", "/api/v1/agreements/", "/api/v1/agreements/?format=csv")


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def read(url, client=None):
    """(response, its body, the number of queries the request ran)."""
    with CaptureQueriesContext(connection) as queries:
        response = (client or Client()).get(url)
        text = body(response)
    return response, text, len(queries.captured_queries)


@pytest.fixture
def scene(db, editor, tmp_path):
    """A published agreement readers see; a draft an editor will publish; a deleted one an
    editor will restore."""
    factories.AgreementFactory(title="Air transit agreement", slug="air-transit", publication_status="published")
    factories.AgreementFactory(title="Draft on overflight", slug="overflight", publication_status="draft")
    gone = factories.AgreementFactory(title="Agreement on rail transit", slug="rail", publication_status="published")
    services.record_delete(gone, user=editor)
    return tmp_path


def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def editor_api(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=editor)[0].key}")
    return client


def through_the_admin(editor, workdir):
    client = editor_client(editor)
    agreement = Agreement.objects.get(slug="air-transit")
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = form_data(client.get(url))
    data["title"] = "Changed in the admin"
    assert client.post(url, data).status_code == 302
    return "Changed in the admin", True


def through_the_api(editor, workdir):
    response = editor_api(editor).patch(
        "/api/v1/agreements/air-transit/", {"title": "Changed through the API", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    return "Changed through the API", True


def by_publishing(editor, workdir):
    response = editor_api(editor).post("/api/v1/agreements/overflight/publish/", {"version": 1}, format="json")
    assert response.status_code == 200, response.content
    return "Draft on overflight", True


def by_restoring_a_deleted_record(editor, workdir):
    [deletion] = selectors.deleted_records(Agreement)
    url = reverse("admin:core_deletedrecord_restore", args=["agreements.agreement", deletion.history_id])
    assert editor_client(editor).post(url).status_code == 302
    return "Agreement on rail transit", True


def by_importing_a_file(editor, workdir):
    path = workdir / "casefile.json"
    call_command("export_casefile", str(path), "--no-progress", verbosity=0)
    document = json.loads(path.read_text())
    [row] = [row for row in document["records"]["agreements.agreement"] if row["slug"] == "air-transit"]
    row["title"] = "Changed by an import"
    path.write_text(json.dumps(document))
    call_command("import_casefile", str(path), "--merge", "--no-progress", verbosity=0)
    return "Changed by an import", True


def by_accepting_a_proposal(editor, workdir):
    agreement = Agreement.objects.get(slug="air-transit")
    proposer = factories.UserFactory(username="proposer", groups=["Analyst"])
    proposal = services.proposal_submit(
        agreement, changes={"title": "Changed by a proposal"}, reason="p. 4", user=proposer
    )
    response = editor_api(editor).post(
        f"/api/v1/agreements/air-transit/proposals/{proposal.pk}/accept/", {}, format="json"
    )
    assert response.status_code == 200, response.content
    return "Changed by a proposal", True


def by_deleting(editor, workdir):
    assert editor_api(editor).delete("/api/v1/agreements/air-transit/", HTTP_IF_MATCH="*").status_code == 204
    return "Air transit agreement", False


# Every way a change reaches what readers see; a new one is covered by adding it here.
WRITE_PATHS = [
    through_the_admin,
    through_the_api,
    by_publishing,
    by_restoring_a_deleted_record,
    by_importing_a_file,
    by_accepting_a_proposal,
    by_deleting,
]


@pytest.mark.parametrize("write", WRITE_PATHS, ids=[path.__name__ for path in WRITE_PATHS])
def test_a_cached_response_changes_at_once_after_a_write(scene, editor, cache_backend, write):
    for url in READS:
        first, first_text, _ = read(url)
        again, again_text, queries = read(url)
        assert first.status_code == again.status_code == 200
        # Served from the cache: the revision read, nothing else.
        assert (again_text, queries) == (first_text, 1), url
    text, shown = write(editor, scene)
    for url in READS:
        response, after, _ = read(url)
        assert response.status_code == 200
        assert (text in after) is shown, url


def staff_clients(editor, url):
    """Signed in by session; and for the API, by token too (pages know sessions only)."""
    return [editor_client(editor)] + ([editor_api(editor)] if url.startswith("/api/") else [])


def test_staff_never_get_the_cached_anonymous_response(scene, editor, cache_backend):
    for url in READS:
        assert "Draft on overflight" not in read(url)[1]
        for client in staff_clients(editor, url):
            assert "Draft on overflight" in read(url, client)[1], url


def test_anonymous_readers_never_get_a_staff_response(scene, editor, cache_backend):
    for url in READS:
        for client in staff_clients(editor, url):
            response, text, _ = read(url, client)
            assert "Draft on overflight" in text
            assert "private" in response["Cache-Control"]
            assert "public" not in response["Cache-Control"]
        assert "Draft on overflight" not in read(url)[1], url


def test_a_record_page_and_its_api_detail_change_after_a_write(scene, editor, cache_backend):
    urls = ("/agreements/air-transit/", "/api/v1/agreements/air-transit/")
    for url in urls:
        read(url)
        assert read(url)[2] == 1
    through_the_api(editor, scene)
    for url in urls:
        assert "Changed through the API" in read(url)[1]


def test_a_response_that_sets_a_cookie_is_not_kept(scene, cache_backend):
    """The browsable API gives each visitor a CSRF token of their own."""
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = Client().get("/api/v1/agreements/", HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert "csrftoken" in response.cookies
        assert "public" not in response.get("Cache-Control", "")
        assert len(queries.captured_queries) > 1


def test_head_is_answered_from_the_cached_get(scene, cache_backend):
    _, text, _ = read("/agreements/")
    with CaptureQueriesContext(connection) as queries:
        response = Client().head("/agreements/")
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(text.encode()))
    assert len(queries.captured_queries) == 1


def test_a_missing_page_is_not_cached(scene):
    assert read("/agreements/nothing-here/")[0].status_code == 404
    _, _, queries = read("/agreements/nothing-here/")
    assert queries > 1


def test_entries_are_formatted_when_a_source_is_written_never_when_read(db, editor, cache_backend, monkeypatch):
    """The bibliography's Chicago entries are formatted once per write of a source and stored:
    no reader formats them, whichever address asks (here with another query string, so
    another page), anonymous or staff."""
    from apps.sources import chicago

    runs = []
    processor = chicago._processor
    monkeypatch.setattr(chicago, "_processor", lambda sources: runs.append(1) or processor(sources))
    source = factories.SourceFactory(title="Kazakhstan sends officers", publication_status="published")
    factories.SourceFactory(title="Draft report", publication_status="draft")
    assert len(runs) == 2
    # Chicago capitalises titles.
    assert "Kazakhstan Sends Officers" in read("/sources/bibliography/")[1]
    assert "Kazakhstan Sends Officers" in read("/sources/bibliography/?from=overview")[1]
    assert "Draft Report" in read("/sources/bibliography/", editor_client(editor))[1]
    assert len(runs) == 2
    source.title = "Kazakhstan sends staff officers"
    services.record_save(source, user=editor)
    assert len(runs) == 3
    assert "Kazakhstan Sends Staff Officers" in read("/sources/bibliography/?from=overview")[1]
    assert len(runs) == 3


def test_a_cache_server_that_does_not_answer_leaves_the_site_up(scene, editor, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    for url in READS:
        response, text, _ = read(url)
        assert response.status_code == 200
        assert "Air transit agreement" in text
    through_the_api(editor, scene)
    assert "Changed through the API" in read("/agreements/")[1]


def facet_counts(text, facet) -> dict[str, int]:
    """The counts a list page shows beside the values of one facet."""
    found = re.findall(rf'data-facet="{facet}" data-value="([^"]*)" data-count="(\d+)"', text)
    return {value: int(count) for value, count in found}


@pytest.mark.parametrize("write", WRITE_PATHS, ids=[path.__name__ for path in WRITE_PATHS])
def test_facet_counts_are_kept_for_the_other_pages_of_a_list_until_any_write(scene, editor, cache_backend, write):
    _, first, first_queries = read("/agreements/")
    _, resorted, resorted_queries = read("/agreements/?sort=period")
    # Another order of the same list is a response of its own, but its facets are counted once
    # (the first request also looks for counts stored after the last write: none in a test).
    assert first_queries - resorted_queries == len(AgreementListView.facets) + 1
    assert facet_counts(resorted, "kind") == facet_counts(first, "kind") != {}
    write(editor, scene)
    _, after, _ = read("/agreements/?sort=updated")
    assert facet_counts(after, "kind") == Counter(Agreement.objects.published().values_list("kind", flat=True))
