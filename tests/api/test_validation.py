"""Bad input is a 400 with per-field messages in plain words, never a 500."""

import pytest

from tests import factories

from .fixtures import create_payload, field_errors

pytestmark = pytest.mark.django_db


def post(client, endpoint, payload):
    response = client.post(f"/api/v1/{endpoint}/", payload, format="json")
    assert response.status_code == 400, (response.status_code, response.content[:500])
    return response.json()


def test_unknown_slug_names_the_field_and_the_slug(analyst):
    payload = create_payload("deployments") | {"contributor": "no-such-actor"}
    errors = post(analyst, "deployments", payload)
    assert errors["contributor"] == ["No actor with the slug “no-such-actor”."]


def test_unknown_slug_in_a_nested_party(analyst):
    payload = create_payload("agreements") | {"parties": [{"actor": "nobody", "role": "party"}]}
    errors = post(analyst, "agreements", payload)
    assert "nobody" in errors["parties"]["0"]["actor"][0]  # DRF's shape: errors by item index


def test_unknown_citation_target(analyst):
    payload = create_payload("citations") | {"target_type": "agreement", "target": "no-such-agreement"}
    errors = post(analyst, "citations", payload)
    assert errors["target"] == ["No agreement with the slug “no-such-agreement”."]


@pytest.mark.parametrize("date", ["2011-02-30", "31 April 2010", "2011-13", "yesterday", "2010–2008"])
def test_impossible_dates(analyst, date):
    errors = post(analyst, "events", create_payload("events") | {"date": date})
    assert list(field_errors(errors)) == ["date"]
    assert date in errors["date"][0]


def test_end_before_start_is_refused_in_the_admin_s_words(analyst):
    errors = post(analyst, "deployments", create_payload("deployments") | {"start": "2011", "end": "2010"})
    assert errors["end"] == ["The end cannot come before the start."]


def test_negative_personnel(analyst):
    payload = create_payload("deployments") | {"personnel_qualifier": "exact", "personnel_min": -4}
    errors = post(analyst, "deployments", payload)
    assert "personnel_min" in errors


def test_personnel_rules_of_the_model_apply(analyst):
    payload = create_payload("deployments") | {
        "personnel_qualifier": "between",
        "personnel_min": 5,
        "personnel_max": None,
    }
    errors = post(analyst, "deployments", payload)
    assert errors["personnel_qualifier"] == ["“Between” needs both bounds."]


def test_bad_precision_in_a_stored_date(analyst):
    errors = post(analyst, "sources", create_payload("sources") | {"date": "2009-05-01/2009-05-31/fortnight"})
    assert "fortnight" in errors["date"][0]


@pytest.mark.parametrize("value", [{"value": 2011.5}, ["2011"], True])
def test_date_of_the_wrong_type(analyst, value):
    errors = post(analyst, "sources", create_payload("sources") | {"date": value})
    assert "date" in errors


def test_step_out_of_order_is_refused(analyst):
    payload = create_payload("agreements") | {
        "steps": [
            {"kind": "signed", "date": "12 November 2010"},
            {"kind": "entered_into_force", "date": "2009"},
        ]
    }
    errors = post(analyst, "agreements", payload)
    assert "cannot come" in str(errors["steps"])


def test_refused_nested_write_leaves_nothing_behind(analyst):
    before = factories.Agreement.objects.count() if hasattr(factories, "Agreement") else None
    payload = create_payload("agreements") | {"parties": [{"actor": "nobody"}]}
    post(analyst, "agreements", payload)
    from apps.agreements.models import Agreement

    assert not Agreement.objects.filter(title=payload["title"]).exists()
    assert before is None or before == Agreement.objects.count()


def test_supersession_cycle_is_refused(analyst):
    older, newer = factories.AgreementFactory(), factories.AgreementFactory()
    newer.supersedes.add(older)
    response = analyst.patch(
        f"/api/v1/agreements/{older.slug}/", {"supersedes": [newer.slug], "version": older.version}, format="json"
    )
    assert response.status_code == 400
    assert "cycle" in response.json()["supersedes"][0]


def test_citation_needs_a_target(analyst):
    payload = create_payload("citations")
    del payload["target"]
    assert "target" in post(analyst, "citations", payload)


def test_duplicate_slug(analyst):
    factories.ActorFactory(slug="mod")
    errors = post(analyst, "actors", create_payload("actors"))
    assert "slug" in errors


def test_latitude_out_of_range(analyst):
    errors = post(analyst, "places", create_payload("places") | {"latitude": 123})
    assert "latitude" in str(errors) or "Latitude" in str(errors)


def test_bad_choice(analyst):
    errors = post(analyst, "actors", create_payload("actors") | {"kind": "dragon"})
    assert "kind" in errors


def test_update_refused_keeps_the_record(analyst):
    deployment = factories.DeploymentFactory(start="2010")
    response = analyst.patch(
        f"/api/v1/deployments/{deployment.slug}/", {"end": "2009", "version": deployment.version}, format="json"
    )
    assert response.status_code == 400
    deployment.refresh_from_db()
    assert deployment.end is None


@pytest.mark.parametrize(
    "query",
    ["date_from=2009-02-30", "date_to=soon", "status=dragon", "kind=dragon", "ordering=password", "page=zero"],
)
def test_bad_filters_are_400_or_404_never_500(anonymous, query):
    response = anonymous.get(f"/api/v1/agreements/?{query}")
    assert response.status_code in (400, 404)


NUL = "a\x00b"  # PostgreSQL refuses it in any query; a slug or a search can hold no such thing


@pytest.mark.parametrize(
    ("endpoint", "change", "field"),
    [
        ("affiliations", {"organisation": NUL}, "organisation"),
        ("deployments", {"contributor": NUL}, "contributor"),
        ("agreements", {"parties": [{"actor": NUL, "role": "party"}]}, "parties"),
        ("actors", {"name": NUL}, "name"),
    ],
)
def test_a_nul_character_is_a_400_not_a_server_error(analyst, endpoint, change, field):
    errors = post(analyst, endpoint, create_payload(endpoint) | change)
    assert field in errors


def test_a_citation_of_a_slug_with_a_nul_character_is_a_400(analyst):
    payload = create_payload("citations") | {"target": NUL}
    assert "target" in post(analyst, "citations", payload)


@pytest.mark.parametrize("url", ["/api/v1/search/?q=a%00b", "/search/?q=a%00b", "/api/v1/actors/?q=a%00b"])
def test_a_search_with_a_nul_character_finds_nothing_or_is_refused(anonymous, url):
    assert anonymous.get(url).status_code in (200, 400)
