import pytest

from . import factories


@pytest.fixture
def kazakhstan(db):
    return factories.ActorFactory(name="Kazakhstan", slug="kazakhstan", kind="state")


@pytest.fixture
def parliament(db, kazakhstan):
    parliament = factories.ActorFactory(
        name="Parliament of Kazakhstan", slug="parliament", kind="legislature", country=kazakhstan
    )
    return parliament


@pytest.fixture
def majlis(parliament):
    return factories.ActorFactory(
        name="Majlis", slug="majlis", kind="legislature", parent=parliament, aliases="Mazhilis\nlower house"
    )


@pytest.fixture
def senate(parliament):
    return factories.ActorFactory(name="Senate", slug="senate", kind="legislature", parent=parliament)
