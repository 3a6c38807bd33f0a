"""A database too busy to take a write answers 503 with ``Retry-After``, never a 500.

SQLite lets one writer in at a time; a writer waits for the lock (the ``timeout`` in
settings) and only then gives up with "database is locked". PostgreSQL gives up on a row
when a serialization failure, a deadlock or a lock timeout ends the transaction. Either
way nothing was written and the same request can simply be sent again, so the client is
told when to retry instead of being shown a server error. The API answers through DRF's
exception handler (JSON, like its other errors); pages and the admin through the
middleware. Every other database error stays an error.
"""

from __future__ import annotations

from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

RETRY_AFTER_SECONDS = 2
BUSY_MESSAGE = "The case file is busy with other changes and could not take yours. Nothing was saved: send it again."

# SQLSTATEs after which PostgreSQL rolled the transaction back and a retry can succeed:
# serialization_failure, deadlock_detected, lock_not_available (lock_timeout, NOWAIT).
_POSTGRESQL_RETRYABLE = {"40001", "40P01", "55P03"}
# SQLite's primary result codes for "another connection holds the lock": SQLITE_BUSY (the
# busy timeout ran out) and SQLITE_LOCKED (a shared cache's table lock).
_SQLITE_RETRYABLE = {5, 6}


def is_database_busy(error: BaseException) -> bool:
    """Whether ``error`` means "busy now, try again", not a fault."""
    if not isinstance(error, OperationalError):
        return False
    driver_error = error.__cause__
    sqlstate = getattr(driver_error, "sqlstate", None) or getattr(driver_error, "pgcode", None)
    if sqlstate is not None:
        return sqlstate in _POSTGRESQL_RETRYABLE
    sqlite_code = getattr(driver_error, "sqlite_errorcode", None)
    return sqlite_code is not None and sqlite_code & 0xFF in _SQLITE_RETRYABLE


def api_exception_handler(exc, context):
    """DRF's handler, plus 503 with Retry-After for a busy database (settings' EXCEPTION_HANDLER)."""
    response = exception_handler(exc, context)
    if response is None and is_database_busy(exc):
        set_rollback()
        response = Response(
            {"detail": BUSY_MESSAGE, "code": "database_busy", "retry_after": RETRY_AFTER_SECONDS},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return response


class DatabaseBusyMiddleware:
    """Pages and the admin: a short "busy, try again" page with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        page = render_to_string(
            "core/database_busy.html", {"message": BUSY_MESSAGE, "retry_after": RETRY_AFTER_SECONDS}
        )
        response = HttpResponse(page, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
