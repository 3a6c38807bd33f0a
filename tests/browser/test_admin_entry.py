"""An analyst entering records in the admin, in headless Chromium: a new event cited in one
save; the agreement change form at 1280 px with its transition buttons."""

import pytest
from playwright.sync_api import expect

from apps.agreements.models import Agreement
from apps.citations.models import Citation
from apps.events.models import Event
from apps.sources.models import Source
from tests.browser.conftest import signed_in, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ISAF = "isaf-participation-agreement"


def signed_in_analyst(browser, live_server):
    user = staff_member("aigerim", "Analyst")
    return signed_in(browser, live_server, "aigerim"), user


def choose(page, widget, typed, option):
    """Pick ``option`` in an autocomplete (select2) box after typing ``typed``."""
    widget.locator(".select2-selection").click()
    # The open dropdown's search box (a many-place picker keeps one of its own inline).
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).first.click()


def scrolls_sideways(page):
    """Whether the page, or any inline table within its box, is wider than the window allows."""
    return page.evaluate(
        """() => document.documentElement.scrollWidth > document.documentElement.clientWidth
           || [...document.querySelectorAll('.inline-group')].some(group => {
                const table = group.querySelector('table');
                return group.scrollWidth > group.clientWidth
                    || (table && table.getBoundingClientRect().right > group.getBoundingClientRect().right + 1);
              })"""
    )


def test_an_analyst_creates_an_event_with_its_citation_in_one_save(live_server, casefile, browser, screenshot):
    page, analyst = signed_in_analyst(browser, live_server)
    source = Source.objects.get(slug="daly-2011-isaf-tenuous-supply-lines")
    page.goto(f"{live_server.url}/admin/events/event/add/")
    page.fill("#id_title", "Kazakh delegation inspects the Termez transit route")
    page.select_option("#id_kind", "visit")
    page.fill("#id_date", "spring 2011")
    expect(page.locator("#id_date_helptext")).to_contain_text("spring 2011")

    page.locator("#citations-group .add-row a").click()
    row = page.locator("#citations-0")
    choose(page, row.locator("td.field-source"), "tenuous supply", source.title[:30])
    row.locator("input[name=citations-0-locator]").fill("p. 3")
    row.locator("textarea[name=citations-0-passage]").fill("The delegation travelled the northern route.")
    row.locator("select[name=citations-0-credibility]").select_option("2")
    assert not scrolls_sideways(page)
    screenshot(page, "admin-new-event-form")

    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    screenshot(page, "admin-new-event-saved")

    event = Event.objects.get(title="Kazakh delegation inspects the Termez transit route")
    assert event.slug == "kazakh-delegation-inspects-the-termez-transit-route"
    assert str(event.date) == "spring 2011"
    citation = Citation.objects.get(event=event)
    assert (citation.source, citation.locator, citation.credibility) == (source, "p. 3", 2)
    assert citation.history.get().history_user == analyst
    expect(page.locator("#citations-0 td.field-locator input")).to_have_value("p. 3")


def test_the_agreement_change_form_fits_1280_pixels_and_offers_the_transitions(
    live_server, casefile, browser, screenshot
):
    agreement = Agreement.objects.get(slug=ISAF)
    agreement.publication_status = "draft"  # analysts submit drafts
    agreement.save()
    page, _analyst = signed_in_analyst(browser, live_server)
    page.goto(f"{live_server.url}/admin/agreements/agreement/{agreement.pk}/change/")
    expect(page.locator("#steps-group tbody tr.has_original").first).to_be_visible()
    expect(page.locator("#party_roles-group tbody tr.has_original").first).to_be_visible()
    assert not scrolls_sideways(page)
    submit = page.get_by_role("button", name="Submit for review")
    expect(submit).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)  # an editor's
    screenshot(page, "admin-change-buttons")

    submit.click()
    expect(page.locator(".messagelist")).to_contain_text("Submit for review: done")
    agreement.refresh_from_db()
    assert agreement.publication_status == "in_review"
    expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)
    screenshot(page, "admin-change-buttons-submitted")
