import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import ActorFactory, AffiliationFactory


@pytest.mark.django_db
def test_aliases_and_structure(majlis, parliament):
    assert majlis.alias_list == ["Mazhilis", "lower house"]
    assert majlis.parent == parliament
    assert list(parliament.children.all()) == [majlis]


@pytest.mark.django_db
def test_parent_cycle_is_refused_in_words(parliament, majlis):
    parliament.parent = majlis
    with pytest.raises(ValidationError) as error:
        parliament.full_clean()
    assert error.value.message_dict["parent"] == ["This parent would make the actor part of itself."]


@pytest.mark.django_db
def test_country_must_be_a_state(parliament):
    person = ActorFactory.build(kind="person", country=parliament, slug="someone")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "State" in error.value.message_dict["country"][0]


@pytest.mark.django_db
def test_affiliation_dates_and_messages(kazakhstan):
    pfp = ActorFactory(name="Partnership for Peace", kind="programme")
    membership = AffiliationFactory(member=kazakhstan, organisation=pfp, start="1995")
    assert str(membership.start) == "1995"
    office = AffiliationFactory.build(kind="office", role="Deputy Defence Minister", start="2010", end="2009")
    with pytest.raises(ValidationError) as error:
        office.full_clean()
    assert error.value.message_dict["end"] == ["The end cannot come before the start."]


@pytest.mark.django_db
def test_affiliation_with_itself_is_refused_by_the_database(kazakhstan):
    with transaction.atomic(), pytest.raises(IntegrityError):
        AffiliationFactory(member=kazakhstan, organisation=kazakhstan)


@pytest.mark.django_db
def test_slugs_are_unique():
    ActorFactory(slug="nato")
    with transaction.atomic(), pytest.raises(IntegrityError):
        ActorFactory(slug="nato")
