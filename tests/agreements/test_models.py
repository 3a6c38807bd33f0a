import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.agreements.models import AgreementStep, check_supersession
from tests.factories import AgreementFactory, AgreementPartyFactory, AgreementStepFactory


@pytest.fixture
def isaf_agreement(db):
    return AgreementFactory(title="NATO–Kazakhstan agreement on participation in ISAF", slug="isaf")


@pytest.mark.django_db
def test_status_is_derived_from_the_latest_step(isaf_agreement, majlis, senate):
    assert isaf_agreement.lifecycle_status == "No recorded steps"
    AgreementStepFactory(agreement=isaf_agreement, kind="approved_by_chamber", date="18 May 2011", acting_body=majlis)
    AgreementStepFactory(agreement=isaf_agreement, kind="rejected_by_chamber", date="9 June 2011", acting_body=senate)
    assert isaf_agreement.lifecycle_status == "Rejected by Senate (9 June 2011)"
    assert [s.kind for s in isaf_agreement.ordered_steps()] == ["approved_by_chamber", "rejected_by_chamber"]


@pytest.mark.django_db
def test_steps_on_the_same_day_follow_their_sequence(isaf_agreement, majlis):
    AgreementStepFactory(agreement=isaf_agreement, kind="signed_into_law", date="3 May 2011", sequence=1)
    AgreementStepFactory(agreement=isaf_agreement, kind="entered_into_force", date="3 May 2011", sequence=2)
    assert isaf_agreement.current_step.kind == "entered_into_force"


@pytest.mark.django_db
def test_ratification_before_signing_is_refused(isaf_agreement, senate):
    AgreementStepFactory(agreement=isaf_agreement, kind="signed", date="12 November 2010")
    vote = AgreementStep(agreement=isaf_agreement, kind="approved_by_chamber", date="2009", acting_body=senate)
    with pytest.raises(ValidationError) as error:
        vote.full_clean()
    assert "cannot come before the agreement was signed" in error.value.message_dict["date"][0]


@pytest.mark.django_db
def test_vote_before_proposal_is_refused(isaf_agreement, senate):
    AgreementStepFactory(agreement=isaf_agreement, kind="proposed", date="19 February 2010")
    vote = AgreementStep(agreement=isaf_agreement, kind="rejected_by_chamber", date="May 2009", acting_body=senate)
    with pytest.raises(ValidationError) as error:
        vote.full_clean()
    assert "proposed" in error.value.message_dict["date"][0]


@pytest.mark.django_db
def test_partial_dates_that_may_coincide_are_allowed(isaf_agreement, senate):
    AgreementStepFactory(agreement=isaf_agreement, kind="signed", date="2010")
    vote = AgreementStep(agreement=isaf_agreement, kind="approved_by_chamber", date="November 2010", acting_body=senate)
    vote.full_clean()


@pytest.mark.django_db
def test_a_chamber_vote_names_its_chamber(isaf_agreement):
    vote = AgreementStep(agreement=isaf_agreement, kind="rejected_by_chamber", date="9 June 2011")
    with pytest.raises(ValidationError) as error:
        vote.full_clean()
    assert error.value.message_dict["acting_body"] == ["Name the chamber that voted."]


@pytest.mark.django_db
def test_vote_counts_only_on_chamber_votes(isaf_agreement):
    with transaction.atomic(), pytest.raises(IntegrityError):
        AgreementStepFactory(agreement=isaf_agreement, kind="signed", votes_for=10)


@pytest.mark.django_db
def test_duplicate_party_role_is_refused(isaf_agreement, kazakhstan):
    AgreementPartyFactory(agreement=isaf_agreement, actor=kazakhstan, role="party")
    AgreementPartyFactory(agreement=isaf_agreement, actor=kazakhstan, role="signatory")
    with transaction.atomic(), pytest.raises(IntegrityError):
        AgreementPartyFactory(agreement=isaf_agreement, actor=kazakhstan, role="party")


@pytest.mark.django_db
def test_supersession_self_and_cycles_are_refused():
    law = AgreementFactory(slug="law-2011")
    mou = AgreementFactory(slug="mou-2001")
    law.supersedes.add(mou)
    assert list(mou.superseded_by.all()) == [law]
    with pytest.raises(ValidationError) as error:
        check_supersession(law, [law])
    assert error.value.message_dict["supersedes"] == ["An agreement cannot supersede itself."]
    with pytest.raises(ValidationError) as error:
        check_supersession(mou, [law])
    assert "cycle" in error.value.message_dict["supersedes"][0]
