"""The deployment pages: list with status and contributor facets, detail with roles and notes."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(kazakhstan):
    isaf = factories.ActorFactory(name="ISAF", slug="isaf", kind="operation")
    deployment = factories.DeploymentFactory(
        name="Kazakh officers at ISAF headquarters",
        slug="kazakhstan-isaf-hq-officers",
        contributor=kazakhstan,
        mission=isaf,
        status="proposed",
        personnel_text="four officers",
        start="2011",
        rotation="every six months",
    )
    factories.DeploymentRoleFactory(deployment=deployment, title="coordination officer", account="defence ministry")
    factories.CitationFactory(actor=None, deployment=deployment, passage="four (Kazakh) officers to Kabul")
    return deployment


def test_detail_shows_head_count_roles_and_notes(client, officers):
    content = client.get(reverse("deployments:detail", args=[officers.slug])).content.decode()
    for text in ("four officers", "every six months", "coordination officer", "According to defence ministry"):
        assert text in content
    assert "four (Kazakh) officers to Kabul" in content and 'id="note-1"' in content
    assert 'href="/api/v1/deployments/kazakhstan-isaf-hq-officers/"' in content


def test_list_facets_count_status_and_contributor_and_filter(client, officers, kazakhstan):
    other = factories.ActorFactory(name="United Kingdom", slug="united-kingdom")
    factories.DeploymentFactory(contributor=other, status="active")
    factories.DeploymentFactory(contributor=other, status="active")
    response = client.get(reverse("deployments:list"))
    facets = {f.name: {o.value: o.count for o in f.options} for f in response.context["facets"]}
    assert facets["status"] == {"proposed": 1, "active": 2}
    assert facets["contributor"] == {"united-kingdom": 2, "kazakhstan": 1}
    filtered = client.get(reverse("deployments:list"), {"status": "active"})
    assert filtered.context["total"] == 2
    contributors = next(f for f in filtered.context["facets"] if f.name == "contributor")
    assert {o.value: o.count for o in contributors.options} == {"united-kingdom": 2}


def test_list_with_invalid_filter_shows_nothing_and_says_why(client, officers):
    response = client.get(reverse("deployments:list"), {"status": "nonsense"})
    assert response.status_code == 200 and response.context["total"] == 0
    assert "could not be read" in response.content.decode()


def test_draft_is_hidden_from_readers_and_bannered_for_staff(assert_draft_only_for_staff):
    draft = factories.DeploymentFactory(publication_status="draft")
    assert_draft_only_for_staff(reverse("deployments:detail", args=[draft.slug]))


def test_list_runs_the_same_queries_for_more_deployments(assert_constant_queries, officers):
    def grow():
        for deployment in factories.DeploymentFactory.create_batch(6, mission=officers.mission):
            factories.DeploymentRoleFactory(deployment=deployment)

    assert_constant_queries(reverse("deployments:list"), grow)


def test_detail_runs_the_same_queries_for_more_roles_and_notes(assert_constant_queries, officers):
    def grow():
        factories.DeploymentRoleFactory.create_batch(4, deployment=officers)
        factories.CitationFactory.create_batch(4, actor=None, deployment=officers)

    assert_constant_queries(reverse("deployments:detail", args=[officers.slug]), grow)


def test_a_facet_over_many_actors_shows_the_most_frequent_and_any_chosen(client, officers, kazakhstan):
    from apps.core.pages import FACET_LIMIT

    frequent = factories.ActorFactory(name="Frequent sender", slug="frequent")
    factories.DeploymentFactory.create_batch(3, contributor=frequent)
    senders = factories.ActorFactory.create_batch(FACET_LIMIT + 3)
    for sender in senders:
        factories.DeploymentFactory(contributor=sender)
    response = client.get(reverse("deployments:list"))
    contributors = next(f for f in response.context["facets"] if f.name == "contributor")
    assert len(contributors.options) == FACET_LIMIT and contributors.options[0].value == "frequent"
    assert contributors.hidden == 5  # 17 senders in all, with Kazakhstan and the frequent one
    assert f"and {contributors.hidden} more with fewer records" in response.content.decode()
    # a chosen sender among the rare ones is shown, selected; the list of the rest shrinks by one
    rare = [option.value for option in contributors.options]
    chosen = next(sender.slug for sender in senders if sender.slug not in rare)
    filtered = client.get(reverse("deployments:list"), {"contributor": chosen})
    contributors = next(f for f in filtered.context["facets"] if f.name == "contributor")
    assert [option.value for option in contributors.options if option.selected] == [chosen]
    assert len(contributors.options) == FACET_LIMIT + 1 and contributors.hidden == 4


def test_a_facet_over_many_actors_breaks_ties_by_name_and_never_names_a_draft(client, officers, kazakhstan):
    from apps.core.pages import FACET_LIMIT

    # Created in the reverse of their names' order, so the records' keys do not break the tie.
    names = [f"Sender {letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: FACET_LIMIT + 3]]
    for name in reversed(names):
        factories.DeploymentFactory(contributor=factories.ActorFactory(name=name))
    draft = factories.ActorFactory(name="Draft sender", publication_status="draft")
    factories.DeploymentFactory.create_batch(4, contributor=draft)
    response = client.get(reverse("deployments:list"))
    contributors = next(f for f in response.context["facets"] if f.name == "contributor")
    # Kazakhstan and the senders each sent once: the first FACET_LIMIT of them by name.
    assert [option.label for option in contributors.options] == sorted([kazakhstan.name, *names])[:FACET_LIMIT]
    assert contributors.hidden == 4
    assert "Draft sender" not in response.content.decode()
