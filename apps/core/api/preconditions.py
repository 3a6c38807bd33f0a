"""Writes to an existing record say which version of it they were based on.

A client sends the record's ``version`` in the body or the record's ``ETag`` (from any
detail response) in ``If-Match``; without either the write is refused with 428, so no
client overwrites someone else's change by not asking. ``If-Match: *`` is an explicit
"whatever is stored now" and skips the check. A stale ``If-Match`` is a 412 and a stale
``version`` a 409, both listing what changed meanwhile (``services.StaleEdit``).
"""

from __future__ import annotations

import re

from rest_framework import status
from rest_framework.exceptions import APIException

from apps.core import services

ANY_VERSION = "*"
_ETAG = re.compile(r'^(?:W/)?"(?P<kind>[a-z_]+)-(?P<pk>\d+)-v(?P<version>\d+)"$')
# The largest version a record can hold (a PositiveIntegerField on every database).
MAX_VERSION = 2_147_483_647


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = (
        "Say which version of the record you edited: send its “version” in the body, or its ETag "
        "(from GET on the record) in an If-Match header. “If-Match: *” overwrites whatever is stored."
    )


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, detail):
        self.detail = detail  # kept as given: version numbers stay numbers


def record_etag(record) -> str:
    """The ETag of one version of one record (strong: a version is never written twice)."""
    return f'"{record._meta.model_name}-{record.pk}-v{record.version}"'


def version_from_if_match(header: str, record) -> int | None:
    """The version an If-Match header names for ``record`` (None for "*"); an ETag of
    another record, or none Casefile wrote, fails the precondition (412)."""
    header = header.strip()
    if header == ANY_VERSION:
        return None
    for candidate in (part.strip() for part in header.split(",")):
        match = _ETAG.match(candidate)
        if match and match["kind"] == record._meta.model_name and int(match["pk"]) == record.pk:
            return min(int(match["version"]), MAX_VERSION)
    raise PreconditionFailed(
        {
            "detail": "If-Match names no version of this record: GET it for its current ETag.",
            "current_version": record.version,
        }
    )


def required_version(request, record) -> tuple[int | None, bool]:
    """(the version the write is based on, whether it came from If-Match).

    The body's ``version`` wins when both are sent (its own validation — a whole number
    from 1 — is the serializer's). Neither: 428."""
    body = request.data.get("version") if hasattr(request.data, "get") else None
    if body is not None:
        return None, False  # the serializer reads and checks it
    header = request.headers.get("If-Match")
    if header:
        return version_from_if_match(header, record), True
    raise PreconditionRequired()


def stale_precondition(stale: services.StaleEdit) -> PreconditionFailed:
    return PreconditionFailed(stale.as_dict())
