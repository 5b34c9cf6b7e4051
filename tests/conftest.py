"""Shared fixtures for the borderhub test suite."""

from __future__ import annotations

import os

import matplotlib
import pytest
from hypothesis import Phase, settings

matplotlib.use("Agg")

# Property tests: reproducible under CI (the same examples on every run), random locally.
# HYPOTHESIS_PROFILE=ci selects the deterministic profile explicitly (.ci/run sets it).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
# tools/mutation.py: deterministic, and no shrinking (a failure is all a mutant run needs)
settings.register_profile(
    "mutation", derandomize=True, deadline=None, phases=[Phase.explicit, Phase.generate]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


# ----------------------------------------------------------------------------------------
# No silent skips in CI: every declared dependency is installed there, so a skip means a
# broken import or a missing tool and must fail the run -- unless it is listed here, with
# the reason it is legitimate, keyed by test node id (or by test file for a whole module).
# ----------------------------------------------------------------------------------------

#: node id (or file path) -> why skipping it under CI is acceptable.
ALLOWED_SKIPS: dict[str, str] = {}

_skipped: list[tuple[str, str]] = []


def _skip_allowed(nodeid: str) -> bool:
    path = nodeid.split("::", 1)[0]
    return nodeid in ALLOWED_SKIPS or path in ALLOWED_SKIPS


def _skip_reason(report) -> str:
    if getattr(report, "wasxfail", None) is not None:
        return f"xfail: {report.wasxfail}"
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def pytest_runtest_logreport(report):
    if report.skipped and not _skip_allowed(report.nodeid):
        _skipped.append((report.nodeid, _skip_reason(report)))


def pytest_collectreport(report):
    if report.skipped and not _skip_allowed(report.nodeid):
        _skipped.append((report.nodeid or "<collection>", _skip_reason(report)))


def pytest_sessionfinish(session, exitstatus):
    if not os.environ.get("CI") or not _skipped:
        return
    lines = [f"  {nodeid}: {reason}" for nodeid, reason in _skipped]
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    text = (
        f"CI: {len(_skipped)} test(s) skipped that are not in ALLOWED_SKIPS "
        "(tests/conftest.py); install what they need, or allow them there with a reason:\n"
        + "\n".join(lines)
    )
    if reporter is not None:
        reporter.write_line(text, red=True)
    if session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Fail any test that tries to open a network connection to a non-local address."""
    import socket

    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("localhost", "127.0.0.1", "::1")
            and not (host.startswith("127.") or host.startswith("/"))
        ):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield


@pytest.fixture
def in_ci() -> bool:
    """Whether the suite runs under continuous integration (CI set in the environment)."""
    return bool(os.environ.get("CI"))
