"""Every admin changelist, add form and change form loads, and a change form saves."""

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.agreements.models import Agreement
from tests import factories


def form_data(response):
    """POST data for an admin change form as rendered: the form, and every inline formset."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = field.prepare_value(value) if hasattr(field, "prepare_value") else value

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:  # the revert form has none
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.initial_forms:
            add(form)
    return {k: ("" if v is None else v) for k, v in data.items()}


@pytest.fixture
def one_of_each(db):
    citation = factories.CitationFactory()
    agreement = factories.AgreementStepFactory().agreement
    factories.AgreementPartyFactory(agreement=agreement)
    factories.CitationFactory(actor=None, agreement=agreement)
    factories.DeploymentRoleFactory()
    factories.ExerciseParticipantFactory(exercise=factories.ExerciseFactory(series=factories.ExerciseSeriesFactory()))
    factories.EventParticipantFactory()
    factories.AffiliationFactory()
    factories.PlaceFactory(latitude="43.2567", longitude="76.9286")
    leg = factories.LegFactory(route=factories.RouteFactory(modes="rail,road"))
    leg.countries.add(factories.PlaceFactory(kind="country"))
    factories.RouteConstraintFactory(route=leg.route)
    note = factories.NoteFactory()
    note.cites.add(citation.source)
    factories.CollectionEntryFactory()
    return citation


REGISTERED = sorted(
    (
        model
        for model in admin.site._registry
        # Casefile's own records: auth, tokens and the sign-in lockout's log (django-axes,
        # read-only in the admin) are the libraries' to test.
        if model._meta.app_label not in {"auth", "authtoken", "axes"} and model._meta.managed
        # Proposals are made from a record's change form and decided on their own page
        # (tests/admin/test_proposals.py): no add form, no change form.
        and model._meta.label != "core.Proposal"
    ),
    key=lambda model: model._meta.label,
)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_add_and_change_pages_load_and_save(admin_client, one_of_each, model):
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    changelist = admin_client.get(reverse(f"{prefix}_changelist"))
    assert changelist.status_code == 200
    assert admin_client.get(reverse(f"{prefix}_changelist"), {"q": "a"}).status_code == 200
    assert admin_client.get(reverse(f"{prefix}_add")).status_code == 200

    obj = model.objects.first()
    assert obj is not None, f"no {model._meta.label} to edit"
    url = reverse(f"{prefix}_change", args=[obj.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    saved = admin_client.post(url, form_data(page))
    errors = getattr(saved, "context", None) and saved.context.get("errors")
    assert saved.status_code == 302, f"save refused: {errors}"


@pytest.mark.django_db
def test_analyst_records_the_senate_rejection_after_the_majlis_approval(admin_client, majlis, senate):
    """The paper's key sequence, entered through the admin without workarounds."""
    agreement = factories.AgreementFactory(title="NATO–Kazakhstan agreement on ISAF", slug="isaf")
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = form_data(admin_client.get(url))
    data.update(
        {
            "steps-TOTAL_FORMS": "2",
            "steps-0-kind": "approved_by_chamber",
            "steps-0-date": "18 May 2011",
            "steps-0-acting_body": str(majlis.pk),
            "steps-0-sequence": "0",
            "steps-1-kind": "rejected_by_chamber",
            "steps-1-date": "9 June 2011",
            "steps-1-acting_body": str(senate.pk),
            "steps-1-sequence": "0",
            "steps-1-description": "The Senate voted against ratification.",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert agreement.lifecycle_status == "Rejected by Senate (9 June 2011)"
    steps = agreement.ordered_steps()
    assert [(s.kind, str(s.date), s.acting_body.name) for s in steps] == [
        ("approved_by_chamber", "18 May 2011", "Majlis"),
        ("rejected_by_chamber", "9 June 2011", "Senate"),
    ]
    changelist = admin_client.get(reverse("admin:agreements_agreement_changelist"))
    assert "Rejected by Senate (9 June 2011)" in changelist.content.decode()


@pytest.mark.django_db
def test_bad_date_in_the_admin_is_a_form_error_not_a_crash(admin_client):
    event = factories.EventFactory()
    url = reverse("admin:events_event_change", args=[event.pk])
    data = form_data(admin_client.get(url))
    data["date"] = "the other day"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "is not a date Casefile can read" in response.content.decode()
    event.refresh_from_db()
    assert str(event.date) == "14 January 2009"
