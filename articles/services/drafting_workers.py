"""Where the import's drafting processes come from: a fork server, not a fork of the caller.

Forking a process that runs other threads (a web server, a job's heartbeat, tqdm's monitor)
copies the locks those threads hold, and a child can wait on one forever. The fork server is a
clean single-threaded process, so any caller can start workers. This module is importable
before Django is set up; the fork server sets Django up once (``drafting_preload``) and each
worker receives the caller's matcher and limits.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import wait
from multiprocessing.context import BaseContext


def worker_context() -> BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["articles.services.drafting_preload"])
    return context


def start_worker(state: dict) -> None:
    """A new worker's initializer: Django set up (a no-op after the preload), then the caller's
    matcher and limits. The worker ends when the process it drafts for is gone (killed: nothing
    would read its results, and it would wait on a full pipe forever)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    import django

    django.setup()
    from articles.services import pipeline

    pipeline.worker_state.update(state)


def _exit_with(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)
