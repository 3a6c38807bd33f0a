"""The facet counts of every unfiltered list page are counted once a write commits and
stored under the new revision: the first reader after the write, with an empty cache, reads
them instead of counting; nobody ever reads counts of another revision, and staff and
filtered lists always count."""

import logging
import re
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from apps.agreements.models import Agreement
from apps.agreements.views import AgreementListView
from apps.core import caching, services
from apps.core.models import CaseFileRevision, StoredFragment
from apps.whole_case.registry import navigation_types
from tests import factories

from .test_reader_cache import WRITE_PATHS, editor_client, read


def shown_counts(text) -> dict[tuple[str, str], int]:
    """Every count a list page shows: (facet, value) → count."""
    found = re.findall(r'data-facet="([^"]*)" data-value="([^"]*)" data-count="(\d+)"', text)
    return {(facet, value): int(count) for facet, value, count in found}


def list_urls() -> list[str]:
    return [reverse(record_type.list_url_name) for record_type in navigation_types()]


def stored_now():
    return StoredFragment.at(CaseFileRevision.current())


def store_marked_counts():
    """Counts no database holds (999 treaties), stored under the current revision."""
    key, counts = AgreementListView.readers_facets()
    counts["kind"] = [[["treaty", "Treaty", 999]], 0]
    revision = CaseFileRevision.current()
    StoredFragment.objects.update_or_create(
        key=key,
        defaults={"revision_number": revision.number, "revision_token": revision.token, "value": counts},
    )


@pytest.fixture
def scene(db, editor, tmp_path):
    """The reader-cache tests' agreements (one of them deleted, for a restore), one of
    another kind, and an actor and an event, so that several lists have counts."""
    factories.AgreementFactory(title="Air transit agreement", slug="air-transit", publication_status="published")
    factories.AgreementFactory(title="Rail transit law", slug="rail-law", kind="law", publication_status="published")
    factories.AgreementFactory(title="Draft on overflight", slug="overflight", publication_status="draft")
    gone = factories.AgreementFactory(title="Agreement on rail transit", slug="rail", publication_status="published")
    services.record_delete(gone, user=editor)
    factories.ActorFactory(name="Kazakhstan", publication_status="published")
    factories.EventFactory(publication_status="published")
    return tmp_path


@pytest.mark.parametrize("write", WRITE_PATHS, ids=[path.__name__ for path in WRITE_PATHS])
def test_the_first_reader_after_any_write_reads_the_counts_stored_with_it(
    scene, editor, cache_backend, write, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write(editor, scene)
    assert stored_now().count() == len(list_urls())  # every list page has facets
    for url in list_urls():
        cache.clear()
        _, from_storage, stored_queries = read(url)
        StoredFragment.objects.all().delete()
        cache.clear()
        _, counted, counting_queries = read(url)
        caching.store_fragments()  # for the next list
        # The same counts as counting them now, for fewer queries: none counts a facet.
        assert shown_counts(from_storage) == shown_counts(counted), url
        assert stored_queries < counting_queries, url
    shown = shown_counts(read("/agreements/")[1])
    assert {value: count for (facet, value), count in shown.items() if facet == "kind"} == Counter(
        Agreement.objects.published().values_list("kind", flat=True)
    )


def test_counts_of_another_revision_are_never_read(scene, editor, cache_backend):
    store_marked_counts()
    assert shown_counts(read("/agreements/")[1])[("kind", "treaty")] == 999  # read, not counted
    # A write whose counts were not stored (its commit is the test's, which never comes).
    factories.AgreementFactory(slug="another", kind="treaty", publication_status="published")
    assert shown_counts(read("/agreements/")[1])[("kind", "treaty")] == 2


def test_staff_and_filtered_lists_count_for_themselves(scene, editor, cache_backend):
    store_marked_counts()
    staff_text = editor_client(editor).get("/agreements/").content.decode()
    assert shown_counts(staff_text)[("kind", "treaty")] == 2  # the draft too: staff see drafts
    assert shown_counts(read("/agreements/?status=signed")[1]).get(("kind", "treaty"), 0) != 999


def test_a_transaction_of_many_writes_stores_the_counts_once(scene, monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setattr(caching, "store_fragments", lambda: calls.append(CaseFileRevision.current().number))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for number in range(3):
                factories.AgreementFactory(slug=f"agreement-{number}", publication_status="published")
    assert calls == [CaseFileRevision.current().number]


def test_a_source_that_fails_leaves_the_write_done_and_the_readers_counting(
    scene, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def failing():
        raise RuntimeError("the counting failed")
        yield  # pragma: no cover

    monkeypatch.setattr(caching, "_fragment_sources", [*caching._fragment_sources, failing])
    with caplog.at_level(logging.WARNING, logger="apps.core.caching"):
        with django_capture_on_commit_callbacks(execute=True):
            factories.AgreementFactory(slug="written", kind="treaty", publication_status="published")
    assert Agreement.objects.filter(slug="written").exists()
    assert "Fragments were not stored" in caplog.text
    assert not stored_now().exists()  # all together or none
    assert shown_counts(read("/agreements/")[1])[("kind", "treaty")] == 2


def test_storing_can_be_switched_off(scene, settings, django_capture_on_commit_callbacks):
    settings.CASEFILE_STORE_AFTER_WRITES = False
    with django_capture_on_commit_callbacks(execute=True):
        factories.AgreementFactory(slug="written", publication_status="published")
    assert not stored_now().exists()


def test_counts_of_lists_no_longer_shown_are_dropped(scene, django_capture_on_commit_callbacks):
    StoredFragment.objects.create(key="facets:gone.list::", revision_number=0, revision_token="0", value={})
    with django_capture_on_commit_callbacks(execute=True):
        factories.AgreementFactory(slug="written", publication_status="published")
    assert not StoredFragment.objects.filter(key="facets:gone.list::").exists()
    assert StoredFragment.objects.count() == len(list_urls())
