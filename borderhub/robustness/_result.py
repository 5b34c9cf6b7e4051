"""The result of :func:`borderhub.robustness.robustness`: :class:`RobustnessResult`."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from borderhub.exceptions import SpecificationError
from borderhub.robustness._draws import Problem, draw

__all__ = ["RobustnessResult"]


@dataclass
class RobustnessResult:
    """How often each candidate is chosen across plausible demand: :func:`robustness`.

    Attributes
    ----------
    selection : pandas.DataFrame
        One row per candidate (index: candidate label), most often chosen first:
        ``frequency`` (share of the successful draws whose optimal set contains it),
        ``count``, ``nominal`` (in the plan of the nominal weights), ``required`` (forced
        open), and the candidates' ``name``, ``plan_name``, ``province`` and ``tiers`` where
        known.
    sets : pandas.DataFrame
        One row per distinct optimal set (``open``: labels joined by ``";"``), most frequent
        first: ``count``, ``frequency``, ``nominal`` (the nominal plan's set).
    draws : pandas.DataFrame
        One row per draw (index ``draw``): ``status``, ``objective``, ``nominal_cost`` (the
        nominal plan's objective under the draw's weights), ``regret`` (how much worse the
        nominal plan is than the draw's optimum, >= 0 up to the solver's gap),
        ``relative_regret`` (regret / optimum), ``open``, ``seconds``, ``by_lp`` (solved by
        the warm-started LP relaxation) and ``error`` (empty unless the draw failed).
    nominal : Solution
        The solution with the nominal weights.
    spreads : pandas.Series
        The relative uncertainty (standard deviation of the log weight) of each demand
        weight, with ``spread_sources`` saying where each came from.
    spread_sources : pandas.Series
        ``"spread="`` (given by the caller), the data column, ``"method: ..."``
        (:data:`DEFAULT_SPREADS`) or the estimated flag.
    seed, n, correlation, groups, model, batch_size, warm_start, elapsed
        The call's settings (``groups`` is the demand label -> group Series of the
        correlated shocks, from ``shock_groups=``, or None) and the wall-clock seconds of
        the draws.
    maximise : bool
        True when the model maximises (coverage): regret is then optimum minus nominal.
    complete : bool
        False when the executor failed (e.g. every Dask worker was lost) before all ``n``
        draws were done: ``draws`` and the frequencies then hold the draws that were.
    cause : str
        Why the run is incomplete (empty when complete).

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub import robustness
    >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]],
    ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
    >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=20,
    ...                  spread=0.1, progress=False)
    >>> res.selection[["frequency", "count", "nominal"]]
               frequency  count  nominal
    candidate
    a                1.0     20     True
    b                0.0      0    False
    >>> res.draws[["status", "regret", "open"]].head(2)
           status  regret open
    draw
    0     optimal     0.0    a
    1     optimal     0.0    a
    """

    selection: pd.DataFrame
    sets: pd.DataFrame
    draws: pd.DataFrame
    nominal: Any
    spreads: pd.Series
    spread_sources: pd.Series
    seed: int
    n: int
    correlation: float
    groups: pd.Series | None
    model: str
    batch_size: int
    warm_start: bool
    elapsed: float
    maximise: bool
    complete: bool = True
    cause: str = ""
    _problem: Problem | None = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The per-candidate table (a copy of :attr:`selection`).

        Returns
        -------
        pandas.DataFrame
            ``frequency``, ``count``, ``nominal``, ``required`` and the candidate columns.

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.robustness import robustness
        >>> cost = pd.DataFrame([[0.0, 4.0], [4.0, 0.0], [2.0, 2.5]],
        ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=50,
        ...                  spread=0.5, progress=False)
        >>> list(res.to_frame().columns[:4])
        ['frequency', 'count', 'nominal', 'required']
        """
        return self.selection.copy()

    def stable(self, threshold: float = 0.9) -> pd.Index:
        """Candidates chosen in at least ``threshold`` of the successful draws.

        Parameters
        ----------
        threshold : float, default 0.9
            Share of draws, in (0, 1].

        Returns
        -------
        pandas.Index
            Their labels, most often chosen first.

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.robustness import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]],
        ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=20,
        ...                  spread=0.1, progress=False)
        >>> list(res.stable(0.9))
        ['a']
        """
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
            raise SpecificationError(f"threshold must be a number in (0, 1], got {threshold!r}")
        if not 0 < float(threshold) <= 1:
            raise SpecificationError(f"threshold must be in (0, 1], got {threshold!r}")
        chosen = self.selection["frequency"] >= float(threshold) - 1e-12
        return self.selection.index[chosen]

    def summary(self) -> str:
        """A few lines: draws, failures, stable places, the regret of the nominal plan.

        Returns
        -------
        str

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.robustness import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]],
        ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=20,
        ...                  spread=0.1, progress=False)
        >>> print(res.summary().splitlines()[0])
        robustness of pmedian: 20 draws (seed 0), 20 solved, 0 failed
        """
        ok = self.draws["error"].eq("")
        rr = self.draws.loc[ok, "relative_regret"]
        lines = [
            f"robustness of {self.model}: {self.n} draws (seed {self.seed}), "
            f"{int(ok.sum())} solved, {int((~ok).sum())} failed"
            + ("" if self.complete else f", {self.n - len(self.draws)} not run: {self.cause}"),
            f"chosen in >= 90 % of draws: {', '.join(map(str, self.stable(0.9))) or 'none'}",
            f"distinct optimal sets: {len(self.sets)}; the nominal set's share: "
            f"{float(self.sets.loc[self.sets['nominal'], 'frequency'].sum()):.1%}",
        ]
        if len(rr):
            lines.append(
                f"nominal plan's relative regret: median {rr.median():.2%}, "
                f"95th percentile {rr.quantile(0.95):.2%}, max {rr.max():.2%}"
            )
        return "\n".join(lines)

    def manifest(self) -> dict[str, Any]:
        """What a run manifest should record to reproduce the draws (JSON-ready).

        Returns
        -------
        dict
            ``model``, ``n``, ``seed``, ``seeding`` (how draw *k* is seeded),
            ``distribution``, ``correlation``, ``batch_size``, ``warm_start``, ``spreads``
            ({demand label: spread}), ``spread_sources`` ({source: number of units}),
            ``n_solved``, ``n_failed``, ``failed`` ([{draw, seed, error}]), ``complete``,
            ``cause`` (why not, or "") and ``elapsed_s``.

        Examples
        --------
        >>> import json
        >>> import pandas as pd
        >>> from borderhub.robustness import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0]], index=["d1", "d2"],
        ...                     columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[2.0, 1.0], p=1, n=5,
        ...                  spread={"d1": 0.1, "d2": 0.2}, seed=7, progress=False)
        >>> m = res.manifest()
        >>> m["seed"], m["n"], m["spreads"]
        (7, 5, {'d1': 0.1, 'd2': 0.2})
        >>> _ = json.dumps(m)
        """
        failed = self.draws[self.draws["error"].ne("")]
        return {
            "model": self.model,
            "n": int(self.n),
            "seed": int(self.seed),
            "seeding": "draw k uses numpy.random.default_rng([seed, k])",
            "distribution": "lognormal: weight * exp(spread * z), z ~ N(0, 1)",
            "correlation": float(self.correlation),
            "batch_size": int(self.batch_size),
            "warm_start": bool(self.warm_start),
            "spreads": {str(k): float(v) for k, v in self.spreads.items()},
            "spread_sources": {
                str(k): int(v) for k, v in self.spread_sources.value_counts().items()
            },
            "n_solved": int(len(self.draws) - len(failed)),
            "n_failed": int(len(failed)),
            "failed": [
                {"draw": int(k), "seed": [int(self.seed), int(k)], "error": str(e)}
                for k, e in zip(failed.index.tolist(), failed["error"].tolist(), strict=True)
            ],
            "complete": bool(self.complete),
            "cause": str(self.cause),
            "elapsed_s": round(float(self.elapsed), 3),
        }

    def draw_weights(self, k: int) -> pd.Series:
        """The demand weights of draw ``k`` (reproduced from the seed).

        Parameters
        ----------
        k : int
            Draw number, 0 .. n-1.

        Returns
        -------
        pandas.Series
            Indexed by the demand labels.

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.robustness import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0]], index=["d1", "d2"],
        ...                     columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[2.0, 1.0], p=1, n=3, spread=0.0,
        ...                  progress=False)
        >>> res.draw_weights(2).tolist()
        [2.0, 1.0]
        """
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 0 <= k < self.n:
            raise SpecificationError(f"k must be a draw number in 0..{self.n - 1}, got {k!r}")
        if self._problem is None:  # pragma: no cover - always set by robustness()
            raise SpecificationError("this result carries no draw data")
        return pd.Series(draw(self._problem, int(k)), index=self._problem.labels, name="weight")

    def plot(self, names: Any = "plan_name", threshold: float = 0.9) -> Any:
        """Selection frequency per candidate and the regret distribution, side by side.

        Parameters
        ----------
        names, threshold
            As in :func:`borderhub.plots.plot_robustness`.

        Returns
        -------
        matplotlib.figure.Figure

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.robustness import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]],
        ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=20,
        ...                  spread=0.3, progress=False)
        >>> len(res.plot().axes)
        2
        """
        from borderhub.plots import plot_robustness

        return plot_robustness(self, names=names, threshold=threshold)
