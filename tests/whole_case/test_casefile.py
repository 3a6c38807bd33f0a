"""The default case file (the paper "Vigilant Eagle") loads whole, and reads back exactly."""

import datetime as dt

import pytest
from django.core.management import call_command

from apps.actors.models import Affiliation
from apps.agreements.models import Agreement
from apps.citations.models import Citation
from apps.core.choices import PublicationStatus
from apps.deployments.models import Deployment
from apps.events.models import Event
from apps.exercises.models import Exercise
from apps.sources.models import Note, Source
from apps.whole_case import integrity
from apps.whole_case.registry import casefile_models

# Footnotes of the paper that are pure commentary and cite no work.
COMMENTARY_FOOTNOTES = {3, 56, 79}


pytestmark = pytest.mark.usefixtures("loaded_casefile", "db")


def test_counts_match_the_manifest():
    assert integrity.counts() == integrity.manifest_counts()


def test_loading_twice_adds_no_duplicates():
    before = integrity.counts()
    call_command("load_casefile", verbosity=0)
    assert integrity.counts() == before


def test_every_loaded_record_has_its_first_history_entry():

    for model in casefile_models():
        if not hasattr(model, "history"):
            continue
        first = model.history.filter(history_type="+", history_change_reason="Loaded from the case file")
        assert first.count() == model.objects.count() > 0, model._meta.label
        assert set(first.values_list("id", flat=True)) == set(model.objects.values_list("id", flat=True))
        # The entry holds the record as loaded.
        record = model.objects.order_by("pk").first()
        assert first.get(id=record.pk).slug == record.slug


def test_loading_again_adds_one_history_entry_per_record():
    before = Agreement.history.count()
    call_command("load_casefile", verbosity=0)
    assert Agreement.history.count() == before + Agreement.objects.count()
    assert Agreement.history.filter(history_type="~").count() == Agreement.objects.count()


def test_every_record_is_valid_and_cites_a_source():
    assert integrity.validation_problems() == []
    assert integrity.uncited_records() == []


def test_no_source_is_orphaned():
    assert integrity.orphaned_sources() == []


def test_every_footnote_is_accounted_for():
    footnotes = Note.objects.filter(document__slug="vigilant-eagle-paper", kind="footnote")
    assert sorted(footnotes.values_list("number", flat=True)) == list(range(1, 99))
    uncited = {note.number for note in footnotes if not note.cites.exists()}
    assert uncited == COMMENTARY_FOOTNOTES
    assert integrity.footnote_problems() == []


def test_bibliography_entries_each_match_one_source():
    entries = Note.objects.filter(document__slug="vigilant-eagle-paper", kind="bibliography")
    assert entries.count() >= 70
    assert all(entry.cites.count() == 1 for entry in entries)
    assert len({entry.cites.get().pk for entry in entries}) == entries.count(), "a work is listed twice"


def test_ibid_resolves_to_the_previous_work():
    fn31, fn32 = (Note.objects.get(slug=f"vigilant-eagle-fn-{n:02d}") for n in (31, 32))
    assert set(fn32.cites.all()) == set(fn31.cites.all()) != set()


def test_several_works_in_one_footnote_are_several_sources():
    assert Note.objects.get(slug="vigilant-eagle-fn-29").cites.count() == 3
    assert Note.objects.get(slug="vigilant-eagle-fn-87").cites.count() == 3


def test_interviews_are_sources_with_place_and_date():
    interviews = Source.objects.filter(kind="interview")
    assert interviews.count() >= 7
    moscow = interviews.get(place__icontains="Moscow")
    assert str(moscow.date) == "October 2010"


def test_everything_is_published():
    for model in (Source, Agreement, Deployment, Event, Exercise, Affiliation):
        assert not model.objects.exclude(publication_status=PublicationStatus.PUBLISHED).exists()


def test_isaf_agreement_votes_read_back_exactly():
    agreement = Agreement.objects.get(slug="isaf-participation-agreement")
    steps = {step.kind: step for step in agreement.ordered_steps()}
    majlis, senate = steps["approved_by_chamber"], steps["rejected_by_chamber"]
    assert (majlis.date.precision, majlis.date.earliest) == ("day", dt.date(2011, 5, 18))
    assert majlis.acting_body.slug == "majlis"
    assert (senate.date.precision, senate.date.earliest) == ("day", dt.date(2011, 6, 9))
    assert senate.acting_body.slug == "senate-of-kazakhstan"
    assert agreement.lifecycle_status.startswith("Rejected by Senate")
    assert Citation.objects.filter(agreement_step=senate, note__number=87).exists()


def test_air_transit_law_supersedes_the_memoranda():
    law = Agreement.objects.get(slug="us-kazakhstan-air-transit-agreement-2010")
    assert [str(step.date) for step in law.ordered_steps()] == ["12 November 2010", "14 April 2011", "3 May 2011"]
    assert set(law.supersedes.values_list("slug", flat=True)) == {
        "us-kazakhstan-air-transit-mou-2001",
        "us-kazakhstan-air-transit-mou-2002",
    }
    assert law.transit_mode == "air"


def test_deployments_keep_personnel_as_stated():
    iraq = Deployment.objects.get(slug="kazakhstan-iraq-demining-element")
    assert (iraq.personnel_qualifier, iraq.personnel_max, iraq.personnel_display) == ("at_most", 27, "at most 27")
    assert (str(iraq.start), str(iraq.end)) == ("August 2003", "October 2008")
    isaf = Deployment.objects.get(slug="kazakhstan-isaf-hq-officers")
    assert (isaf.personnel_qualifier, isaf.personnel_min) == ("exact", 4)
    assert isaf.legal_basis.slug == "isaf-participation-agreement"
    assert isaf.roles.values("account").distinct().count() >= 2, "both accounts of the roles are kept"
    assert isaf.citations.filter(stance="disputes").exists(), "the Taliban's 'hundreds' claim is recorded"
    bmatt = Deployment.objects.get(slug="uk-bmatt-kazbrig-august-september-2009")
    assert (str(bmatt.start), str(bmatt.end), bmatt.personnel_min) == ("31 August 2009", "18 September 2009", 2)


def test_dates_keep_their_precision():
    sembinov = Affiliation.objects.get(slug="aff-bolat-sembinov-ministry-of-defence-kazakhstan")
    assert (sembinov.end.precision, str(sembinov.end)) == ("month", "November 2010")
    assert str(Affiliation.objects.get(slug="aff-kazakhstan-pfp").start) == "1995"
    assert str(Exercise.objects.get(slug="steppe-eagle-2008").start) == "September 2008"
    assert Exercise.objects.filter(series__slug="steppe-eagle").count() == 3


def test_table_one_milestones_are_present_with_their_years():
    table_one = Citation.objects.filter(source__slug="nato-kazakhstan-relations-web")
    years = set()
    for citation in table_one.select_related("event", "affiliation", "agreement_step"):
        record = citation.event or citation.affiliation or citation.agreement_step
        if record is not None:
            date = getattr(record, "date", None) or getattr(record, "start", None)
            if date is not None:
                years.add(date.earliest.year)
    assert {1992, 1995, 2002, 2004, 2005, 2006, 2007, 2008} <= years
