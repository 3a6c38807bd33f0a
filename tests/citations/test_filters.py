import pytest

from apps.citations.filters import CitationFilterSet
from apps.citations.models import Citation
from tests import factories

pytestmark = pytest.mark.django_db


def slugs(**params):
    filterset = CitationFilterSet(params, queryset=Citation.objects.with_related())
    assert filterset.is_valid(), filterset.errors
    return {record.slug for record in filterset.qs}


def test_citation_filters(kazakhstan):
    cable = factories.SourceFactory(slug="cable", kind="diplomatic_cable", reliability="B")
    agreement = factories.AgreementFactory(slug="kazakhstan-agreement")
    factories.CitationFactory(
        slug="c1", source=cable, actor=kazakhstan, stance="disputes", credibility=4, passage="Denied"
    )
    factories.CitationFactory(slug="c2", actor=None, agreement=agreement, credibility=1)
    assert slugs(source="cable") == slugs(source_kind=["diplomatic_cable"]) == slugs(reliability=["B"]) == {"c1"}
    assert slugs(stance="disputes") == slugs(credibility=["4"]) == slugs(q="denied") == {"c1"}
    assert slugs(target_type="agreement") == slugs(target="kazakhstan-agreement") == {"c2"}
    assert slugs(target_type="actor", target="kazakhstan") == {"c1"}
    assert slugs(target_type="agreement", target="kazakhstan") == set()
    assert [c.slug for c in CitationFilterSet({"ordering": "credibility"}, queryset=Citation.objects.all()).qs] == [
        "c2",
        "c1",
    ]
