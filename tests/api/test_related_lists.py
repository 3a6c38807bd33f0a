"""The plain lists of a record's relations (``party_list``, ``step_list`` …): filled for a
whole page by ``with_related()``, read afresh without it, and never stale after an API write."""

import pytest

from apps.agreements.models import Agreement
from tests import factories

from .records import RICH

pytestmark = pytest.mark.django_db

LISTS = {
    "agreements": {
        "party_list": "party_roles",
        "step_list": "steps",
        "supersedes_list": "supersedes",
        "superseded_by_list": "superseded_by",
    },
    "deployments": {"role_list": "roles"},
    "exercises": {"participant_list": "participations"},
    "events": {"participant_list": "involvements"},
}


def test_the_lists_fill_in_one_query_per_relation(django_assert_num_queries):
    for _ in range(3):
        RICH["agreements"]()
    # the agreements, then their parties, steps, superseded and superseding agreements
    with django_assert_num_queries(5):
        agreements = list(Agreement.objects.filter(party_roles__isnull=False).distinct().with_related())
        for agreement in agreements:
            assert len(agreement.party_list) == 3
            assert len(agreement.step_list) == 4
            assert len(agreement.supersedes_list) == 2
            assert [party.actor.name for party in agreement.party_list]


@pytest.mark.parametrize("endpoint", sorted(LISTS))
def test_the_lists_hold_what_the_relation_holds_in_its_order(endpoint):
    for _ in range(3):
        RICH[endpoint]()
    model = type(RICH[endpoint]())
    for record in model.objects.with_related().order_by("pk"):
        for name, relation in LISTS[endpoint].items():
            expected = getattr(record, relation).all()  # the relation, read afresh
            assert [row.pk for row in getattr(record, name)] == [row.pk for row in expected], name


def test_a_record_linked_from_several_records_is_in_each_of_their_lists(django_assert_num_queries):
    earlier, later_one, later_two = (factories.AgreementFactory() for _ in range(3))
    for later in (later_one, later_two):
        later.supersedes.add(earlier)
    later_one.supersedes.add(factories.AgreementFactory(title="A second earlier one"))
    with django_assert_num_queries(5):
        by_slug = {agreement.slug: agreement for agreement in Agreement.objects.with_related()}
        assert [a.slug for a in by_slug[earlier.slug].superseded_by_list] == sorted(
            [later_one.slug, later_two.slug], key=lambda slug: by_slug[slug].title
        )
        assert [a.title for a in by_slug[later_one.slug].supersedes_list] == ["A second earlier one", earlier.title]
        assert [a.slug for a in by_slug[later_two.slug].supersedes_list] == [earlier.slug]
        assert by_slug[earlier.slug].supersedes_list == []


def test_a_prefetched_child_knows_its_record_without_a_query(django_assert_num_queries):
    agreement = Agreement.objects.with_related().get(pk=RICH["agreements"]().pk)
    assert len(agreement.step_list) == 4
    with django_assert_num_queries(0):
        assert all(step.agreement is agreement for step in agreement.step_list)


def test_chunked_reading_fills_the_lists_of_every_chunk(django_assert_num_queries):
    for _ in range(5):
        RICH["agreements"]()
    # two chunks of two and one of one: the agreements, then four relations per chunk
    with django_assert_num_queries(1 + 3 * 4):
        agreements = list(Agreement.objects.filter(party_roles__isnull=False).distinct().with_related().iterator(2))
        assert len(agreements) == 5
        assert all(len(agreement.step_list) == 4 and len(agreement.party_list) == 3 for agreement in agreements)


def test_without_with_related_the_list_is_read_afresh():
    agreement = RICH["agreements"]()
    assert len(agreement.party_list) == 3
    factories.AgreementPartyFactory(agreement=agreement, role="observer")
    assert len(agreement.party_list) == 4  # nothing cached to go stale


def test_api_update_shows_the_new_parties_steps_and_supersessions(superuser):
    agreement = RICH["agreements"]()
    newer = factories.AgreementFactory()
    actor = factories.ActorFactory()
    response = superuser.patch(
        f"/api/v1/agreements/{agreement.slug}/",
        {
            "version": agreement.version,
            "parties": [{"actor": actor.slug, "role": "party"}],
            "steps": [{"kind": "signed", "date": "3 May 2012"}],
            "supersedes": [newer.slug],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    shown = response.json()
    assert [party["actor"]["slug"] for party in shown["parties"]] == [actor.slug]
    assert [step["kind"] for step in shown["steps"]] == ["signed"]
    assert shown["status"] == "signed" and shown["status_text"].endswith("(3 May 2012)")
    assert [other["slug"] for other in shown["supersedes"]] == [newer.slug]
    assert list(agreement.supersedes.values_list("slug", flat=True)) == [newer.slug]
    assert shown == superuser.get(f"/api/v1/agreements/{agreement.slug}/").json()
