"""Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against the live server,
with the real case file loaded into the test database."""

from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def browser(monkeypatch):
    """Chromium for one test. Playwright's sync API runs an event loop in this thread, so
    Django's async-safety check is lifted for the test (and only for it): the ORM calls a
    test makes between page actions are still plain synchronous calls."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every page a test opens is watched: a Content-Security-Policy violation (an inline script or
# style, a resource from elsewhere) is logged by Chromium to the console and fails the test.
CSP_VIOLATIONS = []


def watch_csp(target):
    """Record the CSP violations of a page or of every page of a browser context; return it."""

    def record(message):
        if "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"{message.location.get('url', '')}: {message.text}")

    target.on("console", record)
    return target


@pytest.fixture(autouse=True)
def no_csp_violations():
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, "Content-Security-Policy violations:\n" + "\n".join(CSP_VIOLATIONS)


@pytest.fixture
def page(browser):
    context = watch_csp(browser.new_context(viewport=VIEWPORTS["desktop"]))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def casefile(transactional_db):
    """The real case file, loaded into the test database for this test."""
    call_command("load_casefile", verbosity=0)


@pytest.fixture
def screenshot():
    """screenshot(page, name): save the page at desktop and phone width, full length."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        original = page.viewport_size
        for label, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
        page.set_viewport_size(original)

    return take


@pytest.fixture
def axe():
    """axe(page): run axe-core in the page; return its serious and critical violations."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` runs `npm ci` to install axe-core.")

    def check(page):
        # Evaluated through the browser's debugging protocol, which the page's
        # Content-Security-Policy does not govern (a <script> tag would be refused).
        page.evaluate(AXE.read_text())
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]

    return check


PASSWORD = "a long test password"


def staff_member(username, group):
    """A staff user in one of the editorial groups (``setup_roles`` makes them)."""
    from django.contrib.auth.models import Group, User

    call_command("setup_roles", verbosity=0)
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def signed_in(browser, live_server, username):
    """A desktop-sized page of a new browser context, signed in to the admin as ``username``."""
    context = watch_csp(browser.new_context(viewport=VIEWPORTS["desktop"]))
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    return page


@pytest.fixture(autouse=True)
def revalidate_every_page(settings):
    """Browsers keep a published page for CACHE_MAX_AGE seconds without asking (readers may
    see a change up to a minute late, by design); the browser tests follow a write with a
    read at once, so they have the browser ask every time (ETag and 304, as before)."""
    settings.CASEFILE_CACHE_MAX_AGE = 0
