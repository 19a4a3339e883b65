"""Bytes -> text for uploaded files, refusing binaries and text that decodes to garbage.

Order: a BOM decides (UTF-8, UTF-16, UTF-32); then UTF-16 without a BOM (NUL bytes that decode
to readable text); then strict UTF-8; then legacy encodings. For
single-byte Arabic text charset-normalizer's guess is checked against cp1256 and ISO-8859-6,
which it confuses: the candidate that yields the most Arabic (and the most "ال") wins, and the
winner must be mostly Arabic letters — a legacy encoding cannot be told apart without that.
"""

from __future__ import annotations

import codecs
import unicodedata

from articles.ingest.errors import IngestError, IngestFailure

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ARABIC_SINGLE_BYTE = ("cp1256", "iso8859-6")
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
)
MIN_UTF16_READABLE = 0.9  # share of ASCII, Latin and Arabic characters in UTF-16 without a BOM
MIN_ARABIC_SHARE = 0.5  # of the letters, for text decoded from a legacy single-byte encoding
MAX_BAD_CHAR_SHARE = 0.01  # U+FFFD or control characters, of all characters
MAX_WORD_CHARS = 25  # average characters between spaces; Arabic prose averages about 6
MIN_CHARS_FOR_WORD_CHECK = 200
MAX_LATIN1_LETTER_SHARE = 0.2  # "Ø§Ù„": UTF-8 Arabic read as Latin-1/cp1252
MAX_TAH_ZAH_SHARE = 0.3  # "ط§ظ„": UTF-8 Arabic read as cp1256


def is_arabic_letter(char: str) -> bool:
    return "\u0621" <= char <= "\u064a" or "\u0671" <= char <= "\u06d3"


def arabic_share(text: str) -> float:
    letters = [char for char in text if char.isalpha()]
    return sum(map(is_arabic_letter, letters)) / len(letters) if letters else 0.0


def binary_reason(data: bytes) -> str | None:
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            return f"This is a binary file ({kind}), not text."
    if b"\x00" in data:
        return (
            "This is not text: it contains NUL bytes and is not UTF-16 either "
            "(random or binary data)."
        )
    return None


def utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, codec) when NUL-bearing bytes are UTF-16 saved without a byte-order mark.

    Text in UTF-16 has a NUL in every ASCII character (spaces, newlines, digits); the byte order
    whose decoding is mostly ASCII, Latin or Arabic wins (the wrong order reads as CJK or
    dingbats). Random bytes fail both.
    """
    if b"\x00" not in data or len(data) % 2:
        return None
    found = []
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        readable = sum(c <= "\u024f" or "\u0600" <= c <= "\u06ff" for c in text) / len(text)
        found.append((readable, codec, text))
    if found and (best := max(found))[0] >= MIN_UTF16_READABLE and not garbage_reason(best[2]):
        return best[2], best[1]
    return None


def not_text_reason(text: str) -> str | None:
    """Why decoded characters are not text at all (random or binary bytes), or None."""
    limit = max(3, int(len(text) * MAX_BAD_CHAR_SHARE))
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > limit:
        return "This is not text: it contains many control characters (random or binary data)."
    return None


def garbage_reason(text: str) -> str | None:
    """Why decoded text is not readable text, or None when it looks fine."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return "The text contains no letters."
    limit = max(3, int(len(text) * MAX_BAD_CHAR_SHARE))
    if text.count("\ufffd") > limit:
        return "The text contains many undecodable characters (U+FFFD); the file is damaged."
    if reason := not_text_reason(text):
        return reason
    if (
        sum(1 for c in letters if "\u00c0" <= c <= "\u00ff")
        > len(letters) * MAX_LATIN1_LETTER_SHARE
    ):
        return (
            "The text looks like mojibake (Arabic decoded with a Latin encoding and saved again)."
        )
    arabic = [char for char in letters if is_arabic_letter(char)]
    if len(arabic) >= 20 and sum(c in "طظ" for c in arabic) > len(arabic) * MAX_TAH_ZAH_SHARE:
        return (
            "The text looks like mojibake (UTF-8 Arabic decoded as Windows-1256 and saved again)."
        )
    return None


def _legacy_decode(data: bytes, *, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    candidates = [guess.encoding] if guess else []
    candidates += [codecs.lookup(enc).name for enc in ARABIC_SINGLE_BYTE]
    decoded: list[tuple[float, int, str, str]] = []
    for encoding in dict.fromkeys(codecs.lookup(candidate).name for candidate in candidates):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        decoded.append((round(arabic_share(text), 2), text.count("ال"), encoding, text))
    if not decoded:
        raise IngestFailure(IngestError(name, "The text encoding could not be recognized."))
    # max() keeps the first of equals, so ties go to charset-normalizer's own guess.
    share, _, encoding, text = max(decoded, key=lambda item: item[:2])
    if share < MIN_ARABIC_SHARE and (reason := not_text_reason(text)):
        raise IngestFailure(IngestError(name, reason))
    # Random high bytes decode to "Arabic" in cp1256, but with no spaces between the words.
    if (
        len(text) >= MIN_CHARS_FOR_WORD_CHECK
        and len(text) / (len(text.split()) or 1) > MAX_WORD_CHARS
    ):
        raise IngestFailure(
            IngestError(
                name,
                "This is not text: it has almost no spaces between words (random or binary data).",
            )
        )
    if share < MIN_ARABIC_SHARE:
        raise IngestFailure(
            IngestError(
                name,
                "The file is not UTF-8 and no Arabic encoding (Windows-1256, ISO-8859-6) "
                "decodes it to Arabic text; save it as UTF-8.",
            )
        )
    return text, encoding


def decode_bytes(data: bytes, *, name: str) -> tuple[str, str]:
    """Return (text, Python codec name). Raises IngestFailure with a readable reason."""
    if not data.strip():
        raise IngestFailure(IngestError(name, "The file is empty."))
    bom_encoding = next((enc for bom, enc in BOMS if data.startswith(bom)), None)
    if bom_encoding:
        try:
            text, encoding = data.decode(bom_encoding), bom_encoding
        except UnicodeDecodeError as exc:
            reason = f"The text is not valid {bom_encoding}: {exc}."
            raise IngestFailure(IngestError(name, reason)) from exc
        text = text.removeprefix("\ufeff")
    elif found := utf16_without_bom(data):
        text, encoding = found
    elif reason := binary_reason(data):
        raise IngestFailure(IngestError(name, reason))
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _legacy_decode(data, name=name)
    if not text.strip():
        raise IngestFailure(IngestError(name, "The file is empty."))
    if reason := garbage_reason(text):
        raise IngestFailure(IngestError(name, reason))
    return text, encoding
