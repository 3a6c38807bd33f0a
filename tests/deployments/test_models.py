import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import DeploymentFactory, DeploymentRoleFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "qualifier, low, high, shown",
    [
        ("exact", 4, 4, "4"),
        ("at_most", None, 27, "at most 27"),
        ("about", 165, None, "about 165"),
        ("more_than", 30000, None, "more than 30,000"),
        ("between", 1500, 2000, "1,500–2,000"),
        ("between", 2, 4, "2–4"),
    ],
)
def test_personnel_as_the_source_states_it(qualifier, low, high, shown):
    deployment = DeploymentFactory(personnel_qualifier=qualifier, personnel_min=low, personnel_max=high)
    deployment.full_clean()
    assert deployment.personnel_display == shown


@pytest.mark.django_db
def test_inconsistent_personnel_is_refused_in_words():
    deployment = DeploymentFactory.build(personnel_qualifier="at_most", personnel_min=None, personnel_max=None)
    with pytest.raises(ValidationError) as error:
        deployment.full_clean()
    assert error.value.message_dict["personnel_qualifier"] == ["“At most” needs an upper bound."]


@pytest.mark.django_db
def test_bounds_out_of_order_are_refused_by_the_database():
    with transaction.atomic(), pytest.raises(IntegrityError):
        DeploymentFactory(personnel_qualifier="between", personnel_min=10, personnel_max=2)


@pytest.mark.django_db
def test_negative_personnel_is_refused():
    deployment = DeploymentFactory.build(personnel_qualifier="exact", personnel_min=-4, personnel_max=-4)
    with pytest.raises(ValidationError) as error:
        deployment.full_clean()
    assert "personnel_min" in error.value.message_dict


@pytest.mark.django_db
def test_end_before_start_is_refused():
    deployment = DeploymentFactory.build(start="August 2003", end="2002")
    with pytest.raises(ValidationError) as error:
        deployment.full_clean()
    assert error.value.message_dict["end"] == ["The end cannot come before the start."]


@pytest.mark.django_db
def test_roles_keep_whose_account_they_come_from():
    deployment = DeploymentFactory()
    DeploymentRoleFactory(deployment=deployment, title="information analyst", account="Defence ministry, 25 May 2011")
    DeploymentRoleFactory(
        deployment=deployment, title="military intelligence officer", count=2, account="Later reports"
    )
    assert [str(role) for role in deployment.roles.all()] == [
        "1 × information analyst",
        "2 × military intelligence officer",
    ]
