"""The case file's revision advances with every write, in the write's transaction, and
never with a read."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from apps.agreements.models import Agreement
from apps.core import selectors, services
from apps.core.models import CaseFileRevision
from tests import factories


def revision():
    return CaseFileRevision.current()


@pytest.fixture
def agreement(db):
    return factories.AgreementFactory(title="Air transit agreement", publication_status="published")


def test_a_write_advances_the_number_and_renews_the_token(agreement, editor):
    before = revision()
    agreement.summary = "Air transit."
    services.record_save(agreement, user=editor)
    after = revision()
    assert after.number > before.number
    assert after.token != before.token
    assert after.changed >= before.changed


def test_reads_leave_the_revision_alone(agreement):
    before = revision()
    reader = Client()
    for url in ("/", "/agreements/", f"/agreements/{agreement.slug}/", "/api/v1/agreements/", "/timeline/"):
        assert reader.get(url).status_code == 200
    assert (revision().number, revision().token) == (before.number, before.token)


def test_a_rolled_back_write_leaves_no_trace_and_the_next_write_a_new_token(agreement, editor):
    before = revision()
    with pytest.raises(RuntimeError), transaction.atomic():
        agreement.summary = "Never saved."
        services.record_save(agreement, user=editor)
        inside = revision()
        assert inside.number == before.number + 1  # seen by the write's own transaction
        raise RuntimeError
    assert (revision().number, revision().token) == (before.number, before.token)
    agreement.refresh_from_db()
    services.record_save(agreement, user=editor)
    # The same number again, but under another token: nothing cached for the rolled-back
    # state can be taken for this one.
    assert revision().token not in {before.token, inside.token}


SERVICE_WRITES = {
    "save": lambda a, user: services.record_save(a, user=user, change_message="edited"),
    "submit": lambda a, user: (
        services.record_unpublish(a, user=user),
        services.record_submit_for_review(a, user=user),
    ),
    "publish": lambda a, user: (services.record_unpublish(a, user=user), services.record_publish(a, user=user)),
    "unpublish": lambda a, user: services.record_unpublish(a, user=user),
    "children": lambda a, user: services.record_children_sync(
        a, model=a.steps.model, parent_field="agreement", items=[{"kind": "signed", "date": "2010"}], user=user
    ),
    "links": lambda a, user: services.record_links_set(
        a, relation="supersedes", targets=[factories.AgreementFactory(publication_status="draft")], user=user
    ),
    "delete": lambda a, user: services.record_delete(a, user=user),
    "restore version": lambda a, user: services.record_restore_version(a.history.earliest("history_date"), user=user),
}


@pytest.mark.parametrize("write", SERVICE_WRITES, ids=list(SERVICE_WRITES))
def test_every_service_advances_the_revision(agreement, editor, write):
    before = revision().number
    SERVICE_WRITES[write](agreement, editor)
    assert revision().number > before


def test_restoring_a_deleted_record_advances_the_revision(agreement, editor):
    services.record_delete(agreement, user=editor)
    before = revision().number
    services.record_restore_deleted(selectors.deleted_records(Agreement)[0], user=editor)
    assert revision().number > before


def test_accepting_a_proposal_advances_the_revision(agreement, editor, roles):
    proposer = factories.UserFactory(username="proposer", groups=["Analyst"])
    proposal = services.proposal_submit(agreement, changes={"summary": "Air transit."}, reason="p. 4", user=proposer)
    before = revision().number
    services.proposal_accept(proposal, user=editor)
    assert revision().number > before


def test_loading_importing_and_building_advance_the_revision(db, tmp_path):
    before = revision().number
    call_command("load_casefile", verbosity=0)
    loaded = revision().number
    assert loaded > before

    backup = tmp_path / "casefile.json"
    call_command("export_casefile", str(backup), "--no-progress", verbosity=0)
    assert revision().number == loaded  # an export reads
    document = json.loads(backup.read_text())
    document["records"]["agreements.agreement"][0]["summary"] = "Changed in the file."
    backup.write_text(json.dumps(document))
    call_command("import_casefile", str(backup), "--merge", "--no-progress", verbosity=0)
    imported = revision().number
    assert imported > loaded

    call_command("build_synthetic_casefile", "--scale", "0.001", "--force", verbosity=0)
    assert revision().number > imported


def test_a_database_without_the_row_reads_a_first_revision_and_the_first_write_makes_it(agreement):
    CaseFileRevision.objects.all().delete()  # as a flushed test database has it
    assert revision().number == 0
    factories.ActorFactory()
    assert CaseFileRevision.objects.get().number == 1


def test_a_migration_advances_the_revision(db):
    """A deploy migrates: pages the old code rendered are not served by the new."""
    before = revision()
    call_command("migrate", verbosity=0)
    assert revision().number > before.number
