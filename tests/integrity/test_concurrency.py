"""No lost updates: a save based on an older version is refused, naming what changed meanwhile."""

import pytest
from django.urls import reverse

from apps.core import services
from tests import factories
from tests.admin.test_admin import form_data


@pytest.mark.django_db
def test_record_save_raises_the_version_by_one(editor):
    actor = factories.ActorFactory()
    assert actor.version == 1
    services.record_save(actor, expected_version=1, user=editor)
    services.record_save(actor, expected_version=2, user=editor)
    actor.refresh_from_db()
    assert actor.version == 3


@pytest.mark.django_db
def test_a_stale_save_is_refused_with_what_changed_meanwhile(editor, analyst):
    deployment = factories.DeploymentFactory(name="KAZBAT to Iraq", publication_status="draft")
    theirs = type(deployment).objects.get(pk=deployment.pk)
    theirs.name = "KAZBAT to Iraq (2003–2008)"
    theirs.personnel_min = theirs.personnel_max = 27
    services.record_save(theirs, expected_version=1, user=editor, change_message="Dates")
    mine = deployment  # still at version 1
    mine.description = "My addition"
    with pytest.raises(services.StaleEdit) as refused:
        services.record_save(mine, expected_version=1, user=analyst)
    stale = refused.value
    assert (stale.expected_version, stale.current_version, stale.by) == (1, 2, editor)
    assert stale.changed_fields == ["name", "personnel_max", "personnel_min"]
    assert "name: “KAZBAT to Iraq” → “KAZBAT to Iraq (2003–2008)”" in stale.message
    assert "changed by editor" in stale.message and "you opened version 1; it is now version 2" in stale.message
    deployment.refresh_from_db()
    assert deployment.description == "" and deployment.version == 2


@pytest.mark.django_db
def _two_forms(client, url):
    first, second = form_data(client.get(url)), form_data(client.get(url))
    return first, second


@pytest.mark.django_db
def test_two_analysts_on_one_record_the_second_save_keeps_the_first_ones_changes(analyst_client, analyst):
    event = factories.EventFactory(title="Visit of the NATO Secretary General", publication_status="draft")
    url = reverse("admin:events_event_change", args=[event.pk])
    first, second = _two_forms(analyst_client, url)
    first["title"] = "Visit of Rasmussen to Astana"
    assert analyst_client.post(url, first).status_code == 302
    second["summary"] = "He met the President."
    response = analyst_client.post(url, second)
    assert response.status_code == 200  # nothing saved: the merge is shown first
    page = response.content.decode()
    assert "This event was changed by analyst" in page and "Nothing was saved" in page
    form = response.context["adminform"].form
    rows = {row.label: row for row in form.merge_rows}
    assert (rows["Title"].opened, rows["Title"].saved, rows["Title"].outcome) == (
        "Visit of the NATO Secretary General",
        "Visit of Rasmussen to Astana",
        "theirs",
    )
    assert form["title"].value() == "Visit of Rasmussen to Astana"  # their change, which this analyst did not touch
    assert form["summary"].value() == "He met the President."  # this analyst's own input
    assert str(form["expected_version"].value()) == "2"
    event.refresh_from_db()
    assert (event.title, event.summary, event.version) == ("Visit of Rasmussen to Astana", "", 2)
    # saving the form as shown applies only what the second analyst changed
    assert analyst_client.post(url, form_data(response)).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.summary, event.version) == ("Visit of Rasmussen to Astana", "He met the President.", 3)


@pytest.mark.django_db
@pytest.mark.parametrize("choice, saved", [("theirs", "Visit of Rasmussen"), ("mine", "Rasmussen in Astana")])
def test_a_field_both_analysts_changed_must_be_chosen(analyst_client, choice, saved):
    event = factories.EventFactory(title="Visit", summary="", publication_status="draft")
    url = reverse("admin:events_event_change", args=[event.pk])
    first, second = _two_forms(analyst_client, url)
    first["title"] = "Visit of Rasmussen"
    assert analyst_client.post(url, first).status_code == 302
    second.update({"title": "Rasmussen in Astana", "summary": "Talks on transit."})
    shown = analyst_client.post(url, second)
    form = shown.context["adminform"].form
    assert [(row.label, row.outcome) for row in form.merge_rows] == [("Title", "conflict")]
    assert 'name="keep__title"' in shown.content.decode()
    unresolved = analyst_client.post(url, form_data(shown))
    assert unresolved.status_code == 200  # no choice made: still refused, nothing saved
    assert type(event).objects.get(pk=event.pk).version == 2
    resolved = analyst_client.post(url, {**form_data(shown), "keep__title": choice})
    assert resolved.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.summary, event.version) == (saved, "Talks on transit.", 3)


@pytest.mark.django_db
def test_an_inline_only_change_meanwhile_is_named(admin_client):
    agreement = factories.AgreementFactory(title="Transit agreement")
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    first, second = _two_forms(admin_client, url)
    first.update({"steps-TOTAL_FORMS": "1", "steps-0-kind": "signed", "steps-0-date": "2010", "steps-0-sequence": "0"})
    assert admin_client.post(url, first).status_code == 302
    second["summary"] = "Air transit of non-lethal cargo."
    response = admin_client.post(url, second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "agreement step" in page and "added" in page


@pytest.mark.django_db
def test_a_save_racing_past_the_form_check_is_still_refused(admin_client, monkeypatch):
    """If another save lands between the form's check and the save, the conditional UPDATE refuses
    it, the transaction is rolled back, and the form is shown again with the refusal."""
    place = factories.PlaceFactory(name="Manas", publication_status="draft")
    url = reverse("admin:places_place_change", args=[place.pk])
    data = form_data(admin_client.get(url))
    other = type(place).objects.get(pk=place.pk)
    other.name = "Manas Transit Center"
    services.record_save(other, expected_version=1)
    real_check, calls = services.changes_since, []

    def check_misses_it_once(model, pk, expected):
        calls.append(expected)
        return real_check(model, pk, expected) if len(calls) > 1 else None

    monkeypatch.setattr(services, "changes_since", check_misses_it_once)
    data["description"] = "US air base near Bishkek."
    response = admin_client.post(url, data)
    # the form's check (missed), the refused save naming the changes, the form's check again
    assert response.status_code == 200 and len(calls) == 3
    assert "Manas Transit Center" in response.content.decode()
    place.refresh_from_db()
    assert (place.name, place.description, place.version) == ("Manas Transit Center", "", 2)
