"""Ctrl-C that stops a solve, not the program (light: standard library only).

Inside :func:`graceful_interrupts` (entered by every ``LocationModel.solve`` and by a
plan's solving steps) the first Ctrl-C (SIGINT) does not raise ``KeyboardInterrupt``: it
sets a flag that the solvers poll -- HiGHS through its interrupt callbacks while it runs
in a helper thread (:func:`run_stoppable`), the iterative schemes (Benders, radius
expansion, capacitated search, hub search) between their iterations through the time
budget. The solve then ends with the best solution found so far (status ``feasible``, or
``not_solved`` when there is none) marked ``interrupted``. A second Ctrl-C raises
``KeyboardInterrupt`` as usual.

The handler is installed only in the main thread and only while Python's own SIGINT
handler is in place, so a program with a handler of its own keeps it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["graceful_interrupts", "interrupt_requested", "run_stoppable", "Interrupted"]


class Interrupted(KeyboardInterrupt):
    """Raised (by a progress callable) to end a loop of solves after the first Ctrl-C."""


class _State:
    def __init__(self) -> None:
        self.depth = 0  # nesting of graceful_interrupts in the main thread
        self.event = threading.Event()  # a Ctrl-C arrived within the outermost block


_STATE = _State()


def _on_sigint(signum: int, frame: Any) -> None:
    if _STATE.event.is_set():
        raise KeyboardInterrupt  # the second Ctrl-C: stop everything
    _STATE.event.set()


def interrupt_requested() -> bool:
    """Whether a Ctrl-C arrived within the current :func:`graceful_interrupts` block."""
    return _STATE.depth > 0 and _STATE.event.is_set()


@contextmanager
def graceful_interrupts() -> Iterator[None]:
    """Within the block the first Ctrl-C sets :func:`interrupt_requested` instead of raising.

    Nested blocks share the outermost one's flag. Outside the main thread, or when the
    program has a SIGINT handler of its own, the block changes nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _STATE.depth:
        _STATE.depth += 1
        try:
            yield
        finally:
            _STATE.depth -= 1
        return
    try:
        previous = signal.getsignal(signal.SIGINT)
    except ValueError:  # pragma: no cover - not the main interpreter
        previous = None
    if previous is not signal.default_int_handler:
        yield
        return
    _STATE.event.clear()
    signal.signal(signal.SIGINT, _on_sigint)
    _STATE.depth = 1
    try:
        yield
    finally:
        _STATE.depth = 0
        signal.signal(signal.SIGINT, previous)


def run_stoppable(h: Any) -> None:
    """``h.run()`` of a ``highspy.Highs`` that a Ctrl-C stops within a fraction of a second.

    In the main thread HiGHS runs in a helper thread while this one waits, so the SIGINT
    handler runs at once; HiGHS polls the flag through its interrupt callbacks and stops
    with its incumbent (model status ``Interrupted by user``). Elsewhere, or with a
    highspy without callbacks, it is plain ``h.run()``.
    """
    found = [getattr(h, name, None) for name in _CALLBACKS]
    callbacks = [c for c in found if c is not None]
    if threading.current_thread() is not threading.main_thread() or len(callbacks) < len(found):
        h.run()
        return

    halt = threading.Event()  # a KeyboardInterrupt raised here: stop this run too

    def stop(event: Any) -> None:
        if halt.is_set() or interrupt_requested():
            event.interrupt()

    failure: list[BaseException] = []

    def target() -> None:
        try:
            h.run()
        except BaseException as err:  # noqa: BLE001 - handed to the waiting thread
            failure.append(err)

    for callback in callbacks:
        callback.subscribe(stop)
    worker = threading.Thread(target=target, name="borderhub-highs", daemon=True)
    try:
        worker.start()
        while worker.is_alive():
            try:
                worker.join(0.05)
            except KeyboardInterrupt:  # a second Ctrl-C, or outside graceful_interrupts
                halt.set()
                raise
    finally:
        if not worker.is_alive():
            for callback in callbacks:
                callback.unsubscribe(stop)
    if failure:
        raise failure[0]


#: The highspy callbacks through which HiGHS asks whether to stop.
_CALLBACKS = ("cbSimplexInterrupt", "cbIpmInterrupt", "cbMipInterrupt")
