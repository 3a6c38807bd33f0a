"""The fast read path gives exactly what DRF's own serialization gives, and the plain
lists that ``with_related()`` prefetches never show stale rows."""

import pytest
from django.core.management import call_command
from rest_framework import serializers

from apps.agreements.models import Agreement
from apps.core.api.reading import AS_STORED, COMPUTED, CONVERTED, GENERIC, LINKED, WHOLE_RECORD, ReadPlanMixin
from apps.core.models import prefetched_list, related_manager
from tests import factories

from .fixtures import ENDPOINTS
from .records import RICH

pytestmark = pytest.mark.django_db


def drf_to_representation(serializer, instance):
    return serializers.Serializer.to_representation(serializer, instance)


def both_ways(client, url, monkeypatch):
    """The response through the read plan, then through DRF's own to_representation."""
    fast = client.get(url)
    with monkeypatch.context() as patched:
        patched.setattr(ReadPlanMixin, "to_representation", drf_to_representation)
        reference = client.get(url)
    assert fast.status_code == reference.status_code == 200, fast.content[:300]
    return fast.json(), reference.json()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_lists_and_details_read_as_drf_reads_them(endpoint, analyst, monkeypatch):
    records = [RICH[endpoint]() for _ in range(2)]
    for url in (
        f"/api/v1/{endpoint}/?page_size=100",
        f"/api/v1/{endpoint}/?page_size=100&brief=true",
        f"/api/v1/{endpoint}/?page_size=100&fields=slug,created,updated",
        f"/api/v1/{endpoint}/{records[-1].slug}/",
    ):
        fast, reference = both_ways(analyst, url, monkeypatch)
        assert fast == reference, url
    assert fast["slug"] == records[-1].slug


def test_the_case_file_reads_as_drf_reads_it(anonymous, monkeypatch):
    call_command("load_casefile", verbosity=0)
    compared = 0
    for endpoint in ENDPOINTS:
        fast, reference = both_ways(anonymous, f"/api/v1/{endpoint}/?page_size=100", monkeypatch)
        assert fast == reference, endpoint
        assert fast["results"], endpoint
        compared += len(fast["results"])
    assert compared > 500


def test_plan_reads_columns_directly_and_leaves_the_rest_to_drf(anonymous):
    from apps.agreements.api.serializers import AgreementSerializer

    plan = {name: how for how, name, _, _ in AgreementSerializer().read_plan()}
    assert plan["title"] == AS_STORED and plan["kind"] == AS_STORED
    assert plan["period_start"] == CONVERTED and plan["created"] == CONVERTED
    assert plan["parties"] == COMPUTED and plan["supersedes"] == LINKED
    assert plan["status"] == WHOLE_RECORD and plan["url"] == WHOLE_RECORD


class StepReadingSerializer(ReadPlanMixin, serializers.ModelSerializer):
    """Fields whose values DRF treats specially, read through a plan."""

    supersedes = serializers.SlugRelatedField(source="supersedes_list", many=True, read_only=True, slug_field="slug")
    called = serializers.CharField(source="a_callable", read_only=True)
    missing = serializers.CharField(source="a_missing_value", read_only=True, default="(none)")
    kind_text = serializers.CharField(source="get_kind_display", read_only=True)  # a method: DRF calls it

    class Meta:
        model = Agreement
        fields = ["slug", "supersedes", "called", "missing", "kind_text"]


def test_what_drf_treats_specially_reads_as_drf_reads_it(monkeypatch):
    def missing(record):
        raise AttributeError("not there")

    monkeypatch.setattr(Agreement, "a_callable", property(lambda record: lambda: f"called for {record.slug}"), False)
    monkeypatch.setattr(Agreement, "a_missing_value", property(missing), False)
    saved = Agreement.objects.with_related().get(pk=RICH["agreements"]().pk)
    unsaved = Agreement(slug="not-saved", title="Not saved", kind=saved.kind)
    for record in (saved, unsaved):
        serializer = StepReadingSerializer(record)
        assert serializer.data == drf_to_representation(serializer, record)
    assert StepReadingSerializer(saved).data["called"] == f"called for {saved.slug}"
    assert StepReadingSerializer(saved).data["missing"] == "(none)"
    assert len(StepReadingSerializer(saved).data["supersedes"]) == 2
    assert StepReadingSerializer(unsaved).data["supersedes"] == []
    plan = {name: how for how, name, _, _ in StepReadingSerializer().read_plan()}
    assert plan == {"slug": AS_STORED, "supersedes": LINKED, "called": COMPUTED, "missing": COMPUTED,
                    "kind_text": GENERIC}


def test_an_enum_value_not_yet_saved_reads_as_its_stored_text():
    from apps.places.api.serializers import PlaceSerializer
    from apps.places.choices import PlaceKind

    place = factories.PlaceFactory(kind=PlaceKind.AIRFIELD)
    assert type(place.kind) is PlaceKind  # as given, not as read back from the database
    data = PlaceSerializer(place).data
    assert data["kind"] == "airfield" and type(data["kind"]) is str


def test_prefetched_lists_fill_in_one_query_per_relation(django_assert_num_queries):
    for _ in range(3):
        RICH["agreements"]()
    # the agreements, then their parties, steps, superseded and superseding agreements
    with django_assert_num_queries(5):
        agreements = list(Agreement.objects.filter(party_roles__isnull=False).distinct().with_related())
        for agreement in agreements:
            assert len(agreement.party_list) == 3
            assert len(agreement.step_list) == 4
            assert len(agreement.supersedes_list) == 2
            assert [party.actor.name for party in agreement.party_list]


def prefetched_lists(model):
    return [name for name, value in vars(model).items() if isinstance(value, prefetched_list)]


@pytest.mark.parametrize("endpoint", ["agreements", "deployments", "exercises", "events"])
def test_prefetched_lists_hold_what_the_relation_holds_in_its_order(endpoint):
    for _ in range(3):
        RICH[endpoint]()
    model = type(RICH[endpoint]())
    names = prefetched_lists(model)
    assert names
    for record in model.objects.with_related().order_by("pk"):
        for name in names:
            expected = list(getattr(model, name).read(record))  # the relation, read afresh
            assert [row.pk for row in getattr(record, name)] == [row.pk for row in expected], name


def test_a_record_linked_from_several_records_is_in_each_of_their_lists(django_assert_num_queries):
    earlier, later_one, later_two = (factories.AgreementFactory() for _ in range(3))
    for later in (later_one, later_two):
        later.supersedes.add(earlier)
    later_one.supersedes.add(factories.AgreementFactory(title="A second earlier one"))
    with django_assert_num_queries(5):
        by_slug = {agreement.slug: agreement for agreement in Agreement.objects.with_related()}
        assert [a.slug for a in by_slug[earlier.slug].superseded_by_list] == sorted(
            [later_one.slug, later_two.slug], key=lambda slug: by_slug[slug].title
        )
        assert [a.title for a in by_slug[later_one.slug].supersedes_list] == ["A second earlier one", earlier.title]
        assert [a.slug for a in by_slug[later_two.slug].supersedes_list] == [earlier.slug]
        assert by_slug[earlier.slug].supersedes_list == []


def test_a_prefetched_child_knows_its_record_without_a_query(django_assert_num_queries):
    agreement = Agreement.objects.with_related().get(pk=RICH["agreements"]().pk)
    assert len(agreement.step_list) == 4
    with django_assert_num_queries(0):
        assert {step.agreement for step in agreement.step_list} == {agreement}
        assert all(step.agreement is agreement for step in agreement.step_list)


def test_chunked_reading_fills_the_lists_of_every_chunk(django_assert_num_queries):
    for _ in range(5):
        RICH["agreements"]()
    # two chunks of two and one of one: the agreements, then four relations per chunk
    with django_assert_num_queries(1 + 3 * 4):
        agreements = list(Agreement.objects.filter(party_roles__isnull=False).distinct().with_related().iterator(2))
        assert len(agreements) == 5
        assert all(len(agreement.step_list) == 4 and len(agreement.party_list) == 3 for agreement in agreements)


def test_without_with_related_the_list_is_read_afresh():
    agreement = RICH["agreements"]()
    assert len(agreement.party_list) == 3
    factories.AgreementPartyFactory(agreement=agreement, role="observer")
    assert len(agreement.party_list) == 4  # nothing cached to go stale


def test_writing_through_related_manager_forgets_the_prefetched_list():
    agreement = Agreement.objects.with_related().get(pk=RICH["agreements"]().pk)
    assert len(agreement.supersedes_list) == 2
    related_manager(agreement, "supersedes_list").clear()
    assert agreement.supersedes_list == []


def test_api_update_shows_the_new_parties_and_supersessions(superuser):
    agreement = RICH["agreements"]()
    newer = factories.AgreementFactory()
    actor = factories.ActorFactory()
    response = superuser.patch(
        f"/api/v1/agreements/{agreement.slug}/",
        {
            "version": agreement.version,
            "parties": [{"actor": actor.slug, "role": "party"}],
            "supersedes": [newer.slug],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert [party["actor"]["slug"] for party in response.json()["parties"]] == [actor.slug]
    assert [other["slug"] for other in response.json()["supersedes"]] == [newer.slug]
    assert list(agreement.supersedes.values_list("slug", flat=True)) == [newer.slug]


def test_fields_are_built_once_per_class_and_each_serializer_has_its_own(analyst, monkeypatch):
    from rest_framework.serializers import ModelSerializer

    from apps.agreements.api.serializers import AgreementSerializer

    built = []
    original = ModelSerializer.get_fields
    monkeypatch.setattr(ModelSerializer, "get_fields", lambda self: built.append(type(self)) or original(self))
    monkeypatch.delattr(AgreementSerializer, "_built_fields", raising=False)
    first, second = AgreementSerializer(), AgreementSerializer()
    assert first.fields["title"] is not second.fields["title"]
    assert first.fields["steps"] is not second.fields["steps"]
    assert first.fields["steps"].child is not second.fields["steps"].child
    assert first.fields["supersedes"].child_relation.parent is first.fields["supersedes"]
    assert first.fields["title"].validators == second.fields["title"].validators
    assert first.fields["title"].validators is not second.fields["title"].validators
    assert first.fields["title"].parent is first and second.fields["title"].parent is second
    assert built.count(AgreementSerializer) == 1
    first.fields.pop("title")  # what ?fields= does to one serializer
    assert "title" in AgreementSerializer().fields
    RICH["agreements"]()
    cut = analyst.get("/api/v1/agreements/?fields=slug").json()["results"][0]
    full = analyst.get("/api/v1/agreements/").json()["results"][0]
    assert set(cut) == {"slug"} and {"title", "steps", "parties"} <= set(full)


def test_prefetched_children_are_not_ordered_by_their_record():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    RICH["agreements"]()
    with CaptureQueriesContext(connection) as captured:
        list(Agreement.objects.with_related())
    sqls = [query["sql"] for query in captured]
    children = [sql for sql in sqls if "agreementparty" in sql or "agreementstep" in sql]
    assert len(children) == 2
    # the record orders nothing in its own list
    assert not any('JOIN "agreements_agreement"' in sql for sql in children)


@pytest.mark.parametrize("value", ["43.250000", "43.25", "-0.000001", "179.9999994", "0E-6", "12"])
@pytest.mark.parametrize("coerce_to_string", [False, True])
def test_a_stored_decimal_reads_as_drf_reads_it(value, coerce_to_string):
    from decimal import Decimal

    from apps.core.api.fields import StoredDecimalField

    options = {"max_digits": 9, "decimal_places": 6, "coerce_to_string": coerce_to_string}
    ours, drf = StoredDecimalField(**options), serializers.DecimalField(**options)
    assert ours.to_representation(Decimal(value)) == drf.to_representation(Decimal(value))
    assert str(ours.to_representation(Decimal(value))) == str(drf.to_representation(Decimal(value)))
    assert ours.to_representation(float(value)) == drf.to_representation(float(value))
