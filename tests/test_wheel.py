"""The built wheel carries the bundled tables and loads them outside the repository.

Builds the wheel from this checkout, installs it (without dependencies) into a fresh
virtual environment, and runs a script from a temporary directory. The fresh environment
sees the running interpreter's installed dependencies through a ``.pth`` path entry that is
placed *after* its own site-packages; path entries added this way do not execute the
``.pth`` files of the outer environment, so an editable install of borderhub there stays
invisible and the wheel's copy must win (the script checks ``borderhub.__file__``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    import borderhub
    from borderhub import datasets
    from borderhub.policy import column4, tiers_of, Tier

    out = {
        "file": borderhub.__file__,
        "prefix": sys.prefix,
        "data_dir": str(datasets.data_dir()),
        "readme": (datasets.data_dir() / "README.md").is_file(),
        "rows": {
            "column4": len(column4()),
            "candidates": len(datasets.candidates()),
            "prefectures": len(datasets.prefectures()),
            "partners": len(datasets.partners()),
            "corridors": len(datasets.corridors()),
            "border_ports": len(datasets.border_ports()),
            "cbec_pilot_zones": len(datasets.cbec_pilot_zones()),
        },
        "population": int(datasets.prefectures()["population"].sum()),
        "boundaries": {k: len(datasets.boundaries(k)) for k in datasets.BOUNDARY_LEVELS},
        "yanji": sorted(t.name for t in tiers_of("延吉")),
        "version": borderhub.__version__,
    }
    print(json.dumps(out))
    """
)


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _build_wheel(outdir: Path) -> Path:
    cmd = [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir)]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.append("--no-isolation")  # build offline with the installed backend
    if importlib.util.find_spec("build") is None:
        pytest.fail("the 'build' package is not installed: install the test extra, .[test]")
    _run(cmd + [str(REPO)], cwd=outdir)
    wheels = sorted(outdir.glob("borderhub-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_installs_and_loads_every_table(tmp_path):
    if not (REPO / "pyproject.toml").is_file():
        pytest.skip("not running from a source checkout")
    dist = tmp_path / "dist"
    dist.mkdir()
    wheel = _build_wheel(dist)

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "BORDERHUB_DATA_DIR", "VIRTUAL_ENV")
    }
    purelib = _run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=tmp_path,
        env=env,
    ).strip()
    outer = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "zz_outer_deps.pth").write_text("\n".join(sorted(outer)) + "\n")
    _run(
        [str(py), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        cwd=tmp_path,
        env=env,
    )

    work = tmp_path / "elsewhere"
    work.mkdir()
    result = json.loads(_run([str(py), "-c", SCRIPT], cwd=work, env=env).strip().splitlines()[-1])

    assert Path(result["file"]).resolve().is_relative_to(venv.resolve()), result["file"]
    data_dir = Path(result["data_dir"]).resolve()
    assert data_dir.is_relative_to(venv.resolve())
    assert data_dir.parts[-3:] == ("borderhub", "_data", "cities")
    assert not data_dir.is_relative_to(REPO)
    assert result["readme"]
    assert result["rows"] == {
        "column4": 63,
        "candidates": 60,
        "prefectures": 367,
        "partners": 50,
        "corridors": 14,
        "border_ports": 50,
        "cbec_pilot_zones": 174,
    }
    assert result["population"] == 1_409_778_724
    assert result["boundaries"] == {
        "country": 1,
        "province": 34,
        "prefecture": 370,
        "neighbours": 210,
        "maritime": 1,
    }
    assert result["yanji"] == ["ENCOURAGED"]
    assert result["version"] != "0.0.0+unknown"
