"""Visual shaping of Arabic for renderers that cannot shape it themselves.

Arabic letters change form with their neighbours and the line runs right to
left. Browsers (HTML/CSS) and matplotlib >= 3.11 do this themselves and must
get the plain logical text: shaping twice garbles it (letters reversed back to front, ligatures broken). Only
renderers without a shaping engine need :func:`shape_for_display`: in the portal,
the actor charts on matplotlib < 3.11 (``articles.charts.label``). The PDFs shape
with HarfBuzz (``articles.pdf_layout``) and must not use it: presentation forms are not
text a reader can search or copy.
"""

from __future__ import annotations

import re

import arabic_reshaper
from bidi import get_display

_PRESENTATION_FORMS_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")


def shape_for_display(text: str) -> str:
    """Join letters into presentation forms and reorder to visual (LTR) order.

    NOT for browsers or matplotlib >= 3.11 (they shape themselves). Callers that
    may receive already shaped text should check :func:`is_shaped` first: the
    function cannot tell visual order from logical order and would reverse again.
    """
    return get_display(arabic_reshaper.reshape(text))


def is_shaped(text: str) -> bool:
    """True if ``text`` contains Arabic presentation forms, i.e. was shaped already."""
    return _PRESENTATION_FORMS_RE.search(text) is not None


def needs_shaping_for_matplotlib() -> bool:
    """True only for matplotlib < 3.11, which draws Arabic unjoined and left to right."""
    import matplotlib

    match = re.match(r"(\d+)\.(\d+)", matplotlib.__version__)
    if match is None:
        raise ValueError(f"unparsable matplotlib version {matplotlib.__version__!r}")
    return (int(match[1]), int(match[2])) < (3, 11)
