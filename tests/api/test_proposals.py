"""…/{slug}/proposals/: proposing a correction to a published record and deciding on it,
per role (anonymous, Reader, Analyst, Editor)."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.agreements.models import Agreement
from apps.core.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db

REASON = "Art. 1 of the agreement says so."


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0)


def member(name, group):
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def clients(roles):
    return {
        "anonymous": APIClient(),
        "reader": client_for(User.objects.create_user("reader")),
        "staff reader": client_for(member("viewer", "Reader")),
        "analyst": client_for(member("aigerim", "Analyst")),
        "editor": client_for(member("editor", "Editor")),
    }


@pytest.fixture
def agreement(senate):
    agreement = factories.AgreementFactory(
        title="Agreement on ISAF transit", slug="isaf", summary="Air transit.", publication_status="published"
    )
    factories.AgreementStepFactory(agreement=agreement, slug="signed")
    return agreement


URL = "/api/v1/agreements/isaf/proposals/"


def propose(client, **changes):
    return client.post(URL, {"reason": REASON, "changes": changes or {"summary": "Air transit to ISAF."}},
                       format="json")


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("reader", 403), ("staff reader", 403), ("analyst", 201), ("editor", 201)],
)
def test_who_may_propose(clients, agreement, role, expected):
    response = propose(clients[role])
    assert response.status_code == expected, response.content
    if expected == 201:
        body = response.json()
        assert body["status"] == "open" and body["stale"] is False
        assert body["changes"] == {"summary": "Air transit to ISAF."}
        assert body["record"]["slug"] == "isaf"
    assert Agreement.objects.get(pk=agreement.pk).summary == "Air transit."  # readers keep it


def test_an_analysts_patch_is_refused_naming_the_proposals_url(clients, agreement):
    response = clients["analyst"].patch(
        "/api/v1/agreements/isaf/", {"summary": "x", "version": agreement.version}, format="json"
    )
    assert response.status_code == 403
    assert "only an editor can change it" in response.json()["detail"]
    assert "/api/v1/agreements/isaf/proposals/" in response.json()["detail"]


def test_invalid_changes_are_a_400_with_field_messages(clients, agreement):
    response = propose(clients["analyst"], kind="nonsense", period_start="someday", steps=[{"slug": "gone"}])
    assert response.status_code == 400
    errors = response.json()["changes"]
    assert {"kind", "period_start"} <= set(errors)
    response = propose(clients["analyst"], steps=[{"slug": "gone"}])
    assert response.status_code == 400 and "gone" in str(response.json()["changes"]["steps"])
    response = clients["analyst"].post(URL, {"changes": {"summary": "x"}}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = propose(clients["analyst"], publication_status="draft")
    assert response.status_code == 400 and "editor's decision" in str(response.json())
    assert not Proposal.objects.exists()


def test_one_open_proposal_per_person_and_record(clients, agreement):
    assert propose(clients["analyst"]).status_code == 201
    second = propose(clients["analyst"], short_title="ISAF")
    assert second.status_code == 400 and "already have a proposal" in str(second.json())


def test_the_editor_accepts_and_the_record_changes_with_its_steps(clients, agreement, majlis):
    proposal = propose(
        clients["analyst"],
        summary="Air transit to ISAF.",
        steps=[{"slug": "signed"}, {"kind": "approved_by_chamber", "date": "18 May 2011", "acting_body": "majlis"}],
    ).json()
    accept = f"{URL}{proposal['id']}/accept/"
    assert clients["analyst"].post(accept).status_code == 403
    assert clients["reader"].post(accept).status_code == 403
    assert clients["anonymous"].post(accept).status_code == 401
    response = clients["editor"].post(accept, {"comment": "Thanks."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted" and response.json()["decided_by"] == "editor"
    record = clients["anonymous"].get("/api/v1/agreements/isaf/").json()
    assert record["summary"] == "Air transit to ISAF."
    assert [step["kind"] for step in record["steps"]] == ["signed", "approved_by_chamber"]
    assert clients["editor"].post(accept).status_code == 400  # decided already


def test_a_stale_accept_is_a_409_listing_the_changes_then_rebase_makes_it_acceptable(clients, agreement):
    proposal = propose(clients["analyst"]).json()
    record = clients["editor"].get("/api/v1/agreements/isaf/").json()
    clients["editor"].patch(
        "/api/v1/agreements/isaf/", {"short_title": "ISAF transit", "version": record["version"]}, format="json"
    )
    listed = clients["analyst"].get(URL).json()
    assert listed[0]["stale"] is True
    response = clients["editor"].post(f"{URL}{proposal['id']}/accept/")
    assert response.status_code == 409
    assert [change["field"] for change in response.json()["changed"]] == ["short_title"]
    assert "rebase" in response.json()["detail"]
    assert clients["editor"].post(f"{URL}{proposal['id']}/rebase/").status_code == 403  # the proposer's
    rebased = clients["analyst"].post(f"{URL}{proposal['id']}/rebase/")
    assert rebased.status_code == 200 and rebased.json()["stale"] is False
    assert clients["editor"].post(f"{URL}{proposal['id']}/accept/").status_code == 200


def test_send_back_reject_and_withdraw(clients, agreement):
    proposal = propose(clients["analyst"]).json()
    base = f"{URL}{proposal['id']}"
    assert clients["editor"].post(f"{base}/send-back/").status_code == 400  # a comment is required
    assert clients["analyst"].post(f"{base}/send-back/", {"comment": "x"}, format="json").status_code == 403
    sent = clients["editor"].post(f"{base}/send-back/", {"comment": "Cite the article."}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "sent_back"
    revised = clients["analyst"].post(
        f"{base}/rebase/", {"changes": {"summary": "Air transit (Art. 1)."}}, format="json"
    )
    assert revised.json()["status"] == "open" and revised.json()["changes"] == {"summary": "Air transit (Art. 1)."}
    rejected = clients["editor"].post(f"{base}/reject/", {"comment": "Not in the source."}, format="json")
    assert rejected.json()["status"] == "rejected"
    again = propose(clients["analyst"]).json()
    assert clients["editor"].post(f"{URL}{again['id']}/withdraw/").status_code == 403
    withdrawn = clients["analyst"].post(f"{URL}{again['id']}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert clients["analyst"].post(f"{URL}999999/withdraw/").status_code == 404


def test_changes_read_as_a_patch_body_writes_them(clients, agreement, senate):
    """Stored under the model's relation names, shown under the API's: a client can send a
    proposal's changes back as a PATCH body (or as revised changes to rebase/)."""
    parties = [{"actor": "senate", "role": "party"}]
    created = propose(clients["analyst"], parties=parties)
    assert created.status_code == 201, created.content
    assert created.json()["changes"] == {"parties": [{"actor": "senate", "role": "party"}]}
    proposal = Proposal.objects.get()
    assert list(proposal.changes) == ["party_roles"]
    listed = clients["editor"].get(URL).json()
    assert listed[0]["changes"] == created.json()["changes"]


def test_each_sees_their_own_proposals_and_editors_all(clients, agreement):
    propose(clients["analyst"])
    propose(clients["editor"], short_title="ISAF")
    assert len(clients["analyst"].get(URL).json()) == 1
    assert len(clients["editor"].get(URL).json()) == 2
    assert clients["reader"].get(URL).status_code == 403


def test_records_without_a_publication_status_have_no_proposals(clients, agreement):
    citation = factories.CitationFactory()
    response = clients["editor"].post(f"/api/v1/citations/{citation.slug}/proposals/", {}, format="json")
    assert response.status_code == 404
