"""How often a client may call the API: DRF's throttles, with rates read from settings.

Anonymous clients are counted by address (``anon``), signed-in ones by user (``user``),
and writes by user once more (``write``), at rates set in ``REST_FRAMEWORK
["DEFAULT_THROTTLE_RATES"]`` (from the environment: THROTTLE_ANON_RATE …). A client over
its rate gets 429 with ``Retry-After``. The counts live in Django's default cache.
"""

import logging

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from apps.core.logs import security_event

logger = logging.getLogger("casefile.security")


class RatesFromSettings:
    """The rate as the settings give it now (DRF's throttles read it once, at import), so a
    changed setting — a test's override_settings — takes effect. No rate: no limit."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        try:
            allowed = super().allow_request(request, view)
        except Exception:  # the counts' cache server is away: a site without a brake, not a broken one
            logger.warning("API throttle skipped: the cache does not answer", exc_info=True)
            return True
        if not allowed:
            security_event("api_throttled", request, scope=self.scope, rate=self.rate)
        return allowed


class AnonymousThrottle(RatesFromSettings, AnonRateThrottle):
    scope = "anon"


class UserThrottle(RatesFromSettings, UserRateThrottle):
    scope = "user"


class WriteThrottle(RatesFromSettings, UserRateThrottle):
    """Writes by a signed-in user, on top of their overall rate."""

    scope = "write"

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


THROTTLED = {
    "description": "Too many requests from this client: wait as long as Retry-After says, then send it again.",
    "headers": {
        "Retry-After": {"description": "Seconds to wait before the next request.", "schema": {"type": "integer"}}
    },
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Throttled"}}},
}
THROTTLED_BODY = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "The refusal in words, with the time to wait."}},
    "required": ["detail"],
}


def document_throttling(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation may answer 429 (throttled, or an
    address locked out after guessing API tokens)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", THROTTLED)
    result.setdefault("components", {}).setdefault("schemas", {})["Throttled"] = THROTTLED_BODY
    return result
