"""Faults a reader met on the case pages, each pinned by a test that failed before its fix."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_pointer_to_a_record_in_prose_reads_as_a_link_named_for_it(client):
    factories.DeploymentFactory(name="Officers at ISAF headquarters", slug="kazakhstan-isaf-hq-officers")
    agreement = factories.AgreementFactory(
        summary="Four officers, rotated every six months (deployment kazakhstan-isaf-hq-officers). More."
    )
    content = client.get(agreement.get_absolute_url()).content.decode()
    assert "kazakhstan-isaf-hq-officers)" not in content  # the slug is an address, not words
    assert (
        'rotated every six months (see <a href="/deployments/kazakhstan-isaf-hq-officers/">'
        "Officers at ISAF headquarters</a>). More." in content
    )


def test_a_pointer_to_a_record_the_reader_may_not_see_is_left_out(client, django_user_model):
    factories.DeploymentFactory(name="Secret plan", slug="secret-plan", publication_status="draft")
    agreement = factories.AgreementFactory(summary="Planned (deployment secret-plan). More.")
    content = client.get(agreement.get_absolute_url()).content.decode()
    assert "secret-plan" not in content and "Secret plan" not in content
    assert "Planned. More." in content


def test_prose_is_escaped_and_keeps_its_paragraphs(client):
    agreement = factories.AgreementFactory(summary="<script>x</script>\n\nSecond (place no-such-place).")
    content = client.get(agreement.get_absolute_url()).content.decode()
    assert "<script>x</script>" not in content and "&lt;script&gt;" in content
    assert "<p>Second.</p>" in content


def test_undated_records_come_last_in_date_sorts_both_ways(client):
    factories.DeploymentFactory(name="Undated", start=None, end=None, personnel_min=None, personnel_max=None)
    factories.DeploymentFactory(name="Dated", start="2009", end="2010", personnel_min=4, personnel_max=4)
    for sort in ("start", "personnel"):
        response = client.get("/deployments/", {"sort": sort})
        assert [d.name for d in response.context["object_list"]] == ["Dated", "Undated"], sort


def test_a_reversed_date_range_is_named_on_the_page_and_refused_by_the_api(client):
    factories.DeploymentFactory(name="Officers", start="2011")
    response = client.get("/deployments/", {"date_from": "2012-01-01", "date_to": "2010-01-01"})
    assert response.status_code == 200
    assert "before it begins" in response.content.decode()
    api = client.get("/api/v1/deployments/", {"date_from": "2012-01-01", "date_to": "2010-01-01"})
    assert api.status_code == 400 and "before it begins" in str(api.json()["date_to"])


def test_a_record_page_offers_its_citation_in_chicago_bibtex_and_ris(client):
    agreement = factories.AgreementFactory(title="Agreement on 50% of #1_costs {draft}", slug="costs")
    content = client.get(agreement.get_absolute_url()).content.decode()
    assert "Cite this page" in content
    updated = agreement.updated
    assert (
        f"Casefile. “Agreement on 50% of #1_costs {{draft}}.” Last modified {updated:%B} {updated.day}, "
        f"{updated.year}." in content.replace("&quot;", '"')
    )
    assert "http://testserver/agreements/costs/." in content
    assert r"title = {{Agreement on 50\% of \#1\_costs \{draft\}}}" in content  # specials escaped, capitals kept
    assert "TY  - ELEC" in content and "UR  - http://testserver/agreements/costs/" in content


def test_a_list_page_links_downloads_of_every_matching_record(client):
    factories.SourceFactory(title="Steppe Eagle report", slug="steppe-report")
    factories.SourceFactory(title="Unrelated", slug="unrelated")
    response = client.get("/sources/", {"q": "Steppe", "sort": "title", "page": "1"})
    exports = dict(response.context["exports"])
    assert set(exports) == {"CSV", "BibTeX", "CSL-JSON", "RIS"}
    assert "sort=" not in exports["CSV"] and "page=" not in exports["CSV"]
    for label, url in exports.items():
        body = b"".join(client.get(url).streaming_content if label == "CSV" else [client.get(url).content])
        assert b"steppe-report" in body or b"Steppe Eagle report" in body, label
        assert b"Unrelated" not in body, label
    assert 'href="/api/v1/sources/?q=Steppe&amp;format=csv" download' in response.content.decode()


def test_the_case_files_encoding_notes_are_not_printed_for_readers(client):
    from django.core.management import call_command

    call_command("load_casefile", verbosity=0)
    page = client.get("/sources/reuters-2011-06-09-senate-rejects/").content.decode()
    assert "encoding guide" not in page
    assert "established news agency" in page  # the grade's reason is for readers


def test_a_place_lists_the_events_that_touched_it_not_only_those_filed_under_it(client):
    from django.core.management import call_command

    call_command("load_casefile", verbosity=0)
    manas = client.get("/places/manas-transit-center/")
    titles = [row["title"] for row in manas.context["happenings"]]
    assert "First tanker flight on the Arctic route: KC-135 from Fairchild to Manas" in titles
    event = client.get("/events/kc135-first-tanker-flight-2011-06/").content.decode()
    assert "Also at" in event and 'href="/places/fairchild-afb/"' in event
    api = client.get("/api/v1/events/", {"place": "fairchild-afb"}).json()
    assert [e["slug"] for e in api["results"]] == ["kc135-first-tanker-flight-2011-06"]


def test_recently_updated_means_changed_by_an_editor_not_loaded_with_the_case_file(client, django_user_model):
    from django.core.management import call_command

    from apps.agreements.models import Agreement, AgreementStep
    from apps.core import services
    from apps.events.models import Event

    call_command("load_casefile", verbosity=0)
    overview = client.get("/")
    assert overview.context["recent"] == []
    assert "No record has been changed since the case file was loaded" in overview.content.decode()
    page = client.get("/agreements/isaf-participation-agreement/").content.decode()
    assert "In the case file since" in page and "Last changed" not in page

    editor = django_user_model.objects.create_superuser("editor", password="x")
    event = services.record_save(Event.objects.get(slug="kc135-first-tanker-flight-2011-06"), user=editor)
    step = AgreementStep.objects.filter(agreement__slug="isaf-participation-agreement").first()
    step.description = "Corrected."
    services.record_save(step, user=editor)  # a line changed: its agreement was changed
    recent = client.get("/").context["recent"]
    assert [record.slug for record in recent] == ["isaf-participation-agreement", event.slug]
    listed = client.get("/agreements/", {"sort": "updated"}).context["object_list"]
    assert listed[0].slug == "isaf-participation-agreement"
    assert Agreement.objects.exclude(edited=None).count() == 1
    assert "Last changed" in client.get("/agreements/isaf-participation-agreement/").content.decode()
