"""The NDN map in Chromium: the paper's routes drawn from one request, reachable leg by leg
with the keyboard, a click or Enter away from each record, and usable at phone width."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUSSIAN_ROUTE = "/routes/ndn-russian-route/"


def open_map(browser, url, viewport="desktop"):
    """Open a page with a route map; return the page, its API requests and its console errors."""
    page = watch_csp(browser.new_context(viewport=VIEWPORTS[viewport])).new_page()
    page.set_default_timeout(15_000)
    requests, errors = [], []
    page.on("request", lambda request: "/api/" in request.url and requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    expect(page.locator(".route-map__canvas")).to_have_attribute("data-ready", "true")
    return page, requests, errors


def geojson_legs(page, url):
    """The legs of the GeoJSON the map read, fetched again by the test (outside the page)."""
    features = page.request.get(url).json()["features"]
    return [f for f in features if f["properties"]["feature_type"] == "leg"]


def render_time(page, viewport, where):
    rendered, total = page.evaluate("['map-render', 'map'].map(name => performance.getEntriesByName(name)[0].duration)")
    print(f"\nroute map on {where} at {viewport} width: drawn in {rendered:.0f} ms, {total:.0f} ms with its request")
    return rendered


def tab_to(page, matches, limit=120):
    """Press Tab until the focused element's accessible name matches; return that name."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement && document.activeElement.getAttribute('aria-label')")
        if name and matches(name):
            return name
    raise AssertionError("the keyboard never reached it")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_map_draws_the_papers_routes_and_a_keyboard_reaches_the_kazakhstan_leg(
    live_server, casefile, browser, viewport, screenshot, axe
):
    page, requests, errors = open_map(browser, live_server.url + "/routes/", viewport)
    assert errors == []
    assert len(requests) == 1, requests  # one dataset, one request
    from apps.routes.models import Leg

    legs = geojson_legs(page, requests[0])
    assert len(legs) == Leg.objects.count() and all(leg["geometry"] for leg in legs)  # every leg of the paper
    assert page.locator(".route-map__canvas path.route-map__leg").count() == len(legs)
    assert page.locator(".route-map__canvas a.route-map__link").count() > len(legs)  # legs, then places
    assert page.locator(".route-map__entry").count() >= 1  # Afghanistan's entry points
    assert render_time(page, viewport, "/routes/") < 1000
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    assert axe(page) == []

    name = tab_to(page, lambda name: name.startswith("Russian route, leg") and "Kazakhstan" in name)
    assert re.match(r"Russian route, leg \d: .*Kazakhstan", name)
    # Its name shows beside it for sighted keyboard users too.
    expect(page.locator(".route-map__tip")).to_have_text(name)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{RUSSIAN_ROUTE}#leg-ndn-russian-route-leg-\d$"))
    if viewport == "desktop":
        page.goto(live_server.url + "/routes/")
        expect(page.locator(".route-map__canvas")).to_have_attribute("data-ready", "true")
        screenshot(page, "route-map")


def test_a_route_page_highlights_its_route_and_a_click_on_a_leg_opens_its_record(
    live_server, casefile, browser, screenshot, axe
):
    page, requests, errors = open_map(browser, live_server.url + RUSSIAN_ROUTE)
    assert errors == [] and len(requests) == 1
    assert page.locator(".route-map__canvas path.route-map__leg").count() == len(geojson_legs(page, requests[0]))
    focused = page.locator(".route-map__link path.route-map__leg.is-focus")
    assert focused.count() == 3  # the Russian route's legs, the rest drawn as context
    assert {re.sub(r", leg.*", "", name) for name in page.locator(".route-map__legs a").evaluate_all(
        "links => links.map(link => link.getAttribute('aria-label'))")} == {"Russian route"}
    render_time(page, "desktop", RUSSIAN_ROUTE)
    assert axe(page) == []
    screenshot(page, "route-map-route")
    page.locator("a[aria-label^='Russian route, leg 2']").click()
    expect(page).to_have_url(re.compile(rf"{RUSSIAN_ROUTE}#leg-ndn-russian-route-leg-2$"))


def test_a_place_page_draws_its_routes_and_its_locator_and_a_click_opens_a_place(
    live_server, casefile, browser, screenshot, axe
):
    page, requests, errors = open_map(browser, live_server.url + "/places/termez/")
    assert errors == [] and len(requests) == 1 and "place=termez" in requests[0]
    assert page.locator(".route-map__canvas path.route-map__leg").count() == len(geojson_legs(page, requests[0]))
    highlighted = page.locator(".route-map__places a:has(.is-focus)")
    assert highlighted.count() == 1 and highlighted.get_attribute("aria-label").startswith("Termez")
    expect(page.locator(".locator-map__canvas")).to_have_attribute("data-ready", "true")
    assert "Termez" in page.locator(".locator-map svg").get_attribute("aria-label")
    assert axe(page) == []
    screenshot(page, "route-map-place")
    page.set_viewport_size(VIEWPORTS["phone"])
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.locator("a[aria-label='Riga']").click()
    expect(page).to_have_url(re.compile("/places/riga/$"))


def test_an_agreement_page_maps_the_routes_it_permits(live_server, casefile, browser):
    from apps.routes.models import Route

    agreement = Route.objects.get(slug="ndn-russian-route").permitted_by.first()
    page, requests, errors = open_map(browser, live_server.url + agreement.get_absolute_url())
    assert errors == [] and len(requests) == 1 and f"agreement={agreement.slug}" in requests[0]
    assert page.locator(".route-map__canvas path.route-map__leg").count() == len(geojson_legs(page, requests[0]))
