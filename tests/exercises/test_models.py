import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import ExerciseFactory, ExerciseParticipantFactory, ExerciseSeriesFactory


@pytest.mark.django_db
def test_series_editions_are_unique():
    steppe_eagle = ExerciseSeriesFactory(name="Steppe Eagle", recurrence="annual")
    ExerciseFactory(series=steppe_eagle, edition="2009")
    ExerciseFactory(series=steppe_eagle, edition="2010")
    with transaction.atomic(), pytest.raises(IntegrityError):
        ExerciseFactory(series=steppe_eagle, edition="2009")
    assert steppe_eagle.editions.count() == 2


@pytest.mark.django_db
def test_edition_needs_a_series():
    exercise = ExerciseFactory.build(edition="2009")
    with pytest.raises(ValidationError) as error:
        exercise.full_clean()
    assert "series" in error.value.message_dict["edition"][0]


@pytest.mark.django_db
def test_duplicate_participant_role_is_refused(kazakhstan):
    exercise = ExerciseFactory()
    ExerciseParticipantFactory(exercise=exercise, actor=kazakhstan, role="host")
    with transaction.atomic(), pytest.raises(IntegrityError):
        ExerciseParticipantFactory(exercise=exercise, actor=kazakhstan, role="host")
