"""The embedded Whoosh engine (the default): ``WhooshBackend`` and haystack's engine over it."""

from .backend import WhooshBackend

__all__ = ["WhooshBackend"]
