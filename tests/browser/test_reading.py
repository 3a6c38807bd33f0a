"""A reader's path through the case file in headless Chromium, with screenshots and axe checks."""

import re

import pytest
from playwright.sync_api import expect

from apps.events.models import Event
from tests import factories
from tests.browser.conftest import SCREENSHOTS, VIEWPORTS, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ISAF = "/agreements/isaf-participation-agreement/"


def test_reader_follows_the_isaf_agreement_from_overview_to_sources_and_back(live_server, casefile, page):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vigilant Eagle")
    # A keyboard reader's first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.get_by_role("link", name="The ISAF participation agreement").click()
    expect(page).to_have_url(re.compile(ISAF + "$"))
    expect(page.locator(".status-box")).to_contain_text("Rejected by")
    api = page.get_by_role("link", name="This record in the API")
    expect(api).to_have_attribute("href", "/api/v1/agreements/isaf-participation-agreement/")

    # The Senate vote: a dated step of the lifecycle.
    senate_vote = page.locator(".lifecycle__step", has_text="Senate").filter(has_text="Rejected")
    expect(senate_vote).to_contain_text("9 June 2011")
    expect(senate_vote.locator("time")).to_have_attribute("datetime", "2011-06-09")

    # Follow one of its notes to the source, then back from the source's "cited by".
    senate_vote.locator(".note-ref a").first.click()
    note = page.locator(".notes__list li:target")
    expect(note).to_be_visible()
    note.locator(".notes__reference a").click()
    expect(page).to_have_url(re.compile(r"/sources/[\w-]+/$"))
    expect(page.get_by_role("heading", name="Cited by")).to_be_visible()
    page.locator(".cited-by a[href*='isaf-participation-agreement']").first.click()
    expect(page).to_have_url(re.compile(ISAF + "#step-"))
    expect(page.locator(".lifecycle__step:target")).to_be_visible()


def test_reader_filters_deployments_and_searches(live_server, casefile, page):
    page.goto(live_server.url + "/deployments/")
    count = page.locator(".results__count")
    total = int(count.inner_text().split()[0])
    option = page.locator(".facet a[data-facet='status']").first
    expected = int(option.get_attribute("data-count"))
    value = option.get_attribute("data-value")
    option.click()
    expect(page).to_have_url(re.compile(rf"status={value}"))
    expect(count).to_contain_text(f"{expected} deployment")
    assert expected <= total
    expect(page.locator(".facet a.is-selected")).to_have_count(1)
    assert page.locator(".results__list > li").count() == min(expected, 25)

    # The paper's Table 1 milestones, each in its year on the timeline.
    page.goto(live_server.url + "/timeline/")
    for year, milestone in [
        (1992, "Euro-Atlantic Partnership Council"),
        (1995, "Partnership for Peace"),
        (2002, "Virtual Silk Highway"),
        (2004, "Istanbul Summit"),
        (2007, "Nazarbayev visits NATO"),
        (2008, "NATO depository library"),
    ]:
        expect(page.locator(f"section[aria-labelledby='year-{year}']")).to_contain_text(milestone)

    page.get_by_role("combobox", name="Search the case file").fill("Steppe Eagle")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Steppe\+Eagle"))
    exercises = page.locator("section.search-group", has=page.get_by_role("heading", name=re.compile("Exercises")))
    expect(exercises.get_by_role("link", name=re.compile("Steppe Eagle")).first).to_be_visible()


def test_anonymous_visitors_cannot_see_a_draft_and_staff_can(live_server, casefile, page, screenshot):
    draft = Event.objects.filter(slug__contains="senate").first()
    draft.publication_status = "draft"
    draft.save()
    url = f"{live_server.url}/events/{draft.slug}/"

    response = page.goto(url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("not in the case file")
    screenshot(page, "404")
    page.goto(f"{live_server.url}/events/?q={draft.title[:20]}")
    expect(page.locator(".results__list")).to_have_count(0)

    staff = factories.StaffUserFactory(username="editor")
    staff.set_password("a long test password")
    staff.save()
    page.goto(f"{live_server.url}/admin/login/?next=/events/{draft.slug}/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a long test password")
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(url)
    expect(page.locator(".draft-banner")).to_contain_text("Draft")
    expect(page.get_by_role("link", name="Edit in admin").first).to_be_visible()
    screenshot(page, "draft-for-staff")


PAGE_TYPES = {
    "overview": "/",
    "timeline": "/timeline/",
    "actors": "/actors/",
    "agreements": "/agreements/",
    "deployments": "/deployments/",
    "exercises": "/exercises/",
    "events": "/events/",
    "places": "/places/",
    "sources": "/sources/",
    "bibliography": "/sources/bibliography/",
    "search": "/search/?q=Steppe+Eagle",
    "actor": "/actors/kazakhstan/",
    "agreement": ISAF,
    "deployment": "/deployments/kazakhstan-isaf-hq-officers/",
    "exercise": None,  # the first exercise
    "exercise-series": None,
    "event": None,
    "place": None,
    "source": None,
    "paper": "/sources/vigilant-eagle-paper/",
    "not-found": "/no-such-page/",
}


def _fill_in_slugs(urls):
    from apps.events.models import Event
    from apps.exercises.models import Exercise, ExerciseSeries
    from apps.places.models import Place
    from apps.sources.models import Source

    firsts = {
        "exercise": ("/exercises/", Exercise.objects.order_by("start").first()),
        "exercise-series": ("/exercises/series/", ExerciseSeries.objects.first()),
        "event": ("/events/", Event.objects.filter(involvements__isnull=False, citations__isnull=False).first()),
        "place": ("/places/", Place.objects.filter(events__isnull=False).first()),
        "source": ("/sources/", Source.objects.filter(citations__isnull=False).exclude(notes="").first()),
    }
    return {name: url or f"{firsts[name][0]}{firsts[name][1].slug}/" for name, url in urls.items()}


def test_every_page_type_passes_axe_and_is_photographed(live_server, casefile, page, screenshot, axe):
    problems, too_wide = {}, {}
    for name, path in _fill_in_slugs(PAGE_TYPES).items():
        response = page.goto(live_server.url + path)
        assert response.status == (404 if name == "not-found" else 200), path
        if violations := axe(page):
            problems[name] = violations
        page.set_viewport_size(VIEWPORTS["phone"])
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS["phone"]["width"]:  # the page would scroll sideways on a phone
            too_wide[name] = (width, _widest(page))
        page.set_viewport_size(VIEWPORTS["desktop"])
        screenshot(page, name)
    assert not problems, problems
    assert not too_wide, too_wide


def _widest(page):
    """The innermost elements that stick out past the right edge of a phone screen."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                      && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
            .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                              + ' ' + (e.textContent || '').trim().slice(0, 40))"""
    )


def test_a_printed_page_carries_its_address_the_day_and_full_link_targets(live_server, casefile, page):
    page.goto(live_server.url + ISAF)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    origin = page.locator(".print-origin")
    expect(origin).to_be_visible()
    expect(origin).to_contain_text(live_server.url + ISAF)
    expect(origin.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.notes__reference a'), '::after').content"
    )
    assert after.startswith('" <' + live_server.url + "/sources/"), after
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".cite-page")).to_be_hidden()
    page.screenshot(path=SCREENSHOTS / "printed-agreement.png", full_page=True)


def test_on_a_phone_the_facets_fold_so_the_results_come_first(live_server, casefile, browser):
    context = watch_csp(browser.new_context(viewport=VIEWPORTS["phone"]))
    phone = context.new_page()
    phone.goto(live_server.url + "/deployments/")
    expect(phone.locator("details.facets")).not_to_have_attribute("open", "")
    first_result = phone.locator(".result").first.bounding_box()
    assert first_result["y"] < VIEWPORTS["phone"]["height"], first_result  # on the first screen
    phone.screenshot(path=SCREENSHOTS / "deployments-phone-folded.png")
    phone.locator("details.facets > summary").click()
    expect(phone.get_by_role("link", name=re.compile("Kazakhstan"))).not_to_have_count(0)
    phone.goto(live_server.url + "/deployments/?status=active")  # filtering: the choices stay in view
    expect(phone.locator("details.facets")).to_have_attribute("open", "")
    context.close()
    desktop = watch_csp(browser.new_page(viewport=VIEWPORTS["desktop"]))
    desktop.goto(live_server.url + "/deployments/")
    expect(desktop.locator("details.facets")).to_have_attribute("open", "")
    expect(desktop.locator("details.facets > summary")).to_be_hidden()
    desktop.close()


# The lines the digits of a count take: the boxes of its own text (not the words only a
# screen reader reads), one per line.
DIGIT_LINES = """element => {
  const digits = [...element.childNodes].find(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(digits);
  return new Set([...range.getClientRects()].map(box => Math.round(box.top))).size;
}"""


def test_a_facet_count_stays_on_one_line_beside_a_long_label(live_server, casefile, page):
    """"International organisation 12": the count keeps its digits together, the label wraps."""
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(live_server.url + "/actors/")
    counts = page.locator(".facet__count")
    expect(counts.first).to_be_visible()
    wrapped_labels = 0
    for index in range(counts.count()):
        count, label = counts.nth(index), page.locator(".facet__label").nth(index)
        line = float(count.evaluate("element => parseFloat(getComputedStyle(element).lineHeight)"))
        assert count.evaluate(DIGIT_LINES) == 1, count.inner_text()
        wrapped_labels += label.bounding_box()["height"] > 1.5 * line
    assert wrapped_labels, "no label wraps here: the test would not see a count squeezed beside one"
