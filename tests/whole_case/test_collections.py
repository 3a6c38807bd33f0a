"""Collections: an ordered set of records as a source lists them (the paper's Table 1)."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.citations.models import Citation
from apps.core import services
from apps.whole_case import backup
from apps.whole_case.models import Collection, CollectionEntry
from apps.whole_case.timeline import Timeline
from tests import factories
from tests.integrity.test_backup import wipe

pytestmark = pytest.mark.django_db

TABLE_1 = "table-1-kazakhstan-nato-milestones"


@pytest.fixture
def milestones():
    """A collection of three entries: an event, an agreement step and an affiliation."""
    collection = factories.CollectionFactory(title="Milestones", slug="milestones")
    visit = factories.EventFactory(title="President visits NATO HQ", slug="visit", date="2007")
    step = factories.AgreementStepFactory(
        agreement=factories.AgreementFactory(short_title="First IPAP", slug="ipap"), kind="signed", date="2006"
    )
    membership = factories.AffiliationFactory(start="1995")
    factories.CollectionEntryFactory(collection=collection, position=3, label="Visit", stated_date="2007", event=visit)
    factories.CollectionEntryFactory(
        collection=collection, position=2, label="IPAP", stated_date="", event=None, agreement_step=step
    )
    factories.CollectionEntryFactory(
        collection=collection, position=1, label="Joins PfP", stated_date="1995", event=None, affiliation=membership
    )
    factories.EventFactory(title="Not a milestone", date="2008")
    return collection


# --- the model ------------------------------------------------------------------------------


@pytest.mark.parametrize("targets", [{}, {"event": True, "place": True}])
def test_an_entry_points_to_exactly_one_record_in_clean_and_in_the_database(milestones, targets):
    values = {"event": None}
    if "event" in targets:
        values["event"] = factories.EventFactory()
    if "place" in targets:
        values["place"] = factories.PlaceFactory()
    entry = CollectionEntry(collection=milestones, position=9, label="Odd", **values)
    with pytest.raises(ValidationError, match="exactly one record"):
        entry.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


def test_two_entries_cannot_share_a_position(milestones):
    entry = CollectionEntry(collection=milestones, position=1, label="Twice", event=factories.EventFactory())
    with pytest.raises(ValidationError, match="already has this position"):
        entry.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


def test_a_listed_record_cannot_be_deleted_until_it_leaves_the_collection(milestones):
    visit = milestones.entries.get(position=3).event
    with pytest.raises(ProtectedError):
        visit.delete()
    services.record_delete(milestones.entries.get(position=3), user=factories.StaffUserFactory())
    visit.delete()


# --- writing: the admin, through the services ----------------------------------------------


def test_the_admin_adds_a_collection_with_ordered_entries_and_refuses_an_entry_with_two_records(admin_client):
    from tests.admin.test_admin import form_data

    source = factories.SourceFactory()
    visit, opening = factories.EventFactory(title="Visit"), factories.EventFactory(title="Opening")
    add_url = reverse("admin:whole_case_collection_add")
    data = form_data(admin_client.get(add_url))
    data.update({"title": "Milestones table", "source": source.pk, "locator": "Table 1", "publication_status": "draft"})
    data.update({"entries-TOTAL_FORMS": "2", "entries-INITIAL_FORMS": "0"})
    data.update({"entries-0-position": "2", "entries-0-label": "Opening", "entries-0-event": opening.pk})
    data.update({"entries-1-position": "1", "entries-1-label": "Visit", "entries-1-stated_date": "2007"})
    data.update({"entries-1-event": visit.pk, "entries-1-place": factories.PlaceFactory().pk})
    refused = admin_client.post(add_url, data)
    assert refused.status_code == 200 and not Collection.objects.exists()
    assert "exactly one record" in refused.content.decode()

    del data["entries-1-place"]
    assert admin_client.post(add_url, data).status_code == 302
    collection = Collection.objects.get(title="Milestones table")
    assert collection.slug == "milestones-table"
    assert [(e.position, e.label) for e in collection.entries.order_by("position")] == [(1, "Visit"), (2, "Opening")]
    # Written through the services: one history row per row, naming the editor.
    entry_history = CollectionEntry.history.filter(collection_id=collection.pk)
    assert entry_history.count() == 2 and {row.history_user.username for row in entry_history} == {"admin"}
    change = admin_client.get(reverse("admin:whole_case_collection_change", args=[collection.pk]))
    inline = next(i for i in change.context["inline_admin_formsets"] if i.formset.model is CollectionEntry)
    assert [form.instance.label for form in inline.formset.initial_forms] == ["Visit", "Opening"]


# --- reading: the API and the page ----------------------------------------------------------


def test_api_detail_lists_the_entries_in_order_with_their_records(client, milestones):
    response = client.get("/api/v1/collections/milestones/")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Milestones" and data["locator"] == "Table 1"
    assert data["source"]["slug"] == milestones.source.slug
    assert [(e["position"], e["label"], e["kind"]) for e in data["entries"]] == [
        (1, "Joins PfP", "affiliation"),
        (2, "IPAP", "agreement step"),
        (3, "Visit", "event"),
    ]
    step = data["entries"][1]
    assert step["record"]["agreement"]["slug"] == "ipap" and step["date"]["display"] == "2006"
    assert step["record"]["name"] == "First IPAP: signed"  # the date stands beside it, once
    assert step["page_url"].endswith("/agreements/ipap/#step-" + step["record"]["slug"])
    assert data["entries"][2]["record"]["url"].endswith("/api/v1/events/visit/")


def test_api_list_gives_collections_without_entries_and_a_reader_no_drafts(client, milestones):
    factories.CollectionFactory(title="Unfinished list", publication_status="draft")
    data = client.get("/api/v1/collections/").json()
    assert [c["slug"] for c in data["results"]] == ["milestones"]
    assert "entries" not in data["results"][0]
    assert client.get("/api/v1/").json()["collections"].endswith("/api/v1/collections/")


def test_api_detail_and_page_read_the_same_queries_however_many_entries(client, milestones):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/collections/milestones/").status_code == 200
            assert client.get("/collections/milestones/").status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for position in range(4, 14):
        factories.CollectionEntryFactory(collection=milestones, position=position)
    assert queries() == few


def test_an_entry_pointing_to_a_draft_is_hidden_from_readers_not_from_staff(client, milestones):
    draft = factories.EventFactory(title="Secret talks", publication_status="draft")
    factories.CollectionEntryFactory(collection=milestones, position=4, label="Talks", event=draft)
    draft_agreement_step = factories.AgreementStepFactory(
        agreement=factories.AgreementFactory(publication_status="draft"), date="2009"
    )
    factories.CollectionEntryFactory(
        collection=milestones, position=5, label="Draft step", event=None, agreement_step=draft_agreement_step
    )
    assert [e["label"] for e in client.get("/api/v1/collections/milestones/").json()["entries"]] == [
        "Joins PfP",
        "IPAP",
        "Visit",
    ]
    page = client.get("/collections/milestones/").content.decode()
    assert "Secret talks" not in page and "Talks" not in page and "Visit" in page
    staff = factories.StaffUserFactory()
    client.force_login(staff)
    assert len(client.get("/api/v1/collections/milestones/").json()["entries"]) == 5
    assert "Secret talks" in client.get("/collections/milestones/").content.decode()


def test_the_page_lists_entries_in_order_linked_to_their_records(client, milestones):
    response = client.get(reverse("whole_case:collection", args=["milestones"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Joins PfP") < content.index("IPAP") < content.index("Visit")
    assert 'href="/events/visit/"' in content and 'href="/agreements/ipap/#step-' in content
    assert ">First IPAP: signed</a>" in content
    assert milestones.source.get_absolute_url() in content
    assert f'href="{reverse("whole_case:timeline")}?collection=milestones"' in content
    assert client.get("/collections/nothing-here/").status_code == 404


def test_a_draft_collection_is_not_found_by_readers(client):
    factories.CollectionFactory(slug="unfinished", publication_status="draft")
    assert client.get("/collections/unfinished/").status_code == 404
    assert client.get("/api/v1/collections/unfinished/").status_code == 404


# --- the timeline's collection filter and marks -------------------------------------------------


def test_the_timeline_keeps_only_the_collections_records_when_asked(client, milestones):
    titles = [entry.title for entry in Timeline(AnonymousUser(), collection=milestones)]
    assert "Not a milestone" not in titles and "President visits NATO HQ" in titles and len(titles) == 3
    api = client.get("/api/v1/timeline/", {"collection": "milestones"}).json()
    assert [entry["title"] for entry in api["results"]] == titles
    assert all(entry["collections"] == ["milestones"] for entry in api["results"])
    everything = client.get("/api/v1/timeline/").json()["results"]
    assert {e["title"]: e["collections"] for e in everything}["Not a milestone"] == []
    refused = client.get("/api/v1/timeline/", {"collection": "nothing-here"})
    assert refused.status_code == 400 and "collection" in refused.json()
    page = client.get(reverse("whole_case:timeline"), {"collection": "milestones"})
    assert page.context["total"] == 3 and page.context["collection"] == milestones
    assert 'class="tag tag--milestone"' in page.content.decode()


def test_the_dataset_holds_the_whole_timeline_in_one_response(client, milestones):
    for year in range(1990, 2020):
        factories.EventFactory(date=str(year))
    data = client.get("/api/v1/timeline/dataset/").json()
    assert len(data["entries"]) == Timeline(AnonymousUser()).count() == 34  # 30 + 4 of the story
    assert [c["slug"] for c in data["collections"]] == ["milestones"]
    visit = next(entry for entry in data["entries"] if entry["title"] == "President visits NATO HQ")
    assert visit["page_url"] == "/events/visit/" and visit["collections"] == ["milestones"]
    assert visit["date"]["earliest"] == "2007-01-01" and visit["date"]["latest"] == "2007-12-31"
    filtered = client.get("/api/v1/timeline/dataset/", {"collection": "milestones", "type": "event"}).json()
    assert [entry["title"] for entry in filtered["entries"]] == ["President visits NATO HQ"]
    assert client.get("/api/v1/timeline/dataset/", {"type": "nonsense"}).status_code == 400


# --- the case file's Table 1, its checks and backups ---------------------------------------------


@pytest.fixture
def casefile(db):
    call_command("load_casefile", verbosity=0)


def test_table_1_lists_its_fourteen_milestones_each_cited_to_table_1(casefile):
    table = Collection.objects.get(slug=TABLE_1)
    assert table.source.slug == "vigilant-eagle-paper" and table.locator == "Table 1" and table.is_published
    entries = list(table.entries.order_by("position"))
    assert [entry.position for entry in entries] == list(range(1, 15))
    assert [entry.stated_date for entry in entries][:6] == ["1992", "1995", "2002", "2002", "2004", "2005"]
    for entry in entries:
        # The record an entry points to rests on the paper's Table 1 for what the entry says.
        field = entry.target_field
        assert Citation.objects.filter(
            **{field: entry.target}, source__slug="vigilant-eagle-paper", locator="Table 1"
        ).exists(), entry.label
        assert entry.target.editorial_parent().is_published
    kinds = {entry.target_kind for entry in entries}
    assert kinds == {"affiliation", "agreement step", "event"}


def test_backups_round_trip_collections_and_their_entries(milestones, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("export_casefile", str(first), "--no-timestamp", "--no-progress", verbosity=0)
    document = json.loads(first.read_text())
    [exported] = document["records"]["whole_case.collection"]
    assert exported["slug"] == "milestones" and exported["source"] == milestones.source.slug
    rows = {row["label"]: row for row in document["records"]["whole_case.collectionentry"]}
    assert rows["IPAP"]["agreement_step"] and rows["IPAP"]["event"] is None and rows["Visit"]["event"] == "visit"
    wipe()
    assert backup.is_empty()
    call_command("import_casefile", str(first), "--no-progress", verbosity=0)
    call_command("export_casefile", str(second), "--no-timestamp", "--no-progress", verbosity=0)
    assert first.read_bytes() == second.read_bytes()
    assert [e.label for e in Collection.objects.get(slug="milestones").entries.order_by("position")] == [
        "Joins PfP",
        "IPAP",
        "Visit",
    ]

