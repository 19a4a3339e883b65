"""Raw uploads -> ArticleDraft or IngestError. Pure Python: no Django, no database writes."""

from articles.ingest.drafts import ArticleDraft, RecordFields, draft_from_record, draft_from_text
from articles.ingest.errors import IngestError, IngestFailure
from articles.ingest.readers import (
    DEFAULT_LIMITS,
    SourceFile,
    UploadLimits,
    iter_source_files,
    read_path,
    read_upload,
)

__all__ = [
    "DEFAULT_LIMITS",
    "ArticleDraft",
    "IngestError",
    "IngestFailure",
    "RecordFields",
    "SourceFile",
    "UploadLimits",
    "draft_from_record",
    "draft_from_text",
    "iter_source_files",
    "read_path",
    "read_upload",
]
