"""Editors' notes stay with the editors: walked over every reader path, for every kind of
record in the registry and every role, so a new kind, page or export is covered by default."""

import pytest

from apps.whole_case.registry import RECORD_TYPES
from tests import factories
from tests.whole_case.test_visibility import client_for, reader_paths

pytestmark = pytest.mark.django_db

MARKER = "Qzvnote"  # in every editor's note, and nowhere else


@pytest.fixture
def noted():
    """A published record of every kind, each with an editor's note."""
    kept = {}
    for record_type in RECORD_TYPES:
        if not any(field.name == "editor_notes" for field in record_type.model._meta.fields):
            continue
        factory = getattr(factories, f"{record_type.model.__name__}Factory")
        kept[record_type.key] = factory(
            publication_status="published", editor_notes=f"{MARKER}: slug as in the encoding guide"
        )
    return kept


def test_every_kind_of_record_has_an_editors_note():
    kinds = {t.key for t in RECORD_TYPES if any(f.name == "editor_notes" for f in t.model._meta.fields)}
    assert kinds >= {"actors", "affiliations", "agreements", "deployments", "exercises", "events", "places", "sources"}


@pytest.mark.parametrize("role", ["anonymous", "Reader", "Editor"])
def test_no_reader_path_shows_an_editors_note(role, noted):
    client = client_for(role)
    for path in reader_paths(noted):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert MARKER not in content.decode(), f"{role} sees an editor's note at {path}"
    # Search echoes the words asked for, so there it is the records that must not be found.
    for path in (f"/search/?q={MARKER}", f"/api/v1/search/?q={MARKER}"):
        text = client.get(path).content.decode()
        found = [record.slug for record in noted.values() if record.slug in text]
        assert not found, f"{role} finds {found} by their editor's notes at {path}"


def test_the_admin_shows_the_note_to_whoever_edits_the_record(noted):
    client = client_for("Editor")
    agreement = noted["agreements"]
    page = client.get(f"/admin/agreements/agreement/{agreement.pk}/change/").content.decode()
    assert "For editors only" in page and MARKER in page
