"""The paper's routes in the default case file: loaded whole, every leg and limit cited, and
drawn by the GeoJSON endpoint with Afghanistan's entry points."""

import pytest
from rest_framework.test import APIClient

from apps.citations.models import Citation
from apps.routes.models import Leg, Route, RouteConstraint

pytestmark = pytest.mark.usefixtures("loaded_casefile", "db")


def test_every_route_leg_and_constraint_is_cited():
    for model, field in ((Route, "route"), (Leg, "route_leg"), (RouteConstraint, "route_constraint")):
        uncited = model.objects.exclude(pk__in=Citation.objects.filter(**{f"{field}__isnull": False}).values(field))
        assert not uncited.exists(), f"{model.__name__}: {list(uncited.values_list('slug', flat=True))}"


def test_the_russian_route_runs_from_riga_through_kazakhstan_into_afghanistan_at_termez():
    route = Route.objects.with_related().get(slug="ndn-russian-route")
    assert route.mode_list == ["rail", "road"]
    stops = [(leg.from_place.slug, leg.to_place.slug) for leg in route.leg_list]
    assert stops == [
        ("riga", "kazakhstan-country"), ("kazakhstan-country", "termez"), ("termez", "afghanistan-country")
    ]
    assert [c.slug for c in route.leg_list[0].countries.all()] == ["kazakhstan-country", "russia-country"]
    assert route.leg_list[2].enters_afghanistan
    rail = Citation.objects.get(route_leg=route.leg_list[0], note__slug="vigilant-eagle-fn-33")
    assert "first rail shipment" in rail.passage


def test_the_kkt_spur_keeps_its_limits_with_their_footnotes():
    spur = Route.objects.get(slug="ndn-kkt-spur")
    assert (spur.branches_from.slug, spur.branch_place.slug) == ("ndn-russian-route", "kazakhstan-country")
    limits = {c.kind: c for c in spur.constraints.all()}
    assert "seventy days" in limits["transit_time"].text
    assert limits["transit_time"].citations.get().note.slug == "vigilant-eagle-fn-35"
    notes = {c.citations.get().note.slug for c in spur.constraints.filter(kind="container_size")}
    assert notes == {"vigilant-eagle-fn-35", "vigilant-eagle-fn-36"}


def test_the_air_lines_of_communication_and_their_agreements():
    arctic = Route.objects.get(slug="arctic-aloc-fairchild-manas").legs.get()
    assert (arctic.from_place.slug, arctic.to_place.slug) == ("fairchild-afb", "manas-transit-center")
    assert arctic.mode == "air"
    alternates = Route.objects.filter(status="alternate", permitted_by__slug="us-kazakhstan-air-transit-mou-2001")
    assert sorted(alternates.values_list("slug", flat=True)) == [
        "almaty-alternate-for-manas", "astana-alternate-for-manas"
    ]


def test_the_geojson_draws_every_leg_and_marks_the_entry_points():
    collection = APIClient().get("/api/v1/routes/?format=geojson").json()
    legs = [f for f in collection["features"] if f["properties"]["feature_type"] == "leg"]
    places = {f["properties"]["slug"]: f["properties"] for f in collection["features"]
              if f["properties"]["feature_type"] == "place"}
    assert len(legs) == Leg.objects.count()
    assert all(leg["geometry"] and leg["geometry"]["type"] == "LineString" for leg in legs)
    assert {slug for slug, place in places.items() if place["entry_point"]} == {"termez", "tajikistan-country"}
    assert places["riga"]["approximate"] and not places["bagram-airbase"]["approximate"]
    kazakhstan_legs = [leg for leg in legs if leg["properties"]["route"] == "ndn-russian-route"
                       and "kazakhstan-country" in {c["slug"] for c in leg["properties"]["countries"]}]
    assert [leg["properties"]["order"] for leg in kazakhstan_legs] == [1, 2]
