"""Every record list is read in an order an index gives, so a page of a large case file does
not sort the whole table first: the API's lists here (a model's default ordering), the
pages' in ``test_list_pages``."""

import pytest
from django.db import connection

from .test_list_pages import GROW, analyze_with_records, query_plan

pytestmark = pytest.mark.django_db

# The API lists of the kinds with a list page, by the view that grows them.
LISTED = {view.model: view for view in GROW}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.parametrize("model", LISTED, ids=lambda model: model.__name__)
def test_a_page_of_published_records_of_any_size_is_read_in_index_order(model):
    analyze_with_records(LISTED[model])
    for page_size in (1, 5, 100):
        plan = query_plan(model.objects.published()[:page_size])
        assert "TEMP B-TREE" not in plan, (page_size, plan)
        assert "list_order" in plan, (page_size, plan)


@pytest.mark.parametrize("model", LISTED, ids=lambda model: model.__name__)
def test_the_list_index_follows_the_default_ordering_then_the_publication_status(model):
    (index,) = [index for index in model._meta.indexes if index.name.endswith("list_order")]
    assert list(index.fields) == [*model._meta.ordering, "publication_status"]
