"""The agreement pages: list with facets, detail with lifecycle and notes, drafts, query counts."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def isaf_agreement(kazakhstan, majlis, senate):
    nato = factories.ActorFactory(name="NATO", slug="nato", kind="international_organisation")
    agreement = factories.AgreementFactory(
        slug="isaf-participation-agreement",
        title="Agreement between NATO and Kazakhstan on Kazakhstan's participation in ISAF",
        short_title="NATO–Kazakhstan ISAF agreement",
        summary="Four officers to ISAF headquarters in Kabul.",
    )
    factories.AgreementPartyFactory(agreement=agreement, actor=nato)
    factories.AgreementPartyFactory(agreement=agreement, actor=kazakhstan)
    factories.AgreementStepFactory(agreement=agreement, kind="proposed", date="May 2009", acting_body=nato)
    factories.AgreementStepFactory(
        agreement=agreement, kind="approved_by_chamber", date="18 May 2011", acting_body=majlis, slug="majlis-vote"
    )
    senate_vote = factories.AgreementStepFactory(
        agreement=agreement, kind="rejected_by_chamber", date="9 June 2011", acting_body=senate, slug="senate-vote"
    )
    source = factories.SourceFactory(title="Kazakh Senate Rejects ISAF Deal", slug="senate-rejects")
    factories.CitationFactory(
        source=source, actor=None, agreement_step=senate_vote, locator="n. 80", passage="The Senate voted against."
    )
    return agreement


def test_detail_shows_the_lifecycle_in_date_order_and_the_current_status(client, isaf_agreement):
    response = client.get(reverse("agreements:detail", args=[isaf_agreement.slug]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rejected by Senate (9 June 2011)" in content  # current status
    lifecycle = content[content.index('id="lifecycle-heading"') :]
    proposed, approved, rejected = (lifecycle.index(text) for text in (">May 2009<", ">18 May 2011<", ">9 June 2011<"))
    assert proposed < approved < rejected
    assert 'id="step-senate-vote"' in content
    assert 'datetime="2011-06-09"' in content and 'datetime="2009-05"' in content


def test_detail_numbers_citations_as_notes_linking_to_the_source(client, isaf_agreement):
    content = client.get(reverse("agreements:detail", args=[isaf_agreement.slug])).content.decode()
    assert 'href="#note-1"' in content and 'id="note-1"' in content
    assert reverse("sources:detail", args=["senate-rejects"]) in content
    assert "n. 80" in content and "The Senate voted against." in content
    assert "Kazakh Senate Rejects ISAF Deal" in content  # the Chicago note names the work


def test_detail_links_to_its_api_representation(client, isaf_agreement):
    content = client.get(reverse("agreements:detail", args=[isaf_agreement.slug])).content.decode()
    assert 'href="/api/v1/agreements/isaf-participation-agreement/"' in content
    assert '<link rel="canonical" href="http://testserver/agreements/isaf-participation-agreement/">' in content


def test_draft_is_hidden_from_readers_and_bannered_for_staff(assert_draft_only_for_staff):
    draft = factories.AgreementFactory(publication_status="draft")
    assert_draft_only_for_staff(reverse("agreements:detail", args=[draft.slug]))


def test_list_counts_records_beside_each_status_and_kind(client, isaf_agreement):
    signed = factories.AgreementFactory(kind="memorandum")
    factories.AgreementStepFactory(agreement=signed, kind="signed", date="12 November 2010")
    factories.AgreementFactory(kind="memorandum", publication_status="draft")  # not counted for readers
    response = client.get(reverse("agreements:list"))
    facets = {facet.name: {o.value: o.count for o in facet.options} for facet in response.context["facets"]}
    assert facets["status"] == {"signed": 1, "rejected_by_chamber": 1}
    assert facets["kind"] == {"treaty": 1, "memorandum": 1}
    assert response.context["total"] == 2


def test_list_filters_by_status_from_the_url_and_keeps_other_facets_counting(client, isaf_agreement):
    signed = factories.AgreementFactory(kind="memorandum", title="Transit memorandum")
    factories.AgreementStepFactory(agreement=signed, kind="signed", date="12 November 2010")
    response = client.get(reverse("agreements:list"), {"status": "rejected_by_chamber"})
    assert [a.slug for a in response.context["object_list"]] == ["isaf-participation-agreement"]
    status = next(f for f in response.context["facets"] if f.name == "status")
    assert {o.value: (o.count, o.selected) for o in status.options} == {
        "signed": (1, False),
        "rejected_by_chamber": (1, True),
    }
    assert "1 agreement match" in response.content.decode()


def test_list_sorts_and_paginates(client):
    for title in ("Charlie", "Alpha", "Bravo"):
        factories.AgreementFactory(title=title)
    response = client.get(reverse("agreements:list"), {"sort": "title"})
    assert [a.title for a in response.context["object_list"]] == ["Alpha", "Bravo", "Charlie"]
    factories.AgreementFactory.create_batch(25)
    second = client.get(reverse("agreements:list"), {"page": 2})
    assert second.context["page_obj"].number == 2 and len(second.context["object_list"]) == 3


def test_list_runs_the_same_queries_for_more_agreements(assert_constant_queries):
    def agreement_with_parts():
        agreement = factories.AgreementFactory()
        factories.AgreementPartyFactory(agreement=agreement)
        factories.AgreementStepFactory(agreement=agreement)
        return agreement

    agreement_with_parts()
    assert_constant_queries(
        reverse("agreements:list") + "?kind=treaty", lambda: [agreement_with_parts() for _ in range(5)]
    )


def test_detail_runs_the_same_queries_for_more_steps_and_notes(assert_constant_queries, isaf_agreement):
    def grow():
        for _ in range(4):
            step = factories.AgreementStepFactory(agreement=isaf_agreement, kind="signed", date="2011")
            factories.CitationFactory(actor=None, agreement_step=step)
            factories.CitationFactory(actor=None, agreement=isaf_agreement)
            factories.AgreementPartyFactory(agreement=isaf_agreement)

    assert_constant_queries(reverse("agreements:detail", args=[isaf_agreement.slug]), grow)


def test_a_draft_party_is_not_shown_to_readers(staff_client, isaf_agreement):
    secret = factories.ActorFactory(name="Undisclosed partner", publication_status="draft")
    factories.AgreementPartyFactory(agreement=isaf_agreement, actor=secret)
    url = reverse("agreements:detail", args=[isaf_agreement.slug])
    assert "Undisclosed partner" not in Client().get(url).content.decode()
    assert "Undisclosed partner" in staff_client.get(url).content.decode()


def test_a_note_from_a_draft_source_is_for_staff_only(isaf_agreement, django_user_model):
    from django.test import Client

    secret = factories.SourceFactory(title="Unpublished cable", publication_status="draft")
    factories.CitationFactory(source=secret, actor=None, agreement=isaf_agreement, locator="p. 2")
    url = reverse("agreements:detail", args=[isaf_agreement.slug])
    reader, editor = Client(), Client()
    editor.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "x"))
    shown_to_reader = reader.get(url).content.decode()
    assert "unpublished cable" not in shown_to_reader.lower() and "Kazakh Senate Rejects ISAF Deal" in shown_to_reader
    assert "“Unpublished Cable”" in editor.get(url).content.decode()  # the Chicago note title-cases it


def test_the_list_names_each_agreements_parties_with_their_roles_but_no_draft(staff_client, isaf_agreement):
    factories.AgreementPartyFactory(agreement=isaf_agreement, actor=factories.ActorFactory(name="Bosnia & Herzegovina"))
    factories.AgreementPartyFactory(
        agreement=isaf_agreement, actor=factories.ActorFactory(name="Undisclosed partner", publication_status="draft")
    )
    line = '<p class="result__aside">{}</p>'
    shown = "; ".join(
        f"{party.actor.name.replace('&', '&amp;')} ({party.get_role_display().lower()})"
        for party in isaf_agreement.party_roles.order_by("role", "actor__name", "pk")
        if party.actor.is_published
    )
    assert "Bosnia &amp; Herzegovina (party)" in shown
    assert line.format(shown) in Client().get(reverse("agreements:list")).content.decode()
    assert "Undisclosed partner (party)" in staff_client.get(reverse("agreements:list")).content.decode()
