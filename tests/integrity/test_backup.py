"""Backup and restore: export → import into an empty database → export gives the same file,
on SQLite and PostgreSQL and from one to the other, at the size of the case file and of a
synthetic file of more than 50,000 records."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.actors.models import Actor
from apps.agreements.models import Agreement
from apps.citations.models import Citation
from apps.sources.models import Note
from apps.whole_case import backup
from tests import factories

from .synthetic import build_synthetic

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test")


def manage(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "manage.py", *args, "--skip-checks"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        # Generous: a 50,000-record import also rebuilds the search index, and CI may share
        # the machine; the limit is there to stop a hang, not to time the command.
        timeout=1800,
    )
    return result


def must(result):
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result


def pg_answers():
    try:
        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@pytest.fixture
def fresh_postgres():
    """URL of a new, empty PostgreSQL database, dropped afterwards."""
    if not pg_answers():
        pytest.skip(f"PostgreSQL does not answer at {PG_URL}")
    name = f"casefile_backup_{uuid.uuid4().hex[:10]}"
    server = PG_URL.rsplit("/", 1)[0]
    admin_url = f"{server}/postgres".replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def round_trip_through(database_url, source_file, target_file):
    """Import ``source_file`` into the empty database at ``database_url``, export to ``target_file``."""
    must(manage("migrate", "--noinput", "-v0", database_url=database_url))
    must(manage("import_casefile", str(source_file), "--no-progress", database_url=database_url))
    must(manage("export_casefile", str(target_file), "--no-timestamp", "--no-progress", database_url=database_url))
    return target_file.read_bytes()


# --- in-process, on the test database (SQLite or PostgreSQL, whichever the suite runs on) -------------


@pytest.fixture
def small_casefile(db, majlis, senate):
    agreement = factories.AgreementFactory(title="Transit “agreement”", slug="transit", publication_status="in_review")
    older = factories.AgreementFactory(slug="older")
    agreement.supersedes.add(older)
    factories.AgreementStepFactory(
        agreement=agreement, kind="approved_by_chamber", acting_body=majlis, date="18 May 2011"
    )
    factories.AgreementPartyFactory(agreement=agreement, actor=senate)
    factories.CitationFactory(actor=None, agreement=agreement, credibility=2)
    factories.PlaceFactory(slug="almaty", latitude="43.2567", longitude="76.9286")
    factories.DeploymentRoleFactory(deployment=factories.DeploymentFactory(legal_basis=agreement))
    factories.ExerciseParticipantFactory(exercise=factories.ExerciseFactory(series=factories.ExerciseSeriesFactory()))
    factories.EventParticipantFactory()
    factories.AffiliationFactory(start="1995", end="c. 2010")
    # A route with a leg through a country, a spur branching where the leg ends, a constraint, a citation.
    kazakhstan = factories.PlaceFactory(
        slug="kazakhstan-country", kind="country", latitude="48.0196", longitude="66.9237", coordinates_approximate=True
    )
    route = factories.RouteFactory(slug="russian-route", modes="rail,road")
    route.permitted_by.add(agreement)
    riga = factories.PlaceFactory(slug="riga")
    leg = factories.LegFactory(route=route, order=1, from_place=riga, to_place=kazakhstan)
    leg.countries.add(kazakhstan)
    factories.CitationFactory(actor=None, route_leg=leg)
    spur = factories.RouteFactory(
        slug="kkt-spur", branches_from=route, branch_place=kazakhstan, publication_status="draft"
    )
    factories.RouteConstraintFactory(route=spur, kind="transit_time", text="Up to seventy days.")
    note = factories.NoteFactory()
    note.cites.add(Citation.objects.first().source)
    actor = Actor.objects.get(slug="majlis")
    actor.version = 4
    actor.save()


def wipe():
    for model in reversed(backup.casefile_models()):
        self_refs = {f.name: None for f in model._meta.concrete_fields if f.is_relation and f.related_model is model}
        if self_refs:
            model._base_manager.update(**self_refs)
        model._base_manager.all().delete()


@pytest.mark.django_db
def test_round_trip_on_the_test_database_is_byte_identical(small_casefile, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("export_casefile", str(first), "--no-timestamp", "--no-progress", verbosity=0)
    wipe()
    assert backup.is_empty()
    call_command("import_casefile", str(first), "--no-progress", verbosity=0)
    call_command("export_casefile", str(second), "--no-timestamp", "--no-progress", verbosity=0)
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text())
    assert document["format"] == "casefile" and document["version"] == 1 and document["exported_at"] is None
    [transit] = [r for r in document["records"]["agreements.agreement"] if r["slug"] == "transit"]
    assert transit["supersedes"] == ["older"] and transit["publication_status"] == "in_review"
    assert Actor.objects.get(slug="majlis").version == 4
    assert Agreement.objects.get(slug="transit").supersedes.get().slug == "older"
    assert Note.objects.get().cites.count() == 1
    imported = Actor.objects.get(slug="majlis").history.get()
    assert imported.history_change_reason == "Imported from first.json"


@pytest.mark.django_db
def test_with_a_timestamp_only_exported_at_differs(small_casefile, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("export_casefile", str(first), "--no-progress", verbosity=0)
    call_command("export_casefile", str(second), "--no-progress", verbosity=0)
    one, two = json.loads(first.read_text()), json.loads(second.read_text())
    assert one.pop("exported_at").endswith("+00:00") and two.pop("exported_at")
    assert one == two


@pytest.mark.django_db
def test_import_refuses_a_database_that_is_not_empty_unless_merging(small_casefile, tmp_path):
    path = tmp_path / "backup.json"
    call_command("export_casefile", str(path), "--no-timestamp", "--no-progress", verbosity=0)
    with pytest.raises(CommandError, match="The database already holds .* pass --merge"):
        call_command("import_casefile", str(path), "--no-progress", verbosity=0)
    Actor.objects.filter(slug="majlis").update(name="Changed since the backup")
    Agreement.objects.get(slug="older").delete()
    call_command("import_casefile", str(path), "--merge", "--no-progress", verbosity=0)
    majlis = Actor.objects.get(slug="majlis")
    assert majlis.name == "Majlis" and majlis.version == 5  # the file's values, as a new version
    assert Agreement.objects.get(slug="transit").supersedes.get().slug == "older"


@pytest.mark.django_db
def test_import_explains_a_bad_file(tmp_path):
    bad = tmp_path / "bad.json"
    for text, message in [
        ("not json", "This is not a JSON file"),
        ('{"format": "other"}', "This is not a Casefile backup"),
        ('{"format": "casefile", "version": 9, "records": {}}', "format version 9"),
        ('{"format": "casefile", "version": 1, "records": {"x.y": []}}', "does not know: x.y"),
        (
            '{"format": "casefile", "version": 1, "records": {"actors.actor": '
            '[{"slug": "a", "name": "A", "kind": "state", "parent": "nobody"}]}}',
            "actors.actor “a”: parent points to actors.actor “nobody”",
        ),
    ]:
        bad.write_text(text)
        with pytest.raises(CommandError, match=message):
            call_command("import_casefile", str(bad), "--no-progress", verbosity=0)
    assert backup.is_empty()  # all or nothing


def test_commands_explain_themselves():
    from apps.whole_case.management.commands import export_casefile, import_casefile

    assert "--no-timestamp" in export_casefile.Command().create_parser("manage.py", "export_casefile").format_help()
    assert "--merge" in import_casefile.Command().create_parser("manage.py", "import_casefile").format_help()


# --- across databases, in subprocesses ---------------------------------------------------------------


@pytest.fixture
def once_per_test_run():
    """These tests go through SQLite and PostgreSQL themselves, in databases of their own,
    whichever database the suite runs on: `make test` runs them once, in its SQLite pass,
    not again in the PostgreSQL pass beside it (each takes minutes)."""
    if connection.vendor != "sqlite":
        pytest.skip("Runs in the SQLite pass: it makes its own SQLite and PostgreSQL databases.")


def test_the_real_case_file_round_trips_sqlite_postgresql_sqlite(once_per_test_run, tmp_path, fresh_postgres):
    loaded = f"sqlite:///{tmp_path / 'loaded.sqlite3'}"
    must(manage("migrate", "--noinput", "-v0", database_url=loaded))
    if manage("load_casefile", database_url=loaded).returncode != 0:
        # The fixtures are being encoded: load what resolves, as `load_casefile --check` does.
        loaded = f"sqlite:///{tmp_path / 'checked.sqlite3'}"
        manage("load_casefile", "--check", database_url=loaded)
    first = tmp_path / "from-sqlite.json"
    must(manage("export_casefile", str(first), "--no-timestamp", "--no-progress", database_url=loaded))
    assert backup.record_count(json.loads(first.read_text())) > 1000
    from_postgres = round_trip_through(fresh_postgres, first, tmp_path / "from-postgres.json")
    back_in_sqlite = round_trip_through(
        f"sqlite:///{tmp_path / 'again.sqlite3'}", tmp_path / "from-postgres.json", tmp_path / "again.json"
    )
    assert first.read_bytes() == from_postgres == back_in_sqlite


@pytest.mark.django_db
def test_fifty_thousand_records_round_trip_across_databases(once_per_test_run, tmp_path, fresh_postgres):
    total = build_synthetic(50_000)
    assert total >= 50_000
    first = tmp_path / "synthetic.json"
    call_command("export_casefile", str(first), "--no-timestamp", "--no-progress", verbosity=0)
    assert backup.record_count(json.loads(first.read_text())) == total
    in_sqlite = round_trip_through(f"sqlite:///{tmp_path / 'big.sqlite3'}", first, tmp_path / "sqlite.json")
    in_postgres = round_trip_through(fresh_postgres, tmp_path / "sqlite.json", tmp_path / "postgres.json")
    assert first.read_bytes() == in_sqlite == in_postgres
