"""Validation in plain words: each rule is a form error in the admin, with its message."""

import pytest
from django.urls import reverse

from tests import factories
from tests.admin.test_admin import form_data


def post_change(client, obj, changes):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def refused_with(response, message):
    assert response.status_code == 200, "the form was accepted"
    page = response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert message in page, f"“{message}” not shown"
    return True


@pytest.mark.django_db
def test_steps_submitted_together_in_an_impossible_order(admin_client, majlis):
    agreement = factories.AgreementFactory()
    response = post_change(
        admin_client,
        agreement,
        {
            "steps-TOTAL_FORMS": "2",
            "steps-0-kind": "signed",
            "steps-0-date": "12 November 2010",
            "steps-0-sequence": "0",
            "steps-1-kind": "approved_by_chamber",
            "steps-1-date": "May 2010",
            "steps-1-acting_body": str(majlis.pk),
            "steps-1-sequence": "0",
        },
    )
    assert refused_with(
        response, "“Approved by a chamber” cannot come before the agreement was signed (12 November 2010)."
    )
    assert not agreement.steps.exists()


@pytest.mark.django_db
def test_no_vote_dated_before_the_agreement_was_proposed(admin_client, majlis):
    agreement = factories.AgreementFactory()
    factories.AgreementStepFactory(agreement=agreement, kind="proposed", date="March 2011")
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = form_data(admin_client.get(url))
    data.update(
        {
            "steps-TOTAL_FORMS": "2",
            "steps-1-kind": "approved_by_chamber",
            "steps-1-date": "18 May 2010",
            "steps-1-acting_body": str(majlis.pk),
            "steps-1-sequence": "0",
        }
    )
    response = admin_client.post(url, data)
    assert refused_with(response, "“Approved by a chamber” cannot come before the agreement was proposed (March 2011).")


@pytest.mark.django_db
def test_a_chamber_vote_names_the_chamber(admin_client):
    agreement = factories.AgreementFactory()
    response = post_change(
        admin_client,
        agreement,
        {
            "steps-TOTAL_FORMS": "1",
            "steps-0-kind": "rejected_by_chamber",
            "steps-0-date": "9 June 2011",
            "steps-0-sequence": "0",
        },
    )
    assert refused_with(response, "Name the chamber that voted.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory, changes",
    [
        (factories.EventFactory, {"date": "2011", "end": "2010"}),
        (factories.ExerciseFactory, {"start": "September 2008", "end": "August 2008"}),
        (factories.DeploymentFactory, {"start": "2009", "end": "2008"}),
        (factories.AffiliationFactory, {"start": "1995", "end": "1994"}),
    ],
    ids=["event", "exercise", "deployment", "affiliation"],
)
def test_end_not_before_start(admin_client, factory, changes):
    response = post_change(admin_client, factory(), changes)
    assert refused_with(response, "The end cannot come before the start.")


@pytest.mark.django_db
def test_personnel_bounds_consistent(admin_client):
    deployment = factories.DeploymentFactory()
    response = post_change(
        admin_client, deployment, {"personnel_qualifier": "between", "personnel_min": "30", "personnel_max": "20"}
    )
    assert refused_with(response, "The upper personnel bound cannot be below the lower bound.")
    response = post_change(admin_client, deployment, {"personnel_qualifier": "at_most", "personnel_max": ""})
    assert refused_with(response, "“At most” needs an upper bound.")


@pytest.mark.django_db
def test_an_agreement_cannot_supersede_itself(admin_client):
    agreement = factories.AgreementFactory()
    response = post_change(admin_client, agreement, {"supersedes": [str(agreement.pk)]})
    assert refused_with(response, "An agreement cannot supersede itself.")
    assert not agreement.supersedes.exists()


@pytest.mark.django_db
def test_no_cycle_of_supersession_through_the_admin(admin_client):
    older, middle, newer = factories.AgreementFactory(), factories.AgreementFactory(), factories.AgreementFactory()
    middle.supersedes.add(older)
    newer.supersedes.add(middle)
    response = post_change(admin_client, older, {"supersedes": [str(newer.pk)]})
    assert refused_with(response, "This would make a cycle: an agreement would end up superseding itself.")
    assert not older.supersedes.exists()


LISTED = "This actor is already listed with this role in the {}."
DUPLICATES = [
    (factories.EventFactory, "involvements", "host", LISTED.format("event")),
    (factories.ExerciseFactory, "participations", "host", LISTED.format("exercise")),
    (factories.AgreementFactory, "party_roles", "party", "This actor already has this role in the agreement."),
]


@pytest.mark.django_db
@pytest.mark.parametrize("already_saved", [False, True], ids=["twice-in-one-form", "already-saved"])
@pytest.mark.parametrize("factory, prefix, role, message", DUPLICATES, ids=["event", "exercise", "agreement"])
def test_no_duplicate_participant(admin_client, kazakhstan, factory, prefix, role, message, already_saved):
    record = factory()
    rows = {f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-1-actor": str(kazakhstan.pk), f"{prefix}-1-role": role}
    if already_saved:
        getattr(record, prefix).create(actor=kazakhstan, role=role)
    else:
        rows.update({f"{prefix}-0-actor": str(kazakhstan.pk), f"{prefix}-0-role": role})
    response = post_change(admin_client, record, rows)
    assert refused_with(response, message)
