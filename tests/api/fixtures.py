"""API test fixtures: clients for the three roles of the permissions matrix, and the
records each endpoint is tested with. Imported by tests/api/conftest.py and by the
per-app tests/<app>/test_api.py modules."""

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories

CASEFILE_APPS = [
    "actors", "agreements", "citations", "deployments", "events", "exercises", "places", "routes", "sources",
]


@pytest.fixture
def anonymous(db):
    return APIClient()


@pytest.fixture
def analyst_user(db):
    """Staff with the add/change/delete/view permissions of the case file's apps, and nothing else."""
    user = User.objects.create_user("analyst", is_staff=True)  # no password: no slow hashing
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=CASEFILE_APPS))
    return user


@pytest.fixture
def analyst(analyst_user):
    client = APIClient()
    client.force_authenticate(analyst_user)
    return client


@pytest.fixture
def superuser_user(db):
    return User.objects.create_superuser("root", password=None)


@pytest.fixture
def superuser(superuser_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=superuser_user).key}")
    return client


@pytest.fixture
def reader(db):
    """Signed in, but neither staff nor holding any permission."""
    client = APIClient()
    client.force_authenticate(User.objects.create_user("reader"))
    return client


def field_errors(body):
    """A 400's messages by field: the body without the ``detail`` and ``code`` every error carries."""
    return {name: value for name, value in body.items() if name not in {"detail", "code"}}


def make_record(endpoint, *, status="published", **kwargs):
    """One record for ``endpoint`` with publication ``status`` (for citations: of the target)."""
    make = {
        "actors": lambda: factories.ActorFactory(publication_status=status, **kwargs),
        "affiliations": lambda: factories.AffiliationFactory(publication_status=status, **kwargs),
        "agreements": lambda: factories.AgreementFactory(publication_status=status, **kwargs),
        "deployments": lambda: factories.DeploymentFactory(publication_status=status, **kwargs),
        "exercises": lambda: factories.ExerciseFactory(publication_status=status, **kwargs),
        "events": lambda: factories.EventFactory(publication_status=status, **kwargs),
        "places": lambda: factories.PlaceFactory(publication_status=status, **kwargs),
        "routes": lambda: factories.RouteFactory(publication_status=status, **kwargs),
        "sources": lambda: factories.SourceFactory(publication_status=status, **kwargs),
        "citations": lambda: factories.CitationFactory(
            actor=factories.ActorFactory(publication_status=status), **kwargs
        ),
    }
    return make[endpoint]()


def create_payload(endpoint):
    """A valid body for POST on ``endpoint`` (creating the records it refers to)."""
    if endpoint == "actors":
        return {"name": "Ministry of Defence", "kind": "government_body", "slug": "mod"}
    if endpoint == "affiliations":
        member, organisation = factories.ActorFactory(), factories.ActorFactory(kind="international_organisation")
        return {"member": member.slug, "organisation": organisation.slug, "kind": "membership", "start": "1995"}
    if endpoint == "agreements":
        party = factories.ActorFactory()
        return {
            "title": "Agreement on air transit",
            "kind": "treaty",
            "parties": [{"actor": party.slug, "role": "party"}],
            "steps": [{"kind": "signed", "date": "12 November 2010"}],
        }
    if endpoint == "deployments":
        return {
            "name": "Staff officers to ISAF",
            "contributor": factories.ActorFactory().slug,
            "status": "proposed",
            "personnel_qualifier": "at_most",
            "personnel_max": 27,
            "start": "May 2011",
            "roles": [{"title": "medical officer", "count": 1}],
        }
    if endpoint == "exercises":
        return {
            "name": "Steppe Eagle 2009",
            "start": "September 2009",
            "participants": [{"actor": factories.ActorFactory().slug, "role": "host"}],
        }
    if endpoint == "events":
        return {
            "title": "Visit to Astana",
            "kind": "visit",
            "date": "14 January 2009",
            "participants": [{"actor": factories.ActorFactory().slug, "role": "visitor"}],
        }
    if endpoint == "places":
        return {"name": "Kapchagai", "kind": "training_centre", "latitude": 43.88, "longitude": 77.07}
    if endpoint == "routes":
        country = factories.PlaceFactory(kind="country")
        return {
            "name": "Russian route",
            "modes": ["rail"],
            "status": "operational",
            "legs": [
                {
                    "order": 1,
                    "from_place": factories.PlaceFactory().slug,
                    "to_place": factories.PlaceFactory().slug,
                    "mode": "rail",
                    "countries": [country.slug],
                }
            ],
            "constraints": [{"kind": "container_size", "text": "20-foot TEUs only."}],
        }
    if endpoint == "sources":
        return {"kind": "news_report", "title": "Kazakhstan sends officers", "date": "9 June 2011"}
    if endpoint == "citations":
        return {
            "source": factories.SourceFactory().slug,
            "target_type": "actor",
            "target": factories.ActorFactory().slug,
            "locator": "p. 4",
            "credibility": 2,
        }
    raise KeyError(endpoint)


def as_input(document):
    """An API document as a client sends it back: related records (compact, as read) by slug."""
    if isinstance(document, dict):
        if {"slug", "url"} <= set(document) and len(document) <= 4:
            return document["slug"]
        return {name: as_input(value) for name, value in document.items()}
    if isinstance(document, list):
        return [as_input(item) for item in document]
    return document


# A field to change with PATCH on each endpoint, and its new value.
UPDATES = {
    "actors": ("description", "Changed."),
    "affiliations": ("role", "Deputy Defence Minister"),
    "agreements": ("summary", "Changed."),
    "deployments": ("rotation", "every six months"),
    "exercises": ("focus", "Peacekeeping."),
    "events": ("summary", "Changed."),
    "places": ("description", "Changed."),
    "routes": ("description", "Changed."),
    "sources": ("notes", "Graded B after checking."),
    "citations": ("passage", "Changed."),
}

ENDPOINTS = list(UPDATES)
