"""Progress of a plan: :class:`PlanEvent` values sent to the caller's callable.

Examples
--------
>>> from borderhub.plan.progress import PlanEvent
>>> PlanEvent("done", "solve", "solving p-median", 0.5).seconds
0.5
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from borderhub.plan.config import PlanOptionError

__all__ = ["PlanEvent", "RUNNING_AFTER"]

#: Seconds after which a step still under way is announced (a ``"running"`` event), so that
#: a long run shows progress within seconds even where ``"start"`` events are not shown.
RUNNING_AFTER = 5.0


class PlanEvent(NamedTuple):
    """One progress report of :func:`run_plan` and :meth:`PlanResult.save`.

    Parameters
    ----------
    kind : str
        ``"start"`` and ``"done"`` (or ``"failed"``) around a step, ``"running"`` once when
        a step is still running after ``RUNNING_AFTER`` (5) seconds (sent from a helper
        thread), ``"note"`` for a remark, ``"progress"`` for how far a long step (the
        robustness draws) has got.
    key : str
        The step (``load``, ``score``, ``distances``, ``build``, ``solve``,
        ``robustness``, ``write``, ``map``, ``plots``, ``report``); empty for notes.
    message : str
        What is being done, or the remark.
    seconds : float
        Duration of a finished step (0 otherwise).

    Examples
    --------
    >>> from borderhub.plan import PlanEvent
    >>> PlanEvent("note", "", "criteria skipped", 0.0).kind
    'note'
    """

    kind: str
    key: str
    message: str
    seconds: float


class Steps:
    """Times every step (for the manifest) and forwards events to the caller's callable."""

    def __init__(self, progress: Callable[[PlanEvent], Any] | None) -> None:
        if progress is not None and not callable(progress):
            raise PlanOptionError(
                f"progress must be a callable taking a PlanEvent, got {type(progress).__name__}"
            )
        self.progress = progress
        self.timings: dict[str, float] = {}
        self._lock = threading.Lock()

    @contextmanager
    def step(self, key: str, message: str) -> Iterator[None]:
        if self.progress is not None:
            self.progress(PlanEvent("start", key, message, 0.0))
        start = time.perf_counter()
        failed = True
        ended = threading.Event()
        if self.progress is not None:
            timer = threading.Timer(RUNNING_AFTER, self._running, (key, message, ended))
            timer.daemon = True
            timer.start()
        try:
            yield
            failed = False
        finally:
            with self._lock:
                ended.set()
            elapsed = time.perf_counter() - start
            self.timings[key] = self.timings.get(key, 0.0) + elapsed
            if self.progress is not None:
                self.progress(PlanEvent("failed" if failed else "done", key, message, elapsed))

    def _running(self, key: str, message: str, ended: threading.Event) -> None:
        with self._lock:
            if not ended.is_set() and self.progress is not None:
                self.progress(PlanEvent("running", key, message, RUNNING_AFTER))

    def note(self, message: str) -> None:
        if self.progress is not None:
            self.progress(PlanEvent("note", "", message, 0.0))


def one_line(message: str) -> str:
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return " | ".join(lines) if lines else "unknown error"
