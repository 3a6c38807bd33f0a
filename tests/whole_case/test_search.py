"""Search over the real case file: what readers type finds what they mean, on both databases.

The slugs asserted are the records the paper means: "Nazarbaev" is the President,
Nursultan Nazarbayev (the paper spells him so); the paper's lower house is the Majlis
(its website's address spells it "mazhilis"); Manas is the U.S. "Manas Transit Center"
in Kyrgyzstan (the paper never says "air base"); Kazakhstan "officially joins the
Partnership for Peace" in 1995 (Table 1), the membership recorded as an affiliation;
"Steppe Eagle 2008" is that edition of the exercise; Aktobe is the city.
"""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.actors.models import Actor, Affiliation
from apps.core import services
from apps.whole_case.models import SearchEntry
from apps.whole_case.registry import searchable_types
from apps.whole_case.search import search, similarity, trigrams
from tests import factories

pytestmark = pytest.mark.usefixtures("loaded_casefile", "db")

WHAT_READERS_MEAN = {
    "Nazarbaev": "nursultan-nazarbayev",
    "Mazhilis": "majlis",
    "Manas air base": "manas-transit-center",
    "joins Partnership for Peace": "aff-kazakhstan-pfp",
    "Steppe Eagle 2008": "steppe-eagle-2008",
    "Aktobe": "aktobe",
}


def listed(groups):
    """Slugs in the order a reader reads them: kind by kind, as the page lists them."""
    return [hit.record.slug for group in groups for hit in group.hits]


def api_listed(body):
    return [hit["slug"] for key in body["order"] for hit in body["results"][key]["results"]]


@pytest.mark.parametrize("q", list(WHAT_READERS_MEAN))
def test_what_readers_type_finds_what_they_mean_in_the_first_three(client, q):
    meant = WHAT_READERS_MEAN[q]
    page = client.get("/search/", {"q": q})
    assert meant in listed(page.context["groups"])[:3], listed(page.context["groups"])[:6]
    body = client.get("/api/v1/search/", {"q": q}).json()
    assert api_listed(body)[:3] == listed(page.context["groups"])[:3]  # the same engine


def test_a_name_typed_in_full_comes_first():
    assert listed(search(None, "Aktobe").groups)[0] == "aktobe"
    found = search(None, "Mazhilis").groups[0].hits[0]
    assert (found.record.slug, found.match) == ("majlis", "alias")


def test_steppe_eagle_lists_the_exercises_before_the_actors(client):
    kinds = [group.key for group in client.get("/search/", {"q": "Steppe Eagle"}).context["groups"]]
    assert kinds.index("exercises") < kinds.index("actors")
    order = client.get("/api/v1/search/", {"q": "Steppe Eagle"}).json()["order"]
    assert order.index("exercises") < order.index("actors")


def test_a_misspelt_name_finds_the_record_and_offers_the_spelling_of_the_index():
    found = search(None, "Nazarbaev")
    assert found.suggestion == "Nazarbayev"
    assert found.groups[0].hits[0].match == "spelling"


def test_the_empty_result_suggests_a_close_spelling_from_the_index(client):
    page = client.get("/search/", {"q": "Nazarbaeff"})
    assert page.context["total"] == 0
    content = page.content.decode()
    assert "Nothing in the case file matches" in content
    assert 'Did you mean <a href="?q=Nazarbayev">Nazarbayev</a>?' in content
    assert client.get("/api/v1/search/", {"q": "Nazarbaeff"}).json()["suggestion"] == "Nazarbayev"
    # A word nothing resembles gets the plain hint, not an unrelated spelling.
    page = client.get("/search/", {"q": "qqqqxxxx"})
    assert page.context["suggestion"] == "" and "Did you mean" not in page.content.decode()


def test_the_pg_trgm_measure():
    assert trigrams("Cat") == {"  c", " ca", "cat", "at "}
    assert similarity("nazarbaev", "nazarbayev") == pytest.approx(8 / 13)


def test_snippets_are_escaped_and_mark_the_words_found(client):
    factories.EventFactory(
        slug="escaped", title="Zqxv briefing", summary="<script>alert(1)</script> the zqxv briefing & more"
    )
    hit = search(None, "zqxv").groups[0].hits[0]
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "<mark>zqxv</mark>" in hit.snippet and "&amp; more" in hit.snippet
    body = client.get("/api/v1/search/", {"q": "zqxv"}).json()
    assert body["results"]["events"]["results"][0]["snippet"] == str(hit.snippet)


def test_every_searchable_kind_of_the_registry_is_indexed():
    for record_type in searchable_types():
        indexed = SearchEntry.objects.filter(kind=record_type.key).count()
        assert indexed == record_type.model.objects.count(), record_type.key
    assert {t.key for t in searchable_types()} >= {"actors", "affiliations", "places", "sources"}


def test_sources_are_found_by_author():
    assert "mcdermott-2004-kazakhstans-peacekeeping-iraq" in listed(search(None, "McDermott").groups)


# --- drafts ---------------------------------------------------------------------------------


@pytest.fixture
def draft_world():
    """A draft actor, and a published one cited by a draft source."""
    factories.ActorFactory(slug="zqxv-draft", name="Zqxvbalekov", publication_status="draft")
    published = factories.ActorFactory(slug="plain-actor", name="Plain actor")
    secret = factories.SourceFactory(slug="secret-source", title="Secret memo", publication_status="draft")
    factories.CitationFactory(actor=published, source=secret, passage="Qwzx passage from a draft source")


def staff_viewer():
    user = factories.StaffUserFactory(username="viewer")
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client = Client()
    client.force_login(user)
    return user, client


def test_drafts_never_appear_for_readers_nor_their_names(client, draft_world):
    # The words asked for are echoed back: the name typed in full is checked by its slug.
    assert "zqxv-draft" not in client.get("/search/", {"q": "Zqxvbalekov"}).content.decode()
    assert search(None, "Zqxvbalekov").total == 0
    for path in ("/search/", "/api/v1/search/", "/api/v1/search/suggest/"):
        for q in ("Zqxvbalekof", "zqxvb", "Qwzx"):
            text = client.get(path, {"q": q}).content.decode()
            assert "Zqxvbalekov" not in text and "zqxv-draft" not in text, (path, q)
            assert "passage from a draft source" not in text and "Secret memo" not in text, (path, q)
    assert search(None, "Zqxvbalekof").suggestion == ""


def test_an_affiliation_between_two_drafts_is_indexed_and_found_without_naming_either(client):
    member = factories.ActorFactory(slug="zqxv-member", name="Zqxvmember", publication_status="draft")
    body = factories.ActorFactory(slug="zqxv-body", name="Zqxvbody", publication_status="draft")
    factories.AffiliationFactory(member=member, organisation=body, role="Quorvant envoy", slug="quorvant")
    call_command("rebuild_search_index", "--no-progress")  # once raised: no side left to link to
    for path in ("/search/", "/api/v1/search/"):
        text = client.get(path, {"q": "Quorvant"}).content.decode()
        assert "Quorvant envoy" in text
        assert "zqxv" not in text.lower(), path


def test_staff_allowed_to_view_find_drafts(draft_world):
    user, client = staff_viewer()
    assert listed(search(user, "Zqxvbalekov").groups) == ["zqxv-draft"]
    assert search(user, "Zqxvbalekof").suggestion == "Zqxvbalekov"
    names = [item["name"] for item in client.get("/api/v1/search/suggest/", {"q": "zqxvb"}).json()["suggestions"]]
    assert names == ["Zqxvbalekov"]


# --- kept current ---------------------------------------------------------------------------


def test_a_save_updates_the_index_at_once():
    actor = Actor.objects.get(slug="kazbrig")
    actor.name = "Zqxv Peacekeeping Brigade"
    services.record_save(actor, expected_version=actor.version)
    assert listed(search(None, "Zqxv Peacekeeping Brigade").groups)[0] == "kazbrig"
    # Its affiliations are named after it, and follow.
    affiliation = Affiliation.objects.filter(member=actor).first()
    assert affiliation.slug in listed(search(None, "Zqxv").groups)
    call_command("setup_roles", verbosity=0)
    editor = factories.UserFactory(username="editor", groups=["Editor"], is_staff=True)
    services.record_unpublish(actor, user=editor)
    assert "kazbrig" not in listed(search(None, "Zqxv Peacekeeping Brigade").groups)


def test_a_new_citation_makes_its_passage_searchable_and_a_deletion_removes_the_record():
    place = factories.PlaceFactory(slug="qwzx-town", name="Qwzxtown")
    citation = factories.CitationFactory(actor=None, place=place, passage="The zqxvian garrison stood here.")
    # The passage is the place's, and a quotation from its source.
    assert sorted(listed(search(None, "zqxvian").groups)) == sorted(["qwzx-town", citation.source.slug])
    services.record_delete(citation, user=None)
    assert listed(search(None, "zqxvian").groups) == []
    services.record_delete(place, user=None)
    assert listed(search(None, "Qwzxtown").groups) == []


def test_rebuild_and_import_leave_the_index_current(tmp_path):
    SearchEntry.objects.all().delete()
    assert listed(search(None, "Aktobe").groups) == []
    call_command("rebuild_search_index", "--no-progress", verbosity=0)
    assert listed(search(None, "Aktobe").groups)[0] == "aktobe"
    backup = tmp_path / "casefile.json"
    call_command("export_casefile", str(backup), "--no-timestamp", verbosity=0)
    SearchEntry.objects.all().delete()
    call_command("import_casefile", str(backup), "--merge", "--no-progress", verbosity=0)
    assert listed(search(None, "Aktobe").groups)[0] == "aktobe"
    assert json.loads(backup.read_text())  # a real backup was read


def test_rebuild_search_index_explains_itself(capsys):
    with pytest.raises(SystemExit):
        call_command("rebuild_search_index", "--help")
    assert "Rewrite the search index" in capsys.readouterr().out


# --- cost -----------------------------------------------------------------------------------


def count(client, path, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params).status_code == 200
    return len(queries.captured_queries)


def test_a_search_runs_the_same_queries_however_many_records_match(client):
    def grow():
        for n in range(4):
            factories.ExerciseFactory(name=f"Steppe Eagle {2011 + n}")
            factories.EventFactory(title=f"Steppe Eagle opening {n}")
            factories.SourceFactory(title=f"Steppe Eagle report {n}")

    for path in ("/search/", "/api/v1/search/"):
        before = count(client, path, {"q": "Steppe Eagle"})
        grow()
        assert count(client, path, {"q": "Steppe Eagle"}) == before, path


def test_a_suggestion_is_one_query(client):
    # One for the suggestions, one for the case-file revision the reader cache keys by.
    assert count(client, "/api/v1/search/suggest/", {"q": "naz"}) == 2
    body = client.get("/api/v1/search/suggest/", {"q": "naz"}).json()
    assert body["suggestions"][0] == {
        "name": "Nursultan Nazarbayev",
        "type": "actors",
        "label": "actor",
        "page_url": "http://testserver/actors/nursultan-nazarbayev/",
    }
    assert client.get("/api/v1/search/suggest/", {"q": "n"}).json()["suggestions"] == []


def test_the_search_boxes_offer_suggestions_when_scripts_run(client):
    page = client.get("/search/", {"q": "Aktobe"}).content.decode()
    assert page.count('data-suggest="/api/v1/search/suggest/"') == 2  # the header's box and the page's
    assert '<script src="/static/js/search-suggest.js" defer></script>' in page
    script = (Path(__file__).resolve().parents[2] / "static/js/search-suggest.js").read_text()
    assert "datalist" in script and "http" not in script  # no third-party host
