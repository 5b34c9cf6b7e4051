"""The options of a plan: :class:`PlanConfig`, validated from the models' declarations.

Which model parameters a plan takes (``p``, ``radius``, ``fixed_cost``), their types,
intervals and defaults, and which further options apply to which model, are read from the
model classes (:func:`borderhub.locate.registered`, each class's ``parameters`` and
``plan_options``); the plan's own numeric options are declared once in :data:`OPTIONS`,
which the command line reads too. This module imports nothing heavy.

Examples
--------
>>> from borderhub.plan.config import PlanConfig
>>> PlanConfig(model="mclp", radius=300).params()
{'p': 10, 'radius': 300.0}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from borderhub.exceptions import SpecificationError
from borderhub.locate._registry import CENTRES, Param, registered

__all__ = ["PlanConfig", "PlanOptionError", "OPTIONS", "CHOICES", "DEFAULT_P"]

#: Number of centres when ``p`` is not given (the plan names 10 CORE places).
DEFAULT_P: int = CENTRES.default


class PlanOptionError(SpecificationError):
    """An option of a plan that does not fit the other options or the data.

    The command line reports it as a usage error (exit status 2).

    Examples
    --------
    >>> from borderhub.plan.config import PlanConfig, PlanOptionError
    >>> try:
    ...     PlanConfig(model="lscp")
    ... except PlanOptionError as err:
    ...     print(err)
    model 'lscp' needs radius (coverage radius in km)
    """


#: The plan's own numeric options: type, interval, default, help (the command line's flags
#: are made from them; the model parameters are declared by the models).
OPTIONS: dict[str, Param] = {
    "gateway_weight": Param(float, low=0, default=0.0, metavar="W", help="add W x (mean km "
                            "from the centre to the RCEP partner hubs) to the cost of serving "
                            "each unit of weight"),
    "time_limit": Param(float, low=0, closed="right", metavar="SECONDS",
                        help="stop the solver after"),
    "mip_gap": Param(float, low=0, high=1, metavar="GAP", help="stop at this relative MIP gap"),
    "share": Param(float, low=0, high=1, closed="right", metavar="S", help="international "
                   "share of express volume, in (0, 1] (default: the sourced national share "
                   "of 2025)"),
    "tilt": Param(float, low=0, closed="right", default=1.0, metavar="T", help="relative "
                  "international propensity of cross-border e-commerce pilot-zone origins"),
    "robustness": Param(int, low=1, metavar="N", help="number of draws"),
    "workers": Param(int, low=1, metavar="K", help="on a local Dask cluster of K worker "
                     "processes"),
    "seed": Param(int, low=0, default=0, metavar="S", help="seed"),
    "spread": Param(float, low=0, metavar="X", help="relative uncertainty of every weight "
                    "(default: the data's own)"),
}  # fmt: skip
_MODE_COST = Param(float, low=0)

#: The options with a closed set of values (the first is the default).
CHOICES: dict[str, tuple[str, ...]] = {
    "method": ("topsis", "weighted_sum", "vikor"),
    "weights": ("default", "equal", "entropy"),
    "nan_policy": ("auto", "worst", "raise"),
    "tiles": ("auto", "osm", "amap", "cartodb-positron", "none"),
    "lang": ("zh", "en"),
    "coordinates": ("wgs84", "gcj02", "bd09"),
    "distance": ("geodesic", "road", "rail"),
    "volume_unit": ("亿件", "万件", "件"),
}
#: Options of CHOICES that may be left unstated (None).
_OPTIONAL_CHOICES = ("coordinates", "volume_unit", "lang")
_TEXT_OPTIONS = (
    "weight_column",
    "id_column",
    "lon_column",
    "lat_column",
    "title",
    "solution_file",
    "scores_file",
)


@dataclass(frozen=True)
class PlanConfig:
    """Every option of ``borderhub plan``, validated when made.

    Fields have the command line's defaults; :func:`run_plan` takes them as keyword
    arguments too. Use :func:`dataclasses.replace` for a variant.

    Attributes
    ----------
    model : str, default "pmedian"
        A short name of :data:`borderhub.locate.MODELS`: ``pmedian``, ``pcenter``, ``mclp``,
        ``lscp``, ``fixed``, ``crossborder`` (international express routed per origin
        and partner through the centres and their gateways,
        :func:`borderhub.locate.solve_crossborder`) or a model added with
        :func:`borderhub.locate.register`. Which of ``p``, ``radius`` and ``fixed_cost``
        apply, their types, intervals and defaults, are the model's declaration
        (its ``parameters``); so are the options that apply only to some models
        (``gateway_weight``; ``share``, ``split``, ``tilt``, ``modes``).
    p : int, optional
        Number of centres for ``pmedian``, ``pcenter``, ``mclp`` and ``crossborder``
        (default 10).
    radius : float, optional
        Coverage radius in km for ``mclp`` and ``lscp`` (required there).
    fixed_cost : float or str, optional
        Opening cost for ``fixed`` (required there) or ``crossborder`` (instead of ``p``):
        a number or a column of the candidates.
    required_tiers : tuple of Tier
        Every candidate of these 专栏4 tiers must open (anything
        :func:`borderhub.policy.as_tiers` reads; PORT: the coastal candidates).
    gateway_weight : float, default 0
        Adds this times the mean km from a centre to the RCEP partner hubs to the cost of
        serving one unit of weight.
    solver : str, default "highs"
        ``highs``, ``cbc`` or another PuLP solver name.
    time_limit, mip_gap : float, optional
        Solver limits (seconds; relative gap in [0, 1]).
    weight_column : str, optional
        Demand weight column (default ``express_volume``, else ``population``, else 1).
    id_column, lon_column, lat_column : str, optional
        Columns of the caller's files (see :func:`borderhub.io.read_points`).
    coordinates : {"wgs84", "gcj02", "bd09"}, optional
        Datum of the coordinates in the caller's CSV files (default WGS84; a combined
        ``location`` column read without a stated datum is warned about, since Amap and
        Tencent give GCJ-02 there).
    volume_unit : {"亿件", "万件", "件"}, optional
        Unit of the express volumes in the caller's candidates and demand whose header
        states none (``快递业务量(万件)`` states one); converted to the library's 亿件
        (:mod:`borderhub.plan.schema`).
    provinces : tuple of str
        Restrict demand units and candidates to these provinces (``广东`` or ``广东省``).
    criteria : str, mapping or sequence of Criterion, optional
        The criteria and weights to score with (default
        :func:`borderhub.scoring.default_criteria`): a CSV file (``criterion,weight``,
        ``指标,权重``; a criterion of your own adds ``direction`` and ``column``), a
        mapping ``{name: weight}`` or weighted :class:`~borderhub.scoring.Criterion`
        objects (:func:`borderhub.plan.criteria.study_criteria`). A criterion named here
        that the candidates cannot feed is an error before anything is solved; a default
        criterion they cannot feed is left out with a warning naming the column that would
        enable it.
    method : {"topsis", "weighted_sum", "vikor"}, default "topsis"
        Scoring method.
    weights : {"default", "equal", "entropy"}, default "default"
        Criterion weights.
    nan_policy : {"auto", "worst", "raise"}, default "auto"
        Missing criterion values (e.g. a place without a published airport-cargo figure),
        as in :func:`borderhub.score`: ``"auto"`` leaves out a criterion sourced for fewer
        than half of the candidates (reported with the skipped criteria, and in the
        manifest's ``scoring.skipped``) and gives the remaining missing values the
        criterion's worst observed value; ``"worst"`` fills every criterion that way;
        ``"raise"`` makes them an error. The places affected are reported as a progress
        note and in the manifest (``scoring.missing``).
    tiles : {"auto", "osm", "amap", "cartodb-positron", "none"}, default "auto"
        Basemap of the corridor map: ``"auto"`` and ``"none"`` draw the offline vector
        basemap of China's boundaries (the saved map needs no network); the tile services
        need one when the page is opened.
    lang : {"zh", "en"}, optional
        Language of the maps, the report's sections, table headings and assumptions, and
        the default title. Default: Chinese for a study whose own tables have Chinese
        headers; otherwise Chinese map labels and an English report.
    title : str, optional
        Title of the maps and the report (default ``"borderhub: <model> plan"``, or in
        Chinese the region and the model).
    extent : "china", "content" or (lon_min, lat_min, lon_max, lat_max), optional
        The view of the maps and the print map (also ``"lon_min,lat_min,lon_max,lat_max"``).
        Default: the outline of the ``provinces`` of a study restricted to some, else all
        of China.
    share : float, optional
        ``crossborder``: international share of express volume, in (0, 1] (default: the
        sourced national share, :func:`borderhub.international_demand`).
    split : str or pandas.Series, default "exports"
        ``crossborder``: how each origin's international express divides over the partner
        hubs: ``"exports"`` (China's exports by partner country, sourced), ``"equal"``, a
        CSV file with ``partner`` and ``share`` columns
        (:func:`borderhub.io.read_partner_split`; partner labels or ISO3 codes of the
        partner table), or a Series partner label -> share.
    partners : str or pandas.DataFrame, optional
        ``crossborder``: the study's own partner hubs, a CSV file
        (:func:`borderhub.routes.read_partners`: ``partner``, ``iso3``, ``lon``, ``lat``)
        or a DataFrame like :func:`borderhub.datasets.partners` (default: that table).
    gateways : str or pandas.DataFrame, optional
        ``crossborder``: the study's own gateways, a CSV file
        (:func:`borderhub.routes.read_gateways`) or a DataFrame like
        :func:`borderhub.flows.gateways` (default: built from the candidates and the
        border ports; from the infrastructure when ``distance`` is a network).
    tilt : float, default 1
        ``crossborder``: relative international propensity of origins hosting a
        cross-border e-commerce pilot zone (1: none).
    modes : mapping or str, optional
        ``crossborder``: overrides of the mode cost parameters
        (:data:`borderhub.locate.DEFAULT_MODES`), as ``{"air": {"rate": 0.4}, "sea":
        None}`` or the command line's ``"air.rate=0.4,sea=off"`` (``off`` switches a mode
        off).
    distance : {"geodesic", "road", "rail"}, default "geodesic"
        How every distance of the plan is measured: the domestic leg from each demand unit
        to its centre, the distance criteria of the scoring (border ports, RCEP partners)
        and every leg of the cross-border costs (:func:`borderhub.routes.network_km`).
        ``"road"`` and ``"rail"`` follow the OpenStreetMap networks of
        :mod:`borderhub.network` and need the optional extra ``network``; with them the
        cross-border gateways come from the infrastructure
        (:func:`borderhub.flows.gateways`, ``infrastructure=True``).
    robustness : int, optional
        Also count how often each candidate is chosen over this many plausible demand
        draws (:func:`borderhub.robustness`); for ``crossborder`` the origin-partner
        flows are drawn, those of one origin with one shock (its volume's uncertainty).
    seed : int, default 0
        Seed of the robustness draws.
    spread : float, optional
        Relative uncertainty of every demand weight in the robustness draws (default:
        the data's own, ``express_volume_spread``).
    workers : int, optional
        Run the robustness draws on a local Dask cluster of this many worker processes
        (needs ``dask[distributed]``).
    scheduler : str, optional
        Run the robustness draws on the Dask cluster of this scheduler address (e.g.
        ``tcp://10.0.0.5:8786``); not together with ``workers``.
    score, solve : bool, default True
        Which parts to run (``borderhub score`` and ``borderhub solve`` run one of them).
    plots : bool, default False
        Also compute what the figures of a full plan show -- the cost against the number
        of centres and the rank stability of the scores -- so that
        :meth:`~borderhub.PlanResult.save` draws the PNG figures (``--plots``).
    solution_file, scores_file : str, optional
        A ``solution.csv`` and a ``scores.csv`` written earlier, drawn on the map of a run
        that does not solve or score itself (``borderhub map``).
    figures : str, pathlib.Path or pandas.DataFrame, optional
        The researcher's own figures (official city volumes, airport cargo ...; the
        columns of :mod:`borderhub.figures`) put into the candidates and demand in place
        of the bundled values, the estimates refitted around them
        (:func:`borderhub.figures.apply_to_study`); the manifest and the report name every
        figure and its source (``--figures FILE``).
    strict_places : bool, default False
        Make the check of the caller's candidates and demand an error: places outside
        China and its border zone, or with longitude and latitude swapped
        (:func:`borderhub.io.check_places`), otherwise reported as a note or
        :class:`~borderhub.exceptions.DataWarning`.

    Examples
    --------
    >>> from borderhub import PlanConfig
    >>> config = PlanConfig(model="mclp", p=8, radius=500, required_tiers="core,rail")
    >>> config.params(), [t.name for t in config.required_tiers]
    ({'p': 8, 'radius': 500.0}, ['CORE', 'RAIL'])
    >>> PlanConfig(p=0)
    Traceback (most recent call last):
    ...
    borderhub.plan.config.PlanOptionError: p must be a positive whole number, got 0; pass ...
    """

    model: str = "pmedian"
    p: int | None = None
    radius: float | None = None
    fixed_cost: float | str | None = None
    required_tiers: Any = ()
    gateway_weight: float = 0.0
    solver: str = "highs"
    time_limit: float | None = None
    mip_gap: float | None = None
    weight_column: str | None = None
    id_column: str | None = None
    lon_column: str | None = None
    lat_column: str | None = None
    coordinates: str | None = None
    volume_unit: str | None = None
    provinces: Any = ()
    criteria: Any = None
    method: str = "topsis"
    weights: str = "default"
    nan_policy: str = "auto"
    tiles: str = "auto"
    lang: str | None = None
    title: str | None = None
    extent: Any = None
    share: float | None = None
    split: Any = "exports"
    tilt: float = 1.0
    modes: Any = None
    partners: Any = None
    gateways: Any = None
    distance: str = "geodesic"
    robustness: int | None = None
    seed: int = 0
    spread: float | None = None
    workers: int | None = None
    scheduler: str | None = None
    score: bool = True
    solve: bool = True
    plots: bool = False
    solution_file: str | None = None
    scores_file: str | None = None
    figures: Any = None
    strict_places: bool = False

    def __post_init__(self) -> None:
        from borderhub.policy import as_tiers

        def put(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        models = registered()
        if self.model not in models:
            raise PlanOptionError(f"model must be one of {list(models)}, got {self.model!r}")
        for name, allowed in CHOICES.items():
            if name in _OPTIONAL_CHOICES and getattr(self, name) is None:
                continue
            if getattr(self, name) not in allowed:
                raise PlanOptionError(
                    f"{name} must be one of {list(allowed)}, got {getattr(self, name)!r}"
                )
        self._check_model_options(put, models)
        for name, spec in OPTIONS.items():
            if getattr(self, name) is not None:
                put(name, spec.check(getattr(self, name), name, error=PlanOptionError, text=True))
        try:
            tiers = as_tiers(self.required_tiers, argument="required_tiers")
        except SpecificationError as err:
            raise PlanOptionError(str(err)) from None
        put("required_tiers", tuple(tiers))
        for name in ("score", "solve", "plots", "strict_places"):
            if not isinstance(getattr(self, name), bool):
                raise PlanOptionError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if not isinstance(self.solver, str) or not self.solver.strip():
            raise PlanOptionError(f"solver must be a solver name, got {self.solver!r}")
        for name in _TEXT_OPTIONS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise PlanOptionError(f"{name} must be a string, got {value!r}")
        if (self.lon_column is None) != (self.lat_column is None):
            raise PlanOptionError("lon_column and lat_column go together; give both or neither")
        provinces = self.provinces
        if isinstance(provinces, str):
            provinces = [p for p in provinces.split(",") if p.strip()]
        try:
            provinces = tuple(str(p).strip() for p in (provinces or ()))
        except TypeError:
            raise PlanOptionError(
                f"provinces must be a list of province names, got {self.provinces!r}"
            ) from None
        put("provinces", provinces)
        if not _table_or_text(self.split, "Series") or (
            isinstance(self.split, str) and not self.split.strip()
        ):
            raise PlanOptionError(
                f"split must be 'exports', 'equal', a CSV file or a pandas Series partner -> "
                f"share, got {self.split!r}"
            )
        for name in ("partners", "gateways"):
            if getattr(self, name) is not None and not _table_or_text(getattr(self, name)):
                raise PlanOptionError(
                    f"{name} must be a CSV file or a DataFrame, got {getattr(self, name)!r}"
                )
        if self.modes is not None:
            put("modes", _mode_options(self.modes))
        if self.figures is not None and not isinstance(self.figures, str | Path | pd.DataFrame):
            raise PlanOptionError(
                f"figures must be a CSV file or a DataFrame, got {type(self.figures).__name__}"
            )
        if self.extent is not None:
            put("extent", _extent(self.extent))
        if isinstance(self.criteria, Path):
            put("criteria", str(self.criteria))
        if isinstance(self.criteria, str) and not self.criteria.strip():
            raise PlanOptionError("criteria must be a CSV file, a mapping or Criterion objects")
        self._check_robustness()
        if self.distance != "geodesic":
            from borderhub.routes import check_distance

            try:
                check_distance(self.distance)
            except SpecificationError as err:
                raise PlanOptionError(str(err)) from None

    def _check_model_options(self, put: Callable[[str, Any], None], models: dict) -> None:
        """The model's parameters and the options that apply to some models only."""
        cls = models[self.model]
        declared = cls.parameters
        defaults = {f.name: f.default for f in fields(self)}
        named = {name for c in models.values() for name in c.parameters}
        unknown = sorted(set(declared) - set(defaults))
        if unknown:
            raise PlanOptionError(
                f"model {self.model!r} declares parameters {unknown} that no plan option "
                "sets; declare only p, radius or fixed_cost for a plan"
            )
        for name in [n for n in defaults if n in named]:
            value, spec = getattr(self, name), declared.get(name)
            given_instead = [o for o in (spec.excludes if spec else ()) if getattr(self, o)
                             is not None]  # fmt: skip
            if value is None:
                if spec is not None and spec.required and not given_instead:
                    raise PlanOptionError(f"model {self.model!r} needs {name} ({spec.help})")
                continue
            if spec is None:
                users = ", ".join(m for m, c in models.items() if name in c.parameters)
                raise PlanOptionError(
                    f"{name} does not apply to model {self.model!r} (only to {users}); drop "
                    "it or choose one of those models"
                )
            if given_instead:
                raise PlanOptionError(
                    f"model {self.model!r} takes {name} or {given_instead[0]}, not both; drop one"
                )
            put(name, spec.check(value, name, error=PlanOptionError, text=True))
        scoped = {name for c in models.values() for name in c.plan_options}
        for name in [n for n in defaults if n in scoped and n not in cls.plan_options]:
            value = getattr(self, name)
            if hasattr(value, "shape") or value != defaults[name]:
                users = ", ".join(m for m, c in models.items() if name in c.plan_options)
                raise PlanOptionError(
                    f"{name} does not apply to model {self.model!r} (only to {users}); drop "
                    "it or choose one of those models"
                )

    def _check_robustness(self) -> None:
        if self.scheduler is not None and (
            not isinstance(self.scheduler, str) or not self.scheduler.strip()
        ):
            raise PlanOptionError(
                f"scheduler must be a Dask scheduler address, got {self.scheduler!r}"
            )
        if self.workers is not None and self.scheduler is not None:
            raise PlanOptionError(
                "workers and scheduler exclude each other: a local cluster of workers, or "
                "the cluster of a scheduler; give one"
            )
        extra = [n for n in ("workers", "scheduler", "spread") if getattr(self, n) is not None]
        if self.robustness is None and extra:
            raise PlanOptionError(
                f"{extra[0]} applies only with robustness (the number of demand draws); give it"
            )

    def model_class(self) -> Any:
        """The class of the plan's model (:func:`borderhub.locate.model_class`).

        Returns
        -------
        type
            E.g. :class:`~borderhub.locate.PMedian` for ``model="pmedian"``.

        Examples
        --------
        >>> from borderhub import PlanConfig
        >>> PlanConfig(model="pcenter").model_class().__name__
        'PCenter'
        """
        return registered()[self.model]

    def params(self) -> dict[str, Any]:
        """The model's own parameters (``p``, ``radius``, ``fixed_cost``) with defaults.

        Returns
        -------
        dict
            E.g. ``{"p": 10}`` for the default p-median.

        Examples
        --------
        >>> from borderhub import PlanConfig
        >>> PlanConfig().params()
        {'p': 10}
        """
        out: dict[str, Any] = {}
        for name, spec in self.model_class().parameters.items():
            value = getattr(self, name)
            if value is None and not any(getattr(self, o) is not None for o in spec.excludes):
                value = spec.default
            if value is not None:
                out[name] = value
        return out

    def options(self) -> dict[str, Any]:
        """The options as plain values (tiers by name), as the manifest records them.

        Returns
        -------
        dict
            Field name -> value, sorted by name.

        Examples
        --------
        >>> from borderhub import PlanConfig
        >>> PlanConfig(required_tiers="CORE").options()["required_tiers"]
        ['CORE']
        """
        out: dict[str, Any] = {}
        for f in sorted(fields(self), key=lambda f: f.name):
            if f.name in ("score", "solve", "plots") or (
                f.name in ("solution_file", "scores_file", "figures")
                and getattr(self, f.name) is None
            ):
                continue
            value = getattr(self, f.name)
            if f.name == "figures":
                value = (
                    str(value)
                    if isinstance(value, str | Path)
                    else f"<DataFrame of {len(value)} figures>"
                )
            if isinstance(value, tuple):
                value = [getattr(v, "name", v) for v in value] or None
            if f.name == "criteria" and value is not None and not isinstance(value, str):
                value = _criteria_text(value)
            if f.name == "coordinates" and value is None:
                value = "wgs84"
            if hasattr(value, "shape"):  # a table given in code: the manifest describes it
                value = f"user {type(value).__name__} ({len(value)} rows)"
            if f.name == "fixed_cost" and isinstance(value, float):
                value = _number_text(value)
            out[f.name] = value
        return out


def _mode_options(modes: Any) -> dict[str, Any]:
    """``modes`` as ``{mode: {"handling": x, "rate": y} or None}``, from a mapping or text."""
    from borderhub.locate.crossborder import DEFAULT_MODES

    if isinstance(modes, str):
        parsed: dict[str, Any] = {}
        for item in [t.strip() for t in modes.split(",") if t.strip()]:
            key, sep, value = item.partition("=")
            mode, _, param = key.strip().partition(".")
            if not sep or (not param and value.strip().lower() != "off"):
                raise PlanOptionError(
                    f"modes: cannot read {item!r}; write MODE.PARAM=NUMBER or MODE=off, e.g. "
                    "air.rate=0.4,sea=off"
                )
            if value.strip().lower() == "off" and not param:
                parsed[mode] = None
            else:
                entry = parsed.setdefault(mode, {})
                if entry is None:
                    raise PlanOptionError(f"modes: {mode!r} is switched off and also set")
                entry[param] = value.strip()
        modes = parsed
    if not hasattr(modes, "items"):
        raise PlanOptionError(
            f"modes must be a mapping mode -> {{'handling': ..., 'rate': ...}} or text like "
            f"'air.rate=0.4,sea=off', got {modes!r}"
        )
    out: dict[str, Any] = {}
    for mode, params in sorted(modes.items()):
        if mode not in DEFAULT_MODES:
            raise PlanOptionError(f"modes: unknown mode {mode!r}; modes are {list(DEFAULT_MODES)}")
        if params is None:
            if mode == "truck":
                raise PlanOptionError("modes: the domestic 'truck' leg cannot be switched off")
            out[mode] = None
            continue
        if not hasattr(params, "items"):
            raise PlanOptionError(f"modes[{mode!r}] must be a mapping, got {params!r}")
        entry = {}
        for key, value in sorted(params.items()):
            if key not in ("handling", "rate", "border") or (
                key == "border" and mode not in ("road", "rail")
            ):
                raise PlanOptionError(
                    f"modes: unknown parameter {mode}.{key}; use {mode}.handling and {mode}.rate"
                    " (and road.border, rail.border)"
                )
            name = f"modes {mode}.{key}"
            entry[key] = _MODE_COST.check(value, name, error=PlanOptionError, text=True)
        out[mode] = entry
    return out


def _table_or_text(value: Any, kind: str = "DataFrame") -> bool:
    """Whether ``value`` is text (a file name, a keyword) or a pandas table of that kind."""
    return isinstance(value, str) or type(value).__name__ in (kind, "GeoDataFrame")


def _extent(value: Any) -> Any:
    """``extent`` as "china", "content" or four floats (text "a,b,c,d" read too)."""
    import math

    if isinstance(value, str) and value.strip().lower() in ("china", "content"):
        return value.strip().lower()
    parts = value.replace("，", ",").split(",") if isinstance(value, str) else value
    try:
        box = tuple(float(v) for v in parts)
    except (TypeError, ValueError):
        box = ()
    if (
        len(box) != 4
        or not all(math.isfinite(v) for v in box)
        or not (-180 <= box[0] < box[2] <= 180 and -90 <= box[1] < box[3] <= 90)
    ):
        raise PlanOptionError(
            f"extent must be 'china', 'content' or lon_min,lat_min,lon_max,lat_max in "
            f"degrees (e.g. 111,38,135,54), got {value!r}"
        )
    return box


def _criteria_text(value: Any) -> Any:
    """The criteria option as the manifest records it: a file name, or names and weights."""
    if hasattr(value, "items"):
        return {str(k): (dict(v) if hasattr(v, "items") else v) for k, v in value.items()}
    return {getattr(c, "name", str(c)): getattr(c, "weight", None) for c in value}


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)
