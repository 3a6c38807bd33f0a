"""Every record list is read in an order an index gives, so a page of a large case file does
not sort the whole table first."""

import pytest
from django.db import connection

from apps.actors.models import Actor
from apps.agreements.models import Agreement
from apps.deployments.models import Deployment
from apps.events.models import Event
from apps.exercises.models import Exercise
from apps.places.models import Place
from apps.sources.models import Source

pytestmark = pytest.mark.django_db

LISTED = [Actor, Agreement, Deployment, Event, Exercise, Place, Source]


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " / ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.parametrize("model", LISTED, ids=lambda model: model.__name__)
def test_a_page_of_published_records_is_read_in_index_order(model):
    page = model.objects.published()[:100]
    assert "TEMP B-TREE" not in plan(page), plan(page)
    assert "list_order" in plan(page)


@pytest.mark.parametrize("model", LISTED, ids=lambda model: model.__name__)
def test_the_list_index_follows_the_default_ordering(model):
    (index,) = [index for index in model._meta.indexes if index.name.endswith("list_order")]
    assert list(index.fields) == list(model._meta.ordering)
