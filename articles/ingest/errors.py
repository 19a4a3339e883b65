"""Named ingest errors: every file or record that cannot become a draft says which one and why.

Reasons are plain English sentences (the UI may translate them); they name the file or record
through `IngestError.name` rather than inside the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestError:
    """One file or record that was not imported, with a readable reason."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


class IngestFailure(Exception):
    """Raised by the single-text stages; readers turn it back into an IngestError result."""

    def __init__(self, error: IngestError) -> None:
        super().__init__(str(error))
        self.error = error
