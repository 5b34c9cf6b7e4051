"""The ``borderhub`` command line.

``borderhub`` (or ``python -m borderhub``) runs the library's main jobs from a shell:

``borderhub plan --out DIR``
    The main job: load the bundled data (or the caller's candidates and demand: CSV with
    lon/lat columns, or any file geopandas reads), score the candidates on
    :func:`borderhub.scoring.default_criteria`, solve a location model (``--model
    pmedian|pcenter|mclp|lscp|fixed|crossborder``, ``--p``, ``--radius``, ...), print the
    chosen centres, and write ``scores.csv``, ``solution.csv``, ``centres.csv``,
    ``solution.geojson`` (points), ``allocations.geojson`` (lines), ``map.html``,
    ``report.html`` and ``manifest.json``; ``--plots`` adds PNG figures, ``--robustness N``
    the selection frequencies over N demand draws.
``borderhub score``, ``borderhub solve``, ``borderhub map``
    The parts of ``plan`` on their own, with the same options.
``borderhub tiers``
    Print the city tiers of 专栏4 of the 14th Five-Year Express Development Plan.

Each command is a thin shell over :func:`borderhub.run_plan` (parse the options into a
:class:`borderhub.PlanConfig`, run, save, print): a script gets the same files with
``borderhub.run_plan(...).save(out)``.

The files are deterministic (see :meth:`borderhub.PlanResult.save`); progress goes to
standard error (``--quiet`` silences it). Bad input ends a command with exit status 2 (a
usage error: an unknown option or an impossible value) or 1 (a file that cannot be read,
data that do not fit) and one line ``borderhub: error: <message>`` on standard error.

Examples
--------
>>> from borderhub.cli import main
>>> main(["--version"])  # doctest: +ELLIPSIS
borderhub ...
0
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

__all__ = ["main", "build_parser"]

PROG = "borderhub"
#: The default p of the plan (borderhub.pipeline.DEFAULT_P, which --help does not import).
DEFAULT_P = 10


class _UsageError(Exception):
    """A command-line usage error (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser that reports usage errors as exceptions instead of exiting.

    ``main`` turns them into one line on standard error and exit status 2, so that every
    error of the command line has the same shape.
    """

    def error(self, message: str) -> NoReturn:  # noqa: D102 - argparse hook
        raise _UsageError(f"{message} (see '{self.prog} --help')")


class _Progress:
    """Progress of a run's PlanEvents on standard error: ``borderhub: <step> ... done (1.2 s)``.

    Live on a terminal, one line per finished step elsewhere; a failed step leaves nothing.
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.live = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.live = False

    def __call__(self, event: Any) -> None:
        if self.quiet:
            return
        text = f"{PROG}: {event.message}"
        if event.kind == "note":
            print(text, file=self.stream, flush=True)
        elif event.kind == "start":
            if self.live:
                print(text + " ...", end="", file=self.stream, flush=True)
        elif event.kind == "progress":
            if self.live:
                print("\r\033[K" + text, end="", file=self.stream, flush=True)
        elif event.kind == "failed":
            if self.live:
                print("\r\033[K", end="", file=self.stream, flush=True)
        else:
            done = f" done ({event.seconds:.2f} s)"
            print(done if self.live else text + " ..." + done, file=self.stream, flush=True)


# --------------------------------------------------------------------------------------------
# tiers
# --------------------------------------------------------------------------------------------


def _tier_list(text: str) -> list[Any]:
    """Parse ``CORE,RAIL`` into a list of Tier (argparse ``type=``)."""
    from borderhub.exceptions import SpecificationError
    from borderhub.policy import Tier, as_tiers

    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise argparse.ArgumentTypeError("expected a comma-separated list of tiers, e.g. CORE,RAIL")
    tiers: list[Any] = []
    for part in parts:
        try:
            tier = as_tiers(part)[0]
        except SpecificationError:
            allowed = ", ".join(t.name for t in Tier)
            raise argparse.ArgumentTypeError(
                f"unknown tier {part!r}; choose from {allowed}"
            ) from None
        if tier not in tiers:
            tiers.append(tier)
    return tiers


def _cmd_tiers(args: argparse.Namespace) -> int:
    from borderhub.policy import column4, tiers_report

    table = column4()
    if args.tier:
        table = table[table["tier"].isin(args.tier)]
    out, frame = sys.stdout, table.assign(tier=[t.name for t in table["tier"]])
    if args.format == "csv":
        frame.to_csv(out, index=False, float_format="%.6f", lineterminator="\n")
        return 0
    if args.format == "json":
        records = frame.to_dict(orient="records")
        json.dump(records, out, ensure_ascii=False, indent=1, sort_keys=True, default=str)
        out.write("\n")
        return 0

    print(tiers_report(args.tier))
    return 0


# --------------------------------------------------------------------------------------------
# plan, score, solve, map: options -> PlanConfig -> run_plan -> save -> print
# --------------------------------------------------------------------------------------------

#: PlanConfig fields that are command-line options of the same name.
_OPTIONS = (
    "model", "p", "radius", "fixed_cost", "required_tiers", "gateway_weight", "solver",
    "time_limit", "mip_gap", "weight_column", "id_column", "lon_column", "lat_column",
    "coordinates", "provinces", "method", "weights", "nan_policy", "tiles", "lang", "title",
    "share", "split", "tilt", "modes", "robustness", "seed", "spread", "workers", "scheduler",
)  # fmt: skip


def _usage_text(err: Exception, argv: Sequence[str]) -> str:
    """A PlanOptionError in the words of the command line (option names as --flags)."""
    text = re.sub(r"\bmodel '(\w+)'", r"--model \1", str(err))
    text = re.sub(r"\bneeds (p|radius|fixed_cost)\b", lambda m: "needs --" + m[1], text)
    text = re.sub(r"^(\w+) ", lambda m: f"--{m[1]} " if m[1] in _OPTIONS else m[0], text)
    text = text.replace("--fixed_cost", "--fixed-cost").replace("--nan_policy", "--nan-policy")
    for name in _OPTIONS:
        if "_" in name:
            text = text.replace(f"--{name}", "--" + name.replace("_", "-"))
    command = next((a for a in argv if not a.startswith("-")), "plan")
    return f"{text} (see '{PROG} {command} --help')"


def _config(args: argparse.Namespace, **parts: Any) -> Any:
    from borderhub.pipeline import PlanConfig

    values = {n: getattr(args, n) for n in _OPTIONS if getattr(args, n, None) is not None}
    values["required_tiers"] = tuple(values.get("required_tiers") or ())
    values["provinces"] = tuple(values.get("provinces") or ())
    values.update(parts)
    return PlanConfig(**values)


def _run(args: argparse.Namespace, **parts: Any) -> Any:
    from borderhub.pipeline import run_plan

    config = _config(args, **parts)
    return run_plan(args.candidates, args.demand, config=config, progress=_Progress(args.quiet))


def _table_text(frame: Any, index: bool = True) -> str:
    import pandas as pd

    display = {"unicode.east_asian_width": True, "width": 200, "max_columns": 50, "max_rows": 500}
    with pd.option_context(*(x for k, v in display.items() for x in ("display." + k, v))):  # type: ignore[arg-type]
        return str(frame.to_string(index=index))


def _print_solution(result: Any, scored: bool) -> None:
    from borderhub.locate import MODEL_TITLES

    sol, config = result.solution, result.config
    shown = [
        f"{key}={value}" if isinstance(value, int | float) else f"{key}=column {value}"
        for key, value in config.params().items()
    ]
    print(
        f"{MODEL_TITLES[config.model]} ({', '.join(shown) or 'no parameters'}) over "
        f"{len(result.demand)} demand units and {len(result.candidates)} candidates"
    )
    print(result.weight_note)
    if result.required:
        print(f"required centres (--required-tiers): {len(result.required)}")
    print(
        f"status {sol.status.value}; objective {sol.objective:.6g}, bound {sol.bound:.6g}, "
        f"gap {sol.gap:.3g}; build {sol.build_time:.2f} s, solve {sol.solve_time:.2f} s"
    )
    a = sol.assignment
    if "covered" in a.columns and len(a):
        total = float(a["weight"].sum())
        covered = float(a.loc[a["covered"].astype(bool), "weight"].sum())
        share = f" ({100 * covered / total:.1f} %)" if total > 0 else ""
        print(f"covered {covered:.6g} of {total:.6g}{share} within {config.radius:g} km")
    if sol.message:
        print(f"note: {sol.message}")
    if not len(sol.open):
        return
    show = result.centres.copy()
    if scored:
        ranks = result.score_table["rank"].reindex(show.index).astype("Int64")
        show.insert(0, "score_rank", ranks)
    show["share"] = (100 * show["share"]).round(1)
    show["load"] = show["load"].round(3)
    show["mean_km"] = show["mean_km"].round(0).astype("Int64")
    show["max_km"] = show["max_km"].round(0).astype("Int64")
    drop = ["plan_name", "province"] + ([] if result.required else ["required"])
    show = show.drop(columns=[c for c in drop if c in show.columns])
    unit = result.load_label
    show = show.rename(columns={"share": "share %", "n_demand": "units", "load": unit})
    show = show.reset_index().rename(columns={"facility": result.candidates.index.name or "label"})
    print()
    print(f"chosen centres ({len(sol.open)}), by load:")
    print(_table_text(show, index=False))


def _no_solution(result: Any, where: str = "") -> None:
    sol = result.solution
    if not sol.has_solution:
        raise _Failed(
            f"the model is {sol.status.value}"
            + (f": {sol.message}" if sol.message else "")
            + (f"; see {where}/manifest.json" if where else "")
        )


class _Failed(Exception):
    """The run ended without a result (exit status 1)."""


def _cmd_plan(args: argparse.Namespace) -> int:
    result = _run(args)
    written = result.save(args.out, plots=args.plots, argv=args.argv)
    _print_solution(result, scored=True)
    print()
    print(f"wrote {args.out}: {', '.join(written)}")
    _no_solution(result, args.out)
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    result = _run(args, solve=False)
    scores = result.scores
    show = scores[[c for c in ("name", "tiers", "rank", "score") if c in scores.columns]]
    print(
        f"{result.scored.method} scores of {len(scores)} candidates on "
        f"{len(result.scored.raw.columns)} criteria (rank 1 = best)"
    )
    print(_table_text(show.head(args.top).round({"score": 4})))
    if args.out:
        written = result.save(args.out, argv=args.argv)
        print(f"\nwrote {args.out}: {', '.join(written)}")
    return 0


def _cmd_solve(args: argparse.Namespace) -> int:
    result = _run(args, score=False)
    _print_solution(result, scored=False)
    if args.out:
        written = result.save(args.out, argv=args.argv)
        print(f"\nwrote {args.out}: {', '.join(written)}")
    _no_solution(result)
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    title = args.title or "borderhub: cross-border express corridors"
    result = _run(
        args,
        score=False,
        solve=False,
        title=title,
        solution_file=args.solution,
        scores_file=args.scores,
    )
    written = result.save(args.out, plots=args.plots, argv=args.argv)
    print(f"wrote {args.out}: {', '.join(written)}")
    return 0


# --------------------------------------------------------------------------------------------
# parser and entry point
# --------------------------------------------------------------------------------------------


def _version() -> str:
    from borderhub import __version__

    return f"{PROG} {__version__}"


def _name_list(text: str) -> list[str]:
    names = [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected a comma-separated list of names")
    return names


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def _float_in(low: float, high: float, low_open: bool, name: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not math.isfinite(value) or value < low or (low_open and value == low) or value > high:
            raise argparse.ArgumentTypeError(f"must be {name}, got {text}")
        return value

    parse.__name__ = "number"
    return parse


_positive_float = _float_in(0.0, math.inf, True, "a positive number")
_nonnegative_float = _float_in(0.0, math.inf, False, "a number >= 0")
_fraction = _float_in(0.0, 1.0, False, "a fraction between 0 and 1")
_share = _float_in(0.0, 1.0, True, "a fraction in (0, 1]")


def _group(parser: Any, title: str, about: str | None, *options: tuple[str, dict]) -> None:
    group = parser.add_argument_group(title, about)
    for flag, kwargs in options:
        group.add_argument(*flag.split(), **kwargs)


def _add_common(parser: argparse.ArgumentParser) -> None:
    _group(
        parser,
        "messages",
        None,
        ("-q --quiet", {"action": "store_true", "help": "print no progress on standard error"}),
        ("--debug", {"action": "store_true", "help": "show the full Python traceback on errors"}),
    )


def _add_data(parser: argparse.ArgumentParser) -> None:
    about = (
        "Default: the bundled tables (the 60 places of 专栏4 as candidates, the 367 "
        "prefecture-level units as demand). Your own tables: CSV with lon/lat columns "
        "(WGS84 degrees unless --coordinates says otherwise) or any file geopandas reads "
        "(GeoJSON, GeoPackage, shapefile, GeoParquet; any CRS)."
    )
    name = {"metavar": "NAME"}
    _group(
        parser,
        "data",
        about,
        ("--candidates", {"metavar": "FILE", "help": "candidate sites"}),
        ("--demand", {"metavar": "FILE", "help": "demand points"}),
        ("--id-column", {**name, "help": "labels (default: adcode, id, label, code, row)"}),
        ("--weight-column", {**name, "help": "demand weight (default: express_volume, else "
                                            "population, else 1 each)"}),
        ("--lon-column", {**name, "help": "longitude column of your CSV files (default: lon, "
                                         "lng, longitude, 经度, or Amap's 'location')"}),
        ("--lat-column", {**name, "help": "latitude (default: lat, latitude, 纬度)"}),
        ("--provinces", {"type": _name_list, "metavar": "NAMES", "help": "only the demand and "
                         "candidates of these provinces, e.g. 广东,广西 or 广东省"}),
        ("--coordinates", {"choices": ("wgs84", "gcj02", "bd09"), "default": "wgs84", "help":
                           "datum of lon/lat in your CSV files: converted to WGS84 if gcj02 "
                           "(Amap, Tencent) or bd09 (Baidu); default wgs84"}),
    )  # fmt: skip


def _add_scoring(parser: argparse.ArgumentParser) -> None:
    _group(
        parser,
        "scoring",
        "Candidates are scored on borderhub.scoring.default_criteria().",
        ("--method", {"choices": ("topsis", "weighted_sum", "vikor"), "default": "topsis",
                      "help": "multi-criteria method (default topsis)"}),
        ("--weights", {"choices": ("default", "equal", "entropy"), "default": "default",
                       "help": "criterion weights: the documented defaults, equal, or entropy"}),
        ("--nan-policy", {"choices": ("auto", "worst", "raise"), "default": "auto", "help": "gaps: "
                          "see borderhub.score (auto: sparse criteria left out, then worst)"}),
    )  # fmt: skip


def _add_model(parser: argparse.ArgumentParser) -> None:
    from borderhub.locate import MODELS  # the registry (light: no solver is imported)

    _group(
        parser,
        "location model",
        None,
        ("--model", {"choices": tuple(MODELS), "default": "pmedian", "help": "pmedian: minimise "
                     "weighted distance with p centres (default); pcenter: minimise the longest "
                     "distance; mclp: cover the most weight within --radius with p centres; "
                     "lscp: fewest centres covering everything within --radius; fixed: "
                     "fixed-charge location (--fixed-cost); crossborder: route each unit's "
                     "international express to each partner through a centre and its cheapest "
                     "gateway (air, sea, road, rail)"}),
        ("--p", {"type": _positive_int, "metavar": "N", "help": "number of centres for "
                 f"pmedian, pcenter, mclp (default {DEFAULT_P})"}),
        ("--radius", {"type": _positive_float, "metavar": "KM",
                      "help": "coverage radius for mclp and lscp"}),
        ("--fixed-cost", {"metavar": "COST", "help": "opening cost for --model fixed (or "
                          "crossborder, instead of --p): a number or a candidates column"}),
        ("--required-tiers", {"type": _tier_list, "metavar": "TIERS", "help": "open every "
                              "candidate of these 专栏4 tiers, comma-separated, e.g. CORE or "
                              "CORE,RAIL (PORT: the coastal candidates)"}),
        ("--gateway-weight", {"type": _nonnegative_float, "default": 0.0, "metavar": "W",
                              "help": "add W x (mean km from the centre to the RCEP partner "
                              "hubs) to the cost of serving each unit of weight (default 0)"}),
        ("--solver", {"default": "highs", "help": "highs (default), cbc, or a PuLP solver"}),
        ("--time-limit", {"type": _positive_float, "metavar": "SECONDS",
                          "help": "stop the solver after"}),
        ("--mip-gap", {"type": _fraction, "metavar": "GAP",
                       "help": "stop at this relative MIP gap"}),
    )  # fmt: skip
    _group(
        parser,
        "cross-border model (--model crossborder)",
        None,
        ("--share", {"type": _share, "metavar": "S", "help": "international share of express "
                     "volume, in (0, 1] (default: the sourced national share of 2025)"}),
        ("--split", {"metavar": "FILE", "help": "partner split: exports (default, China's "
                     "exports by partner), equal, or a CSV with columns partner,share"}),
        ("--tilt", {"type": _positive_float, "metavar": "T", "help": "relative international "
                    "propensity of cross-border e-commerce pilot-zone origins (default 1)"}),
        ("--modes", {"metavar": "PARAMS", "help": "mode costs, e.g. air.rate=0.4,rail."
                     "handling=900,sea=off (modes truck, air, sea, road, rail; handling, rate)"}),
    )  # fmt: skip


def _add_map(parser: argparse.ArgumentParser) -> None:
    _group(
        parser,
        "map",
        None,
        ("--tiles", {"choices": ("auto", "osm", "amap", "cartodb-positron", "none"), "default":
                     "auto", "help": "map.html basemap: auto = offline vector (amap: GCJ-02)"}),
        ("--lang", {"choices": ("zh", "en"), "default": "zh", "help": "map labels (default zh)"}),
        ("--title", {"help": "map title"}),
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``borderhub`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser, with one subparser per subcommand; each subparser sets ``func``, the
        function that runs it.

    Examples
    --------
    >>> from borderhub.cli import build_parser
    >>> args = build_parser().parse_args(["plan", "--out", "results", "--p", "12"])
    >>> args.command, args.model, args.p
    ('plan', 'pmedian', 12)
    """
    parser = _Parser(
        prog=PROG,
        description=(
            "Site China's cross-border express processing centres: the plan's city tiers, "
            "candidate scores, facility-location models and corridor maps."
        ),
        epilog="Run 'borderhub <command> --help' for the options of each command.",
    )
    parser.add_argument("-V", "--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="<command>", parser_class=_Parser)

    p_plan = sub.add_parser(
        "plan",
        help="score candidates, choose centres, write tables, GeoJSON, map and manifest",
        description=(
            "The main job: load the data (bundled or yours), score the candidates, solve a "
            "facility-location model and write into --out: scores.csv (ranked candidates), "
            "solution.csv (each demand unit's centre and distance), centres.csv (chosen "
            "centres and their load), solution.geojson, map.html (corridor map, works "
            "offline), report.html (one printable page: map, tables, plots, assumptions, data "
            "caveats) and manifest.json (versions, input hashes, parameters, solver, status, "
            "objective, gap, timings). --plots adds map.png, rank_stability.png and "
            "cost_curve.png (with cost_curve.csv); --model crossborder writes routing.csv, "
            "gateway_loads.csv and partner_loads.csv in place of solution.csv and the GeoJSON; "
            "--robustness adds robustness*.csv (and robustness.png)."
        ),
        epilog="Example: borderhub plan --out results --p 12 --required-tiers CORE --plots",
    )
    p_plan.add_argument("--out", required=True, metavar="DIR", help="directory for the results")
    p_plan.add_argument(
        "--plots",
        action="store_true",
        help="also save PNG plots (static map, rank stability, cost against the number of centres)",
    )
    _add_data(p_plan)
    _add_scoring(p_plan)
    _add_model(p_plan)
    _group(
        p_plan,
        "robustness",
        "How often each candidate is chosen over plausible demand draws (each unit's weight "
        "drawn around its value with the data's uncertainty; borderhub.robustness).",
        ("--robustness", {"type": _positive_int, "metavar": "N", "help": "number of draws"}),
        ("--workers", {"type": _positive_int, "metavar": "K",
                       "help": "on a local Dask cluster of K worker processes"}),
        ("--scheduler", {"metavar": "ADDRESS", "help": "on the Dask cluster of this scheduler"}),
        ("--seed", {"type": int, "default": 0, "metavar": "S", "help": "seed (default 0)"}),
        ("--spread", {"type": _nonnegative_float, "metavar": "X", "help": "relative uncertainty"
                      " of every weight (default: the data's own)"}),
    )  # fmt: skip
    _add_map(p_plan)
    _add_common(p_plan)
    p_plan.set_defaults(func=_cmd_plan)

    p_score = sub.add_parser(
        "score",
        help="rank the candidates on location and volume",
        description=(
            "Score the candidates on borderhub.scoring.default_criteria() (RCEP proximity, "
            "border ports, rail/sea/air/e-commerce gateways, express volume and access to "
            "demand), print the ranking and, with --out, write scores.csv and manifest.json."
        ),
    )
    p_score.add_argument("--out", metavar="DIR", help="directory for scores.csv")
    p_score.add_argument(
        "--top", type=_positive_int, default=20, metavar="N", help="rows to print (default 20)"
    )
    _add_data(p_score)
    _add_scoring(p_score)
    _add_common(p_score)
    p_score.set_defaults(func=_cmd_score)

    p_solve = sub.add_parser(
        "solve",
        help="choose centres with a facility-location model",
        description=(
            "Solve a facility-location model on the demand and candidates, print the chosen "
            "centres with their tiers and load and, with --out, write solution.csv, "
            "centres.csv, solution.geojson and manifest.json."
        ),
    )
    p_solve.add_argument("--out", metavar="DIR", help="directory for the results")
    _add_data(p_solve)
    _add_model(p_solve)
    _add_common(p_solve)
    p_solve.set_defaults(func=_cmd_solve)

    p_map = sub.add_parser(
        "map",
        help="draw the corridor map (tiers, or a solution and scores written earlier)",
        description=(
            "Draw the RCEP corridor map into --out/map.html: the places of 专栏4 by tier, "
            "partner hubs and corridors, and optionally a solution.csv and scores.csv written "
            "by 'borderhub plan' or 'solve'."
        ),
    )
    p_map.add_argument("--out", required=True, metavar="DIR", help="directory for map.html")
    p_map.add_argument("--solution", metavar="FILE", help="solution.csv to draw")
    p_map.add_argument("--scores", metavar="FILE", help="scores.csv to draw")
    p_map.add_argument("--plots", action="store_true", help="also save map.png (matplotlib)")
    _add_data(p_map)
    _add_map(p_map)
    _add_common(p_map)
    p_map.set_defaults(func=_cmd_map)

    p_tiers = sub.add_parser(
        "tiers",
        help="print the city tiers of 专栏4 of the plan",
        description=(
            "Print the tiers of 专栏4 (进出境快件处理中心建设工程) of the 14th Five-Year Express "
            "Development Plan: which places the plan names for which kind of cross-border "
            "express processing centre."
        ),
    )
    p_tiers.add_argument(
        "--tier",
        type=_tier_list,
        metavar="TIERS",
        help="only these tiers, comma-separated (CORE, LONG_TERM, PROVINCIAL, ENCOURAGED, "
        "RAIL, PORT)",
    )
    p_tiers.add_argument("--format", choices=("text", "csv", "json"), default="text",
                         help="text (default): a readable table; csv / json: one row per "
                         "(place, tier)")  # fmt: skip
    _add_common(p_tiers)
    p_tiers.set_defaults(func=_cmd_tiers)

    return parser


def _one_line(message: str) -> str:
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return " | ".join(lines) if lines else "unknown error"


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: error: {_one_line(message)}", file=sys.stderr, flush=True)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``borderhub`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit status: 0 on success, 1 when the input cannot be used (missing or malformed
        file, data a model cannot work with), 2 on a usage error (unknown option or command,
        impossible parameter value).

    Examples
    --------
    >>> from borderhub.cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    borderhub ...
    0
    """
    from borderhub.exceptions import BorderhubError

    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    debug = "--debug" in args_list
    try:
        args = parser.parse_args(args_list)
        if args.version:
            print(_version())
            return 0
        if args.command is None:
            parser.print_help()
            return 2
        args.argv = args_list
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except _UsageError as err:
        return _fail(str(err), 2)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        # the reader went away (e.g. `borderhub tiers | head`): not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - quiet interpreter shutdown
        except OSError:  # pragma: no cover
            pass
        return 0
    except (_Failed, BorderhubError) as err:
        if debug:
            raise
        # an option that does not fit (PlanOptionError) is a usage error
        pipeline = sys.modules.get("borderhub.pipeline")
        if pipeline is not None and isinstance(err, pipeline.PlanOptionError):
            return _fail(_usage_text(err, args_list), 2)
        return _fail(str(err), 1)
    except (OSError, ValueError, KeyError, TypeError) as err:
        if debug:
            raise
        return _fail(f"{type(err).__name__}: {err}", 1)
    except Exception as err:  # noqa: BLE001 - the last line of defence of a command line
        if debug:
            raise
        return _fail(
            f"unexpected {type(err).__name__}: {err} (run again with --debug for the traceback)",
            1,
        )
