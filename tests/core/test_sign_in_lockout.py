"""The admin sign-in after repeated wrong passwords (django-axes): locked for the cool-off,
the right password included, with a page that says so; an administrator can unlock it."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests import factories

PASSWORD = "the right long password"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def quick_hashing(settings):
    # The lockout is what is tested, not the hash: a cheap one keeps the many sign-ins fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def analyst(db):
    user = factories.UserFactory(username="aigerim")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, password, username="aigerim"):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client):
    return client.get("/admin/").status_code == 200


def guess(client, times):
    for _ in range(times):
        assert sign_in(client, "guess").status_code in {200, 429}  # the form with its error, or locked


@override_settings(AXES_FAILURE_LIMIT=5)
def test_five_wrong_passwords_lock_the_name_even_against_the_right_one(analyst, client):
    for _ in range(4):
        assert sign_in(client, "guess").status_code == 200  # the form again, with its error
    locked = sign_in(client, "guess")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    right = sign_in(client, PASSWORD)
    assert right.status_code == 429
    assert "even with the right password" in right.content.decode()
    assert not signed_in(client)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_lock_holds_one_name_from_one_address(analyst, db):
    other = factories.UserFactory(username="daniyar")
    other.set_password(PASSWORD)
    other.save()
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    guess(guesser, 3)
    assert sign_in(guesser, PASSWORD).status_code == 429
    # Another user from the same address, and the same user from another address, sign in.
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), PASSWORD, username="daniyar").status_code == 302
    elsewhere = Client(REMOTE_ADDR="198.51.100.4")
    assert sign_in(elsewhere, PASSWORD).status_code == 302
    assert signed_in(elsewhere)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_administrator_unlocks_a_name_at_once(analyst, client):
    guess(client, 3)
    assert sign_in(client, PASSWORD).status_code == 429
    call_command("axes_reset_username", "aigerim", verbosity=0)
    assert sign_in(client, PASSWORD).status_code == 302
    assert signed_in(client)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_sign_in_starts_the_count_again(analyst, client):
    guess(client, 2)
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    guess(client, 2)
    assert sign_in(client, PASSWORD).status_code == 302
