"""``keys_in``: ``__in`` for lists of integer keys, without per-value preparation."""

import pytest
from django.core.exceptions import EmptyResultSet

from apps.agreements.models import Agreement, AgreementParty
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_selects_what_in_selects():
    agreements = [factories.AgreementFactory() for _ in range(3)]
    for agreement in agreements:
        factories.AgreementPartyFactory(agreement=agreement)
    earlier = factories.AgreementFactory()
    agreements[0].supersedes.add(earlier)
    keys = [agreements[0].pk, agreements[2].pk, 10**9]
    assert set(AgreementParty.objects.filter(agreement_id__keys_in=keys)) == set(
        AgreementParty.objects.filter(agreement_id__in=keys)
    )
    assert AgreementParty.objects.filter(agreement_id__keys_in=keys).count() == 2
    assert list(Agreement.objects.filter(superseded_by__keys_in=keys)) == [earlier]
    assert list(Agreement.objects.filter(supersedes__keys_in=[earlier.pk])) == [agreements[0]]
    assert list(AgreementParty.objects.filter(agreement_id__keys_in=[])) == []


@pytest.mark.parametrize("keys", [["1"], [1, "2"], [1.0], "12", 5, [None]])
def test_anything_but_a_list_of_integers_is_refused(keys):
    with pytest.raises(TypeError, match="keys_in takes a list of integer keys"):
        AgreementParty.objects.filter(agreement_id__keys_in=keys)


def test_an_empty_list_matches_nothing_without_a_query(django_assert_num_queries):
    query = AgreementParty.objects.filter(agreement_id__keys_in=[]).query
    with pytest.raises(EmptyResultSet):
        query.get_compiler("default").as_sql()
    with django_assert_num_queries(0):
        assert list(AgreementParty.objects.filter(agreement_id__keys_in=[])) == []
