"""Actor gazetteer and mention matcher for Arabic news (pure Python, no Django).

``gazetteer.json`` is the shipped data; :func:`load_gazetteer` turns it into :class:`EntitySpec`
dataclasses (the Django models mirror them), and :class:`EntityMatcher` finds the actors in text
by name and, given the publication date, by office.
"""

from .gazetteer import (
    AliasSpec,
    EntitySpec,
    RoleSpec,
    load_gazetteer,
    validate_alias,
    validate_gazetteer,
    validate_roles,
)
from .matcher import EntityMatcher, MentionSpan, default_matcher

__all__ = [
    "AliasSpec",
    "EntityMatcher",
    "EntitySpec",
    "MentionSpan",
    "RoleSpec",
    "default_matcher",
    "load_gazetteer",
    "validate_alias",
    "validate_gazetteer",
    "validate_roles",
]
