"""The case file's sources out to BibTeX, RIS and CSL-JSON and back into an empty database:
the second export is the first, byte for byte, and every field a format can hold survives
(``references.DROPPED`` lists, once, what each cannot hold: the README's table reads it too)."""

from pathlib import Path

import bibtexparser
import pytest
import rispy
from django.conf import settings
from django.core.management import call_command

from apps.citations.models import Citation
from apps.sources.models import Source
from apps.sources.references import DROPPED, FORMATS, REFERENCE_FIELDS, bibtex_text, latex_text, reference_table
from apps.sources.services import sources_import
from apps.whole_case.models import Collection
from tests import factories

pytestmark = pytest.mark.django_db


def exported(client, reference_format):
    response = client.get(f"/api/v1/sources/?format={reference_format}")
    assert response.status_code == 200
    return response.content.decode("utf-8")


def comparable(source, name):
    value = getattr(source, name)
    if name in ("authors", "editors"):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return value


@pytest.fixture
def casefile_sources(db):
    call_command("load_casefile", verbosity=0)
    return {source.slug: source for source in Source.objects.all()}


def empty_sources():
    # What holds on to a source (its citations, a collection naming it) goes first.
    Citation.objects.all().delete()
    Collection.objects.all().delete()
    Source.objects.all().delete()


@pytest.mark.parametrize("reference_format", FORMATS)
def test_the_case_file_round_trips_through_each_format(analyst, casefile_sources, reference_format):
    first = exported(analyst, reference_format)
    empty_sources()

    report = sources_import(first, user=None, reference_format=reference_format)

    assert len(report.created) == len(casefile_sources) and not report.matched
    assert exported(analyst, reference_format) == first
    kept = [name for name in REFERENCE_FIELDS if name not in DROPPED[reference_format]]
    for source in Source.objects.all():
        original = casefile_sources[source.slug]
        for name in kept:
            assert comparable(source, name) == comparable(original, name), (source.slug, name)
        assert source.publication_status == "draft"

    again = sources_import(first, user=None, reference_format=reference_format)
    assert not again.created
    assert sorted(source.slug for _, source in again.matched) == sorted(casefile_sources)


def test_the_case_file_parses_in_bibtexparser_and_rispy_with_capitals_kept(analyst, casefile_sources):
    library = bibtexparser.parse_string(exported(analyst, "bibtex"))
    assert not library.failed_blocks
    entries = {entry.key: entry for entry in library.entries}
    assert len(entries) == len(casefile_sources)
    paper = entries["vigilant-eagle-paper"].fields_dict["title"].value
    assert paper == "{Vigilant} {Eagle:} {Kazakhstan's} {Assistance} to {ISAF} in {Afghanistan}"
    for slug, entry in entries.items():
        assert latex_text(entry.fields_dict["title"].value) == casefile_sources[slug].title
        for word in casefile_sources[slug].title.split():
            if any(character.isupper() for character in word):  # every capitalised word, braced
                assert "{" + bibtex_text(word) + "}" in entry.fields_dict["title"].value, (slug, word)

    records = rispy.loads(exported(analyst, "ris"), delimiter_tags_mapping={})
    assert {record["id"]: record["title"] for record in records} == {
        slug: source.title for slug, source in casefile_sources.items()
    }


def test_the_readme_shows_the_table_of_what_each_format_keeps():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert reference_table() in readme


# As written → as read back: every precision a format can hold survives; part of a year
# narrows to the year (``references.NARROWED``).
DATES = {
    "9 June 2011": "9 June 2011",
    "May 2011": "May 2011",
    "winter 2010": "winter 2010",
    "c. spring 2011": "c. spring 2011",
    "2006–2008": "2006–2008",
    "c. 2007": "c. 2007",
    "late 2009": "2009",
}


@pytest.mark.parametrize("reference_format", FORMATS)
def test_every_date_precision_round_trips_and_part_of_a_year_narrows_to_the_year(analyst, reference_format):
    for index, written in enumerate(DATES):
        factories.SourceFactory(slug=f"dated-{index}", title=f"Dated {index}", date=written, accessed=written)
    text = exported(analyst, reference_format)
    Source.objects.all().delete()

    sources_import(text, user=None, reference_format=reference_format)

    for index, read in enumerate(DATES.values()):
        source = Source.objects.get(slug=f"dated-{index}")
        assert (str(source.date), str(source.accessed)) == (read, read)


@pytest.mark.parametrize("reference_format", FORMATS)
def test_names_a_format_could_split_come_back_whole(analyst, reference_format):
    authors = "Smith and Sons, Ltd\nKing, Martin Luther, Jr.\nNATO & Partners\nÖzdemir, Ayşe"
    factories.SourceFactory(slug="names", title="Names", authors=authors, editors="Weitz, Richard")
    text = exported(analyst, reference_format)
    Source.objects.all().delete()

    sources_import(text, user=None, reference_format=reference_format)

    source = Source.objects.get(slug="names")
    assert (source.author_list, source.editors) == (authors.splitlines(), "Weitz, Richard")
