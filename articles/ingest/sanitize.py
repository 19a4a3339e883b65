"""Untrusted text and links from uploads, made safe once at ingestion for both channels.

``draft_from_record`` (every reader, the command and the admin upload alike) calls these, so no
saved title, outlet or body holds a NUL or another C0 control (PostgreSQL refuses NUL; feeds and
terminals choke on the rest), and no saved link runs script when clicked.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# C0 controls and DEL, except tab and newline (CR is turned into newline by the line splitter).
_CONTROLS_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# One-line fields also lose bidi embeddings/overrides/isolates, as the body does in split_lines.
_BIDI_CONTROLS_RE = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
SAFE_URL_SCHEMES = frozenset({"http", "https"})
LINK_DROPPED = "link dropped (only http and https links are kept)"
# The database's column sizes (Article.title, Source.name, Article.url): PostgreSQL refuses more.
MAX_TITLE_CHARS = 500
MAX_SOURCE_CHARS = 200
MAX_URL_CHARS = 1000


def strip_controls(text: str) -> str:
    """``text`` without C0 control characters other than tab and newline (CR becomes newline)."""
    return _CONTROLS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_line(text: str) -> str:
    """A one-line field (title, outlet): no controls, no bidi overrides, spaces collapsed."""
    return " ".join(_BIDI_CONTROLS_RE.sub("", strip_controls(text)).split())


def safe_url(url: str) -> tuple[str, str | None]:
    """(the link, None) when it is http(s); ("", why) otherwise (javascript:, data:, vbscript:…,
    or longer than the database holds).

    The scheme is judged after trimming and decoding HTML entities (``javascript&#58;``) and
    after removing the controls and spaces browsers ignore inside a scheme (``java\\tscript:``).
    """
    if not url.strip():
        return "", None
    decoded = html.unescape(url).strip()
    compact = re.sub(r"[\x00-\x20\x7f]", "", decoded)
    scheme = urlsplit(compact).scheme.lower() if ":" in compact else ""
    if scheme in SAFE_URL_SCHEMES and urlsplit(compact).netloc and len(decoded) <= MAX_URL_CHARS:
        return strip_controls(decoded), None
    shown = compact[:60] + ("…" if len(compact) > 60 else "")
    return "", f"{LINK_DROPPED}: {shown}"


MAX_JSON_DEPTH = 32  # a record is an object of text fields; 32 levels is far beyond any real one
_JSON_NESTING_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', re.DOTALL)


def json_too_deep(text: str, *, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than ``limit``.

    Checked before ``json.loads``, whose recursion would otherwise end in RecursionError and abort
    the whole run. One regex pass: a string is one match, so ordinary records cost a few matches.
    """
    if text.count("[") + text.count("{") <= limit:  # no deeper than all its openings: a record
        return False
    depth = 0
    for match in _JSON_NESTING_RE.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        elif bracket in "]}":
            depth -= 1
    return False
