"""``updated_since`` / ``updated_before``: a client that keeps a copy asks for what changed."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.utils import timezone

from .fixtures import ENDPOINTS, make_record

pytestmark = pytest.mark.django_db


def stamp(record, when):
    type(record).objects.filter(pk=record.pk).update(updated=when)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_list_gives_what_changed_since_a_time(endpoint, analyst):
    now = timezone.now().replace(microsecond=0)
    old, boundary, new = (make_record(endpoint) for _ in range(3))
    stamp(old, now - dt.timedelta(days=2))
    stamp(boundary, now - dt.timedelta(days=1))
    stamp(new, now)

    def slugs(**params):
        query = "&".join(f"{name}={quote(value)}" for name, value in params.items())
        response = analyst.get(f"/api/v1/{endpoint}/?page_size=100&{query}")
        assert response.status_code == 200, response.content[:300]
        return {row["slug"] for row in response.json()["results"]} & {old.slug, boundary.slug, new.slug}

    boundary_time = analyst.get(f"/api/v1/{endpoint}/{boundary.slug}/").json()["updated"]
    assert boundary_time.endswith("Z")
    # The "updated" a client last saw works as it is, and includes that record.
    assert slugs(updated_since=boundary_time) == {boundary.slug, new.slug}
    assert slugs(updated_before=boundary_time) == {old.slug}
    assert slugs(updated_since=(now - dt.timedelta(days=3)).isoformat(), updated_before=boundary_time) == {old.slug}
    assert slugs(updated_since=(now + dt.timedelta(seconds=1)).isoformat()) == set()


def test_any_offset_python_reads_is_the_same_instant_in_utc(anonymous):
    place = make_record("places")
    stamp(place, dt.datetime(2026, 11, 28, 4, 0, tzinfo=dt.UTC))
    # +21:50 is beyond what PostgreSQL accepts in a query; it is sent as UTC instead.
    for since, listed in (("2026-11-29T01:49:00+21:50", True), ("2026-11-29T01:51:00+21:50", False)):
        response = anonymous.get(f"/api/v1/places/?updated_since={quote(since)}")
        assert response.status_code == 200
        assert (place.slug in {row["slug"] for row in response.json()["results"]}) is listed, since


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2026-13-01T00:00:00Z", "2026-11-28T25:00", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"],
)
def test_a_time_that_cannot_be_read_is_a_400(anonymous, value):
    response = anonymous.get(f"/api/v1/places/?updated_since={quote(value)}")
    assert response.status_code == 400
    assert "updated_since" in response.json()
