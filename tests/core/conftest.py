from tests.editorial_roles import analyst, editor, roles  # noqa: F401
