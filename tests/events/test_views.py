"""The event pages: list with kind and place facets, detail with who was involved."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(kazakhstan):
    astana = factories.PlaceFactory(name="Astana", slug="astana")
    event = factories.EventFactory(
        title="NATO official visits Astana", slug="nato-visit", date="spring 2011", place=astana, summary="Talks."
    )
    factories.EventParticipantFactory(event=event, actor=kazakhstan, role="host")
    return event


def test_detail_shows_date_at_its_precision_place_and_participants(client, visit):
    content = client.get(reverse("events:detail", args=[visit.slug])).content.decode()
    assert "spring 2011" in content and "Astana" in content and "host" in content


def test_list_counts_kinds_and_places_and_sorts_latest_first(client, visit):
    factories.EventFactory(title="Earlier vote", kind="vote", date="2009")
    response = client.get(reverse("events:list"), {"sort": "latest"})
    assert [e.title for e in response.context["object_list"]] == ["NATO official visits Astana", "Earlier vote"]
    facets = {f.name: {o.value: o.count for o in f.options} for f in response.context["facets"]}
    assert facets == {"kind": {"visit": 1, "vote": 1}, "place": {"astana": 1}}


def test_list_filters_by_date_range_at_the_dates_precision(client, visit):
    factories.EventFactory(title="Earlier vote", kind="vote", date="2009")
    response = client.get(reverse("events:list"), {"date_from": "2011-05-01", "date_to": "2011-12-31"})
    assert [e.slug for e in response.context["object_list"]] == ["nato-visit"]  # spring 2011 reaches May


def test_list_gives_each_date_its_earliest_day_for_machines(client, visit):
    content = client.get(reverse("events:list")).content.decode()
    assert '<time datetime="2011-03-01">spring 2011</time>' in content


def test_draft_is_hidden_from_readers_and_bannered_for_staff(assert_draft_only_for_staff):
    draft = factories.EventFactory(publication_status="draft")
    assert_draft_only_for_staff(reverse("events:detail", args=[draft.slug]))


def test_list_runs_the_same_queries_for_more_events(assert_constant_queries, visit):
    def grow():
        for event in factories.EventFactory.create_batch(6, place=visit.place):
            factories.EventParticipantFactory(event=event)

    assert_constant_queries(reverse("events:list"), grow)


def test_detail_runs_the_same_queries_for_more_participants(assert_constant_queries, visit):
    def grow():
        factories.EventParticipantFactory.create_batch(4, event=visit)
        factories.CitationFactory.create_batch(3, actor=None, event=visit)

    assert_constant_queries(reverse("events:detail", args=[visit.slug]), grow)


def test_a_filter_that_meets_an_event_twice_still_counts_it_once(client, visit):
    """The place filter reads an event's place and its other places: an event that names
    Astana as both is one row of the list and one in each facet's count."""
    visit.places.add(visit.place, factories.PlaceFactory(name="Almaty"))
    response = client.get(reverse("events:list"), {"place": "astana"})
    assert [e.slug for e in response.context["object_list"]] == ["nato-visit"]
    assert response.context["total"] == 1
    facets = {f.name: {o.value: o.count for o in f.options} for f in response.context["facets"]}
    assert facets["kind"] == {visit.kind: 1}
