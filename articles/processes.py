"""Which process runs a piece of work (an import's batch, a job's worker), and whether it ended.

A process is named by its host, its pid and its start time, so that a pid the system gave to
another process since is not taken for it. Only this host's processes can be looked at: one on
another machine is never said to have ended.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import psutil

# Two reads of one process's start time differ by the system clock's adjustments since its
# boot time was read (psutil adds them); a pid taken again is much later than this apart.
START_SLACK_S = 1.0


@dataclass(frozen=True)
class ProcessOwner:
    host: str
    pid: int
    started: float | None = None  # seconds since the epoch; None: the pid alone names it


def this_process() -> ProcessOwner:
    return ProcessOwner(
        host=socket.gethostname(), pid=os.getpid(), started=psutil.Process().create_time()
    )


def process_ended(owner: ProcessOwner) -> bool:
    """True when `owner` ran on this host and is gone: its pid is free, or held by a process
    that started at another time. False for another host's process (it cannot be seen)."""
    if owner.host != socket.gethostname():
        return False
    try:
        process = psutil.Process(owner.pid)
        if process.status() == psutil.STATUS_ZOMBIE:  # ended, not yet waited for
            return True
        started = process.create_time()
    except psutil.NoSuchProcess:
        return True
    except psutil.AccessDenied:  # there, but another user's: alive as far as we can tell
        return False
    return owner.started is not None and abs(started - owner.started) > START_SLACK_S
