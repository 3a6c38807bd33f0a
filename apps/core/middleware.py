"""Checks at the edge of every request and response.

``RefuseNulMiddleware`` refuses requests that carry a NUL character, before any view reads
them. PostgreSQL cannot hold NUL in text, so a NUL reaching a filter, a search or a form field
fails in the database (a 500); SQLite lets it through. Every reader path and form takes
its text from the query string, the form body or the path, so one check here covers them
all, on both databases, with one plain answer.

``ContentSecurityPolicyMiddleware`` sets the security headers Django's SecurityMiddleware
does not; ``SessionLimitsMiddleware`` ends idle and overlong sessions.
"""

import time

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponseBadRequest, JsonResponse
from rest_framework.renderers import BrowsableAPIRenderer

from .logs import security_event

NUL = "\x00"
NUL_REFUSED = "The request contains a NUL character (%00), which no field of a case file can hold: remove it."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
API_PREFIX = "/api/"


def carries_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.carries_nul(request):
            if request.path_info.startswith(API_PREFIX):
                # The API's error shape: {"detail": ...}.
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def carries_nul(request) -> bool:
        if NUL in request.path_info or carries_nul(request.GET):
            return True
        # Only bodies Django parses as forms: reading request.POST caches it for the view
        # (and for DRF), while a JSON body stays unread for the API's parser.
        if request.method == "POST" and request.content_type in FORM_TYPES:
            return carries_nul(request.POST)
        return False


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY) and a Permissions-Policy, on every response.

    DRF's browsable API is the one page that needs inline style: its templates (not ours)
    float buttons with style="" and colour code with a <style> element. It gets
    'unsafe-inline' for styles alone; scripts stay 'self' everywhere."""

    def process_response(self, request, response):
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if isinstance(getattr(response, "accepted_renderer", None), BrowsableAPIRenderer):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts


SESSION_STARTED = "casefile_session_started"
SESSION_SEEN = "casefile_session_seen"
# How stale the "last seen" mark may get before it is written again: one session write in
# five minutes at most, rather than one per request, at the price of expiring that much late.
SEEN_PRECISION_SECONDS = 300


def mark_session_start(sender, request, user, **kwargs):
    """user_logged_in: a new session starts its clocks as it is saved, not on its first request."""
    request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = int(time.time())


class SessionLimitsMiddleware:
    """Ends a signed-in session after settings.SESSION_IDLE_SECONDS without a request, and
    SESSION_MAX_SECONDS after it began however active it is; the reader signs in again.

    Runs before authentication, so the request of an expired session is already anonymous."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            started, seen = session.get(SESSION_STARTED), session.get(SESSION_SEEN)
            if started is None or seen is None:
                session[SESSION_STARTED] = session[SESSION_SEEN] = now
            elif now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_MAX_SECONDS:
                security_event("session_expired", request, idle_seconds=now - seen, age_seconds=now - started)
                session.flush()
            elif now - seen >= SEEN_PRECISION_SECONDS:
                session[SESSION_SEEN] = now  # saved, and the cookie renewed, by SessionMiddleware
        return self.get_response(request)
