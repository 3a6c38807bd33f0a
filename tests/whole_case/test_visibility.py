"""Who sees a draft, asked of every reader path at once.

Drafts and records in review are for staff allowed to view them (``core.models.sees_drafts``);
everyone else — anonymous readers, signed-in users without staff status, staff without
view permission — finds no trace of them on any page, API list or detail, export, search,
timeline or ``removed/`` list. The record kinds come from the registry, so a new kind is
walked by default.
"""

import pytest
from django.core.management import call_command
from django.test import Client

from apps.core import services
from apps.whole_case.registry import RECORD_TYPES
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = "Zqxvdraft"  # in every draft's name: no other text in the case file holds it
SINCE = "2000-01-01T00:00:00Z"


def named(record_type):
    """The field that names a record of this kind (name or title), if it has one."""
    fields = {field.name for field in record_type.model._meta.get_fields()}
    return next((name for name in ("name", "title") if name in fields), None)


def make_draft(record_type, label):
    factory = getattr(factories, f"{record_type.model.__name__}Factory")
    field = named(record_type)
    extra = {field: f"{TOKEN} {label} {record_type.key}"} if field else {}
    return factory(publication_status="draft", slug=f"zqxv-{label}-{record_type.key}", **extra)


@pytest.fixture
def drafts():
    """A draft of every named kind, and one of each deleted (for removed/)."""
    kept, gone = {}, {}
    for record_type in RECORD_TYPES:
        if named(record_type) is None:
            continue
        kept[record_type.key] = make_draft(record_type, "kept")
        deleted = make_draft(record_type, "gone")
        gone[record_type.key] = deleted.slug
        services.record_delete(deleted, user=None)
    # A citation is seen with the record it supports and its source.
    factories.CitationFactory(actor=kept["actors"], passage=f"{TOKEN} kept citation of a draft actor")
    factories.CitationFactory(source=kept["sources"], passage=f"{TOKEN} kept citation from a draft source")
    return kept, gone


def reader_paths(kept):
    """Every URL a reader can ask for, pages and API."""
    paths = ["/", "/timeline/", f"/search/?q={TOKEN}", "/sources/bibliography/"]
    paths += ["/api/v1/", "/api/v1/timeline/?page_size=100", f"/api/v1/search/?q={TOKEN}"]
    for record_type in RECORD_TYPES:
        if record_type.in_navigation:
            paths.append(f"/{record_type.key}/")
            if record_type.key in kept:
                paths.append(f"/{record_type.key}/{kept[record_type.key].slug}/")
        api = f"/api/v1/{record_type.key}/"
        paths += [f"{api}?page_size=100", f"{api}?format=csv"]
        if record_type.key in kept:
            paths.append(f"{api}{kept[record_type.key].slug}/")
        if hasattr(record_type.model, "publication_status"):
            paths.append(f"{api}removed/?since={SINCE}")
    paths += ["/api/v1/sources/?format=bibtex", "/api/v1/sources/?format=csl-json"]
    return paths


def client_for(role):
    client = Client()
    if role == "anonymous":
        return client
    if role == "signed-in, not staff":
        client.force_login(factories.UserFactory(username="plain", is_staff=False))
    elif role == "staff without a group":
        client.force_login(factories.UserFactory(username="bare-staff", is_staff=True))
    else:
        call_command("setup_roles", verbosity=0)
        client.force_login(factories.UserFactory(username=role.lower(), groups=[role], is_staff=True))
    return client


@pytest.mark.parametrize("role", ["anonymous", "signed-in, not staff", "staff without a group"])
def test_nobody_without_view_permission_finds_a_trace_of_a_draft(role, drafts):
    kept, gone = drafts
    client = client_for(role)
    # Names and slugs; the token alone is echoed by a search for it.
    names = [f"{TOKEN} {label} {key}" for key in kept for label in ("kept", "gone")]
    names += [f"{TOKEN} kept citation of a draft actor", f"{TOKEN} kept citation from a draft source"]
    traces = [*names, *(record.slug for record in kept.values()), *gone.values()]
    for path in reader_paths(kept):
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode()
        # A page not found repeats the address asked for, slug included: only names count there.
        found = [trace for trace in (names if response.status_code == 404 else traces) if trace in text]
        assert not found, f"{role} sees {found} at {path}"


@pytest.mark.parametrize("role", ["Reader", "Analyst", "Editor"])
def test_staff_allowed_to_view_see_drafts_everywhere_readers_look(role, drafts):
    kept, gone = drafts
    client = client_for(role)
    for key, record in kept.items():
        for path in (f"/api/v1/{key}/{record.slug}/", f"/api/v1/{key}/?page_size=100"):
            assert record.slug in client.get(path).content.decode(), (role, path)
        if key in {t.key for t in RECORD_TYPES if t.in_navigation}:
            assert client.get(f"/{key}/{record.slug}/").status_code == 200, (role, key)
        removed = client.get(f"/api/v1/{key}/removed/?since={SINCE}").json()["slugs"]
        assert gone[key] in removed, (role, key)
    found = client.get(f"/search/?q={TOKEN}").content.decode()
    assert all(record.slug in found for key, record in kept.items() if key != "citations"), role
