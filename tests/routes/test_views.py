"""The route pages (list, and each route's legs in order with their notes), and the route
sections of place and agreement pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def kkt_spur():
    kazakhstan = factories.PlaceFactory(slug="kazakhstan-country", name="Kazakhstan", kind="country")
    kyrgyzstan = factories.PlaceFactory(slug="kyrgyzstan-country", name="Kyrgyzstan", kind="country")
    tajikistan = factories.PlaceFactory(slug="tajikistan-country", name="Tajikistan", kind="country")
    russian = factories.RouteFactory(slug="russian-route", name="Russian route", modes="rail")
    factories.LegFactory(route=russian, order=1, from_place=factories.PlaceFactory(name="Riga"), to_place=kazakhstan)
    spur = factories.RouteFactory(
        slug="kkt-spur", name="KKT spur", modes="rail,road", branches_from=russian, branch_place=kazakhstan
    )
    # Written out of order: the page lists legs by their order.
    second = factories.LegFactory(route=spur, order=2, from_place=kyrgyzstan, to_place=tajikistan, mode="road")
    first = factories.LegFactory(route=spur, order=1, from_place=kazakhstan, to_place=kyrgyzstan)
    first.countries.set([kazakhstan, kyrgyzstan])
    factories.CitationFactory(actor=None, route_leg=second, passage="Kazakhstan, Kyrgyzstan, and Tajikistan (KKT)")
    limit = factories.RouteConstraintFactory(route=spur, text="In winter restricted to twenty-foot TEUs.")
    factories.CitationFactory(actor=None, route_constraint=limit, passage="restricted to twenty-foot equivalent units")
    agreement = factories.AgreementFactory(title="Transit agreement")
    spur.permitted_by.add(agreement)
    return spur


def test_detail_lists_legs_in_order_with_places_linked_and_notes(client, kkt_spur):
    content = client.get(reverse("routes:detail", args=["kkt-spur"])).content.decode()
    assert content.index("Kazakhstan</a> → <a") < content.index("Kyrgyzstan</a> → <a")
    assert 'href="/places/kyrgyzstan-country/"' in content
    assert "through <a href=\"/places/kazakhstan-country/\">Kazakhstan</a>" in content
    assert "Kazakhstan, Kyrgyzstan, and Tajikistan (KKT)" in content
    assert "In winter restricted to twenty-foot TEUs." in content
    assert "restricted to twenty-foot equivalent units" in content
    assert 'href="/routes/russian-route/">Russian route</a>, branching at' in content
    assert "Transit agreement" in content


def test_list_shows_published_routes_only(client, kkt_spur):
    factories.RouteFactory(name="Secret corridor", publication_status="draft")
    content = client.get(reverse("routes:list")).content.decode()
    assert "KKT spur" in content and "Russian route" in content
    assert "Secret corridor" not in content
    assert client.get(reverse("routes:list") + "?mode=road").content.decode().count("result__title") == 1


def test_a_draft_route_and_its_legs_are_hidden_from_readers(client, kkt_spur):
    kkt_spur.publication_status = "draft"
    kkt_spur.save()
    assert client.get(reverse("routes:detail", args=["kkt-spur"])).status_code == 404
    place = client.get(reverse("places:detail", args=["kyrgyzstan-country"])).content.decode()
    assert "KKT spur" not in place


def test_place_page_lists_routes_through_it(client, kkt_spur):
    content = client.get(reverse("places:detail", args=["kyrgyzstan-country"])).content.decode()
    assert "Routes through here" in content
    assert 'href="/routes/kkt-spur/">KKT spur</a>' in content
    assert "leg 1, Kazakhstan → Kyrgyzstan; leg 2, Kyrgyzstan → Tajikistan" in content


def test_agreement_page_lists_the_routes_it_permits(client, kkt_spur):
    agreement = kkt_spur.permitted_by.get()
    content = client.get(agreement.get_absolute_url()).content.decode()
    assert "Routes this agreement permits" in content
    assert 'href="/routes/kkt-spur/">KKT spur</a>' in content


def test_route_list_queries_do_not_grow_with_routes(client, kkt_spur, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("routes:list"))
    for _ in range(5):
        route = factories.RouteFactory()
        factories.LegFactory(route=route, order=1).countries.set([factories.PlaceFactory(kind="country")])
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("routes:list"))
