import pytest

from apps.places.filters import PlaceFilterSet
from apps.places.models import Place
from tests import factories

pytestmark = pytest.mark.django_db


def slugs(**params):
    filterset = PlaceFilterSet(params, queryset=Place.objects.with_related())
    assert filterset.is_valid(), filterset.errors
    return {record.slug for record in filterset.qs}


def test_place_filters():
    country = factories.PlaceFactory(slug="kz", kind="country")
    factories.PlaceFactory(
        slug="kapchagai", kind="training_centre", within=country, aliases="Kapshagay", latitude=43.88, longitude=77.07
    )
    assert slugs(kind=["training_centre"]) == slugs(within="kz") == slugs(q="kapshagay") == {"kapchagai"}
    assert slugs(has_coordinates=True) == {"kapchagai"}
    assert slugs(has_coordinates=False) == {"kz"}
    assert [p.slug for p in PlaceFilterSet({"ordering": "-kind"}, queryset=Place.objects.all()).qs] == [
        "kapchagai",
        "kz",
    ]
