import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.routes.models import Leg, Route, modes_text
from tests.factories import LegFactory, PlaceFactory, RouteFactory, UserFactory


def refused_by_database(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.mark.django_db
def test_two_legs_cannot_share_a_position_on_a_route():
    leg = LegFactory(order=1)
    refused_by_database(lambda: LegFactory(route=leg.route, order=1))
    duplicate = LegFactory.build(route=leg.route, order=1, from_place=PlaceFactory(), to_place=PlaceFactory())
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "This route already has a leg in this position." in str(error.value)


@pytest.mark.django_db
def test_a_leg_goes_from_one_place_to_another():
    termez = PlaceFactory(name="Termez")
    refused_by_database(lambda: LegFactory(from_place=termez, to_place=termez))
    leg = Leg(route=RouteFactory(), order=1, from_place=termez, to_place=termez, mode="rail")
    with pytest.raises(ValidationError) as error:
        leg.full_clean()
    assert "choose two different places" in error.value.message_dict["to_place"][0]


@pytest.mark.django_db
def test_a_spur_names_its_branch_place_in_the_database():
    refused_by_database(lambda: RouteFactory(branches_from=RouteFactory(), branch_place=None))


@pytest.mark.django_db
def test_a_spur_branches_at_a_place_on_its_parent_route():
    kazakhstan, termez, almaty = PlaceFactory(name="Kazakhstan"), PlaceFactory(name="Termez"), PlaceFactory()
    russian = RouteFactory(name="Russian route")
    LegFactory(route=russian, order=1, from_place=kazakhstan, to_place=termez)
    spur = Route(name="KKT spur", modes="rail", status="operational", branches_from=russian, branch_place=almaty)
    with pytest.raises(ValidationError) as error:
        spur.full_clean()
    assert "No leg of “Russian route” starts or ends at" in error.value.message_dict["branch_place"][0]
    spur.branch_place = kazakhstan
    spur.full_clean()
    spur.branch_place = None
    with pytest.raises(ValidationError) as error:
        spur.full_clean()
    assert "names both" in error.value.message_dict["branch_place"][0]


@pytest.mark.django_db
def test_a_route_has_at_least_one_known_mode():
    refused_by_database(lambda: RouteFactory(modes=""))
    route = Route(name="Arctic ALOC", modes="air,teleport", status="operational")
    with pytest.raises(ValidationError) as error:
        route.full_clean()
    assert "Unknown mode “teleport”" in error.value.message_dict["modes"][0]


def test_modes_are_stored_once_each_in_the_choices_order():
    assert modes_text(["air", "rail", "air"]) == "rail,air"


@pytest.mark.django_db
def test_a_leg_goes_by_one_of_its_routes_modes():
    route = RouteFactory(modes="rail")
    leg = LegFactory.build(route=route, order=1, mode="air", from_place=PlaceFactory(), to_place=PlaceFactory())
    with pytest.raises(ValidationError) as error:
        leg.full_clean()
    assert "add this mode to the route first" in error.value.message_dict["mode"][0]
    LegFactory(route=route, order=1, mode="rail")
    route.modes = "air"
    with pytest.raises(ValidationError) as error:
        route.full_clean()
    assert "Leg 1 goes by rail" in error.value.message_dict["modes"][0]


@pytest.mark.django_db
def test_routes_filter_by_a_whole_mode():
    rail_road = RouteFactory(modes="rail,road")
    air = RouteFactory(modes="air")
    assert list(Route.objects.with_mode("road")) == [rail_road]
    assert list(Route.objects.with_mode("air")) == [air]
    assert not Route.objects.with_mode("ail").exists()


@pytest.mark.django_db
def test_legs_of_a_draft_route_are_seen_with_it():
    draft = RouteFactory(publication_status="draft")
    LegFactory(route=draft)
    published_leg = LegFactory()
    assert list(Leg.objects.visible_to(UserFactory())) == [published_leg]


@pytest.mark.django_db
def test_a_leg_is_approximate_when_an_end_stands_for_a_larger_area():
    port = PlaceFactory(latitude=42.15, longitude=41.67, coordinates_approximate=True)
    base = PlaceFactory(latitude=34.9, longitude=69.2)
    assert LegFactory(from_place=port, to_place=base).approximate
    assert not LegFactory(from_place=base, to_place=PlaceFactory(latitude=1, longitude=1)).approximate
