"""Display shaping for renderers that cannot shape Arabic themselves."""

from __future__ import annotations

import matplotlib
import pytest

from articles.arabic.normalize import normalize
from articles.arabic.shaping import is_shaped, needs_shaping_for_matplotlib, shape_for_display


def test_shaped_text_uses_presentation_forms_in_visual_order() -> None:
    text = "مرحبا بكم"
    shaped = shape_for_display(text)
    assert is_shaped(shaped)
    assert all("\ufe70" <= char <= "\ufeff" or char == " " for char in shaped)
    # Folding the forms back gives the logical text reversed, i.e. drawn right to left.
    assert normalize(shaped)[::-1] == text
    assert shaped[0] == "\ufee2"  # final meem of بكم comes first (leftmost)


def test_lam_alef_becomes_one_ligature() -> None:
    assert shape_for_display("لا") == "\ufefb"


def test_numbers_and_latin_keep_left_to_right_order() -> None:
    shaped = shape_for_display("عام 2018 BBC")
    assert "2018" in shaped
    assert "BBC" in shaped
    assert shaped.index("BBC") < shaped.index("2018")  # the RTL paragraph runs right to left


def test_is_shaped_detects_plain_and_shaped_text() -> None:
    assert not is_shaped("مرحبا بكم")
    assert not is_shaped("hello")
    assert is_shaped(shape_for_display("مرحبا"))


def test_installed_matplotlib_shapes_itself() -> None:
    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    assert needs_shaping_for_matplotlib() is ((major, minor) < (3, 11))


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("3.10.7", True),
        ("3.9.0", True),
        ("2.2.5", True),
        ("3.11.0", False),
        ("3.11.2", False),
        ("4.0.0rc1", False),
    ],
)
def test_matplotlib_version_threshold(
    monkeypatch: pytest.MonkeyPatch, version: str, expected: bool
) -> None:
    monkeypatch.setattr(matplotlib, "__version__", version)
    assert needs_shaping_for_matplotlib() is expected
