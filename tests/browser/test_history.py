"""An editor deletes an agreement with its steps, restores it from Deleted records, and reads
its history, comparing two versions — in headless Chromium on the real case file."""

import pytest
from django.db.models import Count, Q
from playwright.sync_api import expect

from apps.agreements.models import Agreement
from apps.citations.models import Citation
from tests.browser.conftest import signed_in, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def editor_page(browser, live_server):
    staff_member("gulnara", "Editor")
    return signed_in(browser, live_server, "gulnara")


def agreement_with_steps_and_citations():
    """A published agreement with cited steps that nothing else needs (no deployment rests on
    it, no agreement supersedes it or is superseded by it, no route is permitted by it and no
    collection lists it or its steps: links outside the history)."""
    return (
        Agreement.objects.filter(publication_status="published", deployments__isnull=True)
        .annotate(
            step_count=Count("steps", distinct=True),
            step_citations=Count("steps__citations", distinct=True),
            links=Count("supersedes", distinct=True)
            + Count("superseded_by", distinct=True)
            + Count("routes", distinct=True)
            + Count("collection_entries", distinct=True)
            + Count("steps__collection_entries", distinct=True),
        )
        .filter(step_count__gte=2, step_citations__gte=1, links=0)
        .order_by("-step_count", "pk")
        .first()
    )


def test_an_agreement_deleted_with_its_steps_is_restored_and_its_versions_compared(
    live_server, casefile, browser, screenshot
):
    agreement = agreement_with_steps_and_citations()
    assert agreement is not None, "the case file has an agreement with cited steps"
    citations_before = Citation.objects.filter(Q(agreement=agreement) | Q(agreement_step__agreement=agreement)).count()
    page = editor_page(browser, live_server)
    public_url = f"{live_server.url}{agreement.get_absolute_url()}"
    page.goto(public_url)
    steps_before = page.locator(".lifecycle__step").count()
    notes_before = page.locator(".notes__list > li").count()
    assert steps_before >= 2 and notes_before >= 1

    # An edit first, so the history holds a change worth comparing.
    admin_url = f"{live_server.url}/admin/agreements/agreement/{agreement.pk}/"
    page.goto(f"{admin_url}change/")
    summary = page.locator("#id_summary")
    summary.fill(summary.input_value() + "\nThe Majlis ratified it after a second reading.")
    page.fill("#id_change_message", "Added the ratification")
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")

    page.goto(f"{admin_url}delete/")
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")
    gone = page.goto(public_url)
    assert gone.status == 410
    expect(page.locator("h1")).to_have_text("This agreement was removed from the case file")
    expect(page.locator(".lede")).to_contain_text(str(agreement))
    screenshot(page, "deleted-records-gone-page")

    page.goto(f"{live_server.url}/admin/core/deletedrecord/")
    row = page.locator("tr", has=page.locator(f"input[aria-label='Restore {agreement}']"))
    expect(row).to_be_visible()
    expect(page.locator("table").filter(has_text="of agreement").first).to_be_visible()  # its steps, by name
    screenshot(page, "deleted-records-agreement")
    row.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored the agreement")
    screenshot(page, "deleted-records-restored")

    page.goto(public_url)
    expect(page.locator(".lifecycle__step")).to_have_count(steps_before)
    expect(page.locator(".notes__list > li")).to_have_count(notes_before)
    restored = Citation.objects.filter(Q(agreement=agreement.pk) | Q(agreement_step__agreement=agreement.pk))
    assert restored.count() == citations_before

    page.goto(f"{admin_url}history/")
    entries = page.locator("td.history-entry")
    expect(entries.first).to_have_text("Restored after deletion")
    expect(entries.last).to_have_text("Loaded from the case file")
    page.locator("input[name=older]").last.check()  # as loaded
    page.locator("input[name=newer]").first.check()  # as restored
    screenshot(page, "compare-versions-history")
    page.locator("#compare-submit").click()
    differences = page.locator("#version-differences")
    expect(differences).to_contain_text("Summary")
    expect(differences.locator("li.added")).to_contain_text("The Majlis ratified it after a second reading.")
    expect(page.locator("#compared-versions")).to_contain_text("Loaded from the case file")
    expect(page.locator("#compared-versions")).to_contain_text("Restored after deletion")
    assert "None" not in page.locator("#content-main").inner_text()
    screenshot(page, "compare-versions-agreement")
