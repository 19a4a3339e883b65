"""Finding a real OpenSearch node for the tests: skip with a reason locally, fail under CI."""

from __future__ import annotations

import os
import urllib.request
import uuid

import pytest

DEFAULT_NODE = "http://127.0.0.1:9200"


def node_url() -> str:
    """``MARSAD_TEST_OPENSEARCH_URL`` (``.ci/run`` sets it), else the local ``make opensearch``."""
    return os.environ.get("MARSAD_TEST_OPENSEARCH_URL", DEFAULT_NODE).rstrip("/")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/", timeout=3) as response:  # noqa: S310 - loopback
            return response.status == 200
    except OSError:
        return False


def unavailable(reason: str) -> None:
    """Skip (locally) or fail (CI=true: the OpenSearch suites must run there)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: OpenSearch tests must not skip)")
    pytest.skip(reason)


def require_node() -> str:
    url = node_url()
    if not answers(url):
        unavailable(f"no OpenSearch node answers at {url}: start one with `make opensearch`")
    return url


def fresh_alias() -> str:
    return f"marsad-test-{uuid.uuid4().hex[:10]}"
