"""History: every change to every record and sub-record, restore of versions and of deletions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.actors.models import Actor
from apps.agreements.models import Agreement, AgreementStep
from apps.citations.models import Citation
from apps.core import selectors, services
from apps.events.models import Event
from tests import factories
from tests.admin.test_admin import form_data

EVERY_MODEL = [
    (factories.SourceFactory, "title"),
    (factories.NoteFactory, "text"),
    (factories.PlaceFactory, "name"),
    (factories.ActorFactory, "name"),
    (factories.AffiliationFactory, "role"),
    (factories.AgreementFactory, "title"),
    (factories.AgreementPartyFactory, "notes"),
    (factories.AgreementStepFactory, "description"),
    (factories.DeploymentFactory, "name"),
    (factories.DeploymentRoleFactory, "title"),
    (factories.ExerciseSeriesFactory, "name"),
    (factories.ExerciseFactory, "name"),
    (factories.ExerciseParticipantFactory, "notes"),
    (factories.EventFactory, "title"),
    (factories.EventParticipantFactory, "notes"),
    (factories.CitationFactory, "passage"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("factory, field", EVERY_MODEL, ids=lambda v: getattr(v, "__name__", v))
def test_every_model_records_creation_change_and_deletion(factory, field, editor):
    obj = factory()
    services.record_save(obj, expected_version=1, user=editor, change_message="Corrected the wording")
    setattr(obj, field, "Changed text")
    services.record_save(obj, expected_version=2, user=editor, change_message="Second pass")
    history = list(type(obj).history.filter(id=obj.pk).order_by("history_date", "history_id"))
    assert [row.history_type for row in history] == ["+", "~", "~"]
    assert [row.version for row in history] == [1, 2, 3]
    assert history[-1].history_user == editor
    assert history[-1].history_change_reason == "Second pass"
    delta = history[-1].diff_against(history[-2])
    assert delta.changed_fields == [field]
    pk = obj.pk
    services.record_delete(obj, user=editor, change_message="Duplicate")
    deleted = type(obj).history.filter(id=pk).latest("history_date")
    assert deleted.history_type == "-" and deleted.history_change_reason == "Duplicate"


@pytest.mark.django_db
def test_inline_changes_in_the_admin_are_recorded_with_user_and_message(admin_client, admin_user, majlis):
    agreement = factories.AgreementFactory()
    party = factories.AgreementPartyFactory(agreement=agreement, actor=majlis)
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = form_data(admin_client.get(url))
    data.update(
        {
            "change_message": "Added the signing",
            "steps-TOTAL_FORMS": "1",
            "steps-0-kind": "signed",
            "steps-0-date": "12 November 2010",
            "steps-0-sequence": "0",
            "party_roles-0-notes": "for the Majlis",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    step = AgreementStep.objects.get(agreement=agreement)
    added = step.history.get()
    assert (added.history_type, added.history_user, added.history_change_reason) == (
        "+",
        admin_user,
        "Created in the admin: Added the signing",  # the creation named for its path, then the message
    )
    changed = party.history.order_by("-history_date").first()
    assert changed.history_type == "~" and changed.notes == "for the Majlis"
    assert changed.history_change_reason == "Added the signing"
    agreement.refresh_from_db()
    assert agreement.version == 2
    assert agreement.history.latest("history_date").history_change_reason == "Added the signing"
    # the record's history page lists the inline changes with their differences
    page = admin_client.get(reverse("admin:agreements_agreement_history", args=[agreement.pk])).content.decode()
    assert "Changes to its lines" in page and "Added the signing" in page and "for the Majlis" in page


@pytest.mark.django_db
def test_history_page_shows_the_differences_between_versions(admin_client, editor):
    actor = factories.ActorFactory(name="KAZBAT")
    actor.name = "Kazakhstan peacekeeping battalion"
    services.record_save(actor, expected_version=1, user=editor, change_message="Full name")
    page = admin_client.get(reverse("admin:actors_actor_history", args=[actor.pk])).content.decode()
    assert "KAZBAT" in page and "Kazakhstan peacekeeping battalion" in page and "Full name" in page


@pytest.mark.django_db
def test_restore_an_earlier_version_with_the_service(editor):
    event = factories.EventFactory(title="First title", summary="First summary")
    event.title, event.summary = "Second title", "Second summary"
    services.record_save(event, expected_version=1, user=editor)
    first = event.history.get(version=1)
    restored = services.record_restore_version(first, user=editor)
    assert (restored.title, restored.summary, restored.version) == ("First title", "First summary", 3)
    latest = event.history.latest("history_date")
    assert latest.history_change_reason.startswith("Restored version 1 of")
    assert Event.objects.get(pk=event.pk).title == "First title"


@pytest.mark.django_db
def test_restore_an_earlier_version_through_the_admin_revert_form(admin_client):
    actor = factories.ActorFactory(name="Old name", publication_status="draft")
    url = reverse("admin:actors_actor_change", args=[actor.pk])
    data = form_data(admin_client.get(url))
    data["name"] = "New name"
    assert admin_client.post(url, data).status_code == 302
    first = actor.history.get(version=1)
    revert_url = reverse("admin:actors_actor_simple_history", args=[actor.pk, first.history_id])
    page = admin_client.get(revert_url)
    assert page.status_code == 200
    revert = form_data(page)
    assert revert["name"] == "Old name" and revert["expected_version"] == 2
    response = admin_client.post(revert_url, revert)
    assert response.status_code == 302, response.context and response.context["errors"]
    actor.refresh_from_db()
    assert (actor.name, actor.version) == ("Old name", 3)
    assert actor.history.latest("history_date").history_change_reason.startswith("Restored version 1")


@pytest.mark.django_db
def test_history_as_of_a_date_opens_the_version_of_that_moment(admin_client, editor):
    place = factories.PlaceFactory(name="Kapshagay")
    first = place.history.get()
    first.history_date = timezone.now() - dt.timedelta(days=10)
    first.save()
    place.name = "Kapchagai"
    services.record_save(place, expected_version=1, user=editor)
    history_url = reverse("admin:places_place_history", args=[place.pk])
    day = (timezone.now() - dt.timedelta(days=5)).date().isoformat()
    response = admin_client.get(history_url, {"as_of": day})
    assert response.status_code == 302
    assert response.url == reverse("admin:places_place_simple_history", args=[place.pk, first.history_id])
    assert "Kapshagay" in admin_client.get(response.url).content.decode()
    too_early = (timezone.now() - dt.timedelta(days=30)).date().isoformat()
    page = admin_client.get(history_url, {"as_of": too_early}, follow=True).content.decode()
    assert "existed at" in page
    assert selectors.record_as_of(type(place), place.pk, timezone.now()).name == "Kapchagai"


@pytest.mark.django_db
def test_restore_a_deleted_record_with_its_steps_parties_and_citations(editor):
    agreement = factories.AgreementFactory(title="Transit agreement", slug="transit")
    step = factories.AgreementStepFactory(agreement=agreement)
    party = factories.AgreementPartyFactory(agreement=agreement)
    citation = factories.CitationFactory(actor=None, agreement=agreement)
    ids = agreement.pk, step.pk, party.pk, citation.pk
    services.record_delete(agreement, user=editor, change_message="Entered twice")
    assert not Agreement.objects.filter(pk=ids[0]).exists()
    [deletion] = selectors.deleted_records(Agreement)
    assert deletion.history_change_reason == "Entered twice"
    restored = services.record_restore_deleted(deletion, user=editor)
    assert (restored.pk, restored.slug, restored.title) == (ids[0], "transit", "Transit agreement")
    assert list(restored.steps.values_list("pk", flat=True)) == [ids[1]]
    assert list(restored.party_roles.values_list("pk", flat=True)) == [ids[2]]
    assert list(Citation.objects.filter(agreement=restored).values_list("pk", flat=True)) == [ids[3]]
    assert selectors.deleted_records(Agreement) == []
    assert restored.history.latest("history_date").history_change_reason.startswith("Restored after deletion")


@pytest.mark.django_db
def test_deleted_records_page_lists_and_restores(editor_client, editor):
    actor = factories.ActorFactory(name="Removed actor")
    pk = actor.pk
    delete_url = reverse("admin:actors_actor_delete", args=[pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    listing = editor_client.get(reverse("admin:core_deletedrecord_changelist"))
    assert listing.status_code == 200 and "Removed actor" in listing.content.decode()
    row = Actor.history.get(id=pk, history_type="-")
    assert row.history_user == editor
    restore_url = reverse("admin:core_deletedrecord_restore", args=["actors.actor", row.history_id])
    response = editor_client.post(restore_url)
    assert response.status_code == 302
    assert Actor.objects.get(pk=pk).name == "Removed actor"
    assert 'id="deleted-empty"' in editor_client.get(reverse("admin:core_deletedrecord_changelist")).content.decode()


@pytest.mark.django_db
def test_analysts_cannot_restore_deleted_records(analyst_client):
    actor = factories.ActorFactory()
    pk = actor.pk
    services.record_delete(actor, user=None)
    row = Actor.history.get(id=pk, history_type="-")
    restore_url = reverse("admin:core_deletedrecord_restore", args=["actors.actor", row.history_id])
    assert analyst_client.post(restore_url).status_code == 403
    assert not Actor.objects.filter(pk=pk).exists()
