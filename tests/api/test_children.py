"""A record's children written over the API (an agreement's parties and steps, a
deployment's roles, an exercise's or event's participants): matched by slug and changed
in place, so that what hangs from a child — its citations, its slug, its history — stays."""

import pytest

from apps.agreements.models import AgreementStep
from apps.citations.models import Citation
from tests import factories

from .fixtures import analyst, analyst_user, as_input, field_errors  # noqa: F401

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def overwriting(analyst):  # noqa: F811 (the fixture imported above)
    """These tests are about children, not preconditions (tests/api/test_preconditions.py):
    the analyst's writes overwrite whatever is stored."""
    analyst.credentials(HTTP_IF_MATCH="*")


def actor_slug():
    return factories.ActorFactory().slug


# endpoint, API field, the record, one child of it, a new child's item, a text field of the child
NESTED = {
    "agreement steps": (
        "agreements",
        "steps",
        lambda: factories.AgreementFactory(publication_status="draft"),
        lambda record: factories.AgreementStepFactory(agreement=record),
        lambda: {"kind": "signed", "date": "2011"},
        "description",
    ),
    "agreement parties": (
        "agreements",
        "parties",
        lambda: factories.AgreementFactory(publication_status="draft"),
        lambda record: factories.AgreementPartyFactory(agreement=record),
        lambda: {"actor": actor_slug(), "role": "signatory"},
        "notes",
    ),
    "deployment roles": (
        "deployments",
        "roles",
        lambda: factories.DeploymentFactory(publication_status="draft"),
        lambda record: factories.DeploymentRoleFactory(deployment=record),
        lambda: {"title": "staff officer", "count": 2},
        "notes",
    ),
    "exercise participants": (
        "exercises",
        "participants",
        lambda: factories.ExerciseFactory(publication_status="draft"),
        lambda record: factories.ExerciseParticipantFactory(exercise=record),
        lambda: {"actor": actor_slug(), "role": "observer"},
        "notes",
    ),
    "event participants": (
        "events",
        "participants",
        lambda: factories.EventFactory(publication_status="draft"),
        lambda record: factories.EventParticipantFactory(event=record),
        lambda: {"actor": actor_slug(), "role": "host"},
        "notes",
    ),
}


def children_of(client, endpoint, record, field):
    response = client.get(f"/api/v1/{endpoint}/{record.slug}/")
    assert response.status_code == 200
    return as_input(response.json()[field])


def cite(child):
    """A citation of ``child``, where its kind can be cited (steps can)."""
    if isinstance(child, AgreementStep):
        return factories.CitationFactory(actor=None, agreement_step=child)
    return None


@pytest.mark.parametrize("kind", NESTED)
def test_a_patch_changes_kept_children_in_place_adds_new_ones_and_deletes_the_rest(kind, analyst, analyst_user):  # noqa: F811
    endpoint, field, make_record, make_child, new_item, text = NESTED[kind]
    record = make_record()
    changed, untouched, dropped = make_child(record), make_child(record), make_child(record)
    model = type(changed)
    citations = [cite(child) for child in (changed, untouched, dropped)]
    items = {item["slug"]: item for item in children_of(analyst, endpoint, record, field)}
    items[changed.slug][text] = "Checked against the source."
    del items[dropped.slug]
    response = analyst.patch(
        f"/api/v1/{endpoint}/{record.slug}/", {field: [*items.values(), new_item()]}, format="json"
    )
    assert response.status_code == 200, response.json()

    shown = [item["slug"] for item in response.json()[field]]
    assert changed.slug in shown and untouched.slug in shown and dropped.slug not in shown and len(shown) == 3
    stored = {child.slug: child for child in model.objects.filter(pk__in=[changed.pk, untouched.pk])}
    # The same rows, under the same slugs: the change was made in place.
    assert set(stored) == {changed.slug, untouched.slug}
    assert getattr(stored[changed.slug], text) == "Checked against the source."
    assert (stored[changed.slug].version, stored[untouched.slug].version) == (2, 1)
    assert not model.objects.filter(pk=dropped.pk).exists()
    if citations[0] is not None:
        kept = Citation.objects.filter(pk__in=[citations[0].pk, citations[1].pk])
        assert sorted(kept.values_list("agreement_step", flat=True)) == sorted([changed.pk, untouched.pk])
        assert not Citation.objects.filter(pk=citations[2].pk).exists()  # went with its step

    # One history row per child written, with who wrote it; none for the child left as it was.
    written = model.history.exclude(history_type="+", history_user=None).order_by("history_id")
    rows = [(row.id, row.history_type, row.history_user) for row in written]
    new = model.objects.exclude(pk__in=[changed.pk, untouched.pk, dropped.pk]).get()
    assert sorted(rows) == sorted(
        [(changed.pk, "~", analyst_user), (dropped.pk, "-", analyst_user), (new.pk, "+", analyst_user)]
    )


def test_steps_are_judged_where_they_end_up_not_in_the_order_written(analyst):  # noqa: F811
    agreement = factories.AgreementFactory(publication_status="draft")
    proposed = factories.AgreementStepFactory(agreement=agreement, kind="proposed", date="2009")
    signed = factories.AgreementStepFactory(agreement=agreement, kind="signed", date="2010")
    steps = [
        {"slug": proposed.slug, "kind": "proposed", "date": "2011"},
        {"slug": signed.slug, "kind": "signed", "date": "2012"},
    ]
    response = analyst.patch(f"/api/v1/agreements/{agreement.slug}/", {"steps": steps}, format="json")
    assert response.status_code == 200, response.json()
    assert [str(step.date) for step in agreement.steps.order_by("date")] == ["2011", "2012"]


def test_refused_children_keep_drf_s_errors_by_index_and_nothing_is_written(analyst):  # noqa: F811
    agreement = factories.AgreementFactory(publication_status="draft", summary="As it was.")
    step = factories.AgreementStepFactory(agreement=agreement, description="As it was.")
    party = factories.AgreementPartyFactory(agreement=agreement)
    history_before = AgreementStep.history.count()
    body = {
        "summary": "Changed.",
        "steps": [
            {"slug": step.slug, "kind": "signed", "date": "12 November 2010", "description": "Changed."},
            {"kind": "signed", "date": "2011", "votes_for": 3},  # votes belong to a chamber's vote
        ],
        "parties": [],
    }
    response = analyst.patch(f"/api/v1/agreements/{agreement.slug}/", body, format="json")
    assert response.status_code == 400
    errors = field_errors(response.json())
    assert list(errors) == ["steps"] and list(errors["steps"]) == ["1"]
    assert errors["steps"]["1"] == {"non_field_errors": ["Vote counts belong to a chamber's approval or rejection."]}
    agreement.refresh_from_db()
    step.refresh_from_db()
    assert (agreement.summary, agreement.version, step.description) == ("As it was.", 1, "As it was.")
    assert agreement.party_roles.get() == party  # the parties' deletion was undone with the rest
    assert AgreementStep.history.count() == history_before


@pytest.mark.parametrize(
    "slugs, message",
    [
        (["no-such-step"], "This agreement has no agreement step “no-such-step”: leave the slug out to add one."),
        (["twice", "twice"], "The agreement step “twice” is given twice."),
    ],
)
def test_a_child_s_slug_must_name_a_child_of_this_record_once(analyst, slugs, message):  # noqa: F811
    agreement = factories.AgreementFactory(publication_status="draft")
    factories.AgreementStepFactory(agreement=agreement, slug="twice")
    factories.AgreementStepFactory(slug="no-such-step")  # another agreement's step
    steps = [{"slug": slug, "kind": "signed", "date": "2010"} for slug in slugs]
    response = analyst.patch(f"/api/v1/agreements/{agreement.slug}/", {"steps": steps}, format="json")
    assert response.status_code == 400
    assert field_errors(response.json()) == {"steps": {str(len(slugs) - 1): {"slug": [message]}}}


def test_a_bad_slug_for_a_child_is_a_400(analyst):  # noqa: F811
    agreement = factories.AgreementFactory(publication_status="draft")
    steps = [{"slug": "not a slug", "kind": "signed", "date": "2010"}]
    response = analyst.patch(f"/api/v1/agreements/{agreement.slug}/", {"steps": steps}, format="json")
    assert response.status_code == 400
    assert list(response.json()["steps"]["0"]) == ["slug"]  # the field's own refusal, in the same shape
