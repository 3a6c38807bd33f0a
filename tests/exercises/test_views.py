"""The exercise pages: list with series facet, detail with participants, series page."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def steppe_eagle(kazakhstan):
    series = factories.ExerciseSeriesFactory(name="Steppe Eagle", slug="steppe-eagle", recurrence="annual")
    exercise = factories.ExerciseFactory(
        name="Steppe Eagle 2009", slug="steppe-eagle-2009", series=series, edition="2009", start="September 2009"
    )
    factories.ExerciseParticipantFactory(exercise=exercise, actor=kazakhstan, role="host")
    return exercise


def test_detail_shows_series_date_and_participants(client, steppe_eagle):
    content = client.get(reverse("exercises:detail", args=[steppe_eagle.slug])).content.decode()
    assert "September 2009" in content and 'datetime="2009-09"' in content
    assert reverse("exercises:series", args=["steppe-eagle"]) in content
    assert "Kazakhstan" in content and "host" in content


def test_series_page_lists_its_editions(client, steppe_eagle):
    content = client.get(reverse("exercises:series", args=["steppe-eagle"])).content.decode()
    assert "Steppe Eagle 2009" in content and "annual" in content


def test_list_counts_by_series_and_filters(client, steppe_eagle):
    factories.ExerciseFactory(name="Other exercise")
    response = client.get(reverse("exercises:list"))
    series = next(f for f in response.context["facets"] if f.name == "series")
    assert {o.value: o.count for o in series.options} == {"steppe-eagle": 1}
    filtered = client.get(reverse("exercises:list"), {"series": "steppe-eagle"})
    assert [e.slug for e in filtered.context["object_list"]] == ["steppe-eagle-2009"]
    assert '<time datetime="2009-09-01">September 2009</time>' in filtered.content.decode()


def test_draft_is_hidden_from_readers_and_bannered_for_staff(assert_draft_only_for_staff):
    draft = factories.ExerciseFactory(publication_status="draft")
    assert_draft_only_for_staff(reverse("exercises:detail", args=[draft.slug]))


def test_list_runs_the_same_queries_for_more_exercises(assert_constant_queries, steppe_eagle):
    def grow():
        for exercise in factories.ExerciseFactory.create_batch(5, series=steppe_eagle.series):
            factories.ExerciseParticipantFactory.create_batch(2, exercise=exercise)

    assert_constant_queries(reverse("exercises:list"), grow)


def test_detail_runs_the_same_queries_for_more_participants(assert_constant_queries, steppe_eagle):
    def grow():
        factories.ExerciseParticipantFactory.create_batch(4, exercise=steppe_eagle)
        factories.CitationFactory.create_batch(3, actor=None, exercise=steppe_eagle)

    assert_constant_queries(reverse("exercises:detail", args=[steppe_eagle.slug]), grow)
