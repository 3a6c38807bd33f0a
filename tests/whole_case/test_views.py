"""The case file as a whole: overview, timeline, search, and the error pages."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from apps.whole_case.search import search_all
from apps.whole_case.timeline import timeline_entries
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(kazakhstan, senate):
    nato = factories.ActorFactory(name="NATO", slug="nato", kind="international_organisation")
    pfp = factories.ActorFactory(name="Partnership for Peace", slug="pfp", kind="programme")
    factories.AffiliationFactory(member=kazakhstan, organisation=pfp, start="1995")
    agreement = factories.AgreementFactory(short_title="ISAF agreement", slug="isaf")
    factories.AgreementPartyFactory(agreement=agreement, actor=nato)
    factories.AgreementStepFactory(
        agreement=agreement, kind="rejected_by_chamber", date="9 June 2011", acting_body=senate
    )
    factories.DeploymentFactory(name="Officers to Kabul", contributor=kazakhstan, start="2011", end="2012")
    series = factories.ExerciseSeriesFactory(name="Steppe Eagle", slug="steppe-eagle")
    factories.ExerciseFactory(name="Steppe Eagle 2009", series=series, start="September 2009")
    factories.EventFactory(title="Nazarbayev visits NATO HQ", date="2007", kind="visit")
    factories.EventFactory(title="Planned talks", date="spring 2011", publication_status="draft")
    return agreement


def test_overview_gives_counts_date_span_and_entry_points(client, story):
    response = client.get(reverse("whole_case:overview"))
    content = response.content.decode()
    counts = {section["name"]: section["count"] for section in response.context["sections"]}
    assert counts["events"] == 1 and counts["agreements"] == 1 and counts["actors"] == 5
    assert response.context["first"].date.display() == "1995"
    for name in ("actors", "agreements", "deployments", "exercises", "events", "places", "sources"):
        assert reverse(f"{name}:list") in content
    assert reverse("whole_case:timeline") in content and "Recently updated" in content


def test_timeline_groups_by_year_at_each_dates_precision(client, story):
    response = client.get(reverse("whole_case:timeline"))
    years = [year for year, _ in response.context["years"]]
    assert years == sorted(years) and years[0] == 1995
    content = response.content.decode()
    for text in ("September 2009", "9 June 2011", "Kazakhstan joins Partnership for Peace", "Officers to Kabul ends"):
        assert text in content
    assert "ISAF agreement: rejected by Senate" in content
    assert "Planned talks" not in content  # a draft


def test_a_long_timeline_comes_in_pages_with_a_year_index_across_them(client, story, monkeypatch):
    monkeypatch.setattr("apps.whole_case.views.TIMELINE_PAGE", 3)
    first = client.get(reverse("whole_case:timeline"))
    assert first.context["total"] == 6 and first.context["paginator"].num_pages == 2
    first_years = [entry.date.earliest.year for _, entries in first.context["years"] for entry in entries]
    assert first_years == [1995, 2007, 2009]
    second = client.get(reverse("whole_case:timeline"), {"page": "2"})
    shown = [entry for _, entries in second.context["years"] for entry in entries]
    assert [entry.title for entry in shown] == [
        "Officers to Kabul begins",  # "2011" starts on 1 January, before 9 June 2011
        "ISAF agreement: rejected by Senate",
        "Officers to Kabul ends",
    ]
    assert [actor["slug"] for actor in shown[1].actors] == ["senate", "nato"]  # the page's entries get their actors
    year_pages = dict(second.context["year_pages"])
    assert year_pages == {1995: 1, 2007: 1, 2009: 1, 2011: 2, 2012: 2}
    assert 'href="?page=1#year-1995"' in second.content.decode()
    assert 'href="#year-2011"' in second.content.decode()
    # Filters stay in the page links; a page number past the end gives the last page, not an error.
    types = ["deployment", "agreement_step", "event"]
    filtered = client.get(reverse("whole_case:timeline"), {"page": "9", "type": types})
    assert filtered.context["page_obj"].number == 2
    assert "type=deployment&amp;type=agreement_step&amp;type=event&amp;page=1" in filtered.content.decode()
    assert client.get(reverse("whole_case:timeline"), {"page": "many"}).status_code == 200


def test_timeline_filters_by_type_and_actor_from_the_url(client, story):
    response = client.get(reverse("whole_case:timeline"), {"type": "event"})
    assert {entry.type for _, entries in response.context["years"] for entry in entries} == {"event"}
    response = client.get(reverse("whole_case:timeline"), {"actor": "nato"})
    titles = [entry.title for _, entries in response.context["years"] for entry in entries]
    assert titles == ["ISAF agreement: rejected by Senate"]


def actor_options(response):
    return [(a["slug"] if isinstance(a, dict) else a.slug) for a in response.context["actors"]]


def test_the_timeline_offers_every_actor_while_there_are_few(client, story):
    from apps.actors.models import Actor

    response = client.get(reverse("whole_case:timeline"))
    everyone = list(Actor.objects.published().order_by("name").values_list("slug", flat=True))
    assert len(everyone) == 5 and actor_options(response) == everyone
    assert not response.context["actors_on_page"]
    assert "timeline-actor-hint" not in response.content.decode()


def test_with_many_actors_the_timeline_offers_those_on_the_page_and_the_chosen_one(client, story, monkeypatch):
    from apps.whole_case import views

    monkeypatch.setattr(views, "TIMELINE_ACTOR_CHOICES", 2)
    quiet = factories.ActorFactory(name="Aaa Quiet Ministry", slug="quiet")  # on no entry
    response = client.get(reverse("whole_case:timeline"), {"type": "agreement_step"})
    on_page = {person["slug"] for _, entries in response.context["years"] for e in entries for person in e.actors}
    assert on_page and set(actor_options(response)) == on_page
    content = response.content.decode()
    assert 'value="quiet"' not in content
    assert "The 2 actors on this page, of 6" in content and 'aria-describedby="timeline-actor-hint"' in content
    chosen = client.get(reverse("whole_case:timeline"), {"actor": quiet.slug})
    assert actor_options(chosen) == ["quiet"] and 'value="quiet" selected' in chosen.content.decode()


def test_staff_see_drafts_on_the_timeline(staff_client, story):
    assert "Planned talks" in staff_client.get(reverse("whole_case:timeline")).content.decode()


def test_timeline_entries_run_one_query_per_type_whatever_the_number(django_assert_max_num_queries, story):
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            timeline_entries(AnonymousUser())
        return len(captured.captured_queries)

    before = queries()
    for _ in range(5):
        event = factories.EventFactory()
        factories.EventParticipantFactory(event=event)
        factories.AgreementStepFactory(agreement=story)
        factories.DeploymentFactory(start="2010")
    assert queries() == before


def test_search_groups_results_by_type_and_hides_drafts(client, story):
    factories.ExerciseFactory(name="Steppe Eagle 2010 draft", publication_status="draft")
    response = client.get(reverse("whole_case:search"), {"q": "Steppe Eagle"})
    groups = {group.key: [str(hit.record) for hit in group.hits] for group in response.context["groups"]}
    assert groups["exercises"] == ["Steppe Eagle 2009"]
    assert "Exercises" in response.content.decode()
    assert search_all(None, "")["exercises"] == []


def test_search_runs_the_same_queries_for_more_matches(assert_constant_queries, story):
    def grow():
        for n in range(4):
            factories.ExerciseFactory(name=f"Steppe Eagle {2010 + n}")
            factories.EventFactory(title=f"Steppe Eagle opening {n}")

    grow()  # matches in every group first: an empty group skips its prefetch query
    assert_constant_queries(reverse("whole_case:search") + "?q=Steppe+Eagle", grow)


def test_overview_and_timeline_run_the_same_queries_for_more_records(assert_constant_queries, story):
    def grow():
        factories.EventFactory.create_batch(4)
        factories.AffiliationFactory.create_batch(2, start="2004")

    assert_constant_queries(reverse("whole_case:overview"), grow)
    assert_constant_queries(reverse("whole_case:timeline"), grow)


def test_404_page_helps_the_reader_on(client):
    response = client.get("/agreements/no-such-agreement/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "not in the case file" in content and reverse("whole_case:search") in content


def test_500_page_leaks_nothing():
    request = RequestFactory().get("/")
    response = server_error(request)
    content = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in content
    assert "Traceback" not in content and "settings" not in content.lower()
