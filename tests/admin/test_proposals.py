"""Proposing a correction to a published record in the admin, and deciding on it from the
review queue."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.core import services
from apps.core.models import Proposal
from tests import factories
from tests.admin import test_admin

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "Air transit of non-lethal cargo to ISAF, through Kazakhstan's airspace."


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agreement(db):
    agreement = factories.AgreementFactory(
        title="Agreement on ISAF transit", slug="isaf", summary="Air transit of non-lethal cargo.",
        publication_status="published",
    )
    factories.AgreementStepFactory(agreement=agreement, kind="signed", date="12 November 2010", slug="signed")
    return agreement


def change_url(agreement):
    return reverse("admin:agreements_agreement_change", args=[agreement.pk])


def propose_in_admin(client, agreement, *, reason="Art. 1 names ISAF.", **changes):
    url = change_url(agreement) + "?propose=1"
    page = client.get(url)
    assert page.status_code == 200
    data = test_admin.form_data(page)
    data.update({"summary": NEW_SUMMARY, "proposal_reason": reason, **changes})
    return client.post(url, data)


def test_a_published_record_offers_an_analyst_a_correction_instead_of_a_save(agreement, analyst):
    client = signed_in(analyst)
    page = client.get(change_url(agreement)).content.decode()
    assert 'id="propose-correction"' in page
    assert 'name="summary"' not in page  # read-only: the analyst cannot save it
    proposing = client.get(change_url(agreement) + "?propose=1").content.decode()
    assert 'name="summary"' in proposing and 'name="proposal_reason"' in proposing
    assert "Send the proposal to the editors" in proposing and 'name="_continue"' not in proposing


def test_saving_the_form_and_its_inlines_makes_a_proposal_and_changes_nothing(agreement, analyst, senate):
    response = propose_in_admin(
        signed_in(analyst),
        agreement,
        **{
            "steps-TOTAL_FORMS": "2",
            "steps-1-kind": "rejected_by_chamber",
            "steps-1-date": "9 June 2011",
            "steps-1-acting_body": str(senate.pk),
            "steps-1-sequence": "0",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert "propose=1" not in response["Location"], [str(m) for m in response.wsgi_request._messages]
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse(
        "admin:core_proposal_change", args=[proposal.pk]
    )
    assert proposal.proposer == analyst and proposal.reason == "Art. 1 names ISAF."
    assert proposal.changes["summary"] == NEW_SUMMARY
    assert proposal.changes["steps"] == [
        {"slug": "signed"},
        {"kind": "rejected_by_chamber", "date": "9 June 2011", "sequence": 0, "acting_body": "senate",
         "place": None, "votes_for": None, "votes_against": None, "description": ""},
    ]
    agreement.refresh_from_db()
    assert agreement.summary == "Air transit of non-lethal cargo." and agreement.steps.count() == 1
    follow = signed_in(analyst).get(response["Location"])
    assert "Withdraw" in follow.content.decode()


def test_a_proposal_needs_a_reason_and_only_one_awaits_per_analyst(agreement, analyst):
    client = signed_in(analyst)
    response = propose_in_admin(client, agreement, reason="")
    assert response.status_code == 200 and "proposal_reason" in response.context["adminform"].form.errors
    assert propose_in_admin(client, agreement).status_code == 302
    again = propose_in_admin(client, agreement, summary="Something else.")
    assert again.status_code == 200
    assert "already have a proposal" in str(again.context["adminform"].form.errors)
    assert Proposal.objects.count() == 1


def test_the_editor_sees_the_diff_in_the_queue_and_accepts(agreement, analyst, editor):
    propose_in_admin(signed_in(analyst), agreement)
    proposal = Proposal.objects.get()
    client = signed_in(editor)
    queue = client.get(reverse("admin:core_reviewqueue_changelist")).content.decode()
    assert "Agreement on ISAF transit" in queue and "aigerim" in queue and "Art. 1 names ISAF." in queue
    detail = client.get(reverse("admin:core_proposal_change", args=[proposal.pk])).content.decode()
    assert "<del>cargo.</del>" in detail and "<ins>cargo to ISAF, through Kazakhstan&#x27;s airspace.</ins>" in detail
    assert 'value="accept"' in detail
    response = client.post(reverse("admin:core_proposal_decide", args=[proposal.pk]), {"decision": "accept"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.summary == NEW_SUMMARY and agreement.publication_status == "published"
    assert agreement.history.first().history_user == editor
    assert "by aigerim" in agreement.history.first().history_change_reason


def test_the_analyst_cannot_decide_and_the_editor_cannot_accept_a_stale_proposal(agreement, analyst, editor):
    propose_in_admin(signed_in(analyst), agreement)
    proposal = Proposal.objects.get()
    decide = reverse("admin:core_proposal_decide", args=[proposal.pk])
    signed_in(analyst).post(decide, {"decision": "accept"})
    assert Proposal.objects.get().status == "open"
    agreement.refresh_from_db()
    agreement.short_title = "ISAF"
    services.record_save(agreement, user=editor)
    client = signed_in(editor)
    page = client.get(reverse("admin:core_proposal_change", args=[proposal.pk])).content.decode()
    assert 'id="proposal-stale"' in page
    response = client.post(decide, {"decision": "accept"}, follow=True)
    assert "rebase" in response.content.decode()
    assert Proposal.objects.get().status == "open"
    signed_in(analyst).post(decide, {"decision": "rebase"})
    client.post(decide, {"decision": "send_back", "comment": "Cite the page."})
    assert Proposal.objects.get().status == "sent_back"


def test_analysts_see_their_own_proposals_and_editors_all(agreement, analyst, editor, roles):
    propose_in_admin(signed_in(analyst), agreement)
    other = factories.UserFactory(username="daniyar", groups=["Analyst"])
    propose_in_admin(signed_in(other), agreement, summary="Another text.")
    changelist = reverse("admin:core_proposal_changelist")
    assert signed_in(analyst).get(changelist).context["cl"].result_count == 1
    assert signed_in(editor).get(changelist).context["cl"].result_count == 2
    theirs = Proposal.objects.get(proposer=other)
    assert signed_in(analyst).get(reverse("admin:core_proposal_change", args=[theirs.pk])).status_code == 404


def test_queue_and_proposal_list_read_a_constant_number_of_queries(
    agreement, analyst, editor, roles, count_queries
):
    client = signed_in(editor)

    def grow():
        for _ in range(3):
            record = factories.AgreementFactory(publication_status="published")
            place = factories.PlaceFactory(publication_status="published")
            user = factories.UserFactory(groups=["Analyst"])
            services.proposal_submit(record, changes={"summary": "x"}, reason="r", user=user)
            services.proposal_submit(place, changes={"name": "y"}, reason="r", user=user)

    grow()
    for url in (reverse("admin:core_reviewqueue_changelist"), reverse("admin:core_proposal_changelist")):
        _, before = count_queries(url, using=client)
        grow()
        response, after = count_queries(url, using=client)
        assert response.status_code == 200 and before == after, url


def test_a_citation_added_in_the_proposal_form_is_published_when_accepted(agreement, analyst, editor):
    source = factories.SourceFactory(publication_status="published")
    response = propose_in_admin(
        signed_in(analyst),
        agreement,
        **{
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": str(source.pk),
            "citations-0-locator": "p. 12",
            "citations-0-passage": "Neither date is given.",
            "citations-0-stance": "supports",
            "citations-0-credibility": "2",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    proposal = Proposal.objects.get()
    assert proposal.changes["citations"] == [
        {"source": source.slug, "note": None, "locator": "p. 12", "passage": "Neither date is given.",
         "stance": "supports", "credibility": 2},
    ]
    assert not agreement.citations.exists()  # readers see no new passage before an editor accepts
    detail = signed_in(editor).get(reverse("admin:core_proposal_change", args=[proposal.pk])).content.decode()
    assert "Added: " in detail and "Neither date is given." in detail
    services.proposal_accept(proposal, user=editor)
    citation = agreement.citations.get()
    assert (citation.source, citation.locator, citation.credibility) == (source, "p. 12", 2)
