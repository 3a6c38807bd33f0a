import pytest

from apps.agreements.filters import AgreementFilterSet
from apps.agreements.models import Agreement
from tests import factories
from tests.api.fixtures import anonymous  # noqa: F401

pytestmark = pytest.mark.django_db


def slugs(**params):
    filterset = AgreementFilterSet(params, queryset=Agreement.objects.with_related())
    assert filterset.is_valid(), filterset.errors
    return {record.slug for record in filterset.qs}


@pytest.fixture
def transit(kazakhstan, senate):
    usa = factories.ActorFactory(slug="usa")
    agreement = factories.AgreementFactory(slug="transit", title="Air transit agreement", transit_mode="air")
    factories.AgreementPartyFactory(agreement=agreement, actor=kazakhstan, role="party")
    factories.AgreementPartyFactory(agreement=agreement, actor=usa, role="signatory")
    factories.AgreementStepFactory(agreement=agreement, kind="signed", date="12 November 2010")
    factories.AgreementStepFactory(agreement=agreement, kind="rejected_by_chamber", date="May 2011", acting_body=senate)
    other = factories.AgreementFactory(
        slug="ipap", title="IPAP", kind="action_plan", period_start="2006", period_end="2008"
    )
    factories.AgreementStepFactory(agreement=other, kind="signed", date="31 January 2006")
    factories.AgreementFactory(slug="undated", title="Undated memorandum", kind="memorandum")
    return agreement


def test_status_is_the_latest_dated_step(transit):
    assert slugs(status=["rejected_by_chamber"]) == {"transit"}
    assert slugs(status=["signed"]) == {"ipap"}
    assert slugs(status=["none"]) == {"undated"}
    assert slugs(status=["signed", "none"]) == {"ipap", "undated"}


def test_parties_and_actors(transit):
    assert slugs(party="usa") == {"transit"}
    assert slugs(party="usa", party_role="signatory") == {"transit"}
    assert slugs(party="usa", party_role="party") == set()
    assert slugs(party_role="signatory") == {"transit"}
    assert slugs(acting_body="senate") == {"transit"}
    assert slugs(actor="senate") == {"transit"}
    assert slugs(actor="kazakhstan") == {"transit"}
    assert slugs(actor="nobody") == set()


def test_kind_scope_text(transit):
    assert slugs(kind=["action_plan"]) == {"ipap"}
    assert slugs(transit_mode="air") == {"transit"}
    assert slugs(cargo_scope="lethal") == set()
    assert slugs(q="transit") == {"transit"}


def test_date_range_respects_precision(transit):
    # "May 2011" (the Senate's rejection) touches 2011-05-10…2011-06-30.
    assert slugs(date_from="2011-05-10", date_to="2011-06-30") == {"transit"}
    assert slugs(date_from="2011-06-01", date_to="2011-06-30") == set()
    # IPAP covers 2006–2008: a range inside its period finds it.
    assert slugs(date_from="2007-03-01", date_to="2007-03-31") == {"ipap"}
    assert slugs(date_to="2005-12-31") == set()


def test_ordering(transit):
    filterset = AgreementFilterSet({"ordering": "-title"}, queryset=Agreement.objects.all())
    assert [a.slug for a in filterset.qs] == ["undated", "ipap", "transit"]


def test_an_agreements_status_is_read_from_the_steps_index_not_by_sorting_its_steps(transit):
    """The status facet and filter ask every listed agreement for its latest dated step: the
    index ``agreement_step_latest`` holds the steps in that order. SQLite uses an index on an
    expression only for the same expression, so the subquery must write it the same way (a
    bound parameter in place of a literal position is not)."""
    from django.db import connection, transaction

    from apps.agreements.filters import latest_step_kind

    statuses = Agreement.objects.annotate(lifecycle_kind=latest_step_kind()).values("lifecycle_kind")
    with transaction.atomic():
        if connection.vendor == "postgresql":  # on a few rows the planner would rather read the table
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        plan = statuses.explain()
    assert "agreement_step_latest" in plan, plan
    assert {row["lifecycle_kind"] for row in statuses} == {"rejected_by_chamber", "signed", None}


def test_status_filter_through_the_api(transit, anonymous):  # noqa: F811
    body = anonymous.get("/api/v1/agreements/?status=rejected_by_chamber").json()
    assert [item["slug"] for item in body["results"]] == ["transit"]
    assert body["results"][0]["status"] == "rejected_by_chamber"
