from tests.api.fixtures import analyst, analyst_user, anonymous, reader, superuser, superuser_user  # noqa: F401
