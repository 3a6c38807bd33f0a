import pytest

from apps.deployments.filters import DeploymentFilterSet
from apps.deployments.models import Deployment
from tests import factories

pytestmark = pytest.mark.django_db


def slugs(**params):
    filterset = DeploymentFilterSet(params, queryset=Deployment.objects.with_related())
    assert filterset.is_valid(), filterset.errors
    return {record.slug for record in filterset.qs}


def test_deployment_filters(kazakhstan):
    isaf = factories.ActorFactory(slug="isaf", kind="operation")
    kazbrig = factories.ActorFactory(slug="kazbrig", kind="military_unit")
    place = factories.PlaceFactory(slug="bagram")
    basis = factories.AgreementFactory(slug="basis")
    officers = factories.DeploymentFactory(
        slug="officers",
        contributor=kazakhstan,
        mission=isaf,
        unit=kazbrig,
        location=place,
        legal_basis=basis,
        status="approved",
        personnel_qualifier="at_most",
        personnel_min=None,
        personnel_max=27,
        start="May 2011",
        description="Staff officers",
    )
    factories.DeploymentFactory(slug="medics", status="active", start="2003", end="2008")
    assert slugs(status=["approved"]) == {"officers"}
    assert slugs(contributor="kazakhstan") == {"officers"}
    assert slugs(mission="isaf") == slugs(unit="kazbrig") == slugs(actor="isaf") == {"officers"}
    assert slugs(location="bagram") == slugs(legal_basis="basis") == {"officers"}
    assert slugs(personnel_qualifier="at_most") == {"officers"}
    assert slugs(personnel_min=20) == {"officers"}
    assert slugs(personnel_min=30) == set()
    assert slugs(q="staff") == {"officers"}
    assert slugs(date_from="2011-05-31", date_to="2011-06-30") == {"officers"}
    assert slugs(date_from="2005-01-01", date_to="2005-12-31") == {"medics"}
    assert slugs(date_from="2009-01-01", date_to="2010-12-31") == set()
    assert officers.slug in slugs(ordering="-start")
