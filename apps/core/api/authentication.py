"""API tokens, with a brake on guessing them.

DRF's TokenAuthentication looks a token up without Django's ``authenticate()``, so the
sign-in lockout (django-axes) never sees a wrong one. Here each wrong token counts against
the client's address; after ``API_TOKEN_FAILURE_LIMIT`` of them within
``API_TOKEN_FAILURE_WINDOW`` seconds, every request from that address that carries a token
(right or wrong) is answered 429 with ``Retry-After`` for ``API_TOKEN_LOCKOUT_SECONDS``, so a
guess that happens to be right during the lockout is not let in either. A request with a
valid token costs one cache read; requests without a token are never held up.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from apps.core.logs import client_address, security_event

FAILURES_KEY = "casefile:api-token-failures:{}"
LOCKED_UNTIL_KEY = "casefile:api-token-locked-until:{}"


class TokenGuessingLocked(exceptions.Throttled):
    default_detail = "Too many wrong API tokens from your address."
    default_code = "token_guessing_locked"


class BrakedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused for a while to an address that keeps guessing."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None  # no token: another scheme, or an anonymous reader
        address = client_address(request)
        try:
            locked_until = cache.get(LOCKED_UNTIL_KEY.format(address))
        except Exception:  # the cache server is away: tokens still work, unbraked for now
            locked_until = None
        if locked_until is not None:
            raise TokenGuessingLocked(wait=max(1, round(locked_until - time.time())))
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            try:
                count_failure(request, address)
            except Exception:  # as above: the refusal stands, uncounted
                pass
            raise


def count_failure(request, address):
    failures_key = FAILURES_KEY.format(address)
    window = settings.API_TOKEN_FAILURE_WINDOW
    cache.add(failures_key, 0, timeout=window)
    try:
        failures = cache.incr(failures_key)
    except ValueError:  # the window ended between add and incr: this failure opens a new one
        failures = 1
        cache.set(failures_key, failures, timeout=window)
    security_event("api_token_rejected", request, failures=failures)
    if failures >= settings.API_TOKEN_FAILURE_LIMIT:
        lockout = settings.API_TOKEN_LOCKOUT_SECONDS
        cache.set(LOCKED_UNTIL_KEY.format(address), time.time() + lockout, timeout=lockout)
        cache.delete(failures_key)
        security_event("api_token_locked_out", request, failures=failures, lockout_seconds=lockout)
