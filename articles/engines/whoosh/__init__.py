"""The embedded Whoosh engine (the default): ``WhooshBackend`` and haystack's engine over it."""

from . import mapped
from .backend import WhooshBackend

mapped.install()  # segments are read from the memory map, not copied into the heap

__all__ = ["WhooshBackend"]
