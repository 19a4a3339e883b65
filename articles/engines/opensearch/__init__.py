"""The scale-out engine: an OpenSearch 2.x index behind an alias (``MARSAD_SEARCH_URL``)."""

from .backend import OpenSearchBackend

__all__ = ["OpenSearchBackend"]
