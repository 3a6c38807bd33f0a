import pytest
from django.core.management import call_command
from django.test import Client

from tests import factories


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0)


def _user(role):
    return factories.UserFactory(username=role.lower(), groups=[role])


@pytest.fixture
def analyst(roles):
    return _user("Analyst")


@pytest.fixture
def editor(roles):
    return _user("Editor")


@pytest.fixture
def reader(roles):
    return _user("Reader")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst_client(analyst):
    return client_for(analyst)


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def reader_client(reader):
    return client_for(reader)
