"""The cache backends the caching tests run on: the in-memory one always, Redis when a
server answers at CASEFILE_TEST_REDIS_URL (default redis://127.0.0.1:6379/0)."""

import os
import uuid

import pytest

from tests.editorial_roles import editor, roles  # noqa: F401

REDIS_URL = os.environ.get("CASEFILE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # no client, no server, refused: the Redis run is skipped, saying so
        return False


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings):
    """Run the test on each backend. Redis keys get a prefix of their own, so no other test
    (nor any other process using the same server) sees this test's entries."""
    if request.param == "redis":
        if not redis_answers():
            pytest.skip(f"No Redis server answers at {REDIS_URL}: the Redis run is skipped.")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"casefile-test-{uuid.uuid4().hex}",
                "TIMEOUT": 300,  # and whatever a stopped run leaves behind goes soon
            }
        }
    yield request.param
    if request.param == "redis":
        import redis

        server = redis.Redis.from_url(REDIS_URL)
        for key in server.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"):
            server.delete(key)
