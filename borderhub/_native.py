"""The one redirect of what native code (HiGHS) prints on the process's standard output."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

__all__ = ["native_stdout_elsewhere"]


def _flush_c_stdio() -> None:
    try:
        import ctypes

        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):  # pragma: no cover - no C library handle
        pass


@contextlib.contextmanager
def native_stdout_elsewhere(to_stderr: bool = False) -> Iterator[None]:
    """Keep standard output for results: silence what native code prints there.

    HiGHS prints a banner ("Running HiGHS ...") on the process's standard output from C++
    when an instance is created, whatever the logging options. Inside the block, file
    descriptor 1 is pointed at the null device (at standard error with ``to_stderr``), and
    the C stdio buffers are flushed before it is restored. Where there is no usable
    descriptor (an embedded interpreter), nothing is redirected.
    """
    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else -1
        if to_stderr and sys.__stderr__ is not None:
            target = os.dup(sys.__stderr__.fileno())
        else:
            target = os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):
        yield
        return
    if fd < 0:
        os.close(target)
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    os.dup2(target, fd)
    os.close(target)
    try:
        yield
    finally:
        _flush_c_stdio()
        os.dup2(saved, fd)
        os.close(saved)
