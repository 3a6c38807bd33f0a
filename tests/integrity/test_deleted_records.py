"""Deleted records: named from history alone, restored with their lines and citations, for
every kind in the registry and the combinations that used to break the list."""

import datetime as dt

import factory as factory_boy
import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from apps.agreements.models import Agreement, AgreementStep
from apps.citations.models import Citation
from apps.core import selectors, services
from apps.sources.models import Source
from apps.whole_case.registry import casefile_models
from tests import factories

DELETED_LIST = "admin:core_deletedrecord_changelist"


def factory_for(model):
    for value in vars(factories).values():
        if (
            isinstance(value, type)
            and issubclass(value, factory_boy.django.DjangoModelFactory)
            and value._meta.model is model
        ):
            return value
    raise LookupError(f"No factory for {model.__name__}")


def cascading_relations(model):
    """The sub-record kinds deleted with a row of ``model`` (steps, parties, citations …)."""
    kinds = set(casefile_models())
    return [
        relation
        for relation in model._meta.related_objects
        if relation.one_to_many and relation.on_delete is models.CASCADE and relation.related_model in kinds
    ]


def make_line(relation, parent):
    values = {relation.field.name: parent}
    if relation.related_model is Citation and relation.field.name != "actor":
        values["actor"] = None  # a citation cites one record
    return factory_for(relation.related_model)(**values)


def restore_url(historical):
    label = historical.instance_type._meta.label_lower
    return reverse("admin:core_deletedrecord_restore", args=[label, historical.history_id])


def deletion_of(row):
    # The row in hand may be the one deleted, whose pk Django has emptied: read it from its slug.
    history = type(row).history
    pk = row.pk or history.filter(slug=row.slug).values_list("id", flat=True).first()
    return history.filter(id=pk, history_type="-").latest("history_date")


@pytest.mark.django_db
@pytest.mark.parametrize("model", casefile_models(), ids=lambda model: model._meta.label_lower)
def test_every_kind_is_listed_from_history_and_restored_with_its_lines(model, editor, editor_client):
    record = factory_for(model)()
    lines = [make_line(relation, record) for relation in cascading_relations(model)]
    record_pk = record.pk
    keys = [(type(row), row.pk) for row in [record, *lines]]
    services.record_delete(record, user=editor, change_message="Entered twice")
    deletion = deletion_of(record)
    assert not model._default_manager.filter(pk=record_pk).exists()

    listing = editor_client.get(reverse(DELETED_LIST))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert restore_url(deletion) in page
    for line in lines:  # listed by name, to come back with the record
        assert selectors.deleted_label(deletion_of(line)) in page
    for kind, pk in keys:  # each listed row's history opens, named from its history
        history_url = f"/admin/{kind._meta.app_label}/{kind._meta.model_name}/{pk}/history/"
        if history_url in page:
            response = editor_client.get(history_url)
            assert response.status_code == 200
            label = selectors.deleted_label(kind.history.filter(id=pk).latest("history_date"))
            assert escape(label) in response.content.decode()

    response = editor_client.post(restore_url(deletion))
    assert response.status_code == 302
    assert model._default_manager.filter(pk=record_pk, slug=record.slug).exists()
    for kind, pk in keys:
        assert kind._default_manager.filter(pk=pk).exists(), f"{kind.__name__} not restored"
        restoration = kind.history.filter(id=pk).latest("history_date")
        assert restoration.history_type == "+"
        assert restoration.history_user == editor
        assert restoration.history_change_reason.startswith("Restored after deletion")
    assert restore_url(deletion) not in editor_client.get(reverse(DELETED_LIST)).content.decode()


@pytest.mark.django_db
def test_an_agreement_deleted_with_its_steps_is_named_from_history_and_comes_back_whole(editor, editor_client):
    agreement = factories.AgreementFactory(title="Transit agreement", short_title="Transit")
    step = factories.AgreementStepFactory(agreement=agreement, kind="signed")
    party = factories.AgreementPartyFactory(agreement=agreement)
    agreement_citation = factories.CitationFactory(actor=None, agreement=agreement)
    step_citation = factories.CitationFactory(actor=None, agreement_step=step, locator="p. 46")
    keys = [(type(row), row.pk) for row in (agreement, step, party, agreement_citation, step_citation)]
    services.record_delete(agreement, user=editor)

    page = editor_client.get(reverse(DELETED_LIST)).content.decode()
    # The step is named by its kind, from its own history, and by its agreement's historical name;
    # the step's citation by the step's kind, as the step has no name.
    assert "Signed" in page and "of agreement “Transit”" in page
    assert "of agreement step “Signed" in page
    assert "Comes back with its agreement “Transit”" in page
    assert "Transit" in page

    editor_client.post(restore_url(deletion_of(agreement)))
    for model, pk in keys:
        assert model.objects.filter(pk=pk).exists()
    assert selectors.deleted_records(AgreementStep) == [] and selectors.deleted_records(Citation) == []


@pytest.mark.django_db
def test_a_step_deleted_alone_waits_for_its_agreement_and_stays_apart_from_it(editor, editor_client):
    agreement = factories.AgreementFactory(short_title="Transit")
    kept_step = factories.AgreementStepFactory(agreement=agreement, kind="signed")
    removed_step = factories.AgreementStepFactory(agreement=agreement, kind="entered_into_force")
    removed_pk = removed_step.pk
    services.record_delete(removed_step, user=editor, change_message="Wrong step")
    # The step went a day before its agreement: not part of the agreement's deletion.
    AgreementStep.history.filter(id=removed_pk, history_type="-").update(
        history_date=deletion_of(removed_step).history_date - dt.timedelta(days=1)
    )
    services.record_delete(agreement, user=editor)

    page = editor_client.get(reverse(DELETED_LIST)).content.decode()
    assert "Cannot come back yet: its agreement “Transit” was deleted: restore that agreement first" in page
    assert restore_url(deletion_of(removed_step)) not in page  # no button that can only fail

    response = editor_client.post(restore_url(deletion_of(removed_step)), follow=True)
    assert response.status_code == 200
    assert "cannot be restored yet" in response.content.decode()
    assert not AgreementStep.objects.filter(pk=removed_pk).exists()

    editor_client.post(restore_url(deletion_of(agreement)))
    assert AgreementStep.objects.filter(pk=kept_step.pk).exists()
    assert not AgreementStep.objects.filter(pk=removed_pk).exists()
    editor_client.post(restore_url(deletion_of(removed_step)))
    assert AgreementStep.objects.filter(pk=removed_pk).exists()


@pytest.mark.django_db
def test_a_record_whose_source_was_deleted_comes_back_without_the_citation_until_the_source_does(
    editor, editor_client
):
    source = factories.SourceFactory(title="Defence ministry statement")
    agreement = factories.AgreementFactory(short_title="Transit")
    step = factories.AgreementStepFactory(agreement=agreement)
    citation = factories.CitationFactory(actor=None, agreement=agreement, source=source)
    agreement_pk = agreement.pk
    services.record_delete(agreement, user=editor)
    services.record_delete(Source.objects.get(pk=source.pk), user=editor)  # no longer cited: may go

    page = editor_client.get(reverse(DELETED_LIST)).content.decode()
    assert "its source “Defence ministry statement” was deleted: restore that source first" in page

    response = editor_client.post(restore_url(deletion_of(agreement)), follow=True)
    words = response.content.decode()
    assert response.status_code == 200
    assert Agreement.objects.filter(pk=agreement_pk).exists()
    assert AgreementStep.objects.filter(pk=step.pk).exists()
    assert not Citation.objects.filter(pk=citation.pk).exists()
    assert "Not restored with it" in words and "restore that source first" in words

    citation_history = editor_client.get(f"/admin/citations/citation/{citation.pk}/history/")
    assert citation_history.status_code == 200
    assert "Defence ministry statement" in citation_history.content.decode()

    editor_client.post(restore_url(deletion_of(source)))
    editor_client.post(restore_url(deletion_of(citation)))
    restored = Citation.objects.get(pk=citation.pk)
    assert (restored.agreement_id, restored.source_id) == (agreement_pk, source.pk)


@pytest.mark.django_db
def test_the_deleted_records_page_reads_as_many_queries_for_one_deletion_as_for_five(editor, editor_client):
    def delete_agreements(count):
        for _ in range(count):
            agreement = factories.AgreementFactory()
            step = factories.AgreementStepFactory(agreement=agreement)
            factories.CitationFactory(actor=None, agreement_step=step)
            services.record_delete(agreement, user=editor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(reverse(DELETED_LIST)).status_code == 200
        return len(captured)

    delete_agreements(1)
    one = queries()
    delete_agreements(4)
    assert queries() == one
