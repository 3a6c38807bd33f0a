"""The timeline as a lazy sequence: counted, ordered and sliced in the database."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.whole_case.timeline import Timeline, date_span, timeline_entries
from tests import factories

from .test_views import story  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def titles(entries):
    return [entry.title for entry in entries]


def test_slices_count_and_order_agree_with_the_whole_list(story):  # noqa: F811
    everything = timeline_entries(AnonymousUser())
    timeline = Timeline(AnonymousUser())
    assert len(timeline) == timeline.count() == len(everything) == 6
    assert titles(timeline[2:5]) == titles(everything[2:5])
    assert timeline[0].title == "Kazakhstan joins Partnership for Peace"
    with pytest.raises(IndexError):
        timeline[6]  # noqa: B018
    assert timeline.years() == {1995: 1, 2007: 1, 2009: 1, 2011: 2, 2012: 1}


def test_last_is_the_entry_that_ends_last_and_the_span_runs_to_it(story):  # noqa: F811
    factories.EventFactory(title="Long talks", date="2006–2013")  # begins early, ends last
    timeline = Timeline(AnonymousUser())
    assert timeline.last().title == "Long talks"
    first, last = date_span(AnonymousUser())
    assert (first.earliest.year, last.latest.year) == (1995, 2013)
    assert date_span(AnonymousUser()) is not None and Timeline(AnonymousUser(), types=[]).count() == 0


def test_a_slice_reads_the_same_queries_however_many_entries_it_holds():
    for year in range(2000, 2010):
        factories.DeploymentFactory(start=str(year), end=str(year + 1))
        event = factories.EventFactory(date=str(year))
        factories.EventParticipantFactory(event=event)

    def queries(size):
        with CaptureQueriesContext(connection) as captured:
            entries = Timeline(AnonymousUser(), types=["deployment", "event"])[:size]
        assert len(entries) == size and all(entry.actors for entry in entries)
        return len(captured.captured_queries)

    assert queries(4) == queries(30)


def test_a_draft_actor_hides_the_affiliation_from_readers_not_from_staff(kazakhstan):
    hidden = factories.ActorFactory(name="Secret club", publication_status="draft")
    factories.AffiliationFactory(member=kazakhstan, organisation=hidden, start="2001")
    assert Timeline(AnonymousUser()).count() == 0
    staff = factories.StaffUserFactory(is_superuser=True)
    assert titles(Timeline(staff)) == ["Kazakhstan joins Secret club"]
