import pytest
from django.core.exceptions import ValidationError

from tests.factories import EventFactory, EventParticipantFactory


@pytest.mark.django_db
def test_event_with_actors_in_roles(kazakhstan):
    visit = EventFactory(title="Petraeus visits Kazakhstan", date="14 January 2009")
    EventParticipantFactory(event=visit, actor=kazakhstan, role="host")
    assert [str(p) for p in visit.involvements.all()] == ["Kazakhstan (Host)"]
    assert str(visit.date) == "14 January 2009"


@pytest.mark.django_db
def test_end_needs_a_start():
    event = EventFactory.build(date=None, end="6 June 2011")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "date" in error.value.message_dict
