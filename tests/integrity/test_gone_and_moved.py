"""A deleted record's address answers 410 Gone, a renamed record's old slug 301, on the pages
and in the API; drafts stay a plain 404 for whoever does not see them."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.core import selectors, services
from apps.core.choices import PublicationStatus
from apps.whole_case.registry import navigation_types
from tests import factories
from tests.integrity.test_deleted_records import factory_for

PAGE_KINDS = [record_type.model for record_type in navigation_types()]


def api_url(record_or_model, slug):
    model = record_or_model if isinstance(record_or_model, type) else type(record_or_model)
    record_type = next(t for t in navigation_types() if t.model is model)
    return reverse(record_type.api_list_url_name) + f"{slug}/"


def rename(record, slug, user):
    record.slug = slug
    services.record_save(record, user=user, change_message="Slug from the title")


@pytest.mark.django_db
@pytest.mark.parametrize("model", PAGE_KINDS, ids=lambda model: model._meta.label_lower)
def test_a_deleted_record_answers_410_with_what_it_was_on_its_page_and_in_the_api(model, editor):
    record = factory_for(model)()
    address, slug = record.get_absolute_url(), record.slug
    services.record_delete(record, user=editor)

    page = Client().get(address)
    assert page.status_code == 410
    assert "no-cache" in page["Cache-Control"]  # a restore must be seen
    words = page.content.decode()
    kind = model._meta.verbose_name
    assert f"This {kind} was removed from the case file" in words
    deletion = model.history.get(slug=slug, history_type="-")
    assert deletion.history_date.strftime("%Y") in words

    answer = Client().get(api_url(model, slug))
    assert answer.status_code == 410 and "no-cache" in answer["Cache-Control"]
    body = answer.json()
    assert body["kind"] == kind and body["removed"].startswith(deletion.history_date.strftime("%Y-%m-%d"))
    assert body["name"] in body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", PAGE_KINDS, ids=lambda model: model._meta.label_lower)
def test_a_renamed_record_s_old_slug_answers_301_to_its_current_address(model, editor):
    record = factory_for(model)()
    old_slug = record.slug
    old_address = record.get_absolute_url()
    rename(record, "the-new-slug", editor)

    page = Client().get(old_address + "?from=link")
    assert page.status_code == 301 and "no-cache" in page["Cache-Control"]  # the slug may be taken again
    assert page["Location"] == record.get_absolute_url() + "?from=link"

    answer = Client().get(api_url(model, old_slug))
    assert answer.status_code == 301
    assert answer["Location"].endswith(api_url(model, "the-new-slug"))
    assert Client().get(answer["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_slug_used_now_by_another_record_leads_to_that_record(editor):
    first = factories.AgreementFactory(slug="transit")
    rename(first, "transit-2009", editor)
    factories.AgreementFactory(slug="transit", title="Another transit agreement")
    response = Client().get("/agreements/transit/")
    assert response.status_code == 200 and "Another transit agreement" in response.content.decode()


@pytest.mark.django_db
def test_a_slug_taken_by_a_draft_is_a_plain_404_for_readers(editor):
    first = factories.AgreementFactory(slug="transit")
    rename(first, "transit-2009", editor)
    factories.AgreementFactory(slug="transit", publication_status=PublicationStatus.DRAFT)
    assert Client().get("/agreements/transit/").status_code == 404
    assert Client().get(api_url(first, "transit")).status_code == 404


@pytest.mark.django_db
def test_a_draft_s_old_slug_and_deletion_reveal_nothing_to_readers(editor, editor_client):
    draft = factories.AgreementFactory(slug="secret-talks", title="Secret talks", publication_status="draft")
    rename(draft, "secret-talks-2011", editor)
    reader = Client()
    for url in ("/agreements/secret-talks/", api_url(draft, "secret-talks")):
        response = reader.get(url)
        assert response.status_code == 404
        assert "Secret talks" not in response.content.decode() and "secret-talks-2011" not in response.content.decode()
    # Staff who see drafts are led to it.
    assert editor_client.get("/agreements/secret-talks/")["Location"] == "/agreements/secret-talks-2011/"

    services.record_delete(draft, user=editor)
    for url in ("/agreements/secret-talks-2011/", api_url(draft, "secret-talks-2011")):
        response = reader.get(url)
        assert response.status_code == 404 and "Secret talks" not in response.content.decode()
    assert editor_client.get("/agreements/secret-talks-2011/").status_code == 410


@pytest.mark.django_db
def test_a_published_record_returned_to_draft_keeps_its_old_slug_quiet(editor):
    record = factories.AgreementFactory(slug="transit")
    rename(record, "transit-2009", editor)
    services.record_unpublish(record, user=editor)
    assert Client().get("/agreements/transit/").status_code == 404
    assert Client().get("/agreements/transit-2009/").status_code == 404


@pytest.mark.django_db
def test_a_restored_record_is_served_again_not_gone(editor):
    record = factories.PlaceFactory(slug="kapchagai")
    services.record_delete(record, user=editor)
    assert Client().get("/places/kapchagai/").status_code == 410
    services.record_restore_deleted(selectors.deleted_records(type(record))[0], user=editor)
    assert Client().get("/places/kapchagai/").status_code == 200


@pytest.mark.django_db
def test_the_api_schema_documents_301_and_410_for_record_details_only():
    paths = Client().get("/api/schema/?format=json").json()["paths"]
    detail = paths["/api/v1/agreements/{slug}/"]["get"]["responses"]
    assert {"200", "301", "410"} <= set(detail)
    assert "410" not in paths["/api/v1/citations/{slug}/"]["get"]["responses"]
    assert "410" not in paths["/api/v1/agreements/"]["get"]["responses"]
