"""Routes over the API: legs and constraints written nested, filters, and the GeoJSON form."""

import pytest

from tests import factories
from tests.api.fixtures import analyst, analyst_user, anonymous  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return {
        "riga": factories.PlaceFactory(
            slug="riga", name="Riga", kind="port", latitude=56.9496, longitude=24.1052, coordinates_approximate=True
        ),
        "termez": factories.PlaceFactory(slug="termez", name="Termez", latitude=37.2242, longitude=67.2783),
        "afghanistan": factories.PlaceFactory(
            slug="afghanistan-country", name="Afghanistan", kind="country", latitude=33.9, longitude=67.7,
            coordinates_approximate=True,
        ),
        "russia": factories.PlaceFactory(slug="russia-country", name="Russia", kind="country"),
        "kazakhstan": factories.PlaceFactory(slug="kazakhstan-country", name="Kazakhstan", kind="country"),
    }


@pytest.fixture
def russian_route(places):
    route = factories.RouteFactory(slug="russian-route", name="Russian route", modes="rail,road")
    first = factories.LegFactory(route=route, order=1, from_place=places["riga"], to_place=places["termez"])
    first.countries.set([places["russia"], places["kazakhstan"]])
    factories.LegFactory(
        route=route, order=2, from_place=places["termez"], to_place=places["afghanistan"], mode="road",
        enters_afghanistan=True,
    )
    return route


def test_create_a_route_with_legs_and_constraints(analyst, places):  # noqa: F811
    agreement = factories.AgreementFactory(slug="ndn-transit")
    body = {
        "name": "KKT spur",
        "modes": ["road", "rail"],
        "status": "operational",
        "permitted_by": ["ndn-transit"],
        "legs": [
            {"order": 1, "from_place": "riga", "to_place": "termez", "mode": "rail",
             "countries": ["russia-country", "kazakhstan-country"]},
        ],
        "constraints": [{"kind": "transit_time", "text": "Up to seventy days."}],
    }
    response = analyst.post("/api/v1/routes/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["modes"] == ["rail", "road"]
    assert [a["slug"] for a in data["permitted_by"]] == ["ndn-transit"]
    assert [c["slug"] for c in data["legs"][0]["countries"]] == ["kazakhstan-country", "russia-country"]
    assert data["legs"][0]["approximate"] is True
    assert data["constraints"][0]["text"] == "Up to seventy days."
    assert list(agreement.routes.values_list("name", flat=True)) == ["KKT spur"]


def test_a_legs_countries_change_in_place_through_the_route(analyst, russian_route, places):  # noqa: F811
    russian_route.publication_status = "draft"
    russian_route.save()
    first = russian_route.legs.get(order=1)
    legs = [
        {"slug": first.slug, "order": 1, "from_place": "riga", "to_place": "termez", "mode": "rail",
         "countries": ["russia-country"]},
    ]
    response = analyst.patch(
        f"/api/v1/routes/{russian_route.slug}/", {"legs": legs, "version": russian_route.version}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert [leg["order"] for leg in response.json()["legs"]] == [1]
    first.refresh_from_db()
    assert list(first.countries.values_list("slug", flat=True)) == ["russia-country"]


def test_bad_legs_are_400s_with_messages(analyst, places):  # noqa: F811
    body = {
        "name": "Loop",
        "modes": ["rail"],
        "status": "operational",
        "legs": [
            {"order": 1, "from_place": "riga", "to_place": "riga", "mode": "rail"},
            {"order": 2, "from_place": "riga", "to_place": "termez", "mode": "air"},
        ],
    }
    response = analyst.post("/api/v1/routes/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["legs"]
    assert "choose two different places" in str(errors["0"])
    assert "add this mode to the route first" in str(errors["1"])
    body["legs"] = [{"order": 1, "from_place": "riga", "to_place": "termez", "countries": ["riga"]}]
    response = analyst.post("/api/v1/routes/", body, format="json")
    assert response.status_code == 400
    assert "No place with the slug “riga”" in str(response.json()["legs"])


def test_modes_are_a_list_of_known_modes(analyst):  # noqa: F811
    for modes in ([], "rail", ["rail", "teleport"]):
        response = analyst.post("/api/v1/routes/", {"name": "X", "modes": modes, "status": "tested"}, format="json")
        assert response.status_code == 400 and "modes" in response.json()


def test_filters(anonymous, russian_route, places):  # noqa: F811
    air = factories.RouteFactory(slug="arctic-aloc", modes="air", status="tested")
    air.permitted_by.add(factories.AgreementFactory(slug="air-transit"))

    def slugs(query):
        response = anonymous.get(f"/api/v1/routes/?{query}")
        assert response.status_code == 200, response.json()
        return [route["slug"] for route in response.json()["results"]]

    assert slugs("mode=road") == ["russian-route"]
    assert slugs("mode=air&mode=rail") == ["arctic-aloc", "russian-route"]
    assert slugs("country=kazakhstan-country") == ["russian-route"]
    assert slugs("place=termez") == ["russian-route"]
    assert slugs("agreement=air-transit") == ["arctic-aloc"]
    assert slugs("status=tested") == ["arctic-aloc"]
    assert anonymous.get("/api/v1/routes/?mode=bus").status_code == 400


def test_geojson_gives_legs_as_lines_and_places_as_points(anonymous, russian_route, places):  # noqa: F811
    factories.RouteFactory(slug="draft-route", publication_status="draft")
    response = anonymous.get("/api/v1/routes/?format=geojson")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    legs = [f for f in collection["features"] if f["properties"]["feature_type"] == "leg"]
    points = {f["properties"]["slug"]: f for f in collection["features"] if f["properties"]["feature_type"] == "place"}
    assert [leg["properties"]["order"] for leg in legs] == [1, 2]
    first = legs[0]
    assert first["geometry"] == {"type": "LineString", "coordinates": [[24.1052, 56.9496], [67.2783, 37.2242]]}
    assert first["properties"]["route"] == "russian-route"
    assert first["properties"]["route_name"] == "Russian route"
    assert first["properties"]["from"] == {"slug": "riga", "name": "Riga"}
    assert [c["slug"] for c in first["properties"]["countries"]] == ["kazakhstan-country", "russia-country"]
    assert first["properties"]["approximate"] is True
    assert first["properties"]["url"] == f"/routes/russian-route/#leg-{russian_route.legs.get(order=1).slug}"
    assert set(points) == {"riga", "termez", "afghanistan-country"}
    assert points["termez"]["properties"]["entry_point"] is True
    assert points["riga"]["properties"]["entry_point"] is False
    assert points["termez"]["geometry"] == {"type": "Point", "coordinates": [67.2783, 37.2242]}
    assert points["riga"]["properties"]["kind"] == "port"


def test_geojson_follows_filters_and_hides_draft_places(anonymous, russian_route, places):  # noqa: F811
    places["riga"].publication_status = "draft"
    places["riga"].save()
    collection = anonymous.get("/api/v1/routes/?format=geojson").json()
    first = collection["features"][0]
    assert first["geometry"] is None and first["properties"]["from"] is None
    assert "riga" not in {f["properties"]["slug"] for f in collection["features"]}
    assert anonymous.get("/api/v1/routes/?format=geojson&mode=air").json()["features"] == []


def test_geojson_reads_in_a_constant_number_of_queries(anonymous, places, django_assert_max_num_queries):  # noqa: F811
    def build(count):
        for _ in range(count):
            route = factories.RouteFactory()
            for order in (1, 2):
                leg = factories.LegFactory(route=route, order=order)
                leg.countries.set([places["russia"]])

    build(2)
    with django_assert_max_num_queries(8) as few:
        anonymous.get("/api/v1/routes/?format=geojson")
    build(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        anonymous.get("/api/v1/routes/?format=geojson")
