"""A plan's results survive faults and hostile data: the save, the command line, Ctrl-C.

The writer itself (tests/test_outputs.py) is tested on small sets; here the whole result
set of ``run_plan(...).save()`` and ``borderhub plan``: refusals before any work, the
earlier set kept on a failed write, concurrent saves, no write through a planted link,
formula-safe CSV files, names printed without terminal controls, Ctrl-C (SIGINT sent to a
subprocess), costs too large to add up, places outside China, the memory check, and
SIGKILL at random points of a save.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from borderhub import datasets, run_plan
from borderhub.cli import main
from borderhub.exceptions import DataError, DataWarning, OutputError, SpecificationError
from borderhub.io import read_scores, read_solution

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["--p", "1", "--provinces", "海南"]


def _run(*args: object, **kw: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "borderhub", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        **kw,  # type: ignore[arg-type]
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _complete_set(out: Path) -> dict:
    """The manifest of ``out``, after checking that it vouches for exactly its files."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, digest in manifest["outputs"].items():
        assert _sha(out / name) == digest, name
    files = {p.name for p in out.iterdir()}
    assert files == {*manifest["outputs"], "manifest.json"}, files
    centres = pd.read_csv(out / "centres.csv")
    assert len(centres) == manifest["model"]["params"]["p"]
    return manifest


@pytest.fixture(scope="module")
def small() -> dict:
    return {p: run_plan(p=p, provinces="海南") for p in (1, 2)}


# --------------------------------------------------------------------------------------------
# --out refused before any work
# --------------------------------------------------------------------------------------------


def _a_file(base: Path) -> Path:
    (base / "out").write_text("x")
    return base / "out"


def _a_link(base: Path) -> Path:
    (base / "real").mkdir()
    (base / "out").symlink_to(base / "real")
    return base / "out"


def _users_folder(base: Path) -> Path:
    (base / "out").mkdir()
    (base / "out" / "scores.csv").write_text("my own scores\n")
    return base / "out"


def _users_file_beside_a_run(base: Path) -> Path:
    out = base / "out"
    assert main(["plan", "-q", "--out", str(out), *SMALL]) == 0
    (out / "robustness.csv").write_text("mine\n")  # an output's name, not in the manifest
    return out


@pytest.mark.parametrize(
    "make, words",
    [
        (_a_file, "not a folder"),
        (_a_link, "symbolic link"),
        (_users_folder, "--force"),
        (_users_file_beside_a_run, "robustness.csv"),
    ],
    ids=["file", "symlink", "users-folder", "users-file"],
)
def test_bad_out_is_refused_before_any_work(tmp_path, capsys, make, words):
    out = make(tmp_path)
    capsys.readouterr()
    assert main(["plan", "--out", str(out), *SMALL]) == 1
    err = capsys.readouterr().err
    assert words in err and "loading data" not in err, err  # refused before the data


def test_read_only_out_is_refused_before_any_work(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["chattr", "+i", str(out)], check=True)
    try:
        assert main(["plan", "--out", str(out), *SMALL]) == 1
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)
    err = capsys.readouterr().err
    assert "cannot write into --out" in err and "loading data" not in err, err


def test_force_writes_into_a_users_folder_and_keeps_the_other_files(tmp_path):
    out = _users_folder(tmp_path)
    (out / "notes.txt").write_text("keep me")
    assert main(["plan", "-q", "--force", "--out", str(out), *SMALL]) == 0
    assert (out / "notes.txt").read_text() == "keep me"
    assert "score" in read_scores(out / "scores.csv").columns  # replaced by the plan's
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "notes.txt" not in manifest["outputs"]


# --------------------------------------------------------------------------------------------
# the save
# --------------------------------------------------------------------------------------------


def test_a_new_plan_replaces_the_earlier_one_and_its_files(tmp_path, small):
    out = tmp_path / "out"
    run_plan(p=1, provinces="海南", robustness=3).save(out)
    assert (out / "robustness.csv").is_file()
    written = small[2].save(out)
    manifest = _complete_set(out)
    assert not (out / "robustness.csv").exists()  # the earlier run's, not this one's
    assert sorted(written) == sorted([*manifest["outputs"], "manifest.json"])
    assert manifest["model"]["params"]["p"] == 2 and manifest["interrupted"] is False
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # nothing left beside it


def test_a_failed_write_names_the_file_and_keeps_the_earlier_set(tmp_path, small, monkeypatch):
    out = tmp_path / "out"
    small[1].save(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_write = os.write

    def full_disk(fd: int, data: bytes) -> int:
        if len(data) > 1_000_000:  # map.html and report.html
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(OutputError, match=r"map\.html.*No space left.*unchanged"):
        small[2].save(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_no_write_through_a_link_planted_in_out(tmp_path, small):
    out = tmp_path / "out"
    small[1].save(out)
    victim = tmp_path / "victim.html"
    victim.write_text("precious")
    (out / "map.html").unlink()
    (out / "map.html").symlink_to(victim)  # where the next save writes map.html
    small[2].save(out)
    assert victim.read_text() == "precious"
    assert not (out / "map.html").is_symlink()
    _complete_set(out)


def test_concurrent_saves_leave_one_complete_set(tmp_path, small):
    out = tmp_path / "out"
    errors: list[BaseException] = []

    def save(p: int) -> None:
        try:
            for _ in range(2):
                small[p].save(out)
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=save, args=(1 + k % 2,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    _complete_set(out)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# --------------------------------------------------------------------------------------------
# hostile names
# --------------------------------------------------------------------------------------------


def _risky_candidates(tmp_path: Path) -> Path:
    cand = datasets.candidates()
    cand = cand[cand["province"].str.startswith("海南")].copy()
    names = ['=HYPERLINK("http://evil/","click")', "+1-2\x1b[31mred\x07"]
    table = pd.DataFrame(
        {
            "id": ["@a", "-b"],
            "name": names,
            "lon": cand["lon"].to_numpy(),
            "lat": cand["lat"].to_numpy(),
            "province": "海南省",
        }
    )
    path = tmp_path / "cand.csv"
    table.to_csv(path, index=False)
    return path


def test_formulas_are_neutralised_and_names_printed_without_controls(tmp_path):
    cand = _risky_candidates(tmp_path)
    args = ["plan", "--p", "2", "--provinces", "海南", "--candidates", cand]
    proc = _run(*args, "--out", tmp_path / "safe")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert "+1-2[31mred" in proc.stdout
    for name in ("scores.csv", "centres.csv", "solution.csv"):
        text = (tmp_path / "safe" / name).read_text(encoding="utf-8")
        assert "'=HYPERLINK(" in text and "'@a" in text and "'-b" in text, name
        assert "\n=" not in text and ",=" not in text and ",@" not in text, name
    scores = read_scores(tmp_path / "safe" / "scores.csv")
    assert sorted(scores.index) == ["-b", "@a"]  # read back as written by the user
    solution = read_solution(tmp_path / "safe" / "solution.csv")
    assert set(solution["facility"]) <= {"-b", "@a"}
    proc = _run(*args, "--keep-formulas", "--out", tmp_path / "raw")
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "raw" / "scores.csv").read_text(encoding="utf-8")
    assert '"=HYPERLINK(' in text and "'=HYPERLINK" not in text and "\n@a," in text
    manifest = json.loads((tmp_path / "raw" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["neutralise_formulas"] is False


# --------------------------------------------------------------------------------------------
# Ctrl-C
# --------------------------------------------------------------------------------------------


def _slow_data(tmp_path: Path) -> tuple[Path, Path]:
    """1,500 demand points and 300 candidates: a p-center that takes minutes to prove."""
    files = []
    for name, n, seed in (("cand.csv", 300, 1), ("dem.csv", 1500, 2)):
        rng = np.random.default_rng(seed)
        table = pd.DataFrame(
            {
                "id": [f"p{k}" for k in range(n)],
                "lon": rng.uniform(104, 118, n).round(4),
                "lat": rng.uniform(25, 38, n).round(4),
                "volume": rng.uniform(1, 10, n).round(3),
            }
        )
        table.to_csv(tmp_path / name, index=False)
        files.append(tmp_path / name)
    return files[0], files[1]


def _interrupt_after(proc: subprocess.Popen, marker: str, wait: float) -> float:
    """Send SIGINT ``wait`` seconds after ``marker`` appears on stderr; the seconds to exit."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if marker in line:
            break
    time.sleep(wait)
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=300)
    return time.perf_counter() - sent


@pytest.mark.slow
def test_ctrl_c_during_a_solve_writes_the_incumbent_and_exits_130(tmp_path):
    cand, dem = _slow_data(tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "borderhub", "plan", "--out", str(out), "--candidates",
               str(cand), "--demand", str(dem), "--weight-column", "volume", "--model",
               "pcenter", "--p", "25"]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            stdout=subprocess.DEVNULL)  # fmt: skip
    seconds = _interrupt_after(proc, "checking the p-center model", 2.0)
    rest = proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == 130, rest
    assert "interrupted" in rest
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"] is True
    assert manifest["result"]["status"] in ("feasible", "not_solved")
    assert "interrupted (Ctrl-C)" in manifest["result"]["message"]
    # the solve stops at once; what remains is writing the map and the report
    assert manifest["timings"]["solve"] < 2.0 + 5.0, manifest["timings"]
    assert seconds < 60, seconds
    for name, digest in manifest["outputs"].items():
        assert _sha(out / name) == digest, name


_SOLVE_AND_PRINT = """
import json, sys
import numpy as np
from borderhub.locate import FacilityLocation, PMedian
rng = np.random.default_rng(0)
pts = rng.random((1500, 2)) * 1000
cost = np.hypot(*(pts[:, None, :] - pts[None, :300, :]).transpose(2, 0, 1))
if sys.argv[1] == "pmedian":
    model = PMedian.from_cost_matrix(cost, p=30, method="radius")
else:  # the capacitated search: Lagrangian bound, local search, kicks, reduced MIP
    w = rng.uniform(1, 10, 1500)
    model = FacilityLocation.from_cost_matrix(cost[:1000, :150], w[:1000], fixed_cost=2000.0,
                                              capacity=w[:1000].sum() / 15, single_source=True)
print("solving", flush=True)
sol = model.solve()
print(json.dumps({"status": sol.status.value, "interrupted": sol.interrupted,
                  "open": len(sol.open), "message": sol.message, "gap": sol.gap}), flush=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["pmedian", "capacitated"])
def test_ctrl_c_stops_a_library_solve_with_its_incumbent(kind):
    proc = subprocess.Popen(
        [sys.executable, "-c", _SOLVE_AND_PRINT, kind],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "solving"
    time.sleep(3.0)
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    seconds = time.perf_counter() - sent
    assert proc.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["interrupted"] is True, result
    assert result["open"] > 0, result
    # the incumbent, as feasible; or optimal when the round under way when the signal came
    # still finished with its proof (the solver checks for the interrupt between steps)
    assert result["status"] in ("feasible", "optimal"), result
    if result["status"] == "optimal":
        assert result["gap"] <= 1e-4, result
    # measured under a load of 5 on 2 cores: p-median 0.8 s, capacitated 3-5 s
    assert seconds < 15, seconds


# --------------------------------------------------------------------------------------------
# data that cannot be used
# --------------------------------------------------------------------------------------------


def test_costs_too_large_to_add_up_are_a_data_error():
    from borderhub.locate import PCenter, PMedian

    cost = np.full((4, 3), 1e308)
    for method in ("auto", "radius", "benders"):
        with pytest.raises(DataError, match=r"too large to add up.*larger units"):
            PMedian.from_cost_matrix(cost, p=1, method=method).solve()
    with pytest.raises(DataError, match="too large"):
        PMedian.from_cost_matrix(cost, p=1).solve(solver="cbc")
    # the largest cost is what a p-center minimises: nothing is added up
    assert PCenter.from_cost_matrix(cost, p=1).solve().status == "optimal"


def test_places_outside_china_are_named(tmp_path):
    cand = datasets.candidates()
    cand = cand[cand["province"].str.startswith("海南")][["lon", "lat"]].copy()
    cand.loc["paris"] = [2.35, 48.86]
    cand.loc["swapped"] = [39.47, 75.99]  # Kashgar, latitude first
    path = tmp_path / "cand.csv"
    cand.rename_axis("id").to_csv(path)
    with pytest.warns(DataWarning, match=r"outside China.*paris.*swapped.*'swapped'"):
        run_plan(path, p=1, score=False, solve=False)
    with pytest.raises(DataError, match="paris"):
        run_plan(path, p=1, score=False, solve=False, strict_places=True)
    events = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # a note instead, with a progress callable
        run_plan(path, p=1, score=False, solve=False, progress=events.append)
    assert any(e.kind == "note" and "paris" in e.message for e in events)
    proc = _run("plan", "--out", tmp_path / "o", "--candidates", path, "--strict-places")
    assert proc.returncode == 1 and "paris" in proc.stderr, proc.stderr


def test_a_run_too_large_for_the_memory_stops_before_the_distances(monkeypatch):
    from borderhub import _checks

    monkeypatch.setattr(_checks, "available_memory", lambda: 4096)  # 19 x 2 pairs need 4.5 kB
    events = []
    with pytest.raises(SpecificationError, match=r"memory.*fewer candidates"):
        run_plan(p=2, provinces="海南", progress=events.append)
    assert not any(e.key == "distances" for e in events)


# --------------------------------------------------------------------------------------------
# SIGKILL at random points of a save
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_killed_saves_leave_the_earlier_set_or_the_new_one(tmp_path):
    """50 runs of ``borderhub plan`` killed (SIGKILL) at random points of their save."""
    out = tmp_path / "out"
    assert _run("plan", "-q", "--out", out, *SMALL).returncode == 0
    earlier = _complete_set(out)
    command = [sys.executable, "-m", "borderhub", "plan", "--out", str(out), "--p", "2",
               "--provinces", "海南"]  # fmt: skip
    # how long the save takes here: from the end of the solve to the exit
    proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            stdout=subprocess.DEVNULL)  # fmt: skip
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("borderhub: solving") and " done (" in line:
            break
    started = time.perf_counter()
    proc.wait(timeout=300)
    save_seconds = time.perf_counter() - started
    assert proc.returncode == 0
    new = _complete_set(out)
    assert new["model"]["params"]["p"] == 2
    rng = random.Random(20261207)
    seen = {1: 0, 2: 0}
    for k in range(50):
        p = 1 + k % 2  # alternate, so that every run replaces a set of the other kind
        command[-3] = str(p)
        proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True,
                                stdout=subprocess.DEVNULL)  # fmt: skip
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("borderhub: solving") and " done (" in line:
                break
        time.sleep(rng.uniform(0.0, 1.1 * save_seconds))
        proc.kill()
        proc.wait(timeout=60)
        manifest = _complete_set(out)  # the earlier set or the new one, complete
        seen[manifest["model"]["params"]["p"]] += 1
    assert seen[1] and seen[2], seen
    assert earlier["outputs"].keys() == new["outputs"].keys()
    # a later save cleans up what the killed ones left beside the folder
    assert _run("plan", "-q", "--out", out, *SMALL).returncode == 0
    _complete_set(out)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# --------------------------------------------------------------------------------------------
# size
# --------------------------------------------------------------------------------------------


def test_maps_of_many_demand_units_are_thinned_with_a_note():
    import geopandas as gpd

    from borderhub.locate import PMedian
    from borderhub.maps.scene import build_scene

    rng = np.random.default_rng(5)
    n = 4000
    dem = gpd.GeoDataFrame(
        {"name": [f"d{k}" for k in range(n)]},
        index=[f"d{k}" for k in range(n)],
        geometry=gpd.points_from_xy(rng.uniform(104, 118, n), rng.uniform(25, 38, n)),
        crs="EPSG:4326",
    )
    cand = dem.iloc[:5].copy()
    cand.index = [f"c{k}" for k in range(5)]
    sol = PMedian.from_geodataframe(dem, cand, p=2).solve()
    note = "showing 3,000 of 4,000, evenly chosen: too many to draw one by one"
    for solution in (sol, None):
        scene = build_scene(cand, solution=solution, demand=dem, corridors=None, lang="en")
        layers = [layer for layer in scene.layers if layer.key == "allocation"]
        assert layers and all(note in layer.name for layer in layers)
        for layer in layers:
            assert all(len(part.tips or []) == 3000 for part in layer.parts)


def test_a_long_step_is_announced_within_seconds(monkeypatch):
    from borderhub.cli import _Progress
    from borderhub.plan import progress

    monkeypatch.setattr(progress, "RUNNING_AFTER", 0.05)
    events = []
    steps = progress.Steps(events.append)
    with steps.step("solve", "solving"):
        time.sleep(0.5)
    with steps.step("write", "writing"):
        pass
    time.sleep(0.2)
    assert [(e.kind, e.key) for e in events] == [
        ("start", "solve"),
        ("running", "solve"),
        ("done", "solve"),
        ("start", "write"),
        ("done", "write"),
    ]

    class Log:
        text = ""

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    log = Log()
    show = _Progress(stream=log)  # type: ignore[arg-type]
    for event in events:
        show(event)
    assert re.sub(r"\d+\.\d\d s", "t", log.text).splitlines() == [
        "borderhub: solving ... (running)",
        "borderhub: solving ... done (t)",
        "borderhub: writing ... done (t)",
    ]


@pytest.mark.slow
def test_ctrl_c_during_the_robustness_draws_keeps_the_solved_plan(tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "borderhub", "plan", "--out", str(out), *SMALL,
               "--robustness", "100000"]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            stdout=subprocess.DEVNULL)  # fmt: skip
    _interrupt_after(proc, "solving p-median", 2.0)
    rest = proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == 130, rest
    assert "the solved plan is kept" in rest
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"] is True and manifest["result"]["status"] == "optimal"
    assert not any(name.startswith("robustness") for name in manifest["outputs"])


def test_maps_of_many_candidates_show_the_best_ranked_and_a_sample_of_the_rest():
    import geopandas as gpd

    from borderhub.maps.scene import build_scene

    rng = np.random.default_rng(6)
    n = 4000
    labels = [f"c{k}" for k in range(n)]
    cand = gpd.GeoDataFrame(
        {"name": labels},
        index=labels,
        geometry=gpd.points_from_xy(rng.uniform(104, 118, n), rng.uniform(25, 38, n)),
        crs="EPSG:4326",
    )
    score = rng.random(n)
    scores = pd.DataFrame({"score": score, "rank": (-score).argsort().argsort() + 1}, index=labels)
    scene = build_scene(cand, solution=["c0", "c1"], scores=scores, corridors=None, lang="en")
    layers = {layer.name: layer for layer in scene.layers}
    unchosen = [k for k in layers if k.startswith("Solution · candidates not chosen")]
    assert unchosen == [
        "Solution · candidates not chosen (showing 3,000 of 3,998, evenly chosen: too many "
        "to draw one by one)"
    ]
    ranked = [k for k in layers if "best-ranked" in k]
    assert ranked and "showing the 3,000 best-ranked of 4,000" in ranked[0]
    tips = layers[ranked[0]].parts[0].tips or []
    assert len(tips) == 3000 and any(t.startswith("#1 ") for t in tips)
    assert not any(t.startswith("#3001 ") for t in tips)
