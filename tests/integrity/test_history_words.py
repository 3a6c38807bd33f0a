"""The history an editor reads: each creation named for its path, any two versions compared
in words (choices by label, related records by name, empty as a dash, long text by line)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from apps.actors.models import Actor
from apps.agreements.models import Agreement, AgreementStep
from apps.core import selectors, services
from apps.places.models import Place
from apps.whole_case import backup
from tests import factories
from tests.admin.test_admin import form_data


def creation(model, **lookup):
    return model.history.filter(history_type="+", **lookup).latest("history_date")


def history_page(client, record):
    opts = record._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[record.pk]))
    assert response.status_code == 200
    return response.content.decode()


def entries(page):
    return re.findall(r'<td class="history-entry">(.*?)</td>', page)


@pytest.mark.django_db
def test_a_record_created_in_the_admin_is_named_so_with_its_lines(editor, editor_client):
    add_url = reverse("admin:agreements_agreement_add")
    data = form_data(editor_client.get(add_url))
    data.update({"title": "Air transit agreement", "slug": "air-transit", "kind": "treaty"})
    data.update({"steps-TOTAL_FORMS": "1", "steps-0-kind": "signed", "steps-0-date": "2010", "steps-0-sequence": "0"})
    assert editor_client.post(add_url, data).status_code == 302
    agreement = Agreement.objects.get(slug="air-transit")
    assert selectors.entry_words(creation(Agreement, id=agreement.pk)) == "Created in the admin"
    assert selectors.entry_words(creation(AgreementStep, agreement_id=agreement.pk)) == "Created in the admin"
    page = history_page(editor_client, agreement)
    assert entries(page) == ["Created in the admin"]
    assert "None" not in page.split('id="change-history"')[1]


@pytest.mark.django_db
def test_the_admin_s_change_message_follows_the_creation_words(editor, editor_client):
    add_url = reverse("admin:places_place_add")
    data = form_data(editor_client.get(add_url))
    data.update({"name": "Kapchagai", "slug": "kapchagai", "kind": "city", "change_message": "From the 2011 report"})
    assert editor_client.post(add_url, data).status_code == 302
    row = creation(Place, slug="kapchagai")
    assert (selectors.entry_words(row), selectors.reason_words(row)) == ("Created in the admin", "From the 2011 report")


@pytest.mark.django_db
def test_a_record_created_over_the_api_is_named_so(editor):
    api = APIClient()
    api.force_authenticate(editor)
    created = api.post("/api/v1/places/", {"name": "Iliysky", "kind": "training_centre"}, format="json")
    assert created.status_code == 201, created.json()
    row = creation(Place, slug=created.json()["slug"])
    assert selectors.entry_words(row) == "Created over the API" and selectors.reason_words(row) == ""


@pytest.mark.django_db
def test_a_restored_record_is_named_restored_after_deletion(editor, editor_client):
    place = factories.PlaceFactory(name="Otar")
    pk = place.pk
    services.record_delete(place, user=editor)
    services.record_restore_deleted(selectors.deleted_records(Place)[0], user=editor)
    assert selectors.entry_words(Place.history.filter(id=pk).latest("history_date")) == "Restored after deletion"
    assert entries(history_page(editor_client, Place.objects.get(pk=pk))) == [
        "Restored after deletion",
        "Deleted",
        "Created",  # made by a factory: no path named
    ]


@pytest.mark.django_db
def test_an_imported_record_is_named_imported(editor):
    place = factories.PlaceFactory(name="Matybulak", slug="matybulak")
    document = backup.export_document(timestamp=False)
    services.record_delete(place, user=editor)
    backup.import_document(document, merge=True, change_reason="Imported from casefile.json")
    row = creation(Place, slug="matybulak")
    assert selectors.entry_words(row) == "Imported"
    assert selectors.reason_words(row) == "Imported from casefile.json"


@pytest.mark.django_db
def test_a_record_loaded_from_the_case_file_is_named_so():
    call_command("load_casefile", verbosity=0)
    row = creation(Actor, slug="kazakhstan")
    assert selectors.entry_words(row) == "Loaded from the case file" and selectors.reason_words(row) == ""


@pytest.mark.django_db
def test_any_two_versions_compare_in_words(editor, editor_client, analyst):
    region = factories.PlaceFactory(name="Almaty Region")
    place = factories.PlaceFactory(name="Kapchagai", kind="city", publication_status="draft", description="")
    first = place.history.latest("history_date")
    services.record_submit_for_review(place, user=analyst)
    place.description = "A town on the reservoir.\nA training area lies to the north."
    place.within = region
    services.record_save(place, user=editor, change_message="")
    services.record_publish(place, user=editor)
    place.description = "A town on the reservoir.\nThe Iliysky training area lies to the north.\nAn airfield nearby."
    place.kind = "base"
    services.record_save(place, user=editor, change_message="Sharper description")
    last = place.history.latest("history_date")

    page = history_page(editor_client, place)
    list_part = page.split('id="change-history"')[1]
    assert "In review&nbsp;&rarr; Published" in list_part
    assert "None" not in list_part
    assert "—&nbsp;&rarr; Almaty Region" in list_part  # a related record by name, empty as a dash

    compare_url = reverse("admin:places_place_history_compare", args=[place.pk])
    # Either order: the older version is on the left.
    compared = editor_client.get(compare_url, {"older": last.history_id, "newer": first.history_id})
    assert compared.status_code == 200
    words = compared.content.decode()
    table = words.split('id="version-differences"')[1]
    assert re.search(r"Publication status</th>\s*<td>Draft</td><td>Published</td>", table)
    assert re.search(r"Within</th>\s*<td>—</td><td>Almaty Region</td>", table)
    assert re.search(r"Kind</th>\s*<td>City or town</td><td>Military base</td>", table)
    assert '<li class="added">The Iliysky training area lies to the north.</li>' in table
    assert '<li class="added">An airfield nearby.</li>' in table
    assert "None" not in table
    assert re.search(r"Entry</th><td>Created</td><td>Changed</td>", words)
    assert "Sharper description" in words

    same = editor_client.get(compare_url, {"older": first.history_id, "newer": first.history_id}, follow=True)
    assert "Choose two different versions" in same.content.decode()


@pytest.mark.django_db
def test_readers_cannot_compare_versions(reader_client):
    place = factories.PlaceFactory()
    rows = list(place.history.values_list("history_id", flat=True)) * 2
    url = reverse("admin:places_place_history_compare", args=[place.pk])
    assert reader_client.get(url, {"older": rows[0], "newer": rows[1]}).status_code in (302, 403)
