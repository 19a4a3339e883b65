"""Imported once by the drafting workers' fork server, so each worker forks with Django set up,
the drafting code loaded and the Arabic word lists read (a worker starts in milliseconds).

A failure here is left to the worker's own set-up (``drafting_workers.start_worker``) to report.
"""

import contextlib
import gc

import django

with contextlib.suppress(Exception):
    django.setup()
    from articles.arabic import lexicon
    from articles.services import pipeline  # noqa: F401 - loaded before the workers fork

    lexicon.frequencies()
    lexicon.protected_names()
    lexicon.variants()
    gc.freeze()  # the collector leaves these objects alone: their pages stay shared by the workers
