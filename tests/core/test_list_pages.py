"""What a list page costs beyond its records: a bounded number of queries per facet (one
for a choice, two for related records: their counts, then the labels of those shown), the
same however many records and values there are, the same queries for a page of one record
as for a page of a hundred, and its default order read from an index."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from apps.actors.views import ActorListView
from apps.agreements.views import AgreementListView
from apps.core.pages import FACET_LIMIT
from apps.deployments.views import DeploymentListView
from apps.events.views import EventListView
from apps.exercises.views import ExerciseListView
from apps.places.views import PlaceListView
from apps.routes.views import RouteListView
from apps.sources.views import SourceListView
from tests import factories

pytestmark = pytest.mark.django_db

# A record of each list, with a value for each of its facets.
GROW = {
    ActorListView: lambda: factories.ActorFactory(),
    AgreementListView: lambda: factories.AgreementStepFactory(),
    DeploymentListView: lambda: factories.DeploymentFactory(
        mission=factories.ActorFactory(), location=factories.PlaceFactory()
    ),
    EventListView: lambda: factories.EventFactory(place=factories.PlaceFactory()),
    ExerciseListView: lambda: factories.ExerciseFactory(
        series=factories.ExerciseSeriesFactory(), location=factories.PlaceFactory()
    ),
    PlaceListView: lambda: factories.PlaceFactory(within=factories.PlaceFactory()),
    RouteListView: lambda: factories.RouteFactory(),
    SourceListView: lambda: factories.SourceFactory(),
}
LIST_VIEWS = list(GROW)


def queries_of(view_class, query=None):
    """The SQL queries of one anonymous request to ``view_class``, rendering included."""
    request = RequestFactory().get("/", query or {})
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as captured:
        response = view_class.as_view()(request)
        response.render()
    assert response.status_code == 200
    return response, len(captured)


def every_facet_chosen(view_class):
    """A value for each facet's parameter: its first choice, or a related record's slug
    (one that names nothing still filters, through a subquery)."""
    return {spec.parameter: spec.choices[0][0] if spec.choices else "named-nowhere" for spec in view_class.facets}


@pytest.mark.parametrize("chosen", [False, True], ids=["no filter", "every facet chosen"])
@pytest.mark.parametrize("view_class", LIST_VIEWS, ids=lambda view: view.__name__)
def test_each_facet_costs_a_bounded_number_of_queries(view_class, chosen):
    for _ in range(3):
        GROW[view_class]()
    query = every_facet_chosen(view_class) if chosen else None
    without_facets = type(f"Bare{view_class.__name__}", (view_class,), {"facets": ()})
    response, few = queries_of(view_class, query)
    _, bare = queries_of(without_facets, query)
    related = sum(1 for spec in view_class.facets if spec.label_field)
    assert len(response.context_data["facets"]) == len(view_class.facets) > 0
    if chosen:  # a facet whose related records count nothing reads no labels
        assert len(view_class.facets) <= few - bare <= len(view_class.facets) + related
    else:
        assert few - bare == len(view_class.facets) + related
    # More records than a facet shows, each with values of its own: no more queries.
    for _ in range(FACET_LIMIT + 3):
        GROW[view_class]()
    _, many = queries_of(view_class, query)
    assert many == few


@pytest.mark.parametrize("view_class", LIST_VIEWS, ids=lambda view: view.__name__)
def test_queries_do_not_grow_with_the_page_size(view_class):
    for _ in range(4):
        GROW[view_class]()
    one, small = queries_of(view_class, {"page_size": "1"})
    hundred, large = queries_of(view_class, {"page_size": "100"})
    assert len(one.context_data["object_list"]) == 1
    assert len(hundred.context_data["object_list"]) >= 4
    assert small == large


@pytest.mark.parametrize("asked", ["0", "101", "ten", ""])
def test_a_page_size_out_of_bounds_gives_the_default_page(asked):
    factories.SourceFactory.create_batch(SourceListView.paginate_by + 1)
    response, _ = queries_of(SourceListView, {"page_size": asked})
    assert len(response.context_data["object_list"]) == SourceListView.paginate_by


def test_the_page_size_is_kept_by_the_other_pages_and_is_not_a_filter(client):
    factories.SourceFactory.create_batch(3)
    response = client.get("/sources/", {"page_size": "2"})
    assert len(response.context["object_list"]) == 2
    assert 'href="?page_size=2&amp;page=2"' in response.content.decode()
    assert not response.context["is_filtered"]


def query_plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " / ".join(str(row[-1]) for row in cursor.fetchall())


def analyze_with_records(view_class, count=40):
    """Records of the list's kind, and SQLite's statistics of them (ANALYZE): with them the
    planner weighs its indexes as on a large case file, where a facet index, read whole and
    sorted, once looked cheaper to it than the list's order index for a small page."""
    for _ in range(count):
        GROW[view_class]()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.parametrize("view_class", LIST_VIEWS, ids=lambda view: view.__name__)
def test_a_page_of_any_size_in_its_default_order_is_read_from_an_index(view_class):
    analyze_with_records(view_class)
    view = view_class()
    view.setup(RequestFactory().get("/"))
    view.request.user = AnonymousUser()
    for page_size in (1, 5, 100):
        plan = query_plan(view.get_queryset()[:page_size])
        assert "TEMP B-TREE FOR ORDER BY" not in plan, (page_size, plan)
        assert "_order" in plan, (page_size, plan)
