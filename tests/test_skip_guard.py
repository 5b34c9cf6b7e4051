"""The CI skip guard in tests/conftest.py: an unexpected skip fails the run under CI."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = (Path(__file__).with_name("conftest.py")).read_text(encoding="utf-8")

TESTS = """
import pytest

def test_runs():
    assert True

def test_skips():
    pytest.skip("optional tool missing")
"""


def _run(pytester, monkeypatch, ci: bool, conftest: str = CONFTEST):
    if ci:
        monkeypatch.setenv("CI", "1")
    else:
        monkeypatch.delenv("CI", raising=False)
    pytester.makeconftest(conftest)
    pytester.makepyfile(test_guarded=TESTS)
    return pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")


def test_unexpected_skip_fails_under_ci(pytester, monkeypatch):
    result = _run(pytester, monkeypatch, ci=True)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*1 test(s) skipped that are not in ALLOWED_SKIPS*"])
    result.stdout.fnmatch_lines(["*test_guarded.py::test_skips: *optional tool missing*"])


def test_skip_is_only_reported_locally(pytester, monkeypatch):
    result = _run(pytester, monkeypatch, ci=False)
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, skipped=1)


def test_allowed_skip_passes_under_ci(pytester, monkeypatch):
    allowed = CONFTEST.replace(
        "ALLOWED_SKIPS: dict[str, str] = {}",
        'ALLOWED_SKIPS: dict[str, str] = {"test_guarded.py::test_skips": "needs a GPU"}',
    )
    assert allowed != CONFTEST
    result = _run(pytester, monkeypatch, ci=True, conftest=allowed)
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, skipped=1)


def test_module_level_skip_fails_under_ci(pytester, monkeypatch):
    monkeypatch.setenv("CI", "1")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_mod=(
            "import pytest\npytest.importorskip('no_such_module_xyz')\n\ndef test_x():\n    pass\n"
        ),
        test_ok="def test_y():\n    pass\n",
    )
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*test_mod.py: *no_such_module_xyz*"])
