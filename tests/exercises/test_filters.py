import pytest

from apps.exercises.filters import ExerciseFilterSet
from apps.exercises.models import Exercise
from tests import factories

pytestmark = pytest.mark.django_db


def slugs(**params):
    filterset = ExerciseFilterSet(params, queryset=Exercise.objects.with_related())
    assert filterset.is_valid(), filterset.errors
    return {record.slug for record in filterset.qs}


def test_exercise_filters(kazakhstan):
    series = factories.ExerciseSeriesFactory(slug="steppe-eagle")
    place = factories.PlaceFactory(slug="ili")
    eagle = factories.ExerciseFactory(
        slug="eagle-2009", series=series, edition="2009", start="September 2009", location=place
    )
    factories.ExerciseParticipantFactory(exercise=eagle, actor=kazakhstan, role="host")
    factories.ExerciseFactory(slug="other", start="2005", focus="Peacekeeping")
    assert slugs(series="steppe-eagle") == slugs(location="ili") == {"eagle-2009"}
    assert slugs(participant="kazakhstan") == slugs(actor="kazakhstan") == {"eagle-2009"}
    assert slugs(participant="kazakhstan", role="host") == slugs(role="host") == {"eagle-2009"}
    assert slugs(participant="kazakhstan", role="observer") == set()
    assert slugs(q="peacekeeping") == {"other"}
    assert slugs(date_from="2009-09-15", date_to="2009-10-15") == {"eagle-2009"}
    assert slugs(date_to="2005-06-30") == {"other"}
    assert [e.slug for e in ExerciseFilterSet({"ordering": "start"}, queryset=Exercise.objects.all()).qs] == [
        "other",
        "eagle-2009",
    ]
