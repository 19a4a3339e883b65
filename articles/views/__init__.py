"""Thin views, one module per area: reading, actors, search, exports, API."""
