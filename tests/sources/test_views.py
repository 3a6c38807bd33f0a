"""The source pages: reference, grade, cited by, footnotes both ways; the bibliography."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper():
    return factories.SourceFactory(
        slug="vigilant-eagle-paper",
        kind="journal_article",
        title="Vigilant Eagle: Kazakhstan's Assistance to ISAF in Afghanistan",
        authors="McDermott, Roger N.",
        container_title="",
        date=None,
        reliability="B",
    )


@pytest.fixture
def report(paper):
    source = factories.SourceFactory(
        slug="interfax-senate",
        title="Kazakh Senate Rejects Agreement",
        container_title="Interfax-Kazakhstan",
        date="9 June 2011",
        reliability="C",
    )
    note = factories.NoteFactory(document=paper, number=80, text='"Kazakh Senate Rejects Agreement," *Interfax*.')
    note.cites.add(source)
    event = factories.EventFactory(title="The Senate votes", slug="senate-votes")
    factories.CitationFactory(source=source, note=note, actor=None, event=event, locator="n. 80", passage="Voted no.")
    return source


def test_source_page_gives_reference_grade_and_every_record_citing_it(client, report):
    content = client.get(reverse("sources:detail", args=[report.slug])).content.decode()
    assert "C – fairly reliable" in content
    assert "<i>Interfax-Kazakhstan</i>" in content  # the Chicago reference from the CSL processor
    assert reverse("events:detail", args=["senate-votes"]) in content and "Voted no." in content
    assert reverse("sources:detail", args=["vigilant-eagle-paper"]) + "#note-80" in content  # to the footnote


def test_paper_page_lists_its_footnotes_with_what_they_cite(client, report, paper):
    content = client.get(reverse("sources:detail", args=[paper.slug])).content.decode()
    assert 'id="note-80"' in content and "<em>Interfax</em>" in content
    assert reverse("sources:detail", args=["interfax-senate"]) in content  # and back to the source


def test_citation_to_a_draft_record_is_not_listed_for_readers(client, report):
    factories.CitationFactory(source=report, actor=factories.ActorFactory(name="Secret", publication_status="draft"))
    assert "Secret" not in client.get(reverse("sources:detail", args=[report.slug])).content.decode()


def test_bibliography_is_chicago_style_sorted_by_author(client, paper, report):
    factories.SourceFactory(title="Zebra Report", authors="Abbott, Anne", kind="report", container_title="")
    factories.SourceFactory(title="The Northern Route", authors="", kind="report", container_title="")
    content = client.get(reverse("sources:bibliography")).content.decode()
    # By author; a work without one goes by its title (leading article ignored), not first.
    order = ["Abbott, Anne", "Kazakh Senate Rejects", "McDermott, Roger N.", "The Northern Route"]
    assert [content.index(text) for text in order] == sorted(content.index(text) for text in order)
    assert "<i>Interfax-Kazakhstan</i>, June 9, 2011" in content


def test_list_counts_kinds_and_grades(client, paper, report):
    response = client.get(reverse("sources:list"))
    facets = {f.name: {o.value: o.count for o in f.options} for f in response.context["facets"]}
    assert facets["kind"] == {"news_report": 1, "journal_article": 1}
    assert facets["reliability"] == {"B": 1, "C": 1}
    filtered = client.get(reverse("sources:list"), {"reliability": "C"})
    assert [s.slug for s in filtered.context["object_list"]] == ["interfax-senate"]


def test_draft_is_hidden_from_readers_and_bannered_for_staff(assert_draft_only_for_staff):
    draft = factories.SourceFactory(publication_status="draft")
    assert_draft_only_for_staff(reverse("sources:detail", args=[draft.slug]))


def test_pages_run_the_same_queries_for_more_sources_citations_and_notes(assert_constant_queries, paper, report):
    def grow():
        for _ in range(4):
            source = factories.SourceFactory()
            note = factories.NoteFactory(document=paper)
            note.cites.add(source, report)
            factories.CitationFactory(source=report, actor=None, event=factories.EventFactory())
            factories.CitationFactory(source=report, actor=None, agreement_step=factories.AgreementStepFactory())

    grow()
    assert_constant_queries(reverse("sources:detail", args=[report.slug]), grow)
    assert_constant_queries(reverse("sources:detail", args=[paper.slug]), grow)
    assert_constant_queries(reverse("sources:list"), grow)
    assert_constant_queries(reverse("sources:bibliography"), grow)


def test_references_escape_what_the_analyst_typed(client):
    factories.SourceFactory(slug="odd", title="<script>alert(1)</script> & more", container_title="<b>Outlet</b>")
    for url in (reverse("sources:detail", args=["odd"]), reverse("sources:bibliography")):
        content = client.get(url).content.decode()
        assert "<script>alert(1)" not in content and "&lt;script&gt;alert(1)" in content
