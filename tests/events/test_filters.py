import pytest

from apps.events.filters import EventFilterSet
from apps.events.models import Event
from tests import factories

pytestmark = pytest.mark.django_db


def slugs(**params):
    filterset = EventFilterSet(params, queryset=Event.objects.with_related())
    assert filterset.is_valid(), filterset.errors
    return {record.slug for record in filterset.qs}


def test_event_filters(kazakhstan):
    astana = factories.PlaceFactory(slug="astana")
    visit = factories.EventFactory(slug="visit", kind="visit", date="May 2009", place=astana, summary="Petraeus visits")
    factories.EventParticipantFactory(event=visit, actor=kazakhstan, role="host")
    factories.EventFactory(slug="vote", kind="vote", date="9 June 2011", end="10 June 2011")
    assert slugs(kind=["visit"]) == slugs(place="astana") == {"visit"}
    assert slugs(participant="kazakhstan") == slugs(actor="kazakhstan") == {"visit"}
    assert slugs(participant="kazakhstan", role="host") == {"visit"}
    assert slugs(participant="kazakhstan", role="visitor") == set()
    assert slugs(q="petraeus") == {"visit"}
    # "May 2009" matches 2009-05-10…2009-06-30; a two-day vote matches its second day.
    assert slugs(date_from="2009-05-10", date_to="2009-06-30") == {"visit"}
    assert slugs(date_from="2011-06-10", date_to="2011-06-10") == {"vote"}
    assert slugs(date_from="2009-06-01") == {"vote"}
    assert [e.slug for e in EventFilterSet({"ordering": "-date"}, queryset=Event.objects.all()).qs] == ["vote", "visit"]
