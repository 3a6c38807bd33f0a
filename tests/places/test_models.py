import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import PlaceFactory


@pytest.mark.django_db
def test_coordinates_come_in_pairs_and_in_range():
    with transaction.atomic(), pytest.raises(IntegrityError):
        PlaceFactory(latitude=43.87, longitude=None)
    place = PlaceFactory.build(latitude=123, longitude=77)
    with pytest.raises(ValidationError) as error:
        place.full_clean()
    assert "Latitude must lie between -90 and 90 degrees." in str(error.value)
    PlaceFactory(name="Kapchagai", latitude="43.8667", longitude="77.0667").full_clean()


@pytest.mark.django_db
def test_only_given_coordinates_can_be_approximate():
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceFactory(coordinates_approximate=True)
    assert PlaceFactory(latitude=42.15, longitude=41.67, coordinates_approximate=True).coordinates_approximate
