"""The actor network: ties from every kind that names several actors, for what the reader may see."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.whole_case.network import TIE_TYPES, Network
from apps.whole_case.registry import RECORD_TYPES
from tests import factories

pytestmark = pytest.mark.django_db

API = reverse("whole_case-api:network")


@pytest.fixture
def ties(kazakhstan):
    """One record of each kind naming Kazakhstan with another actor, and a draft agreement."""
    nato = factories.ActorFactory(name="NATO", slug="nato", kind="international_organisation")
    isaf = factories.AgreementFactory(short_title="ISAF agreement", slug="isaf", period_start="May 2009")
    factories.AgreementPartyFactory(agreement=isaf, actor=kazakhstan)
    factories.AgreementPartyFactory(agreement=isaf, actor=nato)
    pfp = factories.ActorFactory(name="Partnership for Peace", slug="pfp", kind="programme")
    factories.AffiliationFactory(member=kazakhstan, organisation=pfp, start="1995")
    brigade = factories.ActorFactory(name="KAZBRIG", slug="kazbrig", kind="military_unit")
    factories.DeploymentFactory(name="Officers to Kabul", contributor=kazakhstan, unit=brigade, start="2011")
    usa = factories.ActorFactory(name="United States", slug="usa")
    exercise = factories.ExerciseFactory(name="Steppe Eagle 2009", start="September 2009")
    factories.ExerciseParticipantFactory(exercise=exercise, actor=kazakhstan)
    factories.ExerciseParticipantFactory(exercise=exercise, actor=usa)
    event = factories.EventFactory(title="Nazarbayev visits NATO HQ", date="2007")
    factories.EventParticipantFactory(event=event, actor=kazakhstan)
    factories.EventParticipantFactory(event=event, actor=nato, role="host")
    secret = factories.AgreementFactory(title="Secret protocol", slug="secret-protocol", publication_status="draft")
    hidden = factories.ActorFactory(name="Hidden ally", slug="hidden-ally", publication_status="draft")
    factories.AgreementPartyFactory(agreement=secret, actor=kazakhstan)
    factories.AgreementPartyFactory(agreement=secret, actor=usa)
    factories.AgreementPartyFactory(agreement=isaf, actor=hidden)
    return isaf


def pairs(network):
    return {(tie.type, frozenset((tie.source["slug"], tie.target["slug"])), tie.slug) for tie in network.ties}


def test_every_kind_that_names_several_actors_ties_them(ties):
    found = pairs(Network(AnonymousUser()))
    assert found == {
        ("agreement", frozenset({"kazakhstan", "nato"}), "isaf"),
        ("affiliation", frozenset({"kazakhstan", "pfp"}), found_slug(found, "affiliation")),
        ("deployment", frozenset({"kazakhstan", "kazbrig"}), found_slug(found, "deployment")),
        ("exercise", frozenset({"kazakhstan", "usa"}), found_slug(found, "exercise")),
        ("event", frozenset({"kazakhstan", "nato"}), found_slug(found, "event")),
    }
    # Every tie type the registry lists comes from a kind's own tie source.
    assert set(TIE_TYPES) == {tie_type for tie_type, _, _ in found}
    assert len(TIE_TYPES) == len([record_type for record_type in RECORD_TYPES if record_type.network])


def found_slug(found, tie_type):
    return next(slug for kind, _, slug in found if kind == tie_type)


def test_drafts_tie_nobody_for_readers_but_staff_see_them(ties):
    reader = Network(AnonymousUser())
    assert "secret-protocol" not in {tie.slug for tie in reader.ties}
    assert "hidden-ally" not in {node["slug"] for node in reader.nodes}
    staff = Network(factories.StaffUserFactory())
    assert ("agreement", frozenset({"kazakhstan", "usa"}), "secret-protocol") in pairs(staff)
    assert "hidden-ally" in {node["slug"] for node in staff.nodes}


def test_an_actors_neighbourhood_holds_only_its_own_ties(ties):
    network = Network(AnonymousUser(), actor="nato")
    assert {frozenset((tie.source["slug"], tie.target["slug"])) for tie in network.ties} == {
        frozenset({"kazakhstan", "nato"})
    }
    assert [node["slug"] for node in network.nodes] == ["kazakhstan", "nato"]
    nato = next(node for node in network.nodes if node["slug"] == "nato")
    assert nato["ties"] == 2 and nato["kind"] == "international_organisation"
    # A hidden actor's neighbourhood is empty, as for a slug that does not exist.
    assert Network(AnonymousUser(), actor="hidden-ally").ties == []
    assert Network(AnonymousUser(), actor="no-such-actor").ties == []


def test_a_period_keeps_the_ties_that_may_fall_in_it_and_drops_the_undated(ties):
    undated = factories.AgreementFactory(title="Undated accord")
    factories.AgreementPartyFactory.create_batch(2, agreement=undated)
    network = Network(AnonymousUser(), date_from=dt.date(2009, 5, 20), date_to=dt.date(2009, 12, 31))
    assert {tie.slug for tie in network.ties} == {"isaf", found_slug(pairs(network), "exercise")}
    assert "Undated accord" in {tie.title for tie in Network(AnonymousUser()).ties}


def test_the_api_answers_the_charts_one_request_and_refuses_bad_filters(client, ties):
    data = client.get(API, {"actor": "kazakhstan", "type": "agreement"}).json()
    assert [tie_type["key"] for tie_type in data["tie_types"]] == list(TIE_TYPES)
    (tie,) = data["ties"]
    assert {tie["source"], tie["target"]} == {"kazakhstan", "nato"}
    assert tie["record"] == {"slug": "isaf", "title": "ISAF agreement", "url": "/agreements/isaf/"}
    assert tie["start"] == "May 2009" and tie["earliest"] == "2009-05-01" and tie["latest"] == "2009-05-31"
    assert {node["slug"] for node in data["nodes"]} == {"kazakhstan", "nato"}
    reversed_range = client.get(API, {"date_from": "2011-01-01", "date_to": "2010-01-01"})
    assert reversed_range.status_code == 400 and "date_to" in reversed_range.json()
    assert client.get(API, {"type": "friendship"}).status_code == 400
    assert "network" in client.get(reverse("api-root")).json()


def test_the_network_reads_the_same_queries_however_many_records_it_holds(ties):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            Network(AnonymousUser()).as_data()
        return len(captured.captured_queries)

    before = queries()
    for _ in range(5):
        agreement = factories.AgreementFactory(period_start="2010")
        for _ in range(3):
            factories.AgreementPartyFactory(agreement=agreement)
        event = factories.EventFactory()
        factories.EventParticipantFactory.create_batch(3, event=event)
        factories.AffiliationFactory()
    assert queries() == before


def test_the_network_page_lists_every_tie_and_explains_a_reversed_period(client, ties):
    response = client.get(reverse("whole_case:network"))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<tr data-type=") == len(Network(AnonymousUser()).ties) == 5
    assert 'data-network-url="/api/v1/network/"' in content and "js/dist/network.js" in content
    assert "Secret protocol" not in content and "Hidden ally" not in content
    filtered = client.get(reverse("whole_case:network"), {"type": "exercise"}).content.decode()
    assert filtered.count("<tr data-type=") == 1 and 'data-network-url="/api/v1/network/?type=exercise"' in filtered
    reversed_range = client.get(reverse("whole_case:network"), {"date_from": "2011-01-01", "date_to": "2010-01-01"})
    assert "swap the two dates" in reversed_range.content.decode()


def test_an_actor_page_shows_its_neighbourhood_and_the_list_leads_to_the_network(client, ties):
    content = client.get(reverse("actors:detail", args=["nato"])).content.decode()
    assert 'id="network-heading"' in content and 'data-focus="nato"' in content
    assert content.count("<tr data-type=") == 2
    lonely = factories.ActorFactory(name="Lonely", slug="lonely")
    assert 'id="network-heading"' not in client.get(lonely.get_absolute_url()).content.decode()
    assert reverse("whole_case:network") in client.get(reverse("actors:list")).content.decode()
