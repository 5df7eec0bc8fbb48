"""Two app processes sharing Redis (RATELIMIT_STORAGE_URI) share the login throttle.

With the default memory:// storage each gunicorn worker counts on its own, so N workers would
allow N times LOGIN_RATE_LIMIT. Each instance here is its own Python process, like two workers
or two hosts.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# One instance: the app with the given storage, N empty login forms from one address.
INSTANCE = """
import sys
from config import TestingConfig
from tickets import create_app

uri, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = create_app(
    TestingConfig, RATELIMIT_STORAGE_URI=uri, RATELIMIT_KEY_PREFIX=prefix,
    LOGIN_RATE_LIMIT="3 per minute",
)
client = app.test_client()
print(" ".join(str(client.post("/login", data={}).status_code) for _ in range(count)))
"""


def _redis_or_skip():
    redis = pytest.importorskip("redis", reason="the redis package is not installed")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    return client


@pytest.fixture
def prefix():
    """A key prefix of its own, removed afterwards, so runs never see each other's counts."""
    client = _redis_or_skip()
    name = f"mesatic-test-{secrets.token_hex(4)}"
    yield name
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)
    client.close()


def _instance(uri: str, prefix: str, count: int) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", INSTANCE, uri, prefix, str(count)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [int(status) for status in result.stdout.split()]


def test_two_instances_sharing_redis_share_the_login_throttle(prefix):
    first = _instance(REDIS_URL, prefix, 3)
    second = _instance(REDIS_URL, prefix, 2)

    assert first == [422, 422, 422]
    assert second == [429, 429]  # the other instance already counted three attempts
