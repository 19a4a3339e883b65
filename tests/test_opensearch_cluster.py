"""Two real OpenSearch nodes as one cluster: an index of 2 shards with 1 replica keeps answering,
with the same results, after one node stops.

The nodes run from the built module (``make opensearch-build``) on loopback ports 9210/9211
(transport 9310/9311). Skips when Java or the module is absent; under CI=true it fails instead.
The node stopped is the one not elected cluster manager: with two cluster-manager-eligible nodes
the voting configuration holds one of them, and losing that one would leave no quorum.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from articles.engines.base import And, AnyOf, Histogram, SearchRequest, Term
from tests.opensearch_support import answers, unavailable

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "ops" / "opensearch" / "run-node"
JAR = ROOT / "ops" / "opensearch" / "target" / "marsad-opensearch-node-1.0.jar"
NODES = {"os-a": (9210, 9310), "os-b": (9211, 9311)}
START_TIMEOUT_S = 180


def _get(port: int, path: str) -> dict | list:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:  # noqa: S310
        return json.load(response)


def _wait(predicate, *, what: str, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def cluster(tmp_path):
    if shutil.which("java") is None:
        unavailable("no java on PATH: the cluster test needs Java 17")
    if not JAR.exists():
        unavailable(f"{JAR} is missing: build it with `make opensearch-build`")
    busy = [port for port, _t in NODES.values() if answers(f"http://127.0.0.1:{port}")]
    if busy:
        pytest.fail(f"ports {busy} already answer: another node holds the cluster test's ports")
    seeds = ",".join(f"127.0.0.1:{transport}" for _h, transport in NODES.values())
    processes: dict[str, subprocess.Popen] = {}
    env = {**os.environ, "OPENSEARCH_HEAP": "512m"}
    try:
        for name, (http, transport) in NODES.items():
            log = (tmp_path / f"{name}.log").open("wb")
            processes[name] = subprocess.Popen(
                [
                    str(LAUNCHER),
                    f"path.home={tmp_path / name}",
                    f"node.name={name}",
                    "cluster.name=marsad-cluster-test",
                    f"http.port={http}",
                    f"transport.port={transport}",
                    f"discovery.seed_hosts={seeds}",
                    f"cluster.initial_cluster_manager_nodes={','.join(NODES)}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        first = NODES["os-a"][0]
        _wait(
            lambda: _get(first, "/_cluster/health")["number_of_nodes"] == 2,
            what="two nodes to form one cluster",
        )
        yield processes
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _documents(count: int) -> list[dict]:
    words = ["بوتين", "الصين", "وزير", "الخارجية", "الروسي", "بكين", "قمة", "اتفاق"]
    sources = ["aljazeera", "bbc", "cnn"]
    documents = []
    for pk in range(1, count + 1):
        body = [words[(pk * k) % len(words)] for k in range(1, 4 + pk % 5)]
        day = datetime.date(2024, 1 + pk % 12, 1 + pk % 28)
        documents.append(
            {
                "id": pk,
                "title": body[:2],
                "body": body,
                "actors": sorted({"putin" if pk % 2 else "xi", "lavrov" if pk % 3 == 0 else "xi"}),
                "source": sources[pk % 3],
                "year": str(day.year),
                "published_on": day,
                "event_dates": [],
                "length": len(body),
                "content_hash": f"h{pk}",
            }
        )
    return documents


def test_search_answers_the_same_after_one_node_stops(cluster):
    from articles.engines.opensearch import OpenSearchBackend

    ports = {name: http for name, (http, _t) in NODES.items()}
    writer = OpenSearchBackend(
        url=f"http://127.0.0.1:{ports['os-a']}/marsad", shards=2, replicas=1, timeout=30
    )
    assert writer.rebuild(documents=_documents(120)) == 120
    health = writer.client.cluster.health(
        index="marsad", params={"wait_for_status": "green", "timeout": "60s"}, request_timeout=70
    )
    assert health["status"] == "green" and health["number_of_nodes"] == 2
    (concrete,) = writer.client.indices.get_alias(name="marsad")
    settings = writer.client.indices.get_settings(index=concrete)[concrete]["settings"]["index"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == ("2", "1")
    shards = _get(ports["os-a"], f"/_cat/shards/{concrete}?format=json")
    assert len(shards) == 4 and {s["state"] for s in shards} == {"STARTED"}
    assert {s["node"] for s in shards} == set(NODES)  # copies on both nodes

    requests = [
        SearchRequest(query=Term("بوتين"), limit=50, facets=("source", "actors")),
        SearchRequest(query=And((Term("وزير"), Term("الخارجية"))), sort="date", limit=30),
        SearchRequest(filters=(AnyOf("source", ("bbc",)),), histogram=Histogram(), limit=100),
    ]
    before = [writer.search(request) for request in requests]
    assert all(result.total > 0 for result in before)

    manager = _get(ports["os-a"], "/_cat/cluster_manager?format=json")[0]["node"]
    (stopped,) = [name for name in NODES if name != manager]
    cluster[stopped].terminate()
    cluster[stopped].wait(timeout=60)
    _wait(
        lambda: _get(ports[manager], "/_cluster/health")["number_of_nodes"] == 1,
        what=f"the cluster to notice {stopped} left",
        timeout=90,
    )

    survivor = OpenSearchBackend(url=f"http://127.0.0.1:{ports[manager]}/marsad", timeout=30)
    after = [survivor.search(request) for request in requests]
    for old, new in zip(before, after, strict=True):
        assert new.total == old.total
        assert [hit.id for hit in new.hits] == [hit.id for hit in old.hits]
        assert new.facets == old.facets and new.histogram == old.histogram
    assert survivor.count() == 120
