"""The pages an integrator and an analyst open besides the case file, under the
Content-Security-Policy: the API's Swagger UI and the browsable API render, with no
violation (the conftest fails any test whose pages log one)."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_swagger_ui_renders_the_api_under_the_policy(live_server, page):
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Casefile API")
    expect(page.locator(".opblock-tag").first).to_be_visible()


def test_the_browsable_api_renders_under_the_policy(live_server, page):
    factories.ActorFactory(name="Kazakhstan")
    page.goto(f"{live_server.url}/api/v1/actors/?format=api")
    expect(page.locator(".response-info")).to_contain_text("Kazakhstan")
