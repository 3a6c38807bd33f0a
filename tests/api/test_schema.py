"""The OpenAPI schema is complete and warning-free, and the API keeps to it: schemathesis,
with every check, anonymous and with an editor's token, against a live server."""

import tomllib
from pathlib import Path

import pytest
import schemathesis
from django.core.management import call_command
from django.db import connection
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from pytest_django.live_server_helper import LiveServer
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from tests import factories

from .fixtures import ENDPOINTS, make_record
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


# --- the API keeps to its schema: schemathesis, every check, against a live server ---------
#
# The schema is read from the application at collection (one test per operation); the
# requests go over HTTP to a server thread. The server and its records live for this module:
# a fresh database per operation (pytest-django's live_server flushes after every test)
# would cost more than the requests. The anonymous client runs first, on the records as
# loaded; the editor then writes to them (creating, changing, deleting), which is what a
# test database is for. Every check of schemathesis runs (none is excluded); which answers
# the positive-data check expects, and why, is in schemathesis.toml.

# The project's schemathesis.toml (what the checks expect, and why), with the test's bounds:
# generated examples only (the examples and fuzzing phases), not the coverage phase, which
# sends every boundary of every parameter of every operation (thousands of requests, a
# quarter of an hour here); run `schemathesis run` for that.
CONFIG_FILE = Path(__file__).resolve().parents[2] / "schemathesis.toml"
CONFIG = SchemathesisConfig.from_dict(
    {**tomllib.loads(CONFIG_FILE.read_text()), "phases": {"coverage": {"enabled": False}}}
)
EXAMPLE_SLUG = "contract-example"  # one record of every kind has it: the schema's example of a slug


def schema_with_example_slugs():
    raw = Client().get("/api/schema/?format=json", HTTP_HOST="localhost").json()  # read at collection: no test host yet
    for item in raw["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "slug":
                    parameter["example"] = EXAMPLE_SLUG  # so that reads and writes find a record, not only miss
    return schemathesis.openapi.from_dict(raw, config=CONFIG)


contract = schema_with_example_slugs()
BOUNDED = settings(
    max_examples=5,  # per operation: a few minutes for both clients on a busy two-core machine
    deadline=None,
    derandomize=True,  # the same examples on every run, so a failure is reproducible
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failing example is reported as sent
    suppress_health_check=list(HealthCheck),
)


def refuse_to_write_outside_the_test_database():
    """pytest-django sets up the test database only for the tests selected that ask for it
    (``db``); these do not (a test transaction would hold SQLite's write lock against the
    server), so when they are selected alone, say so rather than write to the development
    database."""
    database = connection.settings_dict
    if database["NAME"] != database["TEST"].get("NAME") and not str(database["NAME"]).startswith(
        TEST_DATABASE_PREFIX
    ):
        pytest.fail("The contract tests need the test database: select a test that uses it too (run the module).")


@pytest.fixture(scope="module")
def contract_server(django_db_setup, django_db_blocker):
    """A live server over a few records of every kind (one of each with the example slug,
    and a draft), and an editor's token; the database is emptied again afterwards."""
    with django_db_blocker.unblock():
        refuse_to_write_outside_the_test_database()
        for make in RICH.values():
            make()
        for endpoint in ENDPOINTS:
            make_record(endpoint, slug=EXAMPLE_SLUG)
        factories.ActorFactory(slug="draft-ministry", publication_status="draft")
        call_command("setup_roles", verbosity=0)
        editor = factories.UserFactory(username="contract-editor", groups=["Editor"])
        token = Token.objects.create(user=editor).key
        server = LiveServer("localhost")
        try:
            yield server.url, token
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@contract.parametrize()
@BOUNDED
def test_the_api_keeps_its_contract_with_anonymous_clients(case, contract_server):
    url, _ = contract_server
    case.call_and_validate(base_url=url)


@contract.parametrize()
@BOUNDED
def test_the_api_keeps_its_contract_with_an_editor(case, contract_server):
    url, token = contract_server
    case.call_and_validate(base_url=url, headers={"Authorization": f"Token {token}"})
