"""A correction to a published record, in headless Chromium: an analyst proposes it, readers
keep the published text, an editor reads the diff in the review queue and accepts it."""

import pytest
from playwright.sync_api import expect

from apps.agreements.models import Agreement
from tests.browser.conftest import signed_in, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLISHED = "The paper gives no signing date."
CORRECTED = "The paper gives no signing date and no date of entry into force."


def test_an_analyst_proposes_a_correction_to_the_isaf_agreement_and_an_editor_accepts_it(
    live_server, casefile, browser, page, screenshot
):
    agreement = Agreement.objects.get(title__contains="ISAF", slug="isaf-participation-agreement")
    assert agreement.is_published and PUBLISHED in agreement.summary
    staff_member("aigerim", "Analyst"), staff_member("editor", "Editor")

    analyst = signed_in(browser, live_server, "aigerim")
    analyst.goto(f"{live_server.url}/admin/agreements/agreement/{agreement.pk}/change/")
    analyst.locator("#propose-correction").click()
    expect(analyst.locator("#proposal-notice")).to_be_visible()
    summary = analyst.locator("#id_summary")
    summary.fill(summary.input_value().replace(PUBLISHED, CORRECTED))
    analyst.fill("#id_proposal_reason", "Neither date is in the paper (pp. 12–13); the summary should say so.")
    screenshot(analyst, "admin-propose-correction")
    analyst.get_by_role("button", name="Send the proposal to the editors").first.click()
    expect(analyst.locator(".messagelist")).to_contain_text("Readers keep the published version")
    expect(analyst.locator("#proposal-status")).to_contain_text("Open")

    reader = page  # anonymous
    public = f"{live_server.url}{agreement.get_absolute_url()}"
    reader.goto(public)
    expect(reader.locator("main")).to_contain_text(PUBLISHED)
    expect(reader.locator("main")).not_to_contain_text(CORRECTED)

    editor = signed_in(browser, live_server, "editor")
    editor.goto(f"{live_server.url}/admin/core/reviewqueue/")
    queued = editor.locator("#review-proposals .proposal-item")
    expect(queued).to_have_count(1)
    expect(queued).to_contain_text("aigerim")
    expect(queued).to_contain_text("current")
    screenshot(editor, "review-queue-proposal-list")
    queued.get_by_role("link").click()
    summary_diff = editor.locator('#proposal-diff tr[data-field="summary"]')
    expect(summary_diff.locator("ins")).to_contain_text("and no date of entry into force.")
    expect(summary_diff.locator("del")).to_contain_text("date.")
    expect(editor.locator("#proposal-reason")).to_contain_text("Neither date is in the paper")
    screenshot(editor, "review-queue-proposal-detail")
    editor.get_by_role("button", name="Accept and publish the correction").click()
    expect(editor.locator(".messagelist")).to_contain_text("Accepted")
    expect(editor.locator("#proposal-status")).to_contain_text("Accepted — by editor")

    reader.goto(public)
    expect(reader.locator("main")).to_contain_text(CORRECTED)
    agreement.refresh_from_db()
    assert agreement.is_published and agreement.history.first().history_user.username == "editor"
