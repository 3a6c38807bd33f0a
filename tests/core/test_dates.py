import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from apps.core.dates import PRECISIONS, PartialDate, overlapping
from apps.events.models import Event
from tests.factories import EventFactory

D = dt.date


@pytest.mark.parametrize(
    "text, earliest, latest, precision, display",
    [
        ("2011-06-09", D(2011, 6, 9), D(2011, 6, 9), "day", "9 June 2011"),
        ("9 June 2011", D(2011, 6, 9), D(2011, 6, 9), "day", "9 June 2011"),
        ("June 9, 2011", D(2011, 6, 9), D(2011, 6, 9), "day", "9 June 2011"),
        ("May 2009", D(2009, 5, 1), D(2009, 5, 31), "month", "May 2009"),
        ("2009-02", D(2009, 2, 1), D(2009, 2, 28), "month", "February 2009"),
        ("spring 2011", D(2011, 3, 1), D(2011, 5, 31), "season", "spring 2011"),
        ("Summer 2006", D(2006, 6, 1), D(2006, 8, 31), "season", "summer 2006"),
        ("winter 2010", D(2010, 12, 1), D(2011, 2, 28), "season", "winter 2010"),
        ("late 2005", D(2005, 9, 1), D(2005, 12, 31), "part", "late 2005"),
        ("early 2011", D(2011, 1, 1), D(2011, 4, 30), "part", "early 2011"),
        ("2011", D(2011, 1, 1), D(2011, 12, 31), "year", "2011"),
        ("2006–2008", D(2006, 1, 1), D(2008, 12, 31), "years", "2006–2008"),
        ("2004-07", D(2004, 7, 1), D(2004, 7, 31), "month", "July 2004"),
        ("2004–07", D(2004, 1, 1), D(2007, 12, 31), "years", "2004–2007"),
    ],
)
def test_parse_and_display(text, earliest, latest, precision, display):
    value = PartialDate.parse(text)
    assert (value.earliest, value.latest, value.precision) == (earliest, latest, precision)
    assert value.display() == display
    assert PartialDate.parse(value.to_storage()) == value


def test_circa_is_kept_and_shown():
    value = PartialDate.parse("c. 2007")
    assert value.circa and value.display() == "c. 2007"
    assert value.to_storage() == "2007-01-01/2007-12-31/year/c"
    assert PartialDate.parse(value.to_storage()).circa


@pytest.mark.parametrize("text", ["", "soon", "31 February 2011", "2011-13", "Smarch 2011", "2008–2006"])
def test_unreadable_dates_are_refused_with_a_clear_message(text):
    with pytest.raises(ValueError) as error:
        PartialDate.parse(text)
    if text:
        assert text in str(error.value) or "Empty" in str(error.value)


def test_ordering_is_by_earliest_then_latest():
    values = [PartialDate.parse(text) for text in ["2011", "9 June 2011", "May 2011", "spring 2011", "2010"]]
    assert [v.display() for v in sorted(values)] == ["2010", "2011", "spring 2011", "May 2011", "9 June 2011"]


def test_overlap_respects_precision():
    may = PartialDate.parse("May 2009")
    assert may.overlaps(D(2009, 5, 10), D(2009, 6, 30))
    assert may.overlaps(D(2009, 4, 1), D(2009, 5, 1))
    assert not may.overlaps(D(2009, 6, 1), D(2009, 6, 30))
    assert not may.overlaps(None, D(2009, 4, 30))


@pytest.mark.django_db
def test_database_filtering_and_sorting_respect_precision():
    EventFactory(slug="may", date="May 2009")
    EventFactory(slug="day", date="14 January 2009")
    EventFactory(slug="year", date="2008")
    EventFactory(slug="spring", date="spring 2011")
    in_range = Event.objects.filter(overlapping("date", D(2009, 5, 10), D(2009, 6, 30)))
    assert [e.slug for e in in_range] == ["may"]
    assert set(Event.objects.filter(overlapping("date", D(2011, 4, 1), None)).values_list("slug", flat=True)) == {
        "spring"
    }
    assert set(Event.objects.filter(overlapping("date", None, D(2008, 6, 1))).values_list("slug", flat=True)) == {
        "year"
    }
    assert list(Event.objects.order_by("date").values_list("slug", flat=True)) == ["year", "day", "may", "spring"]


@pytest.mark.django_db
def test_round_trip_through_the_database():
    event = EventFactory(date="spring 2011", end="c. 2012")
    event.refresh_from_db()
    assert event.date == PartialDate.season("spring", 2011)
    assert event.end.display() == "c. 2012"


@pytest.mark.django_db
def test_model_field_refuses_nonsense_with_validation_error():
    event = EventFactory.build(date="the other day")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "date" in error.value.message_dict


@pytest.mark.django_db
def test_database_refuses_end_before_start_even_without_validation():
    with transaction.atomic(), pytest.raises(IntegrityError):
        EventFactory(date="2011", end="2010")
    # a coarser end that can still fall after the start is allowed
    EventFactory(date="May 2011", end="2011")


@given(
    earliest=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    days=st.integers(min_value=0, max_value=4000),
    precision=st.sampled_from([code for code, _ in PRECISIONS]),
    circa=st.booleans(),
)
def test_stored_form_reads_back_as_it_was_written(earliest, days, precision, circa):
    date = PartialDate(earliest, earliest + dt.timedelta(days=days), precision, circa)
    stored = date.to_storage()
    assert PartialDate.from_storage(stored) == date == PartialDate.parse(stored)


@pytest.mark.parametrize(
    "stored", ["2009-05-01/2009-05-31/monthly", "2009-05-01/2009-05-31/month/x", "2009-13-01/2009-05-31/month"]
)
def test_a_damaged_stored_form_is_refused_like_any_unreadable_date(stored):
    with pytest.raises(ValueError):
        PartialDate.from_storage(stored)


def test_a_stored_date_read_twice_is_read_once_and_stays_unchangeable():
    stored = "2009-05-01/2009-05-31/month"
    first = PartialDate.from_storage(stored)
    assert PartialDate.from_storage(stored) is first  # remembered, which is safe: it is frozen
    with pytest.raises(AttributeError):
        first.precision = "day"


def test_the_api_form_is_a_copy_each_time():
    date = PartialDate.from_storage("2011-03-01/2011-05-31/season")
    shown = date.as_dict()
    assert shown == {
        "value": "2011-03-01/2011-05-31/season",
        "earliest": "2011-03-01",
        "latest": "2011-05-31",
        "precision": "season",
        "circa": False,
        "display": "spring 2011",
    }
    shown["display"] = "changed by a caller"
    assert date.as_dict()["display"] == "spring 2011"
    assert PartialDate.from_storage("2011-03-01/2011-05-31/season/c").as_dict()["display"] == "c. spring 2011"


def test_a_damaged_stored_form_is_refused_every_time():
    for _ in range(2):  # a refusal is not remembered as a value
        with pytest.raises(ValueError):
            PartialDate.from_storage("2009-13-01/2009-05-31/month")
