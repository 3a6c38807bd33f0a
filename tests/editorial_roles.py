"""Fixtures for tests of the editorial workflow: the roles (``manage.py setup_roles``) and one
member of each that decides on proposals. Import them into a test module or conftest."""

import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0)


@pytest.fixture
def analyst(roles):
    """Staff in the Analyst group: changes drafts, proposes corrections to published records."""
    return factories.UserFactory(username="aigerim", groups=["Analyst"])


@pytest.fixture
def editor(roles):
    """Staff in the Editor group: publishes, and decides on proposals."""
    return factories.UserFactory(username="editor", groups=["Editor"])
