"""Every way a change is written — admin forms, inline rows, deletions, actions and the
change form's transition buttons, the API's writes, nested children and transitions,
citations, proposed corrections and their acceptance, restores from Deleted records and
of earlier versions — goes through the services:
each writes exactly one history row per row it changes, naming the person who acted.

Not walked: ``import_casefile`` and ``load_casefile``, which write raw rows in bulk for
speed (with one history row per record and no user: the system loads them)."""

from contextlib import contextmanager

import pytest
from django.db.models import Max
from django.urls import reverse
from rest_framework.test import APIClient

from apps.actors.models import Actor
from apps.agreements.models import Agreement, AgreementParty, AgreementStep
from apps.citations.models import Citation
from apps.core import selectors, services
from apps.events.models import Event, EventParticipant
from apps.places.models import Place
from apps.routes.models import Leg, Route, RouteConstraint
from apps.sources.models import Note
from apps.whole_case.registry import casefile_models
from tests import factories
from tests.admin.test_admin import form_data
from tests.api.fixtures import as_input


@contextmanager
def writes(user, **expected):
    """Assert that the block writes, per model (``Agreement=1`` …), that many history rows,
    one per row changed — none twice — each naming ``user``; and none for other models."""
    models = casefile_models()
    marks = {model: model.history.aggregate(last=Max("history_id"))["last"] or 0 for model in models}
    yield
    written = {}
    for model in models:
        rows = list(model.history.filter(history_id__gt=marks[model]))
        if rows:
            written[model.__name__] = rows
    assert {name: len(rows) for name, rows in written.items()} == expected
    for name, rows in written.items():
        assert len({row.id for row in rows}) == len(rows), f"{name}: a row written twice"
        assert {row.history_user for row in rows} == {user}, f"{name}: written without the user"


def inline_prefix(page, model):
    inlines = page.context["inline_admin_formsets"]
    return next(inline.formset.prefix for inline in inlines if inline.formset.model is model)


@pytest.mark.django_db
def test_every_write_path_records_one_history_row_per_changed_row_with_the_user(editor, editor_client):
    kazakhstan = factories.ActorFactory(name="Kazakhstan", slug="kazakhstan")
    source = factories.SourceFactory()

    # --- the admin ---------------------------------------------------------------------
    add_url = reverse("admin:agreements_agreement_add")
    data = form_data(editor_client.get(add_url))
    data.update({"title": "Air transit agreement", "slug": "air-transit", "kind": "treaty"})
    data.update({"steps-TOTAL_FORMS": "1", "steps-0-kind": "signed", "steps-0-date": "2010", "steps-0-sequence": "0"})
    data.update({"party_roles-TOTAL_FORMS": "1", "party_roles-0-actor": kazakhstan.pk, "party_roles-0-role": "party"})
    with writes(editor, Agreement=1, AgreementStep=1, AgreementParty=1):  # add form, inline rows added
        assert editor_client.post(add_url, data).status_code == 302
    agreement = Agreement.objects.get(slug="air-transit")
    factories.AgreementPartyFactory(agreement=agreement, role="signatory")
    factories.AgreementStepFactory(agreement=agreement, kind="proposed", date="2009")

    change_url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    page = editor_client.get(change_url)
    data = form_data(page)
    step_prefix, party_prefix = inline_prefix(page, AgreementStep), inline_prefix(page, AgreementParty)
    citation_prefix = inline_prefix(page, Citation)
    data["title"] = "Agreement on air transit"
    signed = next(i for i in range(2) if data[f"{step_prefix}-{i}-kind"] == "signed")
    data[f"{step_prefix}-{signed}-description"] = "Signed in Astana."
    data[f"{party_prefix}-0-DELETE"] = "on"
    data.update({f"{citation_prefix}-TOTAL_FORMS": "1", f"{citation_prefix}-0-source": source.pk,
                 f"{citation_prefix}-0-locator": "p. 4", f"{citation_prefix}-0-stance": "supports",
                 f"{citation_prefix}-0-credibility": "2"})
    with writes(editor, Agreement=1, AgreementStep=1, AgreementParty=1, Citation=1):  # inline change, delete, add
        response = editor_client.post(change_url, data)
        assert response.status_code == 302, response.context and response.context["errors"]

    changelist = reverse("admin:agreements_agreement_changelist")
    with writes(editor, Agreement=1):  # a transition action
        editor_client.post(changelist, {"action": "publish", "_selected_action": [agreement.pk]})
    assert Agreement.objects.get(pk=agreement.pk).publication_status == "published"

    for name in ("unpublish", "publish"):  # the change form's transition buttons
        button = reverse("admin:agreements_agreement_transition", args=[agreement.pk, name])
        with writes(editor, Agreement=1):
            version = Agreement.objects.get(pk=agreement.pk).version
            assert editor_client.post(button, {"version": version}).status_code == 302
    assert Agreement.objects.get(pk=agreement.pk).publication_status == "published"

    proposals = APIClient()
    proposals.force_authenticate(editor)
    proposals_url = f"/api/v1/agreements/{agreement.slug}/proposals/"
    with writes(editor):  # a proposed correction changes nothing readers see, so nothing is written
        correction = {"reason": "p. 4", "changes": {"summary": "Air transit."}}
        proposed = proposals.post(proposals_url, correction, format="json")
        assert proposed.status_code == 201, proposed.content
    with writes(editor, Agreement=1):  # accepting it: one change to the record
        accepted = proposals.post(f"{proposals_url}{proposed.json()['id']}/accept/", {}, format="json")
        assert accepted.status_code == 200, accepted.content
    assert Agreement.objects.get(pk=agreement.pk).summary == "Air transit."

    first = agreement.history.order_by("history_id").first()
    revert_url = reverse("admin:agreements_agreement_simple_history", args=[agreement.pk, first.history_id])
    with writes(editor, Agreement=1):  # the revert form
        assert editor_client.post(revert_url, form_data(editor_client.get(revert_url))).status_code == 302

    citation_add = reverse("admin:citations_citation_add")
    data = form_data(editor_client.get(citation_add))
    data.update({"source": source.pk, "actor": kazakhstan.pk, "locator": "p. 9", "stance": "supports"})
    with writes(editor, Citation=1):  # the citations' own add form
        assert editor_client.post(citation_add, data).status_code == 302

    note_add = reverse("admin:sources_note_add")
    data = form_data(editor_client.get(note_add))
    data.update({"document": source.pk, "kind": "footnote", "number": "1", "text": "Ibid.", "cites": [source.pk]})
    with writes(editor, Note=1):  # a form with links (not in the history)
        assert editor_client.post(note_add, data).status_code == 302
    assert list(Note.objects.get(text="Ibid.").cites.all()) == [source]

    event = factories.EventFactory()
    factories.EventParticipantFactory(event=event, actor=kazakhstan)
    factories.CitationFactory(actor=None, event=event)
    with writes(editor, Event=1, EventParticipant=1, Citation=1):  # delete, with what goes with it
        response = editor_client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})
        assert response.status_code == 302

    places = [factories.PlaceFactory(), factories.PlaceFactory()]
    bulk = {"action": "delete_selected", "_selected_action": [place.pk for place in places], "post": "yes"}
    with writes(editor, Place=2):  # the bulk delete action
        assert editor_client.post(reverse("admin:places_place_changelist"), bulk).status_code == 302
    assert not Place.objects.filter(pk__in=[place.pk for place in places]).exists()

    # --- the API -------------------------------------------------------------------------
    api = APIClient()
    api.force_authenticate(editor)
    api.credentials(HTTP_IF_MATCH="*")  # the walk is about history rows; preconditions have their own tests
    body = {
        "name": "Staff officers to ISAF",
        "contributor": "kazakhstan",
        "status": "proposed",
        "personnel_qualifier": "at_most",
        "personnel_max": 27,
        "roles": [{"title": "medical officer"}, {"title": "staff officer"}],
    }
    with writes(editor, Deployment=1, DeploymentRole=2):  # create, with children
        created = api.post("/api/v1/deployments/", body, format="json")
        assert created.status_code == 201, created.json()
    url = f"/api/v1/deployments/{created.json()['slug']}/"

    document = as_input(api.get(url).json())
    document["description"] = "Proposed in May 2011."
    with writes(editor, Deployment=1):  # update: the children sent back as they were are left alone
        assert api.put(url, document, format="json").status_code == 200

    with writes(editor, Deployment=1):  # partial update
        assert api.patch(url, {"rotation": "every six months"}, format="json").status_code == 200

    roles = as_input(api.get(url).json()["roles"])
    roles[0]["count"] = 2
    with writes(editor, Deployment=1, DeploymentRole=3):  # children: one changed, one deleted, one added
        response = api.patch(url, {"roles": [roles[0], {"title": "liaison officer"}]}, format="json")
        assert response.status_code == 200, response.json()

    for transition in ("submit-for-review", "publish"):
        with writes(editor, Deployment=1):
            assert api.post(f"{url}{transition}/").status_code == 200

    citation = {"source": source.slug, "target_type": "deployment", "target": created.json()["slug"]}
    with writes(editor, Citation=1):  # a citation added, changed, deleted
        added = api.post("/api/v1/citations/", citation, format="json")
        assert added.status_code == 201, added.json()
    citation_url = f"/api/v1/citations/{added.json()['slug']}/"
    with writes(editor, Citation=1):
        assert api.patch(citation_url, {"locator": "p. 12"}, format="json").status_code == 200
    with writes(editor, Citation=1):
        assert api.delete(citation_url).status_code == 204

    with writes(editor, Deployment=1, DeploymentRole=2):  # destroy, with its roles
        assert api.delete(url).status_code == 204

    # --- restores through the services ---------------------------------------------------------
    [deletion] = selectors.deleted_records(Event)
    restore = reverse("admin:core_deletedrecord_restore", args=["events.event", deletion.history_id])
    with writes(editor, Event=1, EventParticipant=1, Citation=1):  # from Deleted records, with what went with it
        assert editor_client.post(restore).status_code == 302
    assert EventParticipant.objects.filter(event_id=event.pk, actor=kazakhstan).exists()
    deletion = selectors.deleted_records(Place)[0]
    with writes(editor, Place=1):  # the restore service itself
        services.record_restore_deleted(deletion, user=editor)
    with writes(editor, Agreement=1):  # an earlier version
        services.record_restore_version(agreement.history.earliest("history_date"), user=editor)
    assert Agreement.objects.get(pk=agreement.pk).title == "Air transit agreement"

    with writes(editor, Actor=1):  # and the save service itself
        kazakhstan.description = "A state."
        services.record_save(kazakhstan, user=editor)
    assert Actor.objects.get(pk=kazakhstan.pk).version == 2


@pytest.mark.django_db
def test_routes_with_their_legs_countries_and_constraints_are_written_through_the_services(editor, editor_client):
    riga, kazakhstan = factories.PlaceFactory(slug="riga"), factories.PlaceFactory(slug="kz", kind="country")
    add_url = reverse("admin:routes_route_add")
    page = editor_client.get(add_url)
    leg_prefix, constraint_prefix = inline_prefix(page, Leg), inline_prefix(page, RouteConstraint)
    data = form_data(page)
    data.update({"name": "Russian route", "slug": "russian-route", "modes": ["road", "rail"], "status": "operational"})
    data.update({f"{leg_prefix}-TOTAL_FORMS": "1", f"{leg_prefix}-0-order": "1", f"{leg_prefix}-0-from_place": riga.pk,
                 f"{leg_prefix}-0-to_place": kazakhstan.pk, f"{leg_prefix}-0-mode": "rail",
                 f"{leg_prefix}-0-countries": [kazakhstan.pk]})
    data.update({f"{constraint_prefix}-TOTAL_FORMS": "1", f"{constraint_prefix}-0-kind": "transit_time",
                 f"{constraint_prefix}-0-text": "Up to seventy days."})
    with writes(editor, Route=1, Leg=1, RouteConstraint=1):  # add form, with a leg (and its countries) and a limit
        response = editor_client.post(add_url, data)
        assert response.status_code == 302, response.context and response.context["errors"]
    route = Route.objects.get(slug="russian-route")
    assert route.modes == "rail,road"
    leg = route.legs.get()
    assert list(leg.countries.all()) == [kazakhstan]

    api = APIClient()
    api.force_authenticate(editor)
    api.credentials(HTTP_IF_MATCH="*")
    legs = [
        {"slug": leg.slug, "order": 1, "from_place": "riga", "to_place": "kz", "mode": "road", "countries": []},
        {"order": 2, "from_place": "kz", "to_place": "riga", "countries": ["kz"]},
    ]
    with writes(editor, Route=1, Leg=2):  # a nested write: one leg changed, one added, with their countries
        response = api.patch(f"/api/v1/routes/{route.slug}/", {"legs": legs}, format="json")
        assert response.status_code == 200, response.json()
    assert [(leg.order, leg.mode, [c.slug for c in leg.countries.all()]) for leg in route.legs.all()] == [
        (1, "road", []),
        (2, "", ["kz"]),
    ]
    with writes(editor, Route=1, Leg=2, RouteConstraint=1):  # deleting the route takes its lines with it
        assert api.delete(f"/api/v1/routes/{route.slug}/").status_code == 204
