"""Worker processes for the parts of a build that take long: reading many modules, and writing
and verifying the packages of several targets.

Workers are forked, so they start at once and inherit what the build has in memory (the course,
the rendered files) without pickling it; only what they give back crosses over. Forking is safe
only in a process that runs no other thread: ``ceforge build`` and ``ceforge check`` are such
processes, the preview server (which builds in a thread of its own) is not and works alone.
A pool that cannot start leaves the work to the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

MAX_WORKERS = 8

#: What a pool that cannot start, or that lost a worker, raises.
POOL_FAILURES = (OSError, BrokenProcessPool)


def worker_pool(jobs: int) -> ProcessPoolExecutor | None:
    """A pool of forked workers for ``jobs`` jobs, or None where this process should work alone
    (one job, one core, other threads running, no fork on this system)."""
    cpus = os.cpu_count() or 1
    if (
        jobs < 2
        or cpus < 2
        or threading.active_count() != 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return None
    try:
        return ProcessPoolExecutor(
            min(cpus, jobs, MAX_WORKERS), mp_context=multiprocessing.get_context("fork")
        )
    except POOL_FAILURES:
        return None


def chunk_size(jobs: int) -> int:
    """Jobs per task for ``pool.map``: about four tasks per worker, so none idles long."""
    return max(1, jobs // (min(os.cpu_count() or 1, MAX_WORKERS) * 4))
