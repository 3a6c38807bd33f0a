"""Analysts editing in the admin, in headless Chromium: two at once on one record."""

import pytest
from playwright.sync_api import expect

from apps.agreements.models import Agreement
from tests.browser.conftest import signed_in, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def analyst(name):
    return staff_member(name, "Analyst")


def test_two_analysts_edit_one_record_and_the_second_keeps_the_first_ones_changes(
    live_server, casefile, browser, screenshot
):
    agreement = Agreement.objects.filter(publication_status="published").first()
    agreement.publication_status = "draft"  # analysts edit drafts
    agreement.save()
    analyst("aigerim"), analyst("daniyar")
    first, second = signed_in(browser, live_server, "aigerim"), signed_in(browser, live_server, "daniyar")
    url = f"{live_server.url}/admin/agreements/agreement/{agreement.pk}/change/"
    first.goto(url)
    second.goto(url)

    first.fill("#id_short_title", "Transit MoU")
    first.locator("input[name=_continue]").first.click()
    expect(first.locator(".messagelist")).to_contain_text("changed successfully")

    second.fill("#id_summary", "Air transit of non-lethal cargo, corrected.")
    second.locator("input[name=_continue]").first.click()
    expect(second.locator("#merge")).to_be_visible()
    expect(second.locator(".errornote, .errorlist").first).to_be_visible()
    expect(second.locator("#id_short_title")).to_have_value("Transit MoU")  # the first analyst's change
    expect(second.locator("#id_summary")).to_have_value("Air transit of non-lethal cargo, corrected.")
    screenshot(second, "admin-three-way-merge")

    second.locator("input[name=_continue]").first.click()
    expect(second.locator(".messagelist")).to_contain_text("changed successfully")
    agreement.refresh_from_db()
    assert agreement.short_title == "Transit MoU"
    assert agreement.summary == "Air transit of non-lethal cargo, corrected."
