"""Structured logs: one JSON object per line, for a log collector to read without parsing prose.

``security_event`` writes the lines a reviewer of an incident looks for — failed sign-ins,
lockouts, guessed API tokens, throttled clients, expired sessions — under the logger
``casefile.security``; Django's own ``django.request`` lines (every 4xx refusal, every 5xx
with its traceback) come out in the same shape. Passwords and tokens are never logged:
events carry a user name, an address and a path, nothing a client sent as a secret.
"""

import json
import logging
from datetime import UTC, datetime

security_log = logging.getLogger("casefile.security")

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is logged.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request"}


def client_address(request) -> str:
    """The client's address as the throttles and the lockout count it (DRF's NUM_PROXIES rule)."""
    from rest_framework.throttling import BaseThrottle

    return BaseThrottle().get_ident(request)


def security_event(event: str, request=None, **fields):
    """Log one security event, with the request's method, path and client address."""
    if request is not None:
        fields = {"method": request.method, "path": request.path, "client": client_address(request), **fields}
    security_log.warning(event, extra={"event": event, **fields})


class JsonLinesFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, and the record's extras
    (``event``, ``status_code`` …); for a request, its method and path (not its query or body)."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            line.setdefault("method", request.method)
            line.setdefault("path", request.path)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    """Django's user_login_failed: its credentials are already cleansed of the password."""
    security_event("sign_in_failed", request, username=credentials.get("username", ""))


def log_lockout(sender, request, username, ip_address, **kwargs):
    """django-axes' user_locked_out: the user name and address are refused for the cool-off."""
    security_event("sign_in_locked_out", request, username=username)
