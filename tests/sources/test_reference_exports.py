"""A single source and the list as BibTeX, CSL-JSON and RIS: real files, named and typed for
reference managers, that bibtexparser and rispy read back with capitals and specials intact."""

import json

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = "NATO & ISAF: 50% of $1 #2 a_b {braced} ~tilde ^caret \\back — Қазақстан’s Progress"


@pytest.fixture
def article():
    return factories.SourceFactory(
        slug="mcdermott-2011-nato",
        kind="journal_article",
        authors="McDermott, Roger N.\nÖzdemir, Ayşe",
        title=HOSTILE_TITLE,
        container_title="Journal of Slavic Military Studies",
        volume="24",
        issue="1",
        pages="43–54",
        date="spring 2011",
        url="https://example.org/jsms?id=1&x=2;y=3",
        accessed="2012-03-04",
    )


@pytest.mark.parametrize(
    ("reference_format", "media_type", "extension"),
    [
        ("bibtex", "application/x-bibtex", "bib"),
        ("csl-json", "application/vnd.citationstyles.csl+json", "json"),
        ("ris", "application/x-research-info-systems", "ris"),
    ],
)
def test_a_single_source_downloads_in_each_reference_format(
    anonymous, article, reference_format, media_type, extension
):
    response = anonymous.get(f"/api/v1/sources/{article.slug}/?format={reference_format}")
    assert response.status_code == 200
    assert response["Content-Type"] == f"{media_type}; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{article.slug}.{extension}"'
    listed = anonymous.get(f"/api/v1/sources/?format={reference_format}")
    assert listed["Content-Type"] == f"{media_type}; charset=utf-8"
    assert listed["Content-Disposition"] == f'attachment; filename="sources.{extension}"'


def test_a_single_source_as_bibtex_is_one_entry_with_its_capitals_protected(anonymous, article):
    text = anonymous.get(f"/api/v1/sources/{article.slug}/?format=bibtex").content.decode("utf-8")
    assert '"slug"' not in text, "an entry, not the JSON in a comment"
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    [entry] = library.entries
    assert (entry.entry_type, entry.key) == ("article", article.slug)
    title = entry.fields_dict["title"].value
    assert title.startswith(r"{NATO} \& {ISAF:} 50\% of \$1 \#2 a\_b \textbraceleft{}braced\textbraceright{}")
    assert r"\textasciitilde{}tilde \textasciicircum{}caret \textbackslash{}back — {Қазақстан’s} {Progress}" in title
    assert entry.fields_dict["author"].value == "McDermott, Roger N. and Özdemir, Ayşe"
    assert entry.fields_dict["date"].value == "2011-21"  # spring, ISO 8601-2
    assert entry.fields_dict["url"].value == article.url
    assert entry.fields_dict["urldate"].value == "2012-03-04"


def test_a_single_source_as_csl_json_is_an_array_of_one_item(anonymous, article):
    items = json.loads(anonymous.get(f"/api/v1/sources/{article.slug}/?format=csl-json").content)
    assert [item["id"] for item in items] == [article.slug]
    assert items[0]["title"] == HOSTILE_TITLE


def test_a_single_source_as_ris_parses_in_rispy_with_capitals_kept(anonymous, article):
    text = anonymous.get(f"/api/v1/sources/{article.slug}/?format=ris").content.decode("utf-8")
    assert text.startswith("TY  - JOUR\n")
    [record] = rispy.loads(text, delimiter_tags_mapping={})
    assert record["title"] == HOSTILE_TITLE
    assert record["authors"] == ["McDermott, Roger N.", "Özdemir, Ayşe"]
    assert record["secondary_title"] == "Journal of Slavic Military Studies"
    assert (record["start_page"], record["end_page"]) == ("43", "54")
    assert (record["year"], record["date"]) == ("2011", "2011///spring 2011")
    assert record["urls"] == [article.url]
    assert record["access_date"] == "2012/03/04/"


def test_a_draft_or_unknown_source_is_a_404_in_every_reference_format(anonymous):
    draft = factories.SourceFactory(publication_status="draft", title="Secret Draft")
    for reference_format in ("bibtex", "csl-json", "ris"):
        for slug in (draft.slug, "no-such-source"):
            response = anonymous.get(f"/api/v1/sources/{slug}/?format={reference_format}")
            assert response.status_code == 404
            assert "Secret Draft" not in response.content.decode()


def test_the_list_as_ris_holds_every_visible_source_with_the_filters(anonymous):
    books = factories.SourceFactory.create_batch(3, kind="book", publisher="Routledge")
    factories.SourceFactory(kind="news_report")
    factories.SourceFactory(kind="book", publication_status="draft")
    text = anonymous.get("/api/v1/sources/?format=ris&kind=book").content.decode("utf-8")
    records = rispy.loads(text, delimiter_tags_mapping={})
    assert sorted(record["id"] for record in records) == sorted(book.slug for book in books)
    assert {record["type_of_reference"] for record in records} == {"BOOK"}


def test_the_list_page_and_the_bibliography_offer_every_reference_download(client):
    factories.SourceFactory()
    api = reverse("sources-api:source-list")
    for page in (reverse("sources:list") + "?kind=book", reverse("sources:bibliography")):
        html = client.get(page).content.decode()
        for reference_format, label in (("bibtex", "BibTeX"), ("ris", "RIS"), ("csl-json", "CSL-JSON")):
            assert f'{api}?' in html and f"format={reference_format}" in html and f">{label}</a>" in html
    assert "kind=book&amp;format=ris" in client.get(reverse("sources:list") + "?kind=book").content.decode()


def test_an_empty_list_is_still_a_typed_file_in_every_reference_format(anonymous):
    for reference_format in ("bibtex", "csl-json", "ris"):
        response = anonymous.get(f"/api/v1/sources/?format={reference_format}&kind=dataset")
        assert response.status_code == 200
        assert response.content.strip() in (b"[]", b"", b"% Casefile: 0 source(s) as BibTeX")
        assert response["Content-Type"].endswith("charset=utf-8")


def test_a_renamed_source_in_a_reference_format_moves_like_its_json(anonymous, article, superuser_user):
    from apps.core import services

    old_slug = article.slug
    article.slug = "mcdermott-2011-nato-partnership"
    services.record_save(article, user=superuser_user, change_message="Renamed")
    response = anonymous.get(f"/api/v1/sources/{old_slug}/?format=ris")
    assert response.status_code == 301
    assert "/api/v1/sources/mcdermott-2011-nato-partnership/" in response["Location"]
