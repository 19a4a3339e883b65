"""Haystack's Whoosh backend, made Arabic and fast enough for a 30k-article corpus.

- One analyzer (articles.arabic) at index and query time; the index records its version
  (``index_is_current``), and an index written by another version is discarded and rebuilt. At index time ``ArabicText.index`` feeds
  Whoosh the same terms without building a Whoosh token object per word (most of stock indexing
  time), and ``ArticleDocuments`` builds documents from ``values()`` rows in batches instead of
  haystack's per-object ``full_prepare``.
- Actors (multi-valued), source and year carry sortable columns, so facet counts come from Whoosh's
  own grouping (``sorting.FieldFacet``) without reading stored fields.
- Searchers stay open (one per thread) and are refreshed only when the index generation changed.
- Writers retry with backoff while another writer holds the lock: a concurrent save waits instead
  of surfacing Whoosh's ``LockError``.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import logging
import os
import random
import shutil
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from whoosh import columns, writing
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import DATETIME, KEYWORD, STORED, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.index import LockError
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.util.text import utf8encode

from articles.arabic import analyze, analyze_with_offsets, analyzer_version, normalize
from articles.arabic.stem import PROCLITICS

log = logging.getLogger(__name__)

ARTICLE_CT = "articles.article"
WRITE_TIMEOUT_S = 120.0
BATCH_SIZE = 500
POSTINGS_CACHE_BYTES = 64 * 2**20  # decoded postings kept per index generation
REBUILD_CHUNK = 5000


ANALYZER_VERSION_FILE = "marsad-analyzer-version"


class ArabicTokenizer(Tokenizer):
    """Whoosh's view of :func:`articles.arabic.analyze_with_offsets`: terms, positions, spans.

    It yields final terms (stop words gone, stems made), so no Whoosh filter follows it and
    query parsing, phrase positions and highlighting all get exactly the package's terms.
    A prefix (``tokenize=False``) is passed on as :func:`prefix_form` gives it.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[WhooshToken]:
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            terms = [(prefix_form(value), 0, 0, len(value))]
        else:
            terms = analyze_with_offsets(value)
        for text, pos, start, end in terms:
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def index_terms(text: str) -> list[str]:
    """The analyzer's terms for ``text``, as indexed (the package's :func:`analyze`)."""
    return analyze(text)


def prefix_form(text: str) -> str:
    """A prefix as index terms start: normalized, lowercased, without a leading article chain.

    It is not stemmed (a stem of a word's beginning is not the beginning of its stem).
    """
    text = normalize(text).lower()
    for proclitic in PROCLITICS:
        if proclitic.endswith(("ال", "لل")) and text.startswith(proclitic):
            rest = text[len(proclitic) :]
            if len(rest.rstrip("*?")) >= 2:
                return rest
    return text


class ArabicText(TEXT):
    """TEXT analyzed by the Arabic analyzer; indexing skips Whoosh's per-token objects.

    The terms and positions are those of :class:`ArabicTokenizer` (stop words removed, positions
    renumbered), so phrase queries parsed with it match.
    """

    def index(self, value, **kwargs):
        positions: dict[str, list[int]] = defaultdict(list)
        for pos, term in enumerate(index_terms(value)):
            positions[term].append(pos)
        boost = self.format.field_boost
        encode = self.format.encode
        for term, poslist in positions.items():
            yield utf8encode(term)[0], len(poslist), len(poslist) * boost, encode(poslist)


class SlugList(KEYWORD):
    """Comma-separated slugs with a list column, for overlapping facets (an article, many actors)."""

    def __init__(self, **kwargs):
        super().__init__(stored=True, commas=True, scorable=False, **kwargs)
        self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value):
        return [utf8encode(v.strip())[0] for v in value.split(",") if v.strip()]

    def from_column_value(self, value):
        return value.decode("utf-8")


def article_schema() -> Schema:
    """The index layout; field names are those of articles.search_indexes.ArticleIndex."""
    return Schema(
        **{
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
            "text": ArabicText(analyzer=ArabicTokenizer(), stored=False),
            "title": STORED(),  # searched as the first line of "text"
            "source": WHOOSH_ID(stored=True, sortable=True),
            "published_on": DATETIME(stored=True, sortable=True),
            "year": WHOOSH_ID(stored=True, sortable=True),
            "actors": SlugList(),
            "content_hash": STORED(),  # of the fields below, for check_index
        }
    )


class ArabicWhooshSearchBackend(WhooshSearchBackend):
    def setup(self):
        """Open the index; a new one records the analyzer version that writes it."""
        path = Path(self.path)
        new = not (path.is_dir() and any(path.iterdir()))
        super().setup()
        if new and self.use_file_storage:
            write_analyzer_version(path)

    def build_schema(self, fields):
        return "text", article_schema()

    def update(self, index, iterable, commit=True):
        """Index haystack's objects through the batch document builder (update_index uses this)."""
        index_articles(pks=[obj.pk for obj in iterable])

    def remove(self, obj_or_string, commit=True):
        ident = (
            obj_or_string if isinstance(obj_or_string, str) else f"{ARTICLE_CT}.{obj_or_string.pk}"
        )
        unindex_articles(pks=[int(ident.rsplit(".", 1)[1])])

    def clear(self, models=None, commit=True):
        """Empty the index in place: the generation keeps growing, so open searchers notice."""
        self.setup()
        with write_lock(self.index) as writer:
            writer.commit(mergetype=writing.CLEAR)


class ArabicWhooshEngine(WhooshEngine):
    backend = ArabicWhooshSearchBackend


def write_analyzer_version(path: Path) -> None:
    (path / ANALYZER_VERSION_FILE).write_text(analyzer_version(), encoding="utf-8")


def index_analyzer_version() -> str | None:
    """The analyzer version the index on disk was built with (None: no index, or too old)."""
    path = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"]) / ANALYZER_VERSION_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def index_is_current() -> bool:
    """True when the index on disk was written by this analyzer (else its terms are stale)."""
    return index_analyzer_version() == analyzer_version()


def discard_index() -> None:
    """Remove the index files, so the next use creates an empty index for this analyzer.

    An index written by another analyzer version may not even load (its schema pickles the
    analyzer's classes), so it is removed without being opened.
    """
    path = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    connections["default"].reset_sessions()
    if path.is_dir():
        shutil.rmtree(path)


def backend() -> ArabicWhooshSearchBackend:
    found = connections["default"].get_backend()
    if not found.setup_complete:
        found.setup()
    return found


def codec() -> W3Codec:
    """Postings blocks without zlib: ~10% faster to write, and to read at every query."""
    return W3Codec(compression=0)


class write_lock:  # noqa: N801 - used like a function: `with write_lock(ix) as writer`
    """A writer, waiting (with jittered backoff) while another thread or process holds the lock."""

    def __init__(self, ix, *, merge: bool = True, **writer_options):
        self.ix = ix
        self.merge = merge
        self.writer_options = writer_options
        self.writer = None

    def __enter__(self):
        deadline = time.monotonic() + WRITE_TIMEOUT_S
        delay = 0.02
        while True:
            try:
                self.writer = self.ix.writer(codec=codec(), **self.writer_options)
                return self.writer
            except LockError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(delay * (1 + random.random()))  # noqa: S311 - jitter, not crypto
                delay = min(delay * 2, 1.0)

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.writer.cancel()
        elif not self.writer.is_closed:
            self.writer.commit(merge=self.merge)
        return False


def article_documents(*, pks: Iterable[int]) -> Iterator[dict]:
    """Whoosh documents for these articles, from values() rows, BATCH_SIZE at a time."""
    from articles.models import Article, Mention

    pks = sorted(set(pks))
    for start in range(0, len(pks), BATCH_SIZE):
        batch = pks[start : start + BATCH_SIZE]
        actors: dict[int, set[str]] = defaultdict(set)
        for article_id, slug in Mention.objects.filter(article_id__in=batch).values_list(
            "article_id", "entity__slug"
        ):
            actors[article_id].add(slug)
        rows = Article.objects.filter(pk__in=batch).values_list(
            "pk", "title", "body", "source__slug", "published_on"
        )
        for pk, title, body, source, published_on in rows.order_by("pk").iterator():
            slugs = ",".join(sorted(actors.get(pk, ())))
            doc = {
                ID: f"{ARTICLE_CT}.{pk}",
                DJANGO_CT: ARTICLE_CT,
                DJANGO_ID: str(pk),
                "text": f"{title}\n{body}",
                "title": title,
                "actors": slugs,
                "content_hash": document_hash(
                    title=title, body=body, source=source, published_on=published_on, actors=slugs
                ),
            }
            if source:
                doc["source"] = source
            if published_on:
                doc["published_on"] = datetime.datetime.combine(published_on, datetime.time())
                doc["year"] = str(published_on.year)
            yield doc


def document_hash(*, title: str, body: str, source: str | None, published_on, actors: str) -> str:
    """Hash of what an article's index document is made of: a changed field makes it stale."""
    parts = (title, body, source or "", published_on.isoformat() if published_on else "", actors)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def indexed_content_hashes() -> dict[int, str]:
    """Article id -> content hash of every document in the index ("" when written without one)."""
    with backend().index.searcher() as found:
        return {
            int(fields[DJANGO_ID]): fields.get("content_hash", "")
            for fields in found.reader().all_stored_fields()
        }


def index_has_content_hashes() -> bool:
    """False for an index written before documents carried their content hash."""
    return "content_hash" in backend().index.schema


def index_articles(*, pks: list[int], procs: int = 1, fresh: bool = False) -> int:
    """(Re)index these articles in one writer; pks that no longer exist are removed.

    ``fresh`` (a rebuild into an empty index) adds without the per-document delete lookup, and
    ``procs`` > 1 uses Whoosh's multiprocess writer, each process writing its own segment
    without merging (a merge rewrites every posting: the slowest part of a rebuild).
    """
    if not pks:
        return 0
    ix = backend().index
    options = (
        {"procs": procs, "limitmb": 128, "multisegment": True, "batchsize": 200, "merge": False}
        if procs > 1
        else {}
    )
    count = 0
    seen: set[int] = set()
    with write_lock(ix, **options) as writer:
        add = writer.add_document if fresh else writer.update_document
        for doc in article_documents(pks=pks):
            add(**doc)
            seen.add(int(doc[DJANGO_ID]))
            count += 1
        for pk in set(pks) - seen:
            writer.delete_by_term(ID, f"{ARTICLE_CT}.{pk}")
    return count


def merge_segments() -> None:
    """Merge the small segments that parallel writes (``procs`` > 1) leave behind."""
    with write_lock(backend().index) as writer:
        writer.commit(merge=True)


def unindex_articles(*, pks: list[int]) -> None:
    if not pks:
        return
    with write_lock(backend().index) as writer:
        for pk in pks:
            writer.delete_by_term(ID, f"{ARTICLE_CT}.{pk}")


_local = threading.local()


def _folder_stamp(path: str) -> tuple[int, int] | None:
    """The index folder's identity: a folder deleted and made again is another index, even when
    its generation number comes back to an old value."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


def _is_current(current: Searcher | None, *, ix, stamp) -> bool:
    if current is None or current._ix is not ix or getattr(_local, "stamp", None) != stamp:
        return False
    try:
        return current.up_to_date()
    except Exception:  # noqa: BLE001 - files gone under it: reopen instead of failing forever
        return False


def forget_searcher(**_signal_kwargs) -> None:
    """Drop this thread's searcher and arrays (after any failed request), so the next request
    opens fresh ones instead of reusing a closed or broken reader."""
    current = getattr(_local, "searcher", None)
    _local.searcher = _local.snapshot = _local.stamp = None
    if current is not None:
        with contextlib.suppress(Exception):  # it is being thrown away
            current.close()


def searcher() -> Searcher:
    """This thread's open searcher, reopened when a writer committed since it was opened or the
    index folder was replaced; an index that vanished is reported and rebuilt first."""
    found = backend()
    stamp = _folder_stamp(found.path)
    current: Searcher | None = getattr(_local, "searcher", None)
    if _is_current(current, ix=found.index, stamp=stamp):
        return current
    # A new searcher, not current.refresh(): refresh reuses the readers of unchanged segment
    # names, whose deleted-document sets are then stale (an edited article would appear twice).
    forget_searcher()
    if stamp is None or found.index.latest_generation() < 0:
        recover_index()
        found, stamp = backend(), _folder_stamp(found.path)
    _local.searcher, _local.stamp = found.index.searcher(), stamp
    return _local.searcher


def recover_index() -> None:
    """The index folder or its files vanished: log it, make the index again and fill it from the
    database. A file lock beside the folder keeps other workers from rebuilding it twice."""
    from articles.models import Article

    found = backend()
    log.error("The search index at %s is missing; rebuilding it from the database.", found.path)
    lock_path = f"{found.path.rstrip(os.sep)}.rebuild-lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _folder_stamp(found.path) is None or found.index.latest_generation() < 0:
                found.setup_complete = False
                found.setup()
            if found.index.doc_count() != Article.objects.count():
                rebuild_index()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def indexed_count() -> int:
    return searcher().doc_count()


def is_indexed(*, pk: int) -> bool:
    return searcher().document_number(**{ID: f"{ARTICLE_CT}.{pk}"}) is not None


def rebuild_index(*, procs: int = 1) -> int:
    """Clear the index and index every article again; returns the number indexed."""
    from articles.models import Article

    backend().clear()
    write_analyzer_version(Path(backend().path))
    pks = list(Article.objects.values_list("pk", flat=True))
    # Whoosh's posting pool slows down as a segment grows (sorted runs spill to disk and are
    # merged in Python): writing the corpus as segments of REBUILD_CHUNK articles is faster.
    return sum(
        index_articles(pks=pks[start : start + REBUILD_CHUNK], procs=procs, fresh=True)
        for start in range(0, len(pks), REBUILD_CHUNK)
    )


# --- reading: per-generation arrays for fast matching, ranking and facets --------------------

FACET_FIELDS = ("actors", "source", "year")
BM25_K1 = 1.2
BM25_B = 0.75


def _leaf_postings(reader, fieldname: str, text: str, *, values: bool = False):
    """(ids, weights, values) of one term in one segment, decoded a block at a time.

    Whoosh's matcher API costs a Python call per posting; here each W3-codec block (a pickled
    tuple of delta-encoded ids, weights and values) is decoded with numpy. Deleted documents
    are masked out by the caller.
    """
    import numpy as np

    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), []
    leaf = getattr(matcher, "child", matcher)
    if not hasattr(leaf, "_read_data"):  # another codec: the slow, public way
        ids = np.fromiter(leaf.all_ids(), dtype=np.int64)
        return ids, np.ones(len(ids), dtype=np.float32), []
    id_blocks, weight_blocks, vals = [], [], []
    while leaf.is_active():
        leaf._read_data()
        deltas, weights, block_values = leaf._data
        id_blocks.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if weights is None or isinstance(weights, float):
            weight_blocks.append(np.full(len(deltas), weights or 1.0, dtype=np.float32))
        else:
            weight_blocks.append(np.asarray(weights, dtype=np.float32))
        if values:
            vals.extend(block_values)
        leaf._next_block()
    if not id_blocks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), []
    return np.concatenate(id_blocks), np.concatenate(weight_blocks), vals


class PrefixTooBroad(Exception):
    """A prefix matches more index terms than a query may expand to, or takes too long."""


class IndexSnapshot:
    """Arrays over one searcher generation: live docs, text lengths, dates, facet value masks.

    Built once per index change (tens of ms on 30k articles); every query then runs on numpy
    boolean masks and vectorized BM25 instead of Whoosh's per-document Python loops.
    """

    def __init__(self, searcher_: Searcher) -> None:
        import numpy as np

        self.searcher = searcher_
        self.size = searcher_.doc_count_all()
        self._postings_cache: OrderedDict[tuple[str, str], tuple] = OrderedDict()
        self._postings_cache_bytes = 0
        self._postings_lock = threading.Lock()
        reader = searcher_.reader()
        self.leaves = list(reader.leaf_readers())
        self.live = np.zeros(self.size, dtype=bool)
        self.lengths = np.zeros(self.size, dtype=np.float32)
        self.dates = np.zeros(self.size, dtype=np.int64)
        for leaf, offset in self.leaves:
            live = np.fromiter(leaf.all_doc_ids(), dtype=np.int64)
            self.live[live + offset] = True
            count = leaf.doc_count_all()
            self.lengths[offset : offset + count] = [
                leaf.doc_field_length(d, "text", 0) for d in range(count)
            ]
            if leaf.has_column("published_on"):
                column = leaf.column_reader("published_on", translate=False)
                # An article without a date holds the column default (2**64-1): keep it out.
                values = (column[d] for d in range(count))
                self.dates[offset : offset + count] = [v if v < 2**63 else 0 for v in values]
        self.doc_count = int(self.live.sum())
        self.avg_length = float(self.lengths[self.live].mean()) if self.doc_count else 1.0
        self.facets = {
            name: {value: self.term_mask(name, value) for value in self._values(name)}
            for name in FACET_FIELDS
        }
        self.has_date = np.zeros(self.size, dtype=bool)
        for mask in self.facets["year"].values():
            self.has_date |= mask

    def _values(self, fieldname: str) -> list[str]:
        return sorted({v for leaf, _o in self.leaves for v in leaf.field_terms(fieldname)})

    def postings(self, fieldname: str, text: str, *, values: bool = False):
        """Global docnums (live only) and term weights of a term, from a bounded LRU cache.

        Like Lucene's query cache: a term researchers keep asking for (بوتين, الصين) is decoded
        from Whoosh's pickled blocks once per index generation, not on every request.
        """
        if values:
            return self._decode_postings(fieldname, text, values=True)
        key = (fieldname, text)
        with self._postings_lock:
            if key in self._postings_cache:
                self._postings_cache.move_to_end(key)
                return self._postings_cache[key]
        found = self._decode_postings(fieldname, text)
        for array in found:
            array.setflags(write=False)  # shared between requests
        size = found[0].nbytes + found[1].nbytes
        with self._postings_lock:
            self._postings_cache[key] = found
            self._postings_cache_bytes += size
            while (
                self._postings_cache_bytes > POSTINGS_CACHE_BYTES and len(self._postings_cache) > 1
            ):
                _key, (ids, weights) = self._postings_cache.popitem(last=False)
                self._postings_cache_bytes -= ids.nbytes + weights.nbytes
        return found

    def _decode_postings(self, fieldname: str, text: str, *, values: bool = False):
        """Global docnums (live only), term weights and optionally encoded values of a term."""
        import numpy as np

        parts = [
            (ids + offset, weights, vals)
            for leaf, offset in self.leaves
            for ids, weights, vals in [_leaf_postings(leaf, fieldname, text, values=values)]
        ]
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        ids = np.concatenate([p[0] for p in parts])
        weights = np.concatenate([p[1] for p in parts])
        keep = self.live[ids]
        if values:
            all_values = [v for p in parts for v in p[2]]
            return ids[keep], weights[keep], [v for v, k in zip(all_values, keep, strict=True) if k]
        return ids[keep], weights[keep]

    def term_mask(self, fieldname: str, text: str):
        import numpy as np

        mask = np.zeros(self.size, dtype=bool)
        mask[self.postings(fieldname, text)[0]] = True
        return mask

    def expand_prefix(self, prefix: str, *, limit: int, deadline: float) -> list[str]:
        """The terms starting with ``prefix``; PrefixTooBroad past ``limit`` terms or the
        ``deadline`` (time.monotonic()): a short prefix must not walk the whole lexicon."""
        terms: set[str] = set()
        for leaf, _o in self.leaves:
            for n, term in enumerate(leaf.expand_prefix("text", prefix)):
                terms.add(term)
                if len(terms) > limit or (not n % 256 and time.monotonic() > deadline):
                    raise PrefixTooBroad(prefix)
        return sorted(terms)

    def date_key(self, day: datetime.date) -> int:
        """A date as the raw sortable integer the published_on column holds."""
        field = self.searcher.schema["published_on"]
        return field.to_column_value(datetime.datetime.combine(day, datetime.time()))


def snapshot() -> IndexSnapshot:
    """The arrays for this thread's current searcher, rebuilt when the searcher was refreshed."""
    current = searcher()
    found: IndexSnapshot | None = getattr(_local, "snapshot", None)
    if found is None or found.searcher is not current:
        found = _local.snapshot = IndexSnapshot(current)
    return found
