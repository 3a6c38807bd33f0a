"""What readers are shown, cached under the case file's revision; conditional requests.

Every write to a case-file record advances ``CaseFileRevision`` in its own transaction
(``follow_writes_to``, connected for the registry's models when Django starts; bulk writes
advance it themselves). Cache keys carry the revision, so a write makes every older entry
unreachable at once, in every process sharing the cache: there is no per-record
invalidation to get wrong, and a reader sees a write as soon as it is committed.

``ReaderCacheMiddleware`` serves anonymous GET and HEAD requests of pages and the API
(exports included) from Django's cache framework, keyed by the revision, the address with
its query string and what picks the representation (``Accept``); it answers
``If-None-Match`` / ``If-Modified-Since`` with 304 before any view runs. Whoever signs in,
by session or by ``Authorization``, bypasses it both ways and is told ``private``.

``cached_by_revision(key, compute)`` keeps an expensive fragment (formatted notes, a
bibliography, facet counts) for anonymous readers until the next write, whichever page
asks for it. A fragment every first reader after a write would wait for (an unfiltered
list's facet counts) is computed once the write commits instead, and kept in the database
under the new revision (``store_after_writes``): the first reader reads it, in whichever
process, with whatever the cache holds.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .models import CaseFileRevision, StoredFragment

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD")
# Who may be someone: a session cookie (staff signed in to the admin or the site) or
# credentials for the API (a token). Neither reads nor writes the shared cache.
CREDENTIAL_HEADERS = ("HTTP_AUTHORIZATION",)
# Responses vary with these for a shared cache in front of Casefile (a proxy): an
# anonymous page must not be handed to someone who signed in.
SHARED_VARY = ("Cookie", "Authorization")
UNCACHED_PATHS = ("/admin/", "/api/schema/", "/api/docs/")
LINK_ACTIONS = ("post_add", "post_remove", "post_clear")
MISSING = object()


def setting(name, default):
    return getattr(settings, name, default)


# --- the revision ---------------------------------------------------------------

# The revision an anonymous read starts from, read before anything else the request
# reads: content read after it is never older than it, so nothing older is filed under it.
_request_revision: contextvars.ContextVar[CaseFileRevision | None] = contextvars.ContextVar(
    "casefile_request_revision", default=None
)


def advance_on_write(sender, **kwargs):
    CaseFileRevision.advance()


def advance_on_links(sender, action, **kwargs):
    if action in LINK_ACTIONS:
        CaseFileRevision.advance()


def follow_writes_to(models):
    """Advance the revision whenever a row of ``models`` is saved or deleted or its links
    change, whoever writes it: the services, a fixture load, a factory in a test, a script.
    Bulk writes (``bulk_create``, ``update``, raw SQL) send no signals and advance it
    themselves. Bookkeeping, not a rule about records: it decides nothing a reader sees."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(advance_on_write, sender=model, dispatch_uid=f"casefile-revision-save-{label}")
        post_delete.connect(advance_on_write, sender=model, dispatch_uid=f"casefile-revision-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                advance_on_links, sender=through, dispatch_uid=f"casefile-revision-links-{through._meta.label_lower}"
            )


def revision_key(revision: CaseFileRevision, key: str) -> str:
    return f"r{revision.number}.{revision.token}:{key}"


# --- the cache, which may fail without taking the site down --------------------------


def _cache_get(key):
    try:
        return cache.get(key, MISSING)
    except Exception:  # a cache server away is a slower site, not a broken one
        logger.warning("The cache did not answer a read; serving from the database.", exc_info=True)
        return MISSING


def _cache_set(key, value, timeout=None):
    try:
        cache.set(key, value, timeout if timeout is not None else setting("CASEFILE_CACHE_TIMEOUT", 3600))
    except Exception:
        logger.warning("The cache did not take a write; the next request computes it again.", exc_info=True)


def cached_by_revision(key, compute, *, timeout=None, stored=False):
    """``compute()``, kept until the case file's next write, for anonymous readers' requests.

    ``key`` names everything else the value depends on: the arguments, and the records'
    audience where ``visible_to`` gives staff drafts (a key made of the records' keys names
    it already). The value must pickle. Outside an anonymous read (staff, a write, a
    script) ``compute()`` simply runs: the revision would be read after the request's own
    reads, and a write committed in between would file old content under the new revision.
    With ``stored``, a value the cache does not hold is first looked for among the fragments
    stored after the last write (``store_after_writes``, which must give it under ``key``).
    """
    revision = _request_revision.get()
    if revision is None:
        return compute()
    full_key = "fragment:" + revision_key(revision, key)
    value = _cache_get(full_key)
    if value is MISSING:
        value = stored_fragment(key, revision) if stored else MISSING
        if value is MISSING:
            value = compute()
        _cache_set(full_key, value, timeout)
    return value


# --- fragments computed once a write commits ---------------------------------------

# Functions giving (key, value) pairs of fragments an anonymous reader sees, registered by
# the layer that knows the pages (``whole_case``): core cannot import the record apps.
_fragment_sources = []
# The last scheduling in this context: a transaction that advances the revision many times
# (an admin form with inlines, a fixture) computes the fragments once, after its commit.
_latest_schedule: contextvars.ContextVar[object | None] = contextvars.ContextVar(
    "casefile_latest_fragment_schedule", default=None
)


def store_after_writes(source):
    """Compute ``source()`` (an iterable of (key, value), the value JSON-serialisable) each
    time a write that advanced the revision commits, and store it under the new revision
    for ``cached_by_revision(key, …, stored=True)``. The writer waits for it (tens of
    milliseconds at the synthetic scale) so that the first reader does not."""
    if source not in _fragment_sources:
        _fragment_sources.append(source)


def schedule_stored_fragments(sender, using=None, **kwargs):
    """``revision_advanced``'s receiver: store the fragments once the transaction commits
    (at once, outside one). Only for the default database, the one readers read."""
    if not _fragment_sources or not setting("CASEFILE_STORE_AFTER_WRITES", True):
        return
    alias = using or DEFAULT_DB_ALIAS
    if alias != DEFAULT_DB_ALIAS:
        return
    schedule = object()
    _latest_schedule.set(schedule)

    def store_if_latest():
        if _latest_schedule.get() is schedule:
            store_fragments()

    transaction.on_commit(store_if_latest, using=alias)


def store_fragments():
    """Compute every registered fragment and store it under the current revision, together.
    A fragment left unstored is computed by its first reader instead: a failure here slows
    a page down, it never fails the write that has already committed."""
    try:
        with transaction.atomic():
            revision = CaseFileRevision.current()
            fragments = [
                StoredFragment(key=key, revision_number=revision.number, revision_token=revision.token, value=value)
                for source in _fragment_sources
                for key, value in source()
            ]
            # All replaced at once: two statements, and nothing kept that no source gives now.
            StoredFragment.objects.all().delete()
            StoredFragment.objects.bulk_create(fragments)
    except Exception:
        logger.warning("Fragments were not stored after a write; readers compute them.", exc_info=True)


def stored_fragment(key, revision):
    """The value stored under ``key`` at ``revision``, or MISSING (none, or an older one's)."""
    values = StoredFragment.at(revision).filter(key=key).values_list("value", flat=True)
    return next(iter(values), MISSING)


def keys_digest(values) -> str:
    """A short fixed-length name for a list of values (record keys, a list's filters), for a
    fragment's cache key."""
    return hashlib.sha256(",".join(map(str, values)).encode()).hexdigest()[:32]


# --- whole responses ---------------------------------------------------------------


@dataclass(frozen=True)
class CachedResponse:
    """A response as stored: plain values, so any cache backend can hold it."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @property
    def etag(self):
        return dict(self.headers).get("ETag")

    def response(self):
        response = HttpResponse(self.content, status=self.status, headers=dict(self.headers))
        response["Content-Length"] = str(len(self.content))
        return response


def signed_in_maybe(request) -> bool:
    """Whether the request may come from someone signed in, or carry something meant for
    one visitor (a message after a form). Decided from the request alone, before any view
    or middleware reads a session: anonymous readers carry neither."""
    personal_cookies = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
    return any(name in request.COOKIES for name in personal_cookies) or any(
        header in request.META for header in CREDENTIAL_HEADERS
    )


def signed_in(request) -> bool:
    """Whether the view found a user (the API's authentication sets it on the request)."""
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def is_shared_request(request) -> bool:
    """An anonymous read of a page or the API: of the case file's content, so not the
    admin (its pages are per user) nor the API's schema and docs (the code's, not the data's)."""
    return (
        request.method in SAFE_METHODS
        and not signed_in_maybe(request)
        and not request.path_info.startswith(setting("CASEFILE_CACHE_EXCLUDED_PATHS", UNCACHED_PATHS))
    )


def request_key(request) -> str:
    """What selects the response besides the revision: the address (scheme, host, path,
    query string, which holds ``format``) and ``Accept`` (the API's negotiation)."""
    parts = (request.scheme, request.get_host(), request.get_full_path(), request.META.get("HTTP_ACCEPT", ""))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def is_storable(response) -> bool:
    """A plain 200 for everyone: no cookie set (a CSRF token or a session is someone's),
    nothing the view said not to keep."""
    if response.status_code != 200 or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


class ReaderCacheMiddleware:
    """Anonymous reads from the cache, conditional requests, and Cache-Control for all.

    Placed before the session, CSRF and authentication middleware, so that it sees every
    cookie the response sets and can answer without any of them running."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_shared_request(request):
            return self.private(request, self.get_response(request))
        revision = CaseFileRevision.current()
        token = _request_revision.set(revision)
        try:
            return self.shared(request, revision)
        finally:
            _request_revision.reset(token)

    @staticmethod
    def private(request, response):
        """Someone's own view (drafts, forms, a token's rights): never kept by a shared cache.
        What a view said already (a 301's or 410's no-cache) stands."""
        if request.method in SAFE_METHODS and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    def shared(self, request, revision):
        key = request_key(request)
        entry_key = "response:" + revision_key(revision, key)
        revision_etag = f'W/"{revision.number}.{revision.token}.{key[:16]}"'
        last_modified = settled_last_modified(revision)
        entry = _cache_get(entry_key)
        if entry is not MISSING:
            response = self.conditional(request, entry.etag, revision_etag, last_modified) or entry.response()
            return self.public(response, entry.etag or revision_etag, last_modified)
        # Without a stored entry the revision's ETag still proves the client's copy current:
        # it was only ever sent with a 200 of this address at this revision.
        if revision_etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
            answer = self.conditional(request, None, revision_etag, None)
            if answer is not None:
                return self.public(answer, revision_etag, last_modified)
        response = self.get_response(request)
        if signed_in(request):  # by a means the request did not show (the view's own)
            return self.private(request, response)
        if not is_storable(response):
            return response
        self.store(request, response, entry_key)
        own_etag = response.get("ETag")
        answer = self.conditional(request, own_etag, revision_etag, last_modified)
        return self.public(answer or response, own_etag or revision_etag, last_modified)

    @staticmethod
    def conditional(request, own_etag, revision_etag, last_modified):
        """304 when the client's copy is current, else None.

        A view's own ETag (an API record's version, kept for If-Match) says nothing of the
        records it shows nested (a party's renamed actor), so it validates nothing here;
        such a response is revalidated by its Last-Modified alone."""
        etag = None if own_etag else revision_etag
        timestamp = last_modified.timestamp() if last_modified else None
        answer = get_conditional_response(request, etag=etag, last_modified=timestamp)
        # A GET's If-Match or If-Unmodified-Since (a 412) is the view's to answer.
        return answer if answer is not None and answer.status_code == 304 else None

    @staticmethod
    def public(response, etag, last_modified):
        if response.status_code not in (200, 304):
            return response
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, public=True, max_age=setting("CASEFILE_CACHE_MAX_AGE", 60))
        patch_vary_headers(response, SHARED_VARY)
        return response

    def store(self, request, response, entry_key):
        if request.method != "GET":
            return
        limit = setting("CASEFILE_CACHE_MAX_BYTES", 4 * 1024 * 1024)
        # The view's headers, as they are before this middleware adds its own for this reader.
        headers = tuple(response.headers.items())

        def keep(content):
            _cache_set(entry_key, CachedResponse(response.status_code, headers, content))

        if not response.streaming:
            if len(response.content) <= limit:
                keep(response.content)
            return
        response.streaming_content = _kept_while_streamed(response.streaming_content, limit, keep)


def _kept_while_streamed(chunks, limit, keep):
    """Pass the chunks on as they come, and keep the whole body once sent, if it is small
    enough (an export of a large case file is streamed and not kept)."""
    sent, size = [], 0
    for chunk in chunks:
        if sent is not None:
            size += len(chunk)
            if size <= limit:
                sent.append(chunk)
            else:
                sent = None
        yield chunk
    if sent is not None:
        keep(b"".join(sent))


def settled_last_modified(revision):
    """The revision's moment for Last-Modified, once its second is over: HTTP dates count
    whole seconds, so a second write within the same second as the first would otherwise
    look unchanged to a client asking If-Modified-Since."""
    changed = revision.changed.replace(microsecond=0)
    return changed if timezone.now().replace(microsecond=0) > changed else None
