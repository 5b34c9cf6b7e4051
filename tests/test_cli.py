"""Tests of the ``borderhub`` command line, run as a subprocess like a user would."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pandas as pd

from borderhub.cli import main


def run(*args, cwd=None, timeout=300):
    """Run ``python -m borderhub ARGS`` and return the completed process (text mode)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", MPLBACKEND="Agg")
    return subprocess.run(
        [sys.executable, "-m", "borderhub", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def assert_one_line_error(proc, status, *fragments):
    assert proc.returncode == status, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("borderhub: error: "), lines[0]
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# --------------------------------------------------------------------------------------
# tiers
# --------------------------------------------------------------------------------------


def test_tiers_text_lists_every_tier_with_the_plans_counts():
    proc = run("tiers")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "60 distinct places, 63 (place, tier) memberships" in out
    for header in (
        "CORE: 10 entries, 10 places",
        "LONG_TERM: 2 entries, 2 places",
        "PROVINCIAL: 11 entries, 11 places",
        "ENCOURAGED: 33 entries, 35 places",
        "RAIL: 5 entries, 5 places",
        "PORT: 0 entries, 0 places",
    ):
        assert header in out
    assert "钦州-北海-防城港" in out and "西双版纳" in out and "义乌" in out
    assert "优化进出境快件处理场所布局" in out


def test_tiers_csv_matches_column4():
    from borderhub.policy import column4

    proc = run("tiers", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(io.StringIO(proc.stdout), dtype={"adcode": str, "prefecture_adcode": str})
    expected = column4()
    assert len(table) == len(expected) == 63
    assert table["tier"].tolist() == [t.name for t in expected["tier"]]
    assert table["adcode"].tolist() == expected["adcode"].tolist()


def test_tiers_filter_and_json(capsys):
    assert main(["tiers", "--tier", "rail,long-term", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert sorted({r["tier"] for r in records}) == ["LONG_TERM", "RAIL"]
    assert {r["plan_name"] for r in records if r["tier"] == "RAIL"} == {
        "西安",
        "重庆",
        "成都",
        "郑州",
        "义乌",
    }


def test_unknown_tier_is_a_usage_error():
    proc = run("tiers", "--tier", "CORE,CAPITAL")
    assert_one_line_error(proc, 2, "unknown tier 'CAPITAL'", "CORE, LONG_TERM")


def test_unknown_command_and_version():
    proc = run("frobnicate")
    assert_one_line_error(proc, 2, "invalid choice")
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("borderhub ")


def test_help_explains_each_command():
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("tiers",):
        assert command in proc.stdout
        sub = run(command, "--help")
        assert sub.returncode == 0 and "usage: borderhub " + command in sub.stdout
