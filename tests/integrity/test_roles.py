"""Roles (setup_roles), publication transitions, and who sees drafts."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from apps.actors.models import Actor
from apps.citations.models import Citation
from apps.core import services
from apps.core.choices import PublicationStatus
from apps.events.models import Event
from tests import factories
from tests.admin.test_admin import form_data

DRAFT, IN_REVIEW, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED


@pytest.mark.django_db
def test_setup_roles_is_idempotent_and_creates_three_groups():
    call_command("setup_roles", verbosity=0)
    first = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    call_command("setup_roles", verbosity=0)
    second = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert first == second and set(first) == {"Reader", "Analyst", "Editor"}
    assert all(name.startswith("view_") for name in first["Reader"])
    assert {"submit_records", "add_citation", "change_actor"} <= first["Analyst"]
    assert "publish_records" not in first["Analyst"] and "delete_actor" not in first["Analyst"]
    assert first["Analyst"] < first["Editor"]
    assert {"publish_records", "delete_actor", "delete_agreement"} <= first["Editor"]


def test_setup_roles_explains_itself():
    from apps.whole_case.management.commands.setup_roles import Command

    assert "Analyst" in Command.help and "idempotent" in Command.help.lower()


# --- the permissions matrix in the admin -------------------------------------------------------

CHANGELIST = reverse("admin:actors_actor_changelist")
ADD = reverse("admin:actors_actor_add")


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login_page():
    actor = factories.ActorFactory()
    client = Client()
    for url in (
        CHANGELIST,
        ADD,
        reverse("admin:actors_actor_change", args=[actor.pk]),
        reverse("admin:core_reviewqueue_changelist"),
        reverse("admin:core_deletedrecord_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.django_db
def test_reader_views_but_cannot_change_add_delete_or_publish(reader_client):
    actor = factories.ActorFactory(publication_status=DRAFT)
    change = reverse("admin:actors_actor_change", args=[actor.pk])
    assert reader_client.get(CHANGELIST).status_code == 200
    page = reader_client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert reader_client.get(ADD).status_code == 403
    assert reader_client.post(change, {"name": "Changed"}).status_code == 403
    assert reader_client.get(reverse("admin:actors_actor_delete", args=[actor.pk])).status_code == 403
    response = reader_client.post(CHANGELIST, {"action": "publish", "_selected_action": [actor.pk]})
    actor.refresh_from_db()
    assert actor.publication_status == DRAFT
    assert reader_client.get(reverse("admin:core_reviewqueue_changelist")).status_code == 403
    assert reader_client.get(reverse("admin:core_deletedrecord_changelist")).status_code == 403
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_analyst_edits_drafts_but_cannot_publish_through_the_form(analyst_client):
    actor = factories.ActorFactory(name="KAZBRIG", publication_status=DRAFT)
    change = reverse("admin:actors_actor_change", args=[actor.pk])
    page = analyst_client.get(change)
    assert "publication_status" not in page.context["adminform"].form.fields  # read-only for analysts
    data = form_data(page)
    data.update({"name": "Kazakh peacekeeping brigade", "publication_status": PUBLISHED})
    assert analyst_client.post(change, data).status_code == 302
    actor.refresh_from_db()
    assert (actor.name, actor.publication_status) == ("Kazakh peacekeeping brigade", DRAFT)
    assert analyst_client.get(ADD).status_code == 200
    assert analyst_client.get(reverse("admin:actors_actor_delete", args=[actor.pk])).status_code == 403


@pytest.mark.django_db
def test_analyst_cannot_change_a_published_record_but_an_editor_can(analyst_client, editor_client):
    actor = factories.ActorFactory(publication_status=PUBLISHED)
    change = reverse("admin:actors_actor_change", args=[actor.pk])
    page = analyst_client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert analyst_client.post(change, {"name": "x"}).status_code == 403
    data = form_data(editor_client.get(change))
    data["name"] = "Edited by the editor"
    assert editor_client.post(change, data).status_code == 302
    assert Actor.objects.get(pk=actor.pk).name == "Edited by the editor"


@pytest.mark.django_db
def test_analyst_may_remove_a_citation_of_a_draft(analyst_client):
    citation = factories.CitationFactory(actor=factories.ActorFactory(publication_status=DRAFT))
    response = analyst_client.post(reverse("admin:citations_citation_delete", args=[citation.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Citation.objects.filter(pk=citation.pk).exists()


@pytest.mark.django_db
def test_admin_actions_follow_the_roles(analyst_client, editor_client, analyst, editor):
    event = factories.EventFactory(publication_status=DRAFT)
    changelist = reverse("admin:events_event_changelist")
    actions = analyst_client.get(changelist).context["action_form"].fields["action"].choices
    names = {name for name, _ in actions}
    assert "submit_for_review" in names and "publish" not in names and "unpublish" not in names
    analyst_client.post(changelist, {"action": "submit_for_review", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.publication_status == IN_REVIEW
    # the analyst's attempt to publish is not an available action: nothing changes
    analyst_client.post(changelist, {"action": "publish", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.publication_status == IN_REVIEW
    queue = editor_client.get(reverse("admin:core_reviewqueue_changelist"))
    assert queue.status_code == 200 and str(event) in queue.content.decode()
    editor_client.post(changelist, {"action": "publish", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.publication_status == PUBLISHED
    latest = event.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (editor, "Published")
    editor_client.post(changelist, {"action": "unpublish", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.publication_status == DRAFT
    reasons = list(event.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[1:] == ["Submitted for review", "Published", "Unpublished (returned to draft)"]


@pytest.mark.django_db
def test_a_refused_action_says_why(editor_client):
    event = factories.EventFactory(publication_status=PUBLISHED)
    response = editor_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "return_to_draft", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "is published: it cannot be returned to draft" in response.content.decode()


# --- the transitions as services ----------------------------------------------------------------


@pytest.mark.django_db
def test_transitions_need_the_role(analyst, editor, reader):
    event = factories.EventFactory(publication_status=DRAFT)
    with pytest.raises(PermissionDenied, match="Only an editor can publish records."):
        services.record_publish(event, user=analyst)
    with pytest.raises(PermissionDenied, match="Only analysts and editors can submit records for review."):
        services.record_submit_for_review(event, user=reader)
    services.record_submit_for_review(event, user=analyst, change_message="ready")
    assert event.history.latest("history_date").history_change_reason == "Submitted for review: ready"
    with pytest.raises(PermissionDenied, match="Only an editor can return a record in review to draft."):
        services.record_return_to_draft(event, user=analyst)
    services.record_return_to_draft(event, user=editor)
    assert Event.objects.get(pk=event.pk).publication_status == DRAFT
    with pytest.raises(ValidationError, match="is draft: it cannot be unpublished from there"):
        services.record_unpublish(event, user=editor)


@pytest.mark.django_db
def test_analyst_cannot_publish_through_the_save_service_either(analyst):
    event = factories.EventFactory(publication_status=DRAFT)
    event.publication_status = PUBLISHED
    with pytest.raises(PermissionDenied, match="Only an editor can change the publication status"):
        services.record_save(event, expected_version=1, user=analyst)
    published = factories.EventFactory(publication_status=PUBLISHED)
    published.title = "changed"
    with pytest.raises(PermissionDenied, match="is published: only an editor can change it"):
        services.record_save(published, expected_version=1, user=analyst)


# --- who sees drafts ------------------------------------------------------------------------


@pytest.mark.django_db
def test_visible_to_shows_drafts_and_records_in_review_only_to_staff_allowed_to_view(reader, analyst, roles):
    published = factories.EventFactory(publication_status=PUBLISHED)
    factories.EventFactory(publication_status=DRAFT)
    factories.EventFactory(publication_status=IN_REVIEW)
    everyone = set(Event.objects.values_list("pk", flat=True))
    staff_without_roles = factories.UserFactory(is_staff=True)
    member_not_staff = factories.UserFactory(is_staff=False, groups=["Editor"])
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    for user in (None, AnonymousUser(), staff_without_roles, member_not_staff):
        assert set(Event.objects.visible_to(user).values_list("pk", flat=True)) == {published.pk}
    for user in (reader, analyst, superuser):
        assert set(Event.objects.visible_to(user).values_list("pk", flat=True)) == everyone


@pytest.mark.django_db
def test_view_only_users_cannot_revert_through_the_history_form(reader_client, analyst_client, admin_client):
    draft = factories.EventFactory(title="Original", publication_status=DRAFT)
    url = reverse("admin:events_event_change", args=[draft.pk])
    data = form_data(admin_client.get(url))
    data["title"] = "Changed"
    admin_client.post(url, data)
    first = draft.history.get(version=1)
    revert_url = reverse("admin:events_event_simple_history", args=[draft.pk, first.history_id])
    revert = form_data(admin_client.get(revert_url))
    assert reader_client.post(revert_url, revert).status_code == 403
    Event.objects.filter(pk=draft.pk).update(publication_status=PUBLISHED)
    assert analyst_client.post(revert_url, revert).status_code == 403
    assert Event.objects.get(pk=draft.pk).title == "Changed"


@pytest.mark.django_db
def test_the_save_service_checks_the_model_permission(reader):
    event = factories.EventFactory(publication_status=DRAFT)
    event.title = "x"
    with pytest.raises(PermissionDenied, match="You are not allowed to change events."):
        services.record_save(event, expected_version=1, user=reader)
    with pytest.raises(PermissionDenied, match="You are not allowed to delete events."):
        services.record_delete(event, user=reader)
