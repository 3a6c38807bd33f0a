"""The actor pages: list with kind facet, detail with everything the actor took part in."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_list_counts_actors_beside_each_kind_and_filters_by_kind(client, kazakhstan, majlis, senate):
    factories.ActorFactory(kind="person", publication_status="draft")
    response = client.get(reverse("actors:list"))
    kinds = {o.value: o.count for o in response.context["facets"][0].options}
    assert kinds == {"state": 1, "legislature": 3}
    filtered = client.get(reverse("actors:list"), {"kind": "legislature", "sort": "name"})
    assert [a.name for a in filtered.context["object_list"]] == ["Majlis", "Parliament of Kazakhstan", "Senate"]
    option = next(o for o in filtered.context["facets"][0].options if o.value == "legislature")
    assert option.selected and option.url == "?sort=name"  # choosing it again removes it, keeps the sort


def test_list_searches_names_and_aliases(client, majlis):
    response = client.get(reverse("actors:list"), {"q": "mazhilis"})
    assert [a.slug for a in response.context["object_list"]] == ["majlis"]


def test_detail_shows_agreements_deployments_exercises_events_and_affiliations(client, kazakhstan):
    nato = factories.ActorFactory(name="NATO", slug="nato", kind="international_organisation")
    affiliation = factories.AffiliationFactory(member=kazakhstan, organisation=nato, start="1995")
    agreement = factories.AgreementFactory(title="ISAF agreement")
    factories.AgreementPartyFactory(agreement=agreement, actor=kazakhstan, role="signatory")
    factories.DeploymentFactory(name="Officers to ISAF HQ", contributor=kazakhstan)
    exercise = factories.ExerciseFactory(name="Steppe Eagle 2009")
    factories.ExerciseParticipantFactory(exercise=exercise, actor=kazakhstan, role="host")
    event = factories.EventFactory(title="Senate vote")
    factories.EventParticipantFactory(event=event, actor=kazakhstan, role="subject")
    factories.CitationFactory(actor=None, affiliation=affiliation, passage="Joined PfP in 1995.")
    factories.ActorFactory(name="Hidden ally", publication_status="draft", parent=kazakhstan)

    content = client.get(reverse("actors:detail", args=["kazakhstan"])).content.decode()
    for text in ("ISAF agreement", "signatory", "Officers to ISAF HQ", "Steppe Eagle 2009", "host", "Senate vote"):
        assert text in content
    assert f'id="affiliation-{affiliation.slug}"' in content and "from 1995" in content
    assert "Joined PfP in 1995." in content and 'href="#note-1"' in content
    assert "Hidden ally" not in content
    assert 'href="/api/v1/actors/kazakhstan/"' in content


def test_draft_is_hidden_from_readers_and_bannered_for_staff(assert_draft_only_for_staff):
    draft = factories.ActorFactory(publication_status="draft")
    assert_draft_only_for_staff(reverse("actors:detail", args=[draft.slug]))


def test_list_runs_the_same_queries_for_more_actors(assert_constant_queries, kazakhstan):
    assert_constant_queries(
        reverse("actors:list"),
        lambda: factories.ActorFactory.create_batch(8, parent=kazakhstan, country=kazakhstan),
    )


def test_detail_runs_the_same_queries_for_more_involvements(assert_constant_queries, kazakhstan):
    def grow():
        for _ in range(3):
            factories.AffiliationFactory(member=kazakhstan)
            factories.AgreementPartyFactory(actor=kazakhstan)
            factories.DeploymentFactory(contributor=kazakhstan)
            factories.ExerciseParticipantFactory(actor=kazakhstan)
            factories.EventParticipantFactory(actor=kazakhstan)
            factories.CitationFactory(actor=kazakhstan)

    grow()  # one of each first: an empty relation skips its prefetch query
    assert_constant_queries(reverse("actors:detail", args=["kazakhstan"]), grow)
