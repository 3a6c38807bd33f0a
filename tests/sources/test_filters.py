import pytest

from apps.sources.filters import SourceFilterSet
from apps.sources.models import Source
from tests import factories

pytestmark = pytest.mark.django_db


def slugs(**params):
    filterset = SourceFilterSet(params, queryset=Source.objects.with_related())
    assert filterset.is_valid(), filterset.errors
    return {record.slug for record in filterset.qs}


def test_source_filters():
    factories.SourceFactory(slug="cable", kind="diplomatic_cable", reliability="B", date="late 2009", language="en")
    factories.SourceFactory(
        slug="article",
        kind="journal_article",
        reliability="A",
        date="spring 2011",
        authors="McDermott, Roger N.",
        container_title="Journal of Slavic Military Studies",
        language="ru",
    )
    assert slugs(kind=["diplomatic_cable"]) == slugs(reliability=["B"]) == {"cable"}
    assert slugs(reliability=["A", "B"]) == {"cable", "article"}
    assert slugs(language="ru") == slugs(container_title="slavic") == slugs(q="mcdermott") == {"article"}
    # "late 2009" runs September to December; spring 2011 is March to May.
    assert slugs(date_from="2009-12-01", date_to="2009-12-31") == {"cable"}
    assert slugs(date_from="2011-05-31") == {"article"}
    assert [s.slug for s in SourceFilterSet({"ordering": "date"}, queryset=Source.objects.all()).qs] == [
        "cable",
        "article",
    ]
