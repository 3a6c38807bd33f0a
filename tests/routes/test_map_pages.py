"""The NDN map's place on each page, without a browser: the one dataset URL each map reads,
and the text alternative under it, which lists every drawn leg and is what a reader without
JavaScript gets."""

import html
import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    riga = factories.PlaceFactory(slug="riga", name="Riga", kind="port", latitude=56.95, longitude=24.1)
    kazakhstan = factories.PlaceFactory(
        slug="kazakhstan-country", name="Kazakhstan", kind="country", latitude=48, longitude=67,
        coordinates_approximate=True,
    )
    termez = factories.PlaceFactory(slug="termez", name="Termez", latitude=37.2, longitude=67.3)
    hairatan = factories.PlaceFactory(slug="hairatan", name="Hairatan", latitude=36.9, longitude=67.1)
    dover = factories.PlaceFactory(slug="dover-afb", name="Dover AFB", kind="base", latitude=39.1, longitude=-75.5)
    bagram = factories.PlaceFactory(slug="bagram", name="Bagram", kind="base", latitude=34.9, longitude=69.3)
    russian = factories.RouteFactory(slug="russian-route", name="Russian route", modes="rail")
    factories.LegFactory(route=russian, order=1, from_place=riga, to_place=kazakhstan, mode="rail").countries.set(
        [kazakhstan]
    )
    factories.LegFactory(route=russian, order=2, from_place=kazakhstan, to_place=termez, mode="rail")
    factories.LegFactory(
        route=russian, order=3, from_place=termez, to_place=hairatan, mode="rail", enters_afghanistan=True
    )
    aloc = factories.RouteFactory(slug="arctic-aloc", name="Arctic ALOC", modes="air")
    factories.LegFactory(route=aloc, order=1, from_place=dover, to_place=bagram, mode="air")
    agreement = factories.AgreementFactory(title="Transit agreement")
    russian.permitted_by.add(agreement)
    return {"russian": russian, "aloc": aloc, "agreement": agreement, "riga": riga, "dover": dover}


def data_url(content):
    """The dataset URL of the page's one route map."""
    urls = re.findall(r'data-routes-url="([^"]+)"', content)
    assert len(urls) == 1, urls
    return html.unescape(urls[0])


def text_alternative(content):
    """The listed legs under the map, as text, route by route."""
    listing = re.search(r'<details class="route-map__list"[^>]*>(.*?)</details>', content, re.S)
    assert listing, "no list of legs under the map"
    routes = re.split(r'<h3 class="route-map__route">', listing.group(1))[1:]
    return {
        re.sub(r"<[^>]+>", "", route.split("</a>")[0]).strip(): [
            " ".join(re.sub(r"<[^>]+>", "", item).split()) for item in re.findall(r"<li[^>]*>(.*?)</li>", route, re.S)
        ]
        for route in routes
    }


def drawn_legs(client, url):
    """The legs the map will draw: those of the GeoJSON its page points it at."""
    response = client.get(url)
    assert response.status_code == 200
    features = response.json()["features"]
    return [f["properties"] for f in features if f["properties"]["feature_type"] == "leg"]


def listed_legs(content):
    """The routes a list page shows, with their legs as text: the map's text alternative there."""
    listed = {}
    for row in content.split('<li class="result')[1:]:
        name = re.search(r'<h3 class="result__title"><a [^>]*>([^<]+)</a>', row).group(1)
        legs = re.search(r'<ol class="result__legs[^>]*>(.*?)</ol>', row, re.S)
        items = re.findall(r"<li value[^>]*>(.*?)</li>", legs.group(1), re.S) if legs else []
        listed[html.unescape(name)] = [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]
    return listed


def test_the_routes_page_maps_the_whole_network_and_lists_every_leg_it_draws_page_by_page(client, network):
    content = client.get(reverse("routes:list")).content.decode()
    url = data_url(content)
    assert url == "/api/v1/routes/?format=geojson"
    expected = {
        "Arctic ALOC": ["Dover AFB → Bagram — air"],
        "Russian route": [
            "Riga → Kazakhstan — rail; through Kazakhstan; positions approximate",
            "Kazakhstan → Termez — rail; positions approximate",
            "Termez → Hairatan — rail; enters Afghanistan",
        ],
    }
    assert listed_legs(content) == expected
    assert sum(len(route) for route in expected.values()) == len(drawn_legs(client, url)) == 4
    # The results are the text alternative: the routes are not written out a second time.
    assert 'class="route-map__list"' not in content
    assert "The 2 routes it draws are listed below, leg by leg." in content
    # One route a page: the alternative runs over the pages, as the list does.
    pages = [client.get(reverse("routes:list") + f"?page_size=1&page={n}").content.decode() for n in (1, 2)]
    assert "listed below, leg by leg, on 2 pages." in pages[0]
    assert listed_legs(pages[0]) | listed_legs(pages[1]) == expected


def test_a_filtered_routes_page_maps_and_lists_only_the_matching_routes(client, network):
    content = client.get(reverse("routes:list") + "?mode=air&page=1&sort=name").content.decode()
    url = data_url(content)
    assert "mode=air" in url and "page=" not in url and "sort=" not in url
    assert list(listed_legs(content)) == ["Arctic ALOC"]
    assert {leg["route"] for leg in drawn_legs(client, url)} == {"arctic-aloc"}


def test_a_routes_page_that_matches_nothing_draws_no_map(client, network):
    content = client.get(reverse("routes:list") + "?q=nowhere-at-all").content.decode()
    assert "route-map__canvas" not in content


def test_a_route_page_maps_the_network_with_the_route_in_focus_and_lists_its_legs_once(client, network):
    content = client.get(network["russian"].get_absolute_url()).content.decode()
    assert data_url(content) == "/api/v1/routes/?format=geojson"
    assert 'data-focus-route="russian-route"' in content
    assert 'class="route-map__list"' not in content  # its "Legs" section is the text alternative
    assert content.count("Termez</a> → <a") == 1


def test_a_place_page_maps_the_routes_through_it_and_locates_the_place(client, network):
    content = client.get(network["riga"].get_absolute_url()).content.decode()
    url = data_url(content)
    assert url == "/api/v1/routes/?place=riga&format=geojson"
    assert 'data-focus-place="riga"' in content
    assert list(text_alternative(content)) == ["Russian route"]
    assert {leg["route"] for leg in drawn_legs(client, url)} == {"russian-route"}
    assert '<details class="route-map__list" id="route-legs-riga" open>' in content
    assert re.search(r'class="locator-map__canvas" data-latitude="56.95\d*" data-longitude="24.1\d*"', content)
    assert "js/dist/map.js" in content


def test_a_place_without_coordinates_or_routes_has_no_map(client, network):
    place = factories.PlaceFactory(name="Somewhere unmapped")
    content = client.get(place.get_absolute_url()).content.decode()
    assert "locator-map" not in content and "route-map" not in content and "js/dist/map.js" not in content


def test_a_place_with_coordinates_but_no_route_has_its_locator_only(client, network):
    place = factories.PlaceFactory(name="Brussels", latitude=50.85, longitude=4.35)
    content = client.get(place.get_absolute_url()).content.decode()
    assert "locator-map__canvas" in content and "data-routes-url" not in content


def test_an_agreement_page_maps_the_routes_it_permits(client, network):
    content = client.get(network["agreement"].get_absolute_url()).content.decode()
    url = data_url(content)
    assert url == f"/api/v1/routes/?agreement={network['agreement'].slug}&format=geojson"
    assert list(text_alternative(content)) == ["Russian route"]
    assert len(drawn_legs(client, url)) == 3


def test_a_draft_route_is_neither_listed_under_the_map_nor_drawn(client, network):
    network["aloc"].publication_status = "draft"
    network["aloc"].save()
    content = client.get(reverse("routes:list")).content.decode()
    assert list(listed_legs(content)) == ["Russian route"]
    assert {leg["route"] for leg in drawn_legs(client, data_url(content))} == {"russian-route"}
