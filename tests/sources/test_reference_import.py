"""Importing references: files made elsewhere (Zotero, EndNote, JabRef), bad files and bad
entries (named, nothing half-written), matching, and the three ways in: the command, the
admin's upload with its preview, and the API."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from apps.sources.management.commands.import_references import Command
from apps.sources.models import Source
from apps.sources.references import ReferenceError
from apps.sources.services import sources_import
from tests import factories

pytestmark = pytest.mark.django_db

ZOTERO_BIBTEX = r"""
@article{mcdermott_kazakhstans_2011,
	title = {Kazakhstan's {Partnership} with {NATO}: 50\% \& more},
	volume = {24},
	url = {https://example.org/jsms?id=1&x=2},
	number = {1},
	journal = {Journal of Slavic Military Studies},
	author = {McDermott, Roger N. and G{\"u}nther, J{\"o}rg and {Interfax-Kazakhstan}},
	month = mar,
	year = {2011},
	pages = {43--54},
}

@book{nazarbayev_2003,
  author = {Nursultan Nazarbayev},
  title = {The Critical Decade},
  publisher = {First Books},
  address = {London},
  year = 2003
}
"""

ENDNOTE_RIS = """TY  - RPRT
AU  - Katzman, Kenneth
TI  - Afghanistan: Post-War Governance, Security, and U.S. Policy
PB  - Congressional Research Service
CY  - Washington, D.C.
PY  - 2007
DA  - 2007/01/11
UR  - http://example.org/rl30588.pdf
ER  -

TY  - NEWS
TI  - Kazakh Senate Rejects ISAF Agreement
T2  - Interfax-Kazakhstan
DA  - 2011/06/09/
LA  - en
ER  -
"""

ZOTERO_CSL = [
    {
        "id": "http://zotero.org/users/1/items/ABCD",
        "type": "article-newspaper",
        "title": "Kazakhstan to Send Officers to ISAF",
        "container-title": "RIA Novosti",
        "issued": {"date-parts": [["2011", "5", "23"]]},
        "language": "ru",
    }
]


def test_a_zotero_bibtex_file_becomes_draft_sources():
    report = sources_import(ZOTERO_BIBTEX, user=None, filename="My Library.bib")
    assert report.reference_format == "bibtex" and len(report.created) == 2
    article = Source.objects.get(slug="mcdermott_kazakhstans_2011")
    assert article.kind == "journal_article"
    assert article.title == "Kazakhstan's Partnership with NATO: 50% & more"
    assert article.author_list == ["McDermott, Roger N.", "Günther, Jörg", "Interfax-Kazakhstan"]
    assert (article.container_title, article.volume, article.issue, article.pages) == (
        "Journal of Slavic Military Studies", "24", "1", "43–54"
    )
    assert str(article.date) == "March 2011"
    assert article.url == "https://example.org/jsms?id=1&x=2"
    assert article.publication_status == "draft"
    assert article.history.get().history_change_reason.startswith("Imported from BibTeX: @article{")
    book = Source.objects.get(slug="nazarbayev_2003")
    assert (book.kind, book.author_list, book.publisher_place, str(book.date)) == (
        "book", ["Nazarbayev, Nursultan"], "London", "2003"
    )


def test_an_endnote_ris_file_and_a_zotero_csl_json_file_become_draft_sources():
    sources_import(ENDNOTE_RIS, user=None, filename="export.ris")
    report = Source.objects.get(title__startswith="Afghanistan")
    assert (report.kind, report.author_list, report.publisher, report.publisher_place) == (
        "report", ["Katzman, Kenneth"], "Congressional Research Service", "Washington, D.C."
    )
    assert str(report.date) == "11 January 2007"
    news = Source.objects.get(title="Kazakh Senate Rejects ISAF Agreement")
    assert (news.kind, news.container_title, str(news.date), news.slug) == (
        "news_report", "Interfax-Kazakhstan", "9 June 2011", "kazakh-senate-rejects-isaf-agreement"
    )
    sources_import(json.dumps(ZOTERO_CSL), user=None)
    ria = Source.objects.get(container_title="RIA Novosti")
    assert (ria.kind, str(ria.date), ria.language) == ("news_report", "23 May 2011", "ru")
    assert ria.slug == "kazakhstan-to-send-officers-to-isaf"  # the Zotero URI is no slug


def test_sources_already_there_are_matched_by_url_or_by_title_and_year_and_left_alone():
    by_url = factories.SourceFactory(url="https://www.example.org/jsms?id=1&x=2/", title="Other words")
    by_title = factories.SourceFactory(title="The critical decade.", date="2003", publisher="")
    report = sources_import(ZOTERO_BIBTEX, user=None, reference_format="bibtex")
    assert not report.created
    assert [(label, source.pk) for label, source in report.matched] == [
        ("@article{mcdermott_kazakhstans_2011}", by_url.pk),
        ("@book{nazarbayev_2003}", by_title.pk),
    ]
    by_title.refresh_from_db()
    assert by_title.publisher == ""


def test_a_key_held_by_another_work_gives_the_new_source_a_slug_of_its_own():
    factories.SourceFactory(slug="nazarbayev_2003", title="Something else", date="1999")
    sources_import(ZOTERO_BIBTEX, user=None)
    assert Source.objects.get(title="The Critical Decade").slug == "the-critical-decade"


@pytest.mark.parametrize(
    ("text", "reference_format", "words"),
    [
        ("@article{broken,\n  title = {Unclosed\n", "bibtex", "line 1"),
        ("TY  - JOUR\nTI  - No end\n", "ris", "record starting on line 1 has no end line"),
        ('[{"type": "book", "title": "x"', "csl-json", "not JSON"),
        ('{"not": "items"}', "csl-json", None),
        ("Just some words", None, "neither BibTeX, RIS nor CSL-JSON"),
        ("@comment{nothing here}", "bibtex", "holds no reference"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_words(text, reference_format, words):
    with pytest.raises((ReferenceError, ValidationError)) as refusal:
        sources_import(text, user=None, reference_format=reference_format)
    if words:
        assert words in str(refusal.value)
    assert not Source.objects.exists()


def test_refused_entries_are_named_and_nothing_is_half_written():
    text = ZOTERO_BIBTEX + r"""
@misc{no_title, year = {2011}}
@online{script, title = {Click}, url = {javascript:alert(1)}}
@misc{bad_date, title = {When}, date = {the 31st of Smarch}}
"""
    with pytest.raises(ValidationError) as refusal:
        sources_import(text, user=None)
    messages = refusal.value.messages
    assert any(m.startswith("@misc{no_title}: title:") for m in messages)
    assert any(m.startswith("@online{script}: url:") for m in messages)
    assert any(m.startswith("@misc{bad_date}:") and "Smarch" in m for m in messages)
    assert not Source.objects.exists()


def test_the_command_explains_itself_and_imports_with_a_dry_run_first(tmp_path):
    help_text = Command().create_parser("manage.py", "import_references").format_help()
    assert "--format {bibtex,ris,csl-json}" in help_text and "--dry-run" in help_text and "draft" in help_text
    path = tmp_path / "library.bib"
    path.write_text(ZOTERO_BIBTEX, encoding="utf-8")
    out = io.StringIO()
    call_command("import_references", str(path), "--dry-run", "--no-progress", stdout=out)
    assert "Would create 2 source(s) from BibTeX" in out.getvalue()
    assert not Source.objects.exists()
    call_command("import_references", str(path), "--no-progress", stdout=out)
    assert Source.objects.count() == 2
    call_command("import_references", str(path), "--no-progress", stdout=out)
    assert "Matched @book{nazarbayev_2003} → nazarbayev_2003" in out.getvalue()
    assert Source.objects.count() == 2


def test_the_command_refuses_a_bad_file_without_a_traceback(tmp_path):
    path = tmp_path / "latin1.ris"
    path.write_bytes("TY  - BOOK\nTI  - Ça\nER  - \n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_references", str(path), "--no-progress")
    path.write_text("TY  - BOOK\nTI  - \nER  - \n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"nothing imported\.\nRIS record 1 \(line 1\): title:"):
        call_command("import_references", str(path), "--no-progress")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_references", str(tmp_path / "missing.bib"))


@pytest.fixture
def admin_analyst(client, db):
    call_command("setup_roles", verbosity=0)
    client.force_login(factories.UserFactory(groups=["Analyst"]))
    return client


def test_the_admin_previews_an_upload_then_imports_it_on_confirmation(admin_analyst):
    changelist = admin_analyst.get(reverse("admin:sources_source_changelist")).content.decode()
    url = reverse("admin:sources_source_import")
    assert f'href="{url}"' in changelist
    upload = io.BytesIO(ENDNOTE_RIS.encode())
    upload.name = "endnote.ris"
    preview = admin_analyst.post(url, {"file": upload, "reference_format": ""})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Would create 2 source(s) from RIS" in html and "Kazakh Senate Rejects ISAF Agreement" in html
    assert not Source.objects.exists()
    confirm = preview.context["confirm_form"]
    done = admin_analyst.post(
        url, {"text": confirm.initial["text"], "filename": "endnote.ris", "reference_format": "", "confirm": "1"}
    )
    assert done.status_code == 302
    assert set(Source.objects.values_list("publication_status", flat=True)) == {"draft"}
    assert Source.objects.count() == 2


def test_the_admin_shows_refused_entries_as_form_errors(admin_analyst):
    upload = io.BytesIO(b"TY  - BOOK\nTI  - \nER  - \n")
    upload.name = "bad.ris"
    response = admin_analyst.post(reverse("admin:sources_source_import"), {"file": upload})
    assert response.status_code == 200
    assert "RIS record 1 (line 1): title: This field cannot be blank." in response.content.decode()
    assert not Source.objects.exists()


def test_the_admin_import_is_for_those_who_may_add_sources(client, db):
    client.force_login(factories.UserFactory())  # staff, no permission
    assert client.get(reverse("admin:sources_source_import")).status_code == 403


def test_the_api_imports_a_file_and_answers_400_naming_refused_entries(analyst, anonymous):
    url = "/api/v1/sources/import/"
    dry = analyst.post(url, {"file": _upload(ZOTERO_BIBTEX, "lib.bib"), "dry_run": "true"}, format="multipart")
    assert dry.status_code == 200 and dry.json()["dry_run"] is True and not Source.objects.exists()
    done = analyst.post(url, {"file": _upload(ZOTERO_BIBTEX, "lib.bib")}, format="multipart")
    assert done.status_code == 201
    body = done.json()
    assert [item["source"]["slug"] for item in body["created"]] == ["mcdermott_kazakhstans_2011", "nazarbayev_2003"]
    assert body["created"][0]["source"]["publication_status"] == "draft"
    again = analyst.post(url, {"file": _upload(ZOTERO_BIBTEX, "lib.bib")}, format="multipart")
    assert again.status_code == 200 and len(again.json()["matched"]) == 2

    bad = analyst.post(url, {"file": _upload("TY  - BOOK\nTI  - \nER  - \n", "x.ris")}, format="multipart")
    assert bad.status_code == 400
    assert "RIS record 1 (line 1): title: This field cannot be blank." in bad.json()["file"][0]
    unreadable = analyst.post(url, {"file": _upload("plain words", "x.txt")}, format="multipart")
    assert unreadable.status_code == 400 and "neither BibTeX" in unreadable.json()["file"][0]
    assert analyst.post(url, {}, format="multipart").status_code == 400
    assert anonymous.post(url, {"file": _upload(ZOTERO_BIBTEX, "lib.bib")}, format="multipart").status_code in (
        401,
        403,
    )
    assert Source.objects.count() == 2


def _upload(text, name):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload
