"""The main job from Python, run by the documentation build (``docs/main-job.rst``).

The page shows the code between the ``# [name]`` markers and the text this script writes,
so every number on it comes from this run. By hand::

    python docs/main_job.py --out /tmp/main-job
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    shown: dict[str, str] = {}

    def show(name: str, text: object) -> None:
        shown[name] = str(text)

    # [run]
    import borderhub as bh

    result = bh.run_plan(p=12, required_tiers="CORE")
    # [run-end]
    show("repr", repr(result))
    # [tables]
    centres = result.centres[["name", "tiers", "required", "n_demand", "load", "share"]]
    best = result.scores[["name", "rank", "score"]].head(5)
    # [tables-end]
    show("centres", centres.round(3).to_string())
    show("scores", best.round(4).to_string())
    # [regional]
    south = bh.run_plan(
        provinces=["广东", "广西", "海南"],
        model="mclp",
        p=3,
        radius=250,
        weight_column="population",
    )
    covered = south.centres["share"].sum()
    # [regional-end]
    show("regional", f"{south!r}\ncovered share of the population: {covered:.3f}")
    # [save]
    files = result.save(out / "plan")
    assignment = bh.io.read_solution(out / "plan" / "solution.csv", candidates=result.candidates)
    same = (assignment["facility"] == result.solution.assignment["facility"]).all()
    # [save-end]
    show("files", f"{files}\nsolution.csv read back, same centres: {bool(same)}")
    # [progress]
    events = []
    bh.run_plan(p=5, score=False, progress=events.append)
    steps = [(e.key, round(e.seconds, 2)) for e in events if e.kind == "done"]
    # [progress-end]
    show("progress", [key for key, _ in steps])
    # [missing]
    skipped = result.manifest["scoring"]["skipped"]  # default "auto": sparse criteria left out
    notes = []
    bh.run_plan(
        solve=False,
        nan_policy="worst",  # keep them: the places without a figure get the worst value
        progress=lambda e: notes.append(e.message) if e.kind == "note" else None,
    )
    # [missing-end]
    show("missing", f"{skipped}\nwith nan_policy='worst': {notes[0][:150]} ...")
    # [crossborder]
    cross = bh.run_plan(model="crossborder", p=10, share=0.05, modes={"air": {"rate": 0.4}})
    gateways = cross.gateway_loads[["name", "mode", "flow", "share"]].head(6)
    # [crossborder-end]
    show("crossborder", f"{cross!r}\n{gateways.round(3).to_string()}")
    # [robustness]
    robust = bh.run_plan(p=12, required_tiers="CORE", robustness=40, seed=0, score=False)
    frequency = robust.robustness.to_frame()[["name", "frequency", "nominal"]].head(14)
    # [robustness-end]
    show("robustness", frequency.round(3).to_string())
    for name, text in shown.items():
        (out / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    assert same and covered > 0 and "report.html" in files and "airport_cargo" in skipped
    assert "lack a criterion value" in notes[0]


if __name__ == "__main__":
    main()
