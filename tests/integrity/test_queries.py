"""Versions and history stay out of list queries: admin changelists cost the same for 2 or 12 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

LISTS = [
    ("actors_actor", lambda: factories.AffiliationFactory()),
    ("agreements_agreement", lambda: factories.AgreementPartyFactory(
        agreement=factories.AgreementStepFactory().agreement
    )),
    ("events_event", lambda: factories.EventParticipantFactory()),
    ("citations_citation", lambda: factories.CitationFactory()),
    ("sources_note", lambda: factories.NoteFactory()),
    ("deployments_deployment", lambda: factories.DeploymentRoleFactory()),
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name, make", LISTS, ids=[name for name, _ in LISTS])
def test_changelist_queries_do_not_grow_with_the_rows(editor_client, name, make):
    url = reverse(f"admin:{name}_changelist")
    for _ in range(2):
        make()
    few = count_queries(editor_client, url)
    for _ in range(10):
        make()
    assert count_queries(editor_client, url) == few


@pytest.mark.django_db
def test_review_queue_queries_do_not_grow_with_the_records(editor_client):
    url = reverse("admin:core_reviewqueue_changelist")

    def submit_some():
        for factory in (factories.AffiliationFactory, factories.AgreementFactory, factories.DeploymentFactory,
                        factories.EventFactory, factories.ExerciseFactory):
            factory(publication_status="in_review")

    submit_some()
    few = count_queries(editor_client, url)
    for _ in range(4):
        submit_some()
    assert count_queries(editor_client, url) == few
