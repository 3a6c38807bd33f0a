"""`import_casefile` checks every record as the admin does (``full_clean``) and refuses the
file as a whole, naming the record (kind and slug) and the field; a corrupt file is a
one-line error, never a traceback."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from apps.actors.models import Actor
from apps.whole_case import backup
from tests import factories

from .test_backup import ROOT, small_casefile, wipe  # noqa: F401 (the fixture, by name)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(small_casefile, tmp_path):  # noqa: F811
    """The small case file as exported, as a document to spoil, with the database emptied."""
    factories.SourceFactory(slug="report", url="https://example.org/report")
    path = tmp_path / "casefile.json"
    call_command("export_casefile", str(path), "--no-timestamp", "--no-progress", verbosity=0)
    wipe()
    return json.loads(path.read_text())


def row(document, label, slug=None):
    rows = document["records"][label]
    return next(r for r in rows if slug is None or r["slug"] == slug)


def import_refused(document, tmp_path, *, merge=False):
    path = tmp_path / "spoilt.json"
    path.write_text(json.dumps(document))
    args = ["--merge"] if merge else []
    with pytest.raises(CommandError) as refused:
        call_command("import_casefile", str(path), "--no-progress", *args, verbosity=0)
    message = str(refused.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("label", "slug", "field", "value", "expected"),
    [
        ("sources.source", "report", "url", "javascript:alert(document.cookie)", "url: Enter a valid URL."),
        ("sources.source", "report", "url", "data:text/html,<script>alert(1)</script>", "url: Enter a valid URL."),
        ("actors.actor", "majlis", "publication_status", "bogus-status", "publication_status: Value 'bogus-status'"),
        ("actors.actor", "majlis", "name", "", "name: This field cannot be blank."),
        ("affiliations", None, "end", "1990", "end: The end cannot come before the start."),
        ("agreements.agreementstep", None, "date", "2011-02-30", "date: "),
        ("deployments.deploymentrole", None, "count", 2**64, "count: "),
        ("citations.citation", None, "credibility", 9, "credibility: "),
        ("actors.actor", "majlis", "created", "yesterday", "created: "),
    ],
)
def test_a_record_the_admin_would_refuse_refuses_the_file(exported, tmp_path, label, slug, field, value, expected):
    label = "actors.affiliation" if label == "affiliations" else label
    spoilt = row(exported, label, slug)
    spoilt[field] = value
    message = import_refused(exported, tmp_path)
    assert message.startswith(f"{label} “{spoilt['slug']}”: "), message
    assert expected in message
    assert backup.is_empty()  # all or nothing


def spoil_url(document):
    row(document, "sources.source", "report")["url"] = "javascript:alert(1)"
    return "sources.source “report”: url"


def spoil_affiliation(document):
    affiliation = row(document, "actors.affiliation")
    affiliation["organisation"] = affiliation["member"]  # a table constraint: not with itself
    return f"actors.affiliation “{affiliation['slug']}”: An actor cannot be affiliated with itself"


@pytest.mark.parametrize("spoil", [spoil_url, spoil_affiliation], ids=["a field", "a table constraint"])
def test_a_refused_merge_leaves_the_database_as_it_was(exported, tmp_path, spoil):
    path = tmp_path / "good.json"
    path.write_text(json.dumps(exported))
    call_command("import_casefile", str(path), "--no-progress", verbosity=0)
    before = backup.count_rows()
    row(exported, "actors.actor", "majlis")["name"] = "Renamed"
    expected = spoil(exported)
    message = import_refused(exported, tmp_path, merge=True)
    assert message.startswith(expected), message
    assert Actor.objects.get(slug="majlis").name == "Majlis"
    assert backup.count_rows() == before


def test_a_table_constraint_refuses_the_file_naming_the_record(exported, tmp_path):
    """The table's constraints are left to the database as the rows go in; its refusal is
    put in the admin's words, naming the record, and nothing is written."""
    citation = next(r for r in exported["records"]["citations.citation"] if r.get("agreement"))
    citation["actor"] = "majlis"  # a second record for one citation
    message = import_refused(exported, tmp_path)
    assert message.startswith(f"citations.citation “{citation['slug']}”: "), message
    assert "A citation supports exactly one record" in message
    assert backup.is_empty()


def test_two_records_with_one_slug_are_refused_in_a_sentence(exported, tmp_path):
    actors = exported["records"]["actors.actor"]
    actors.append(dict(actors[0]))
    message = import_refused(exported, tmp_path)
    assert "actors.actor" in message or "refused the file" in message
    assert backup.is_empty()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("format: casefile\nversion: 1\n", "This is not a JSON file"),
        ('{"format": "casefile", "version": 1, "records": []}', "has no “records”"),
        ('{"format": "casefile", "version": 1, "records": {"actors.actor": {"slug": "a"}}}', "not a list of records"),
        ('{"format": "casefile", "version": 1, "records": {"actors.actor": ["a"]}}', "not a list of records"),
        ("[1, 2]", "This is not a Casefile backup"),
    ],
)
def test_a_file_of_the_wrong_shape_is_one_line(tmp_path, text, expected):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(CommandError, match=expected):
        call_command("import_casefile", str(path), "--no-progress", verbosity=0)
    assert backup.is_empty()


def test_a_file_that_is_not_utf8_is_one_line_without_a_traceback(tmp_path):
    path = tmp_path / "latin1.json"
    text = '{"format": "casefile", "records": {"actors.actor": [{"name": "Défense"}]}}'
    path.write_bytes(text.encode("latin-1"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_casefile", str(path), "--no-progress", "--skip-checks"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    byte = text.index("é")
    expected = f"CommandError: {path} is not UTF-8 text (byte {byte}), so not a Casefile backup."
    assert result.stderr.strip().splitlines() == [expected]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:msgbox", "file:///etc/passwd"])
def test_the_model_refuses_a_source_url_that_is_not_http_or_ftp(url):
    source = factories.SourceFactory.build(url=url)
    with pytest.raises(ValidationError) as refused:
        source.full_clean(exclude=["slug"])
    assert "url" in refused.value.message_dict


def test_help_says_records_are_checked_and_nothing_is_half_written():
    from apps.whole_case.management.commands import import_casefile

    help_text = import_casefile.Command().create_parser("manage.py", "import_casefile").format_help()
    assert "checked as the admin checks it" in " ".join(help_text.split())


def test_a_rule_of_the_model_s_clean_is_asked_once_the_file_is_in(exported, tmp_path):
    exercise = row(exported, "exercises.exercise")
    exercise["series"], exercise["edition"] = None, "3"
    message = import_refused(exported, tmp_path)
    rule = "edition: An edition belongs to a series: choose the series."
    assert message == f"exercises.exercise “{exercise['slug']}”: {rule}"
    assert backup.is_empty()
