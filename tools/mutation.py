"""Mutation testing of the location models and the scoring maths with mutmut 3.

Usage::

    python tools/mutation.py [--target locate|scoring|all] [--workdir DIR] [--max-children N]
                             [--nice N] [--report FILE]

Not part of the default test run: a full run takes hours on two cores. The script copies the
package and the test suite into ``--workdir`` (a fresh temporary directory by default, so the
checkout is never touched), writes a ``setup.cfg`` with the ``[mutmut]`` section there, runs
``mutmut run`` under ``nice`` with a bounded number of worker processes, and writes a report
(mutation score per file and every surviving mutant with its diff) to ``--report``.

Each mutant is run only against the tests that execute the mutated function (mutmut records
that once, with the targeted test selection below), and ``CI=1`` selects the derandomised
Hypothesis profile, so a run is reproducible. Rerunning with the same ``--workdir`` resumes:
mutmut keeps the verdicts of mutants whose code and tests did not change.

Last run (mutmut 3.8.1, ``--target locate``, two workers at nice 10, load average 6-12 on
two shared cores): 3,844 mutants in ``borderhub/locate/``; the status and open-set scopes
were run on a sample (every 4th mutant) plus earlier full passes over ``_read_pulp``,
``PCenter._solve`` and ``PMedian._solve_one``: 340 decided, 235 killed by a failing test,
105 stopped by mutmut's wall-clock limit. Under that load a "timeout" is not a proof, so
every timed-out mutant was reviewed by hand: most raise on a path the tests reach (killed
late), three loop forever (caught by the limit), and the rest were either killed by tests
added after the run (PuLP/HiGHS reader fields, PCenter without heuristic or demand,
PCenter's bisection on wide cost ranges, CBC stops) or are equivalent: performance-only
changes (the pigeonhole level cap, the greedy start and its slack, PCenter's heuristic and
lower bound), the bound of a run without solution (discarded), names of PuLP rows and
problems, and ``x >= None`` / coefficient 2 on a binary ``y >= 1``. The ``constraints``
scope and ``--target scoring`` were not run then.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: What to mutate and the fast, targeted tests that defend it.
TARGETS = {
    "locate": {
        "only_mutate": ["borderhub/locate/*"],
        "tests": [
            "tests/test_status_honesty.py",
            "tests/test_locate.py",
            "tests/test_published_optima.py",
            "tests/test_locate_plan.py",
            "tests/test_locate_spopt.py",
        ],
    },
    "scoring": {
        "only_mutate": ["borderhub/scoring.py"],
        "tests": ["tests/test_scoring.py", "tests/test_scoring_criteria.py"],
    },
}
#: Mutant-name patterns (fnmatch) of the functions that report status, report the open
#: set, or build the constraints -- the ``--scope core`` run.
CORE = {
    "status": [
        "borderhub.locate._core.highs.x_read_highs*",
        "borderhub.locate._core.context.x_read_pulp*",
        "borderhub.locate._core.outcome.x_rel_gap*",
        "borderhub.locate._core.context.xǁContextǁrun*",
        "borderhub.locate._core.highs.x_load_highs_solution*",
        "borderhub.locate._core.highs.x_check_highs_options*",
        "borderhub.locate._core.outcome.x_outcome_of*",
        "borderhub.locate.base.xǁLocationModelǁsolve*",
        "borderhub.locate.center.xǁPCenterǁ_solve*",
        "borderhub.locate._radius.x_solve_nearest_open*",
        "borderhub.locate.median.*",
    ],
    "open set": [
        "borderhub.locate._core.builder.x_values*",
        "borderhub.locate.base.xǁLocationModelǁ_open_positions*",
        "borderhub.locate.base.xǁLocationModelǁ_assign_nearest*",
        "borderhub.locate.coverage.xǁMaxCoverageǁ_solve*",
        "borderhub.locate.coverage.xǁSetCoverǁ_solve*",
        "borderhub.locate.coverage.xǁ_Coverageǁ_covered_weight*",
        "borderhub.locate.center.xǁPCenterǁ_cover_check*",
    ],
    "constraints": [
        "borderhub.locate.base.xǁLocationModelǁ_open_block*",
        "borderhub.locate.base.xǁLocationModelǁ_diagnose_infeasible*",
        "borderhub.locate._core.builder.xǁPulpBuilderǁ*",
        "borderhub.locate._core.levels.xǁLevelsǁadd_rows*",
        "borderhub.locate._core.levels.xǁLevelsǁundercharged*",
        "borderhub.locate.coverage.xǁ_Coverageǁ_cover_sets*",
        "borderhub.locate.fixed_charge.xǁFacilityLocationǁ_solve*",
        "borderhub.locate.hub.xǁHubMedianǁ_solve*",
    ],
}

TARGETS["all"] = {
    "only_mutate": TARGETS["locate"]["only_mutate"] + TARGETS["scoring"]["only_mutate"],
    "tests": TARGETS["locate"]["tests"] + TARGETS["scoring"]["tests"],
}


def _setup_cfg(target: dict) -> str:
    lines = ["[mutmut]", "source_paths = borderhub/", "only_mutate ="]
    lines += [f"    {p}" for p in target["only_mutate"]]
    lines += ["pytest_add_cli_args_test_selection ="]
    lines += [f"    {t}" for t in target["tests"] if (ROOT / t).exists()]
    # no doctests of the mutated modules, no cache: only the selected test files
    lines += ["pytest_add_cli_args =", "    -p", "    no:cacheprovider", "    -o", "    addopts="]
    lines += ["also_copy =", "    data/"]
    # a mutant that makes the tests several times slower counts as caught (timeout)
    lines += ["timeout_multiplier = 4.0", ""]
    return "\n".join(lines)


def _sync(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` rewriting only changed files (mutmut keeps the verdicts of
    mutants whose files did not change, so a rerun resumes)."""
    for path in src.rglob("*"):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        target = dest / path.relative_to(src)
        if target.is_file() and target.read_bytes() == path.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def prepare(workdir: Path, target: dict) -> None:
    """Copy what the tests need into ``workdir`` and configure mutmut there."""
    for name in ("borderhub", "tests", "data"):
        _sync(ROOT / name, workdir / name)
    shutil.copy2(ROOT / "pyproject.toml", workdir / "pyproject.toml")
    cfg = workdir / "setup.cfg"
    text = _setup_cfg(target)
    if not cfg.is_file() or cfg.read_text(encoding="utf-8") != text:
        cfg.write_text(text, encoding="utf-8")


def _mutmut(workdir: Path, args: list[str], nice: int, env: dict) -> subprocess.CompletedProcess:
    exe = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or "mutmut"
    cmd = ["nice", "-n", str(nice), exe, *args] if nice else [exe, *args]
    return subprocess.run(cmd, cwd=workdir, env=env, text=True, capture_output=True)


def sample_names(workdir: Path, patterns: list[str], every: int) -> list[str]:
    """Every ``every``-th mutant (by its number) of the functions matching ``patterns``.

    Needs the mutants generated by an earlier run in ``workdir`` (their ``.meta`` files).
    """
    names = []
    for meta in sorted((workdir / "mutants").rglob("*.py.meta")):
        keys = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        for key in keys:
            if patterns and not any(fnmatch.fnmatch(key, p) for p in patterns):
                continue
            if int(key.rsplit("_", 1)[1]) % every == 1 % every:
                names.append(key)
    return names


def report(workdir: Path, nice: int, env: dict) -> dict:
    """Verdict counts per file and the diff of every survivor."""
    out = _mutmut(workdir, ["results", "--all", "true"], nice, env).stdout
    per_file: dict[str, dict[str, int]] = {}
    survivors: list[str] = []
    for line in out.splitlines():
        m = re.match(r"\s*([\w.]+__mutmut_\d+): (.+)$", line)
        if not m:
            continue
        name, verdict = m.group(1), m.group(2).strip()
        module = re.sub(r"\.(x[ΑǁA-Za-z_]*).*$", "", name)
        counts = per_file.setdefault(module, {})
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict == "survived":
            survivors.append(name)
    diffs = {s: _mutmut(workdir, ["show", s], nice, env).stdout for s in survivors}
    score = {}
    for module, counts in per_file.items():
        decided = counts.get("killed", 0) + counts.get("survived", 0) + counts.get("timeout", 0)
        caught = counts.get("killed", 0) + counts.get("timeout", 0)
        score[module] = round(100.0 * caught / decided, 1) if decided else None
    return {"counts": per_file, "score_percent": score, "survivors": diffs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", choices=sorted(TARGETS), default="locate")
    ap.add_argument("--workdir", type=Path, help="working directory (default: a new temp dir)")
    ap.add_argument("--max-children", type=int, default=1, help="parallel mutant workers")
    ap.add_argument("--nice", type=int, default=19, help="niceness of the run (0: none)")
    ap.add_argument("--report", type=Path, default=Path("mutation-report.json"))
    ap.add_argument("--report-only", action="store_true", help="only report an earlier run")
    ap.add_argument(
        "--scope",
        choices=["all", *CORE],
        default="all",
        help="all mutants of the target, or only those of one core group (locate only)",
    )
    ap.add_argument(
        "--sample",
        type=int,
        default=1,
        help="run every N-th mutant only (needs the mutants of an earlier run in --workdir)",
    )
    args = ap.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="borderhub-mutation-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CI="1", HYPOTHESIS_PROFILE="mutation", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)  # mutmut puts its mutated copy first on sys.path
    if not args.report_only:
        prepare(workdir, TARGETS[args.target])
        print(f"mutating {TARGETS[args.target]['only_mutate']} in {workdir}", flush=True)
        names = [] if args.scope == "all" else CORE[args.scope]
        if args.sample > 1:
            names = sample_names(workdir, names, args.sample)
            print(f"sample: {len(names)} mutants (every {args.sample}th)", flush=True)
        cmd = ["run", "--max-children", str(args.max_children), *names]
        run = _mutmut(workdir, cmd, args.nice, env)
        tail = "\n".join((run.stdout + run.stderr).splitlines()[-15:])
        print(tail, flush=True)
        if run.returncode != 0:
            print(f"mutmut run failed with exit code {run.returncode}", file=sys.stderr)
            return run.returncode
    result = report(workdir, args.nice, env)
    args.report.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    for module, counts in sorted(result["counts"].items()):
        print(f"{module}: {counts}  score {result['score_percent'][module]} %")
    print(f"{len(result['survivors'])} survivor(s); report written to {args.report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
