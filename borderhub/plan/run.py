"""The run of a plan: :func:`run_plan` loads, scores, solves and computes every analysis.

What the result shows is computed here, once: the scores, the solution, the robustness
counts (``robustness=N``) and, with ``plots=True``, the cost curve over p and the rank
stability of the scores. :class:`~borderhub.plan.PlanResult` holds them;
:meth:`~borderhub.plan.PlanResult.save` only writes them. This module never imports the
command line.

Examples
--------
>>> from borderhub.plan import run_plan
>>> result = run_plan(p=6, required_tiers="RAIL")
>>> result.solution.status, len(result.centres), int(result.centres["required"].sum())
('optimal', 6, 5)
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from typing import Any

from borderhub._interrupt import Interrupted, graceful_interrupts, interrupt_requested
from borderhub._native import native_stdout_elsewhere
from borderhub.exceptions import MissingDataWarning, SpecificationError
from borderhub.locate import P_MODELS, model_class
from borderhub.plan.config import PlanConfig, PlanOptionError
from borderhub.plan.inputs import Inputs, load_inputs
from borderhub.plan.progress import PlanEvent, Steps, one_line
from borderhub.plan.result import PlanResult
from borderhub.plan.score import Scored, score_candidates
from borderhub.plan.solve import Solved

__all__ = ["run_plan", "PlanEvent"]

#: The rank stability a plan computes: weight draws, their log-normal spread and the seed.
RANK_STABILITY: dict[str, Any] = {"n": 1000, "spread": 0.2, "seed": 0}


def run_plan(
    candidates: Any = None,
    demand: Any = None,
    *,
    config: PlanConfig | None = None,
    progress: Callable[[PlanEvent], Any] | None = None,
    **options: Any,
) -> PlanResult:
    """Run the main job: score the candidates and choose centres, as ``borderhub plan``.

    Parameters
    ----------
    candidates, demand : str, pathlib.Path or geopandas.GeoDataFrame, optional
        The candidate sites and demand units: a file (read by
        :func:`borderhub.io.read_points`) or a GeoDataFrame (any CRS; polygons by their
        representative point). Default: :func:`borderhub.datasets.candidates` and
        :func:`borderhub.datasets.prefectures`. Candidates without a ``tiers`` column get
        their 专栏4 tiers looked up by label or name.
    config : PlanConfig, optional
        The options; default ``PlanConfig()``.
    progress : callable, optional
        Called with a :class:`~borderhub.plan.PlanEvent` when a step starts, ends, or
        something is noted.
    **options
        Fields of :class:`PlanConfig`, overriding those of ``config``. With ``plots=True``
        a full plan also computes what its figures show -- the cost against the number of
        centres (:func:`borderhub.p_sweep`) and the rank stability of the scores
        (:func:`borderhub.rank_stability`) -- kept in :attr:`PlanResult.extras` for
        :meth:`PlanResult.save` to draw.

    Returns
    -------
    PlanResult
        Scores, solution, centres, assignments, manifest; maps and files on request. A
        model without a solution (infeasible, time limit) is returned too: check
        ``result.solution.has_solution``.

    Raises
    ------
    PlanOptionError
        An option does not fit (also for an unknown option name).
    DataError
        Unreadable files, bad coordinates or weights, no computable criterion.
    SpecificationError, SolverError
        The model cannot be built (e.g. ``p`` above the number of candidates) or solved.

    Examples
    --------
    >>> from borderhub import run_plan
    >>> result = run_plan(model="pcenter", p=3, provinces=["广东"])
    >>> len(result.assignments), result.solution.status
    (21, 'optimal')
    >>> result.manifest["model"]["name"], result.manifest["data"]["demand"]
    ('pcenter', 21)
    """
    if config is None:
        config = PlanConfig()
    elif not isinstance(config, PlanConfig):
        raise PlanOptionError(f"config must be a PlanConfig, got {type(config).__name__}")
    if options:
        names = {f.name for f in fields(PlanConfig)}
        unknown = sorted(set(options) - names)
        if unknown:
            raise PlanOptionError(f"unknown options {unknown}; the options are {sorted(names)}")
        config = replace(config, **options)
    steps = Steps(progress)
    start = time.perf_counter()
    inputs = load_inputs(candidates, demand, config, steps)
    if config.solution_file is not None or config.scores_file is not None:
        from borderhub.io import read_scores, read_solution

        if config.solution_file is not None:
            drawn = read_solution(config.solution_file, candidates=inputs.candidates)
            drawn = drawn[["facility", "cost", "weight"]].dropna(subset=["facility"])
            inputs.drawn_solution = drawn
        if config.scores_file is not None:
            inputs.drawn_scores = read_scores(config.scores_file)
    scored = score_candidates(inputs, config, steps) if config.score else None
    cost = None
    solved = None
    if config.solve:
        from borderhub.io import check_memory
        from borderhub.routes import network_km

        check_memory(len(inputs.demand), len(inputs.candidates))  # before the matrix is built
        with steps.step("distances", f"computing {config.distance} distances"):
            cost = network_km(inputs.demand, inputs.candidates, config.distance)
        if cost.attrs.get("fallback_pairs"):
            steps.note(
                f"{cost.attrs['fallback_pairs']} of {cost.size} demand-candidate pairs have no "
                f"{config.distance} path (an island, or a point off the network): their "
                "geodesic distance stands in"
            )
    extras: dict[str, Any] = {}
    with graceful_interrupts():  # Ctrl-C: the best plan found so far, no further analyses
        solved = Solved.run(inputs, config, steps, cost) if cost is not None else None
        try:
            if config.robustness and solved is not None and solved.solution.has_solution:
                extras["robustness"] = _robustness(inputs, config, steps, cost, solved)
            if (
                config.plots
                and solved is not None
                and scored is not None
                and solved.solution.has_solution
            ):
                extras.update(_analyses(inputs, config, steps, cost, scored, solved))
        except Interrupted:  # the robustness draws end at the first report after Ctrl-C
            pass
        interrupted = interrupt_requested()
    if interrupted:
        extras = {}
        cut = solved is not None and solved.solution.interrupted
        kept = "the best solution found so far" if cut else "the solved plan"
        steps.note(f"interrupted (Ctrl-C): {kept} is kept, robustness and figures left out")
    return PlanResult(
        config=config,
        inputs=inputs,
        scored=scored,
        solved=solved,
        cost=cost,
        steps=steps,
        started=start,
        extras=extras,
        interrupted=interrupted,
    )


@contextmanager
def _executor(config: PlanConfig) -> Iterator[Any]:
    """A Dask client for the robustness draws (closed afterwards), or None to run here."""
    if config.workers is None and config.scheduler is None:
        yield None
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise SpecificationError(
            "robustness on workers or a scheduler needs Dask: pip install "
            "'borderhub[dask]' (dask[distributed]), or drop workers/scheduler to run the "
            "draws here"
        ) from None
    if config.scheduler is not None:
        try:
            client = Client(config.scheduler, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise SpecificationError(
                f"cannot reach the Dask scheduler {config.scheduler!r}: {one_line(str(err))}; "
                "check the address (e.g. tcp://host:8786)"
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=config.workers, processes=True, threads_per_worker=1, dashboard_address=None
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _robustness(inputs: Inputs, config: PlanConfig, steps: Steps, cost: Any, solved: Solved) -> Any:
    """How often each candidate is chosen over plausible demand (borderhub.robustness)."""
    from borderhub.robustness import robustness

    n = int(config.robustness or 0)
    where = (
        f" on {config.workers} local Dask workers"
        if config.workers
        else f" on {config.scheduler}"
        if config.scheduler
        else ""
    )

    def report(done: int, total: int) -> None:
        if interrupt_requested():
            raise Interrupted  # the draws so far are dropped with the other analyses
        if steps.progress is not None:
            message = f"robustness: {done} of {total} draws solved"
            steps.progress(PlanEvent("progress", "robustness", message, 0.0))

    model, demand, data = solved.robustness_inputs(inputs, config, cost)
    with _executor(config) as client:
        with steps.step("robustness", f"robustness: {n} demand draws{where}"):
            with native_stdout_elsewhere():
                return robustness(
                    model,
                    demand,
                    inputs.candidates,
                    n=n,
                    seed=config.seed,
                    spread=config.spread,
                    executor=client,
                    progress=report,
                    solver=config.solver,
                    time_limit=config.time_limit,
                    mip_gap=config.mip_gap,
                    **data,
                )


def _analyses(
    inputs: Inputs, config: PlanConfig, steps: Steps, cost: Any, scored: Scored, solved: Solved
) -> dict[str, Any]:
    """What the figures of a full plan show: rank stability and the cost curve over p."""
    from borderhub import scenarios, scoring

    out: dict[str, Any] = {}
    with (
        steps.step("rank_stability", "rank stability of the scores (1,000 weight draws)"),
        warnings.catch_warnings(),
    ):
        # the gaps were filled and reported when scoring (a note, the manifest)
        warnings.simplefilter("ignore", MissingDataWarning)
        table = scoring.rank_stability(
            scored.raw,
            scored.directions,
            weights=scored.weights,
            method=scored.method,
            n=RANK_STABILITY["n"],
            spread=RANK_STABILITY["spread"],
            seed=RANK_STABILITY["seed"],
            nan_policy=config.nan_policy,
        )
        out["rank_stability"] = {"table": table, **RANK_STABILITY}
    if not solved.cost_curve:
        return out
    # the cost curve of a model with a plain p; that of the p-median for the others
    own = config.model in P_MODELS
    kind = config.model_class() if own else model_class("pmedian")
    n_cand = len(inputs.candidates)
    p_now = int(solved.params.get("p", max(1, len(solved.solution.open))))
    top = int(min(n_cand, max(2 * p_now, p_now + 5, 10)))
    p_values = list(range(max(1, len(solved.required)), top + 1))
    with steps.step("cost_curve", f"cost against p = {p_values[0]}..{p_values[-1]}"):
        extra = solved.policy_terms(config)
        if own:
            extra.update({k: v for k, v in solved.params.items() if k != "p"})
        table = scenarios.p_sweep(
            cost=cost,
            weights=inputs.demand[inputs.weight] if inputs.weight else None,
            p=p_values,
            model=kind.name,
            solver=config.solver,
            time_limit=config.time_limit,
            progress=False,
            **extra,
        )
    unit = f"{inputs.weight} x km" if inputs.weight else "km"
    out["cost_curve"] = {
        "table": table,
        "model": kind.name,
        "title": kind.title,
        "ylabel": kind.cost_label.format(unit=unit, **extra),
        "mark": p_now,
        "p": p_values,
    }
    return out
