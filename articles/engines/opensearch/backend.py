"""OpenSearchBackend: the SearchBackend contract on an OpenSearch 2.x index behind an alias.

The URL's path names the alias (``http://host:9200/marsad`` → alias ``marsad``), which points at
one concrete index ``marsad-<timestamp>``. A rebuild fills a new index (writes made meanwhile go
to both, removals leave tombstones there), then moves the alias in one ``_aliases`` call and
deletes the old index, so searches never see an empty or half-filled index.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from urllib.parse import urlsplit

from opensearchpy import OpenSearch, helpers
from opensearchpy import exceptions as os_errors

from articles import index_fields
from articles.engines.base import (
    EngineUnavailable,
    Hit,
    IndexMissing,
    Node,
    QueryTooBroad,
    SearchBackend,
    SearchRequest,
    SearchResult,
)

from . import dsl

BATCH_SIZE = 500
POOL_SIZE = 16  # connections kept open: one per concurrently searching thread
MSEARCH_BATCH = 200  # counting searches sent in one _msearch
DECLARED_FIELDS = dsl.Fields(
    text=index_fields.WEIGHTS,
    keywords=index_fields.FACET_NAMES,
    dates=tuple(f.name for f in index_fields.DATE_FIELDS),
    proximity=index_fields.PROXIMITY_NAMES,
)


@contextlib.contextmanager
def _answering(url: str) -> Iterator[None]:
    """OpenSearch down, slow or failing (5xx, 429) becomes EngineUnavailable."""
    try:
        yield
    except os_errors.ConnectionError as exc:  # refused, reset, timeout (ConnectionTimeout)
        raise EngineUnavailable(f"OpenSearch at {url} does not answer: {exc.error}") from exc
    except os_errors.TransportError as exc:
        status = exc.status_code
        if not isinstance(status, int) or status >= 500 or status == 429:
            raise EngineUnavailable(f"OpenSearch at {url} failed: {status} {exc.error}") from exc
        raise


class OpenSearchBackend(SearchBackend):
    name = "opensearch"

    def __init__(
        self,
        *,
        url: str,
        timeout: float = 5.0,
        write_timeout: float = 60.0,
        fields: dsl.Fields = DECLARED_FIELDS,
        ranking: dsl.Ranking = dsl.Ranking(),  # noqa: B008 - frozen, shared safely
        shards: int = 1,
        replicas: int = 0,
    ) -> None:
        parts = urlsplit(url)
        alias = parts.path.strip("/")
        if not parts.scheme or not parts.netloc or not alias or "/" in alias:
            raise ValueError(f"expected http://host:port/<index>, got {url!r}")
        self.url = url
        self.write_timeout = write_timeout
        self.alias = alias
        self.fields = fields
        self.ranking = ranking
        self.shards = shards
        self.replicas = replicas
        self.client = OpenSearch(
            hosts=[f"{parts.scheme}://{parts.netloc}"],
            timeout=timeout,
            max_retries=0,
            retry_on_timeout=False,
            pool_maxsize=POOL_SIZE,
        )

    # --- indices and the alias ------------------------------------------------------------

    @property
    def _rebuilding_alias(self) -> str:
        return f"{self.alias}-rebuilding"

    def _aliased(self, alias: str) -> list[str]:
        found = self.client.indices.get_alias(name=alias, ignore=404)
        return [] if found.get("status") == 404 else sorted(found)

    def _index_body(self) -> dict:
        return dsl.index_body(
            fields=self.fields, ranking=self.ranking, shards=self.shards, replicas=self.replicas
        )

    def _new_index(self, *, refresh_interval: str = "1s") -> str:
        name = f"{self.alias}-{time.time_ns()}"
        body = self._index_body()
        body["settings"]["index"]["refresh_interval"] = refresh_interval
        self.client.indices.create(index=name, body=body)
        return name

    def _live(self) -> str:
        """The index the alias points at, created (empty) on first use."""
        live = self._aliased(self.alias)
        if live:
            return live[0]
        name = self._new_index()
        self.client.indices.update_aliases(
            body={"actions": [{"add": {"index": name, "alias": self.alias}}]}
        )
        return name

    def _write_targets(self) -> list[str]:
        return [self._live(), *self._aliased(self._rebuilding_alias)]

    def _bulk(self, actions: Iterable[dict], *, ignore: tuple[int, ...] = ()) -> int:
        done = 0
        for ok, item in helpers.streaming_bulk(
            self.client,
            actions,
            chunk_size=BATCH_SIZE,
            raise_on_error=False,
            raise_on_exception=True,
            max_retries=0,
            request_timeout=self.write_timeout,
        ):
            status = next(iter(item.values())).get("status")
            if not ok and status not in ignore:
                raise EngineUnavailable(f"OpenSearch at {self.url} refused a write: {item}")
            done += ok
        return done

    def is_current(self) -> bool:
        """False when the live index was made by another analyzer or index layout."""
        with _answering(self.url):
            live = self._aliased(self.alias)
            if not live:
                return True
            meta = self.client.indices.get_mapping(index=live[0])[live[0]]["mappings"].get(
                "_meta", {}
            )
        wanted = self._index_body()["mappings"]["_meta"]
        return meta == wanted

    # --- writing --------------------------------------------------------------------------

    def index(self, *, documents: Iterable[dict]) -> int:
        with _answering(self.url):
            targets = self._write_targets()
            count = 0

            def actions() -> Iterator[dict]:
                nonlocal count
                for document in documents:
                    count += 1
                    body = dsl.source(document, fields=self.fields)
                    for target in targets:
                        yield {
                            "_op_type": "index",
                            "_index": target,
                            "_id": body["id"],
                            "_source": body,
                        }

            self._bulk(actions())
            self.client.indices.refresh(index=",".join(targets), request_timeout=self.write_timeout)
            return count

    def remove(self, *, ids: Iterable[int]) -> None:
        ids = [int(pk) for pk in ids]
        if not ids:
            return
        with _answering(self.url):
            live = self._live()
            building = self._aliased(self._rebuilding_alias)
            actions = [{"_op_type": "delete", "_index": live, "_id": pk} for pk in ids]
            actions += [
                {
                    "_op_type": "index",
                    "_index": name,
                    "_id": pk,
                    "_source": {"id": pk, dsl.TOMBSTONE_FIELD: True},
                }
                for name in building
                for pk in ids
            ]
            self._bulk(actions, ignore=(404,))
            self.client.indices.refresh(
                index=",".join([live, *building]), request_timeout=self.write_timeout
            )

    def rebuild(self, *, documents: Iterable[dict]) -> int:
        """Fill a new index beside the live one, then move the alias to it in one call."""
        with _answering(self.url):
            old = self._aliased(self.alias)
            name = self._new_index(refresh_interval="-1")
            try:
                self.client.indices.update_aliases(
                    body={"actions": [{"add": {"index": name, "alias": self._rebuilding_alias}}]}
                )
                count = 0

                def actions() -> Iterator[dict]:
                    # "create": a document written meanwhile through index() is newer; keep it
                    nonlocal count
                    for document in documents:
                        count += 1
                        body = dsl.source(document, fields=self.fields)
                        yield {
                            "_op_type": "create",
                            "_index": name,
                            "_id": body["id"],
                            "_source": body,
                        }

                self._bulk(actions(), ignore=(409,))
                self.client.indices.put_settings(
                    index=name, body={"index": {"refresh_interval": "1s"}}
                )
                self.client.indices.refresh(index=name, request_timeout=self.write_timeout)
                if self.replicas:  # replicas copied before the swap (a node may be gone later)
                    self.client.cluster.health(
                        index=name,
                        params={"wait_for_status": "green", "timeout": "60s"},
                        request_timeout=70,
                    )
                moves = [{"remove": {"index": index, "alias": self.alias}} for index in old]
                moves += [
                    {"add": {"index": name, "alias": self.alias}},
                    {"remove": {"index": name, "alias": self._rebuilding_alias}},
                ]
                self.client.indices.update_aliases(body={"actions": moves})
            except BaseException:
                with contextlib.suppress(Exception):
                    self.client.indices.delete(index=name)
                raise
            self._drop_tombstones(name)
            for index in old:
                self.client.indices.delete(index=index, ignore_unavailable=True)
            return count

    def _drop_tombstones(self, name: str) -> None:
        """Removals made during the rebuild stood in the new index as tombstones: delete them."""
        tombstones = helpers.scan(
            self.client,
            index=name,
            query={"query": {"term": {dsl.TOMBSTONE_FIELD: True}}, "_source": False},
        )
        self._bulk(
            ({"_op_type": "delete", "_index": name, "_id": hit["_id"]} for hit in tombstones),
            ignore=(404,),
        )
        self.client.indices.refresh(index=name, request_timeout=self.write_timeout)

    def clear(self) -> None:
        self.rebuild(documents=())

    # --- reading --------------------------------------------------------------------------

    def _facets(
        self, request: SearchRequest, query: dict, first: Mapping
    ) -> dict[str, dict[str, int]]:
        """Exact counts per facet value: composite aggregations, paged past FACET_PAGE."""
        counts: dict[str, dict[str, int]] = {}
        for name in request.facets:
            found = counts.setdefault(name, {})
            page = first[f"facet_{name}"]
            while True:
                for bucket in page["buckets"]:
                    found[str(bucket["key"]["value"])] = bucket["doc_count"]
                after = page.get("after_key")
                if not after or len(page["buckets"]) < dsl.FACET_PAGE:
                    break
                more = self.client.search(
                    index=self.alias,
                    body={"size": 0, "query": query, "aggs": {"page": dsl.composite(name, after)}},
                )
                page = more["aggregations"]["page"]
        return counts

    def _check_prefixes(self, node: Node, *, limit: int) -> None:
        """A Prefix expanding to more than ``limit`` index terms is too broad."""
        for prefix in dsl.prefixes(node):
            if len(self._expansions(prefix, size=limit + 1)) > limit:
                raise QueryTooBroad(f"the prefix {prefix!r} expands to more than {limit} terms")

    def search(self, request: SearchRequest) -> SearchResult:
        if request.budget_s is not None and request.budget_s <= 0:
            raise QueryTooBroad("no time left for this query")
        self._check_prefixes(request.query, limit=request.max_prefix_terms)
        body = dsl.search_body(request, weights=self.fields.text, proximity=self.fields.proximity)
        with _answering(self.url):
            try:
                found = self.client.search(index=self.alias, body=body)
            except os_errors.NotFoundError:
                return SearchResult(total=0, hits=[])  # nothing indexed yet
            if found.get("timed_out"):
                raise QueryTooBroad(f"the query took longer than {request.budget_s} s")
            result = SearchResult(
                total=found["hits"]["total"]["value"],
                hits=[
                    Hit(id=int(hit["_id"]), score=float(hit.get("_score") or 0.0))
                    for hit in found["hits"]["hits"]
                ],
            )
            aggregations = found.get("aggregations", {})
            result.facets = self._facets(request, body["query"], aggregations)
            if request.histogram:
                result.histogram = [
                    (bucket["key_as_string"], bucket["doc_count"])
                    for bucket in aggregations["histogram"]["buckets"]
                    if bucket["doc_count"]
                ]
            return result

    def count(self) -> int:
        with _answering(self.url):
            try:
                return self.client.count(
                    index=self.alias, body={"query": dsl.live_documents({"match_all": {}})}
                )["count"]
            except os_errors.NotFoundError:
                return 0

    def content_hashes(self) -> dict[int, str]:
        with _answering(self.url):
            if not self._aliased(self.alias):
                raise IndexMissing(self.url)
            return {
                int(hit["_id"]): hit["_source"].get("content_hash", "")
                for hit in helpers.scan(
                    self.client,
                    index=self.alias,
                    query={
                        "query": dsl.live_documents({"match_all": {}}),
                        "_source": ["content_hash"],
                    },
                    size=2000,
                )
            }

    def _expansions(self, prefix: str, *, size: int) -> list[str]:
        """Index terms starting with ``prefix``, most documents first, at most ``size``."""
        if size <= 0:
            return []
        body = dsl.expansions_body(prefix, size=size)
        with _answering(self.url):
            try:
                found = self.client.search(index=self.alias, body=body)
            except os_errors.NotFoundError:
                return []
        return [bucket["key"] for bucket in found["aggregations"]["t"]["buckets"]]

    def expand_prefix(self, *, prefix: str, limit: int) -> list[str]:
        return self._expansions(prefix, size=limit)

    def document_frequencies(self, *, terms: Sequence[str]) -> dict[str, int]:
        """Counting searches (one per distinct term), MSEARCH_BATCH to an ``_msearch``."""
        wanted = sorted(set(terms))
        counts: dict[str, int] = {}
        with _answering(self.url):
            for start in range(0, len(wanted), MSEARCH_BATCH):
                batch = wanted[start : start + MSEARCH_BATCH]
                try:
                    found = self.client.msearch(
                        index=self.alias,
                        body=dsl.frequency_searches(batch),
                        request_timeout=self.write_timeout,
                    )
                except os_errors.NotFoundError:
                    return dict.fromkeys(terms, 0)
                for term, response in zip(batch, found["responses"], strict=True):
                    if "error" in response:
                        raise EngineUnavailable(
                            f"OpenSearch at {self.url} failed: {response['error']}"
                        )
                    counts[term] = response["hits"]["total"]["value"]
        return {term: counts[term] for term in terms}

    def drop(self) -> None:
        """Delete the alias's indices (the live one and any being rebuilt)."""
        with _answering(self.url):
            for name in {*self._aliased(self.alias), *self._aliased(self._rebuilding_alias)}:
                self.client.indices.delete(index=name, ignore_unavailable=True)
