"""Sources' Chicago forms are stored when a source is written, whichever way, and pages read
them without running the style: the bibliography, a source's page, a page's notes."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.sources import chicago
from apps.sources.models import FormattedReference, Source
from apps.sources.services import sources_import
from apps.whole_case import backup
from tests import factories
from tests.integrity.test_validation import post_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def processor_runs(monkeypatch):
    """Every run of the CSL processor, counted (how many lists of sources it was given)."""
    runs = []
    processor = chicago._processor

    def counted(sources):
        runs.append(len(sources))
        return processor(sources)

    monkeypatch.setattr(chicago, "_processor", counted)
    return runs


def stored(source):
    return FormattedReference.objects.get(source=source)


def formatted_together(sources):
    """What the pages showed before the forms were stored: every source formatted in one
    list by the processor, entries in the bibliography's order (the order of ``sources``,
    then by the Chicago sort key), notes by key."""
    bibliography, citations = chicago._processor(sources)
    entries = [chicago._safe(entry) for entry in bibliography.bibliography()]
    notes = {
        source.pk: chicago._safe(str(bibliography.cite(citation, chicago._ignore)).strip().removesuffix("."))
        for source, citation in zip(sources, citations, strict=True)
    }
    by_key = sorted(zip(sources, entries, strict=True), key=lambda pair: chicago._alphabetical(pair[1]))
    return [(source.pk, entry) for source, entry in by_key], notes


# --- alone or among all: the same ----------------------------------------------------------------


def test_each_source_of_the_case_file_is_stored_as_the_whole_list_formats_it(client):
    """citeproc-py gives an entry and a note that do not depend on the other sources, so a
    source formatted alone when it is written reads as the whole bibliography formats it; the
    page keeps the order, and the database orders by the stored key as Python sorted the list."""
    call_command("load_casefile", verbosity=0)
    sources = list(Source.objects.order_by("authors", "title", "id"))
    assert len(sources) > 100
    entries, notes = formatted_together(sources)
    forms = {form.source_id: form for form in FormattedReference.objects.all()}
    assert set(forms) == {source.pk for source in sources}
    for pk, entry in entries:
        assert forms[pk].entry == entry, pk
        assert forms[pk].note == notes[pk], pk
        assert forms[pk].sort_key == chicago._alphabetical(entry), pk
        assert forms[pk].formatting == chicago.FORMATTING
    assert [source.pk for source in Source.objects.in_bibliography_order()] == [pk for pk, _ in entries]
    # Everyone reads the published ones in that order on the page.
    published = set(Source.objects.published().values_list("pk", flat=True))
    shown = [entry for _, entry in client.get(reverse("sources:bibliography")).context["entries"]]
    assert shown == [entry for pk, entry in entries if pk in published]


# --- every write path stores them ------------------------------------------------------------------


def test_an_edit_in_the_admin_stores_the_new_forms(admin_client):
    source = factories.SourceFactory(title="Kazakhstan sends officers", container_title="Interfax")
    assert "Kazakhstan Sends Officers" in stored(source).entry
    response = post_change(admin_client, source, {"title": "Kazakhstan sends staff officers"})
    assert response.status_code == 302
    assert "Kazakhstan Sends Staff Officers" in stored(source).entry
    assert "Kazakhstan Sends Staff Officers" in stored(source).note


def test_an_edit_through_the_api_stores_the_new_forms(superuser):
    source = factories.SourceFactory(authors="Abbott, Anne", title="Transit report")
    assert stored(source).sort_key.startswith("abbott, anne")
    response = superuser.patch(
        f"/api/v1/sources/{source.slug}/", {"authors": "Zhukov, Ivan", "version": source.version}, format="json"
    )
    assert response.status_code == 200, response.json()
    form = stored(source)
    assert form.sort_key.startswith("zhukov, ivan") and "Zhukov, Ivan" in form.entry and "Abbott" not in form.note


def test_a_publication_transition_and_a_restore_keep_the_forms_current(superuser_user):
    from apps.core import services

    source = factories.SourceFactory(title="First title", publication_status="draft")
    services.record_publish(source, user=superuser_user)
    version = source.history.order_by("history_date").first()
    source.title = "Second title"
    services.record_save(source, user=superuser_user)
    assert "Second Title" in stored(source).entry
    services.record_restore_version(version, user=superuser_user)
    assert "First Title" in stored(source).entry


def test_an_import_of_references_stores_the_forms_of_the_sources_it_creates():
    text = "@book{nazarbayev_2003, author = {Nazarbayev, Nursultan}, title = {The Critical Decade}, year = 2003}"
    report = sources_import(text, user=None, reference_format="bibtex")
    [(_, source)] = report.created
    form = stored(source)
    assert "Nazarbayev, Nursultan. <i>The Critical Decade</i>" in form.entry
    assert form.entry == chicago.formatted_forms(Source.objects.get(pk=source.pk))["entry"]


def test_an_import_of_a_case_file_stores_the_forms_of_the_sources_it_writes():
    kept = factories.SourceFactory(slug="kept", title="Old title")
    document = backup.export_document(timestamp=False)
    rows = document["records"]["sources.source"]
    [row] = [row for row in rows if row["slug"] == "kept"]
    row["title"] = "New title"
    rows.append({**row, "slug": "added", "title": "Added by the file"})
    backup.import_document(document, merge=True)
    assert "New Title" in stored(kept).entry
    assert "Added by the File" in stored(Source.objects.get(slug="added")).entry
    # Into an empty database: every source written raw gets its forms.
    FormattedReference.objects.all().delete()
    Source.objects.all().delete()
    backup.import_document(document)
    assert FormattedReference.objects.count() == Source.objects.count() == 2


def test_loading_the_case_file_again_stores_the_forms_of_what_it_loaded_over():
    call_command("load_casefile", verbosity=0)
    source = Source.objects.order_by("pk").first()
    right = stored(source).entry
    FormattedReference.objects.filter(source=source).update(entry="stale", sort_key="stale")
    call_command("load_casefile", verbosity=0)
    assert stored(source).entry == right


def test_the_synthetic_case_file_stores_the_forms_of_its_sources():
    call_command("build_synthetic_casefile", "--scale", "0.0005", verbosity=0)
    assert Source.objects.count() == 25
    assert FormattedReference.objects.filter(formatting=chicago.FORMATTING).count() == 25


def test_the_migration_formats_the_sources_already_there_in_batches(monkeypatch):
    sources = [factories.SourceFactory() for _ in range(5)]
    FormattedReference.objects.all().delete()
    migration = importlib.import_module("apps.sources.migrations.0008_format_existing_sources")
    monkeypatch.setattr(migration, "BATCH_SIZE", 2)
    migration.format_existing(django_apps, SimpleNamespace(connection=connection))
    for source in sources:
        assert stored(source).entry == chicago.formatted_forms(source)["entry"]


def test_a_migration_formats_again_what_another_processor_version_formatted():
    source = factories.SourceFactory(title="Kept current")
    other = factories.SourceFactory()
    FormattedReference.objects.filter(source=source).update(entry="old", formatting="citeproc-py 0.1")
    FormattedReference.objects.filter(source=other).delete()
    chicago.format_stale()
    assert "Kept Current" in stored(source).entry and stored(source).formatting == chicago.FORMATTING
    assert stored(other).formatting == chicago.FORMATTING


# --- pages read them -------------------------------------------------------------------------------


def test_a_cold_bibliography_source_page_and_page_of_notes_run_no_processor(processor_runs):
    source = factories.SourceFactory(title="Kazakhstan sends officers", container_title="Interfax")
    event = factories.EventFactory(slug="officers-sent")
    factories.CitationFactory(source=source, actor=None, event=event, locator="n. 4")
    processor_runs.clear()  # the writes above formatted their sources
    reader = Client()  # anonymous, through the reader cache, which each test starts empty
    for url in (reverse("sources:bibliography"), source.get_absolute_url(), event.get_absolute_url()):
        content = reader.get(url).content.decode()
        assert "Kazakhstan Sends Officers" in content, url
    assert processor_runs == []


def test_a_source_without_stored_forms_is_formatted_when_read_and_stored(client, processor_runs):
    factories.SourceFactory(authors="Abbott, Anne", title="First")
    missed = factories.SourceFactory(authors="Moss, Mary", title="Written around the services")
    factories.SourceFactory(authors="Zhukov, Ivan", title="Last")
    FormattedReference.objects.filter(source=missed).delete()
    processor_runs.clear()
    content = client.get(reverse("sources:bibliography")).content.decode()
    order = ["Abbott, Anne", "Moss, Mary", "Written Around the Services", "Zhukov, Ivan"]
    assert [content.index(text) for text in order] == sorted(content.index(text) for text in order)
    client.get(reverse("sources:bibliography"))
    assert processor_runs == [1]  # formatted for the first reader, read by the next
    assert stored(missed).entry == chicago.formatted_forms(missed)["entry"]


def test_forms_another_version_made_are_not_shown(client, processor_runs):
    source = factories.SourceFactory(title="Kazakhstan sends officers")
    FormattedReference.objects.filter(source=source).update(entry="Old form", formatting="citeproc-py 0.1")
    processor_runs.clear()
    content = client.get(reverse("sources:bibliography")).content.decode()
    assert "Kazakhstan Sends Officers" in content and "Old form" not in content
    assert processor_runs == [1]


def test_staff_read_the_stored_forms_of_drafts_too(staff_client, processor_runs):
    factories.SourceFactory(title="Draft report", publication_status="draft")
    processor_runs.clear()
    assert "Draft Report" in staff_client.get(reverse("sources:bibliography")).content.decode()
    assert "Draft Report" not in Client().get(reverse("sources:bibliography")).content.decode()
    assert processor_runs == []


def bibliography_queries():
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(reverse("sources:bibliography"))
    assert response.status_code == 200
    return len(queries), response.content.decode().count('class="bibliography__entry"')


def test_the_bibliography_costs_the_same_queries_for_three_sources_or_thirty():
    for _ in range(3):
        factories.SourceFactory()
    few, shown = bibliography_queries()
    assert shown == 3
    for _ in range(27):
        factories.SourceFactory()
    many, shown = bibliography_queries()
    assert shown == 30
    assert many == few <= 4

