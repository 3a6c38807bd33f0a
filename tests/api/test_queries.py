"""Every list and detail endpoint runs a fixed number of SQL queries, whatever the page
size and however many parties, steps, roles, participants or citations a record has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.whole_case.timeline import ENTRY_TYPES

from .fixtures import ENDPOINTS
from .records import RICH

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.get(url)  # warm up: a forced-authentication user caches its permissions after one request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:  # an export reads its rows as it is sent
            response.streaming_content = [b"".join(response.streaming_content)]
    assert response.status_code == 200, response.content[:300]
    return response, len(captured)


@pytest.mark.parametrize("role", ["anonymous", "analyst"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_queries_do_not_grow_with_page_size(endpoint, role, request):
    client = request.getfixturevalue(role)
    for _ in range(4):
        RICH[endpoint]()
    one, small = queries(client, f"/api/v1/{endpoint}/?page_size=1")
    hundred, large = queries(client, f"/api/v1/{endpoint}/?page_size=100")
    assert len(one.json()["results"]) == 1
    assert len(hundred.json()["results"]) >= 4
    assert small == large, f"{endpoint}: {small} queries for 1 record, {large} for a page of 100"


@pytest.mark.parametrize("role", ["anonymous", "analyst"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_detail_queries_do_not_grow_with_relations(endpoint, role, request):
    client = request.getfixturevalue(role)
    plain = RICH[endpoint]()
    _, baseline = queries(client, f"/api/v1/{endpoint}/{plain.slug}/")
    for _ in range(3):
        RICH[endpoint]()
    rich = RICH[endpoint]()
    _, count = queries(client, f"/api/v1/{endpoint}/{rich.slug}/")
    assert count == baseline


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_csv_export_queries_do_not_grow_with_rows(endpoint, analyst):
    RICH[endpoint]()
    _, few = queries(analyst, f"/api/v1/{endpoint}/?format=csv")
    for _ in range(5):
        RICH[endpoint]()
    _, many = queries(analyst, f"/api/v1/{endpoint}/?format=csv")
    assert few == many


def test_detail_citations_are_prefetched(anonymous):
    agreement = RICH["agreements"]()
    response, _ = queries(anonymous, f"/api/v1/agreements/{agreement.slug}/")
    citations = response.json()["citations"]
    assert len(citations) == 3
    assert set(citations[0]) == {"slug", "source", "locator", "passage", "stance", "credibility"}
    assert set(citations[0]["source"]) >= {"slug", "name", "reference", "reliability", "url"}


def test_search_queries_do_not_grow(anonymous):
    for make in RICH.values():
        make()
    _, small = queries(anonymous, "/api/v1/search/?q=a&limit=1")
    _, large = queries(anonymous, "/api/v1/search/?q=a&limit=100")
    assert small == large


def test_timeline_queries_do_not_grow_with_entries_or_page_size(anonymous):
    # Entries of every type on every page: the index is one query per type, the page's
    # actors one query per type and relation, whatever the number of entries.
    def grow():
        for make in (RICH["affiliations"], RICH["agreements"], RICH["deployments"], RICH["exercises"], RICH["events"]):
            make()

    grow()
    grow()
    response, few = queries(anonymous, "/api/v1/timeline/?page_size=100")
    assert {item["type"] for item in response.json()["results"]} == set(ENTRY_TYPES)
    for _ in range(3):
        grow()
    response, more = queries(anonymous, "/api/v1/timeline/?page_size=100")
    assert response.json()["count"] > 30
    assert few == more
    _, smaller_page = queries(anonymous, "/api/v1/timeline/?page_size=20")
    assert smaller_page <= more
