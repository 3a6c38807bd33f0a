"""The OpenAPI schema is complete and warning-free, and the API keeps to it (schemathesis)."""

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from casefile.wsgi import application
from tests import factories

from .records import RICH


def test_schema_generates_without_warnings(tmp_path, db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_docs_use_local_assets(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn." not in page and "unpkg" not in page
    assert "/static/drf_spectacular_sidecar/" in page


def test_every_filter_is_described(client, db):
    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), f"{path} {parameter['name']} has no description"


# The schema is read once, at collection, from the app itself (no server, no network).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
CHECKS = [not_a_server_error, response_schema_conformance]
BOUNDED = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def casefile(db):
    """A few records of every kind, so reads by slug and filters have something to find.

    Requests go straight to the WSGI application, so, as Django's test client does,
    stop it closing the test's connection between requests (on PostgreSQL that would
    abort the test's transaction).
    """
    for make in RICH.values():
        make()
    factories.ActorFactory(slug="kazakhstan", publication_status="draft")
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.include(method="GET").parametrize()
@BOUNDED
def test_reads_keep_to_the_schema(case, casefile):
    with transaction.atomic():  # one example's database error must not poison the next
        case.call_and_validate(checks=CHECKS)


@schema.include(method="POST").parametrize()
@BOUNDED
def test_writes_as_superuser_keep_to_the_schema(case, casefile):
    from django.contrib.auth.models import User

    user = User.objects.filter(username="schemathesis").first() or User.objects.create_superuser("schemathesis")
    token, _ = Token.objects.get_or_create(user=user)
    with transaction.atomic():
        case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)
