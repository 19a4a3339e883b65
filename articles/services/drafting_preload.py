"""Imported once by the drafting workers' fork server, so each worker forks with Django set up,
the drafting code loaded, the Arabic word lists and the date parser's data read (a worker
starts in milliseconds, sharing those pages).

A failure here is left to the worker's own set-up (``drafting_workers.start_worker``) to report.
"""

import contextlib
import gc

import django

with contextlib.suppress(Exception):
    django.setup()
    from articles.arabic import lexicon
    from articles.arabic.dates import parse_arabic_date
    from articles.services import pipeline  # noqa: F401 - loaded before the workers fork

    lexicon.frequencies()
    lexicon.protected_names()
    lexicon.variants()
    parse_arabic_date("12 مارس 2020")  # dateparser and its Arabic and English data
    gc.freeze()  # the collector leaves these objects alone: their pages stay shared by the workers
