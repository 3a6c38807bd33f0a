"""One shape for every refusal of the API (settings' EXCEPTION_HANDLER).

Every 4xx and 5xx body the API writes is an object with ``detail`` (what was refused and
why, in words) and ``code`` (a stable word a client can branch on). A refusal of given
fields keeps each field's messages under the field's name, as DRF writes them and as
clients already read them (``{"title": ["This field is required."]}``), and adds the two
keys; other refusals may add keys of their own (``current_version``, ``unknown``, …).
The OpenAPI schema declares this shape once (``schema.ApiError``) for every error status.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions

from apps.core.busy import api_exception_handler as busy_or_drf_handler

NON_FIELD_ERRORS = "non_field_errors"


def api_exception_handler(exc, context):
    """DRF's handler with the busy database's 503 (``core.busy``), every body in one shape."""
    response = busy_or_drf_handler(exc, context)
    if response is not None and response.status_code >= 400:
        response.data = error_body(response.data, error_code(exc))
    return response


def error_code(exc) -> str:
    if isinstance(exc, Http404):
        return exceptions.NotFound.default_code
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied.default_code
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes() if not isinstance(exc.detail, dict) else None
        return codes if isinstance(codes, str) else exc.default_code
    return "error"


def error_body(data, code: str) -> dict:
    """``data`` as an object with ``detail`` and ``code``; field messages kept where they are."""
    if isinstance(data, list):  # ValidationError("…"): messages about the request as a whole
        data = {NON_FIELD_ERRORS: data}
    if not isinstance(data, dict):
        data = {"detail": str(data)}
    body = dict(data)
    if not isinstance(body.get("detail"), str):
        body["detail"] = refusal_summary(data)
    body.setdefault("code", code)
    return body


def refusal_summary(fields: dict) -> str:
    """The ``detail`` of a refusal that names fields: the one message, or which fields to look at."""
    messages = fields.get(NON_FIELD_ERRORS)
    if list(fields) == [NON_FIELD_ERRORS] and isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return " ".join(messages)
    named = [name for name in fields if name != NON_FIELD_ERRORS]
    if not named:
        return "The request was refused."
    return "Refused: see the messages under " + ", ".join(f"“{name}”" for name in named) + "."
