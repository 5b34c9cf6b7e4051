"""Record the SHA-256 of the files `borderhub plan` writes, as the golden files of the tests.

    python tools/golden_plan.py            # rewrite tests/data/golden/*.sha256

Run it only after a deliberate change of the outputs (new bundled data, a changed format),
and say why in the commit. Each golden file starts with the command line it records;
tests/test_pipeline.py runs the same command and `run_plan(...).save()` and compares.
The PNG figures and map.html are not recorded (they depend on the installed matplotlib,
fonts and folium); the tests compare those between the command line and `run_plan` instead.
"""

from __future__ import annotations

import hashlib
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden"
PLAN_DATA = "tests/data/plan"

#: name -> arguments of `borderhub plan` (paths relative to the repository root)
CASES = {
    "plan-bundled": ["--p", "12", "--required-tiers", "CORE"],
    "plan-user-csv-plots": [
        "--candidates",
        f"{PLAN_DATA}/candidates.csv",
        "--demand",
        f"{PLAN_DATA}/demand.csv",
        "--weight-column",
        "volume",
        "--p",
        "3",
        "--plots",
    ],
}
#: the files whose hashes are recorded
FILES = (
    "scores.csv",
    "solution.csv",
    "centres.csv",
    "solution.geojson",
    "allocations.geojson",
    "cost_curve.csv",
)


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, args in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out"
            cmd = [sys.executable, "-m", "borderhub", "plan", "--quiet", "--out", str(out), *args]
            subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
            lines = [f"# borderhub plan {shlex.join(args)}"]
            for file in FILES:
                if (out / file).is_file():
                    digest = hashlib.sha256((out / file).read_bytes()).hexdigest()
                    lines.append(f"{digest}  {file}")
        (GOLDEN / f"{name}.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {GOLDEN / name}.sha256")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
