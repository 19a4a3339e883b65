"""The configured search engine: one process-wide :class:`~articles.engines.base.SearchBackend`.

``MARSAD_SEARCH_URL`` unset (the default) gives the embedded Whoosh engine in the data dir;
``http(s)://host:port/name`` gives OpenSearch with index (alias) ``name``; any other value is
refused (ImproperlyConfigured). Engine modules are imported by dotted path, on first use.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import SearchBackend

OPENSEARCH = "articles.engines.opensearch.OpenSearchBackend"
WHOOSH = "articles.engines.whoosh.WhooshBackend"

_lock = threading.Lock()
_backends: dict[tuple, SearchBackend] = {}


def _choice() -> tuple[str, dict]:
    url = getattr(settings, "MARSAD_SEARCH_URL", "") or ""
    if url.startswith(("http://", "https://")):
        return OPENSEARCH, {"url": url, "timeout": settings.MARSAD_SEARCH_TIMEOUT}
    if url:  # a typo must not search an empty embedded index instead
        raise ImproperlyConfigured(
            f"MARSAD_SEARCH_URL must be http(s)://host:port/<index> or unset, got {url!r}"
        )
    return WHOOSH, {"path": settings.MARSAD_WHOOSH_PATH}


def get_backend() -> SearchBackend:
    """The engine the settings select, made once per process (and again if they change)."""
    path, options = _choice()
    key = (path, *sorted(options.items()))
    found = _backends.get(key)
    if found is None:
        with _lock:
            found = _backends.get(key)
            if found is None:
                found = _backends[key] = import_string(path)(**options)
    return found
