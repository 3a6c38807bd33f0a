"""Proposed corrections to published records: made, checked, decided, applied."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from apps.agreements.models import Agreement, AgreementStep
from apps.core import services
from apps.core.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(senate):
    agreement = factories.AgreementFactory(
        title="Agreement on ISAF transit",
        slug="isaf",
        summary="Air transit of non-lethal cargo.",
        publication_status="published",
    )
    factories.AgreementStepFactory(agreement=agreement, kind="signed", date="12 November 2010", slug="signed")
    factories.AgreementStepFactory(
        agreement=agreement, kind="rejected_by_chamber", date="9 June 2011", acting_body=senate, slug="rejected"
    )
    return Agreement.objects.get(pk=agreement.pk)


def propose(agreement, user, **changes):
    return services.proposal_submit(
        agreement, changes=changes or {"summary": "Air transit of non-lethal cargo to ISAF."},
        reason="The text of the agreement says so (Art. 1).", user=user,
    )


def test_an_analyst_proposes_and_readers_keep_the_published_version_until_an_editor_accepts(
    agreement, analyst, editor
):
    with pytest.raises(PermissionDenied):  # a direct edit stays refused
        agreement.summary = "changed"
        services.record_save(agreement, user=analyst)
    agreement.refresh_from_db()
    proposal = propose(agreement, analyst)
    assert proposal.status == "open" and proposal.base_version == agreement.version
    assert proposal.record_name == str(agreement) and proposal.record == agreement
    agreement.refresh_from_db()
    assert agreement.summary == "Air transit of non-lethal cargo."
    history_before = agreement.history.count()

    services.proposal_accept(proposal, user=editor)

    agreement.refresh_from_db()
    assert agreement.summary == "Air transit of non-lethal cargo to ISAF."
    assert agreement.publication_status == "published"
    assert agreement.history.count() == history_before + 1
    entry = agreement.history.first()
    assert entry.history_user == editor
    assert f"Proposal {proposal.pk} by aigerim" in entry.history_change_reason
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("accepted", editor)


def test_accepting_applies_sub_records_in_place_keeping_their_citations(agreement, analyst, editor, majlis):
    step = AgreementStep.objects.get(slug="rejected")
    citation = factories.CitationFactory(agreement_step=step, actor=None)
    proposal = propose(
        agreement,
        analyst,
        steps=[
            {"slug": "signed"},
            {"slug": "rejected", "description": "The Senate voted against ratification."},
            {"kind": "approved_by_chamber", "date": "18 May 2011", "acting_body": "majlis"},
        ],
    )
    services.proposal_accept(proposal, user=editor)
    step.refresh_from_db()
    assert step.description == "The Senate voted against ratification."
    assert citation.__class__.objects.filter(pk=citation.pk, agreement_step=step).exists()
    assert agreement.steps.count() == 3
    assert agreement.steps.get(kind="approved_by_chamber").acting_body == majlis


def test_a_proposal_is_checked_in_full_when_made(agreement, analyst):
    with pytest.raises(ValidationError) as refused:
        propose(agreement, analyst, kind="no-such-kind", steps=[{"slug": "gone"}], period_start="not a date")
    errors = refused.value.message_dict
    assert set(errors) >= {"kind", "period_start"}
    with pytest.raises(ValidationError) as refused:
        propose(agreement, analyst, steps=[{"slug": "gone"}])
    assert "no agreement step “gone”" in str(refused.value.message_dict["steps"])
    with pytest.raises(ValidationError) as refused:
        propose(agreement, analyst, publication_status="draft")
    assert "editor's decision" in str(refused.value)
    with pytest.raises(ValidationError):
        services.proposal_submit(agreement, changes={"summary": "x"}, reason="  ", user=analyst)
    assert not Proposal.objects.exists()
    agreement.refresh_from_db()
    assert agreement.version == 1 and agreement.steps.count() == 2  # the trial left nothing


def test_one_pending_proposal_per_proposer_and_record(agreement, analyst, editor):
    first = propose(agreement, analyst)
    with pytest.raises(ValidationError, match="already have a proposal"):
        propose(agreement, analyst, short_title="ISAF")
    with transaction.atomic(), pytest.raises(IntegrityError):  # the database holds it too
        Proposal.objects.create(
            record=agreement, record_slug="isaf", record_name="x", proposer=analyst, reason="r",
            base_version=1, changes={"summary": "y"},
        )
    propose(agreement, editor)  # another person may
    services.proposal_withdraw(first, user=analyst)
    assert propose(agreement, analyst, short_title="ISAF").status == "open"


def test_a_stale_proposal_must_be_rebased_before_it_is_accepted(agreement, analyst, editor):
    proposal = propose(agreement, analyst)
    agreement.short_title = "ISAF transit"
    services.record_save(agreement, user=editor, expected_version=agreement.version)
    proposal.refresh_from_db()
    assert proposal.is_stale
    with pytest.raises(services.StaleProposal) as stale:
        services.proposal_accept(proposal, user=editor)
    assert "rebase" in stale.value.message and "ISAF transit" in stale.value.message
    assert stale.value.as_dict()["changed"][0]["field"] == "short_title"
    with pytest.raises(PermissionDenied):
        services.proposal_rebase(proposal, user=editor)
    services.proposal_rebase(proposal, user=analyst)
    assert not proposal.is_stale
    services.proposal_accept(proposal, user=editor)
    agreement.refresh_from_db()
    assert (agreement.short_title, agreement.summary) == ("ISAF transit", "Air transit of non-lethal cargo to ISAF.")


def test_send_back_revise_reject_and_withdraw(agreement, analyst, editor):
    proposal = propose(agreement, analyst)
    with pytest.raises(PermissionDenied, match="Only an editor"):
        services.proposal_accept(proposal, user=analyst)
    with pytest.raises(ValidationError):
        services.proposal_send_back(proposal, user=editor, comment="")
    services.proposal_send_back(proposal, user=editor, comment="Cite the article.")
    assert (proposal.status, proposal.comment) == ("sent_back", "Cite the article.")
    with pytest.raises(ValidationError, match="sent back"):
        services.proposal_accept(proposal, user=editor)
    services.proposal_rebase(proposal, user=analyst, changes={"summary": "Air transit to ISAF (Art. 1)."})
    assert proposal.status == "open" and proposal.changes == {"summary": "Air transit to ISAF (Art. 1)."}
    services.proposal_reject(proposal, user=editor, comment="The source does not say so.")
    assert proposal.status == "rejected"
    with pytest.raises(ValidationError):
        services.proposal_withdraw(proposal, user=analyst)
    other = propose(agreement, analyst)
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(other, user=editor)
    services.proposal_withdraw(other, user=analyst)
    assert other.status == "withdrawn"
    agreement.refresh_from_db()
    assert agreement.summary == "Air transit of non-lethal cargo."


def test_only_published_records_take_proposals_and_readers_cannot_propose(agreement, analyst, roles):
    draft = factories.AgreementFactory(publication_status="draft")
    with pytest.raises(ValidationError, match="edit it directly"):
        propose(draft, analyst)
    reader = factories.UserFactory(groups=["Reader"])
    with pytest.raises(PermissionDenied):
        propose(agreement, reader)


def test_the_diff_names_choices_and_records_in_words_and_compares_long_text_by_piece(
    agreement, analyst, majlis
):
    proposal = propose(
        agreement,
        analyst,
        kind="memorandum",
        summary="Air transit of non-lethal cargo for ISAF.",
        scope_notes="First line.\nSecond line.",
        steps=[
            {"slug": "signed"},
            {"kind": "approved_by_chamber", "date": "18 May 2011", "acting_body": "majlis"},
        ],
    )
    diff = services.proposal_diff(proposal)
    by_name = {field.name: field for field in diff.fields}
    kind_labels = dict(Agreement._meta.get_field("kind").flatchoices)
    assert (by_name["kind"].before, by_name["kind"].after) == (kind_labels["treaty"], kind_labels["memorandum"])
    assert by_name["scope_notes"].pieces is None  # nothing before: shown whole
    summary = by_name["summary"]
    assert [(piece.op, piece.text) for piece in summary.pieces] == [
        ("equal", "Air transit of non-lethal "), ("delete", "cargo."), ("insert", "cargo for ISAF."),
    ]
    (steps,) = diff.relations
    changes = {row.change: row for row in steps.rows}
    assert set(changes) == {"added", "removed"}
    added = {field.name: field.after for field in changes["added"].fields}
    assert added["acting_body"] == "Majlis"


def test_the_diff_compares_text_of_several_lines_line_by_line(agreement, analyst, editor):
    agreement.scope_notes = "One.\nTwo.\nThree."
    services.record_save(agreement, user=editor)
    proposal = propose(agreement, analyst, scope_notes="One.\nTwo, corrected.\nThree.")
    (notes,) = services.proposal_diff(proposal).fields
    assert notes.by_line
    assert [(piece.op, piece.text) for piece in notes.pieces] == [
        ("equal", "One.\n"), ("delete", "Two.\n"), ("insert", "Two, corrected.\n"), ("equal", "Three."),
    ]


def test_the_diff_shortens_long_unchanged_passages_around_a_change(agreement, analyst, editor):
    words = [f"word{number}" for number in range(60)]
    agreement.summary = " ".join(words) + "."
    services.record_save(agreement, user=editor)
    proposal = propose(agreement, analyst, summary=" ".join(words) + ", corrected.")
    (summary,) = services.proposal_diff(proposal).fields
    ops = [piece.op for piece in summary.pieces]
    assert ops == ["elided", "equal", "delete", "insert"]
    assert summary.pieces[1].text == " ".join(words[-13:-1]) + " "  # twelve words of context
