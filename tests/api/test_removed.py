"""``…/removed/?since=``: what a client keeping a copy should drop — records deleted,
unpublished or given a new slug since the time of its copy."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.core import services
from apps.places.models import Place

from .fixtures import ENDPOINTS, field_errors, make_record

pytestmark = pytest.mark.django_db

RECORD_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if endpoint != "citations"]


def removed(client, endpoint, since):
    response = client.get(f"/api/v1/{endpoint}/removed/?since={quote(since.isoformat())}")
    assert response.status_code == 200, response.content[:300]
    return response.json()["slugs"]


def age(record, days):
    """Move ``record``, its last change and every version of it, ``days`` into the past."""
    then = timezone.now() - dt.timedelta(days=days)
    record.history.update(history_date=then)
    type(record).objects.filter(pk=record.pk).update(updated=then)


@pytest.mark.parametrize("endpoint", RECORD_ENDPOINTS)
def test_a_record_deleted_since_the_copy_is_listed(endpoint, anonymous, superuser_user):
    kept, deleted = make_record(endpoint), make_record(endpoint)
    age(kept, 3)
    age(deleted, 3)
    copy_time = timezone.now() - dt.timedelta(days=1)
    deleted_slug = deleted.slug
    services.record_delete(deleted, user=superuser_user)
    assert removed(anonymous, endpoint, copy_time) == [deleted_slug]
    # A copy taken after the deletion already lacks it.
    assert removed(anonymous, endpoint, timezone.now() + dt.timedelta(seconds=1)) == []


def test_unpublished_and_renamed_records_are_listed_under_the_slugs_a_reader_saw(anonymous, superuser_user):
    unpublished, renamed, unchanged, edited = (make_record("places") for _ in range(4))
    for place in (unpublished, renamed, unchanged, edited):
        age(place, 3)
    copy_time = timezone.now() - dt.timedelta(days=1)
    services.record_unpublish(unpublished, user=superuser_user)
    old_slug = renamed.slug
    renamed.slug = "renamed-place"
    services.record_save(renamed, user=superuser_user)
    edited.name = "Edited, still published"
    services.record_save(edited, user=superuser_user)

    assert removed(anonymous, "places", copy_time) == sorted([unpublished.slug, old_slug])
    # The new slug comes with the changed records.
    response = anonymous.get(f"/api/v1/places/?updated_since={quote(copy_time.isoformat())}")
    assert {row["slug"] for row in response.json()["results"]} == {"renamed-place", edited.slug}


def test_a_draft_is_named_only_to_staff_who_could_see_it(anonymous, analyst, superuser_user):
    draft = make_record("places", status="draft")
    published_then_draft = make_record("places")
    copy_time = timezone.now() - dt.timedelta(seconds=1)
    services.record_unpublish(published_then_draft, user=superuser_user)
    draft_slug = draft.slug
    services.record_delete(draft, user=superuser_user)

    # A reader never saw the draft: its slug stays private. Staff saw both; the
    # unpublished record is still there for them.
    assert removed(anonymous, "places", copy_time) == [published_then_draft.slug]
    assert removed(analyst, "places", copy_time) == [draft_slug]


def test_a_slug_taken_again_by_a_readable_record_is_not_listed(anonymous, superuser_user):
    first = make_record("places")
    copy_time = timezone.now() - dt.timedelta(seconds=1)
    slug = first.slug
    services.record_delete(first, user=superuser_user)
    make_record("places", slug=slug)
    assert removed(anonymous, "places", copy_time) == []


def test_the_answer_takes_the_same_queries_however_many_records_went(anonymous, superuser_user,
                                                                       django_assert_num_queries):
    copy_time = timezone.now() - dt.timedelta(seconds=1)
    for count in (1, 6):
        for place in [make_record("places") for _ in range(count)]:
            services.record_delete(place, user=superuser_user)
        with django_assert_num_queries(2):  # the case file's revision (for the cache), the history
            assert len(removed(anonymous, "places", copy_time)) in {1, 7}


@pytest.mark.parametrize("since", ["", "yesterday", "2026-13-01T00:00:00Z", "9999-12-31T23:59:59-05:00"])
def test_a_missing_or_unreadable_time_is_a_400(anonymous, since):
    response = anonymous.get(f"/api/v1/places/removed/?since={quote(since)}")
    assert response.status_code == 400
    assert list(field_errors(response.json())) == ["since"]
    assert anonymous.get("/api/v1/places/removed/").status_code == 400


def test_any_offset_is_the_same_instant(anonymous, superuser_user):
    place = make_record("places")
    age(place, 3)
    services.record_delete(Place.objects.get(pk=place.pk), user=superuser_user)
    # +21:50, beyond what PostgreSQL takes in a query, is sent as UTC.
    later = (timezone.now() + dt.timedelta(hours=21, minutes=50, seconds=5)).astimezone(
        dt.timezone(dt.timedelta(hours=21, minutes=50))
    )
    assert removed(anonymous, "places", later) == []
    earlier = (timezone.now() - dt.timedelta(days=1)).astimezone(dt.timezone(dt.timedelta(hours=21, minutes=50)))
    assert removed(anonymous, "places", earlier) == [place.slug]


def test_only_json_and_only_for_records_with_a_publication_status(anonymous):
    since = quote(timezone.now().isoformat())
    assert anonymous.get(f"/api/v1/places/removed/?since={since}&format=csv").status_code == 404
    assert anonymous.get("/api/v1/citations/removed/").status_code == 404  # a citation's slug, not a list
    refused = anonymous.get(f"/api/v1/citations/removed/?since={since}")
    assert refused.status_code == 400 and refused.json()["unknown"] == ["since"]


def test_records_of_the_loaded_case_file_are_listed_once_unpublished_or_renamed(anonymous, superuser_user):
    # The case file is loaded raw (loaddata); its first history entries come from the load.
    call_command("load_casefile", verbosity=0)
    copy_time = timezone.now()
    services.record_unpublish(Place.objects.get(slug="almaty-airport"), user=superuser_user)
    astana = Place.objects.get(slug="astana")
    astana.slug = "astana-renamed"
    services.record_save(astana, user=superuser_user)
    assert removed(anonymous, "places", copy_time) == ["almaty-airport", "astana"]
