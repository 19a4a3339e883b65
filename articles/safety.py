"""Untrusted text on its way out: spreadsheet cells that cannot run, XML that always serializes.

Uploaded titles and outlet names are data. A spreadsheet reads a cell starting with = + - @
(or a tab or CR before them) as a formula (=HYPERLINK(…) leaks, =cmd|… runs); XML 1.0 forbids
most C0 controls, and Django's feed writer raises on them (a 500 for ``?q=%00``).
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_XML_FORBIDDEN_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def spreadsheet_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold."""
    return _XML_FORBIDDEN_RE.sub("", value)
