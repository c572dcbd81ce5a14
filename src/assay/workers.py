"""Worker processes that end with their parent, however the parent ends (kill -9 included).

`end_with_parent` is a process pool's initializer. On Linux it asks the kernel to send the
worker SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG); everywhere it also starts a thread
that polls the parent's id and exits the worker once it changes (the worker was re-parented).
The kernel route holds even while the worker is busy in C code; the thread covers the rest.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL_SECONDS = 0.5


def end_with_parent(parent_pid: int) -> None:
    """Make this process die when `parent_pid` does; exits at once if it is already gone."""
    if sys.platform.startswith("linux"):
        _kernel_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    watcher = threading.Thread(target=_watch_parent, args=(parent_pid,), name="assay-parent-watch", daemon=True)
    watcher.start()


def _kernel_death_signal() -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl here: the watching thread alone ends the worker


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
