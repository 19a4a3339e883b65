"""Importing one article the way an upload does (saved, matched, indexed after commit)."""

import json

from articles.ingest.readers import SourceFile
from articles.models import Article, UploadBatch
from articles.services.imports import import_source_files


def import_article(*, title: str, body: str, date: str, source: str = "الجزيرة") -> Article:
    record = {"title": title, "body": body, "date": date, "source": source}
    report = import_source_files(
        files=[SourceFile(name=f"{title}.json", data=json.dumps(record).encode())],
        channel=UploadBatch.Channel.COMMAND,
    )
    assert report.imported == 1, report.summary()
    return report.files[0].saved[0].article
