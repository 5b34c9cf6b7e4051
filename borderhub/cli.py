"""The ``borderhub`` command line.

``borderhub`` (or ``python -m borderhub``) runs the library's main jobs from a shell:

``borderhub plan --out DIR``
    The main job: load the bundled data (or the caller's candidates and demand: CSV with
    lon/lat columns, or any file geopandas reads), score the candidates on
    :func:`borderhub.scoring.default_criteria`, solve a location model (``--model``: any
    of :func:`borderhub.locate.registered`, with the flags its class declares: ``--p``,
    ``--radius``, ...), print the
    chosen centres, and write ``scores.csv``, ``solution.csv``, ``centres.csv``,
    ``solution.geojson`` (points), ``allocations.geojson`` (lines), ``map.html``,
    ``report.html`` and ``manifest.json``; ``--plots`` adds PNG figures, ``--robustness N``
    the selection frequencies over N demand draws.
``borderhub score``, ``borderhub solve``, ``borderhub map``
    The parts of ``plan`` on their own, with the same options.
``borderhub template FOLDER``
    Write a template set of a study's input files (:mod:`borderhub.plan.template`).
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
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from borderhub._terminal import printable, printable_lines

__all__ = ["main", "build_parser"]

PROG = "borderhub"


class _UsageError(Exception):
    """A command-line usage error (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser that reports usage errors as exceptions instead of exiting.

    ``main`` turns them into one line on standard error and exit status 2, so that every
    error of the command line has the same shape. A subcommand's options are added when it
    is first used (parsed or asked for help): they are read from the model classes'
    declarations, which ``borderhub --version`` need not import.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deferred: list[Callable[[argparse.ArgumentParser], None]] = []

    def defer(self, *adders: Callable[[argparse.ArgumentParser], None]) -> None:
        """Add these option groups when the parser is first used."""
        self._deferred.extend(adders)

    def _complete(self) -> None:
        while self._deferred:
            self._deferred.pop(0)(self)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:  # noqa: D102
        self._complete()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:  # noqa: D102 - argparse hook
        self._complete()
        return super().format_help()

    def format_usage(self) -> str:  # noqa: D102 - argparse hook
        self._complete()
        return super().format_usage()

    def error(self, message: str) -> NoReturn:  # noqa: D102 - argparse hook
        raise _UsageError(f"{message} (see '{self.prog} --help')")


class _Progress:
    """Progress of a run's PlanEvents on standard error: ``borderhub: <step> ... done (1.2 s)``.

    Live on a terminal; elsewhere one line per finished step, and one when a step is still
    running after a few seconds; a failed step leaves nothing.
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
        text = f"{PROG}: {printable(event.message)}"
        if event.kind == "note":
            print(text, file=self.stream, flush=True)
        elif event.kind == "start":
            if self.live:
                print(text + " ...", end="", file=self.stream, flush=True)
        elif event.kind == "running":  # a long step, where its start was not shown
            print(text + " ... (running)", file=self.stream, flush=True) if not self.live else None
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


def _options() -> list[str]:
    """The fields of PlanConfig that are command-line options of the same name."""
    from dataclasses import fields

    from borderhub.plan.config import PlanConfig

    internal = ("score", "solve", "solution_file", "scores_file")
    return [f.name for f in fields(PlanConfig) if f.name not in internal]


def _usage_text(err: Exception, argv: Sequence[str]) -> str:
    """A PlanOptionError in the words of the command line (option names as --flags)."""
    options = _options()

    def flag(m: re.Match) -> str:
        name = m[2]
        return m[1] + ("--" + name.replace("_", "-") if name in options else name)

    text = re.sub(r"\bmodel '(\w+)'", r"--model \1", str(err))
    text = re.sub(r"(^|needs |takes | or |with | and )([a-z]+(?:_[a-z]+)*)\b", flag, text)
    command = next((a for a in argv if not a.startswith("-")), "plan")
    return f"{text} (see '{PROG} {command} --help')"


def _config(args: argparse.Namespace, **parts: Any) -> Any:
    from borderhub.plan.config import PlanConfig

    values = {n: getattr(args, n) for n in _options() if getattr(args, n, None) is not None}
    values["required_tiers"] = tuple(values.get("required_tiers") or ())
    values["provinces"] = tuple(values.get("provinces") or ())
    values.update(parts)
    return PlanConfig(**values)


def _run(args: argparse.Namespace, **parts: Any) -> Any:
    from borderhub.plan.run import run_plan
    from borderhub.plan.write import check_save_folder

    config = _config(args, **parts)
    if args.out:  # a link, a file, a read-only or someone else's folder: refused before work
        check_save_folder(args.out, force=args.force)
    return run_plan(args.candidates, args.demand, config=config, progress=_Progress(args.quiet))


def _finish(args: argparse.Namespace, result: Any, summary: str) -> int:
    """Save (with --out), print; exit status 130 when a solve was interrupted (Ctrl-C)."""
    if args.out:
        keep = not args.keep_formulas
        names = result.save(args.out, argv=args.argv, force=args.force, neutralise=keep)
        summary += f"\n\nwrote {printable(args.out)}: {', '.join(names)}"
    print(printable_lines(summary.lstrip("\n")))
    if result.interrupted:
        return _fail("interrupted; the results so far are marked so in the manifest", 130)
    if result.solved is not None and not (sol := result.solution).has_solution:
        where = f"; see {args.out}/manifest.json" if args.command == "plan" else ""
        raise _Failed(f"the model is {sol.status.value}{sol.message and ': ' + sol.message}{where}")
    return 0


class _Failed(Exception):
    """The run ended without a result (exit status 1)."""


def _cmd_plan(args: argparse.Namespace, **parts: Any) -> int:
    result = _run(args, **parts)
    return _finish(args, result, result.summary(**({"top": args.top} if "solve" in parts else {})))


def _cmd_map(args: argparse.Namespace) -> int:
    title = args.title or "borderhub: cross-border express corridors"
    parts = {"title": title, "solution_file": args.solution, "scores_file": args.scores}
    return _finish(args, _run(args, score=False, solve=False, **parts), "")


def _cmd_template(args: argparse.Namespace) -> int:
    from borderhub.plan.template import write_template

    names = write_template(args.folder, overwrite=args.force)
    print(f"wrote {printable(args.folder)}: {', '.join(names)} (see README.txt)")
    return 0


# --------------------------------------------------------------------------------------------
# parser and entry point
# --------------------------------------------------------------------------------------------


def _version() -> str:
    from borderhub._version import version

    return f"{PROG} {version()}"


def _name_list(text: str) -> list[str]:
    names = [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected a comma-separated list of names")
    return names


def _flag(name: str, spec: Any = None, about: str | None = None) -> dict[str, Any]:
    """Argparse keywords of a plan option declared by a :class:`~borderhub.locate.Param`.

    ``spec`` defaults to the option's entry of :data:`borderhub.plan.config.OPTIONS`; the
    help is its ``help`` (or ``about``), with its default.
    """
    if spec is None:
        from borderhub.plan.config import OPTIONS

        spec = OPTIONS[name]
    words = about if about is not None else spec.help
    if spec.default is not None and "default" not in words:
        words += f" (default {spec.default:g})"
    kwargs: dict[str, Any] = {"metavar": spec.metavar, "help": words}
    if spec.column:
        return kwargs  # a number or a column name: PlanConfig reads it
    kwargs["type"] = spec.parse_text
    if spec.default is not None and name not in ("p",):
        kwargs["default"] = spec.default
    return kwargs


def _top(text: str) -> int:
    from borderhub.locate import Param

    return int(Param(int, low=1).parse_text(text))


def _group(parser: Any, title: str, about: str | None, *options: tuple[str, dict]) -> None:
    group = parser.add_argument_group(title, about)
    for flag, kwargs in options:
        group.add_argument(*flag.split(), **kwargs)


def _add_output(parser: argparse.ArgumentParser) -> None:
    _group(parser, "output", "--out gets the complete new results or keeps the earlier ones.",
        ("--force", {"action": "store_true", "help": "write into a non-empty --out that no "
                     "borderhub run wrote (files of yours named like an output are replaced)"}),
        ("--keep-formulas", {"action": "store_true", "help": "CSV cells that begin with = + "
                             "- @ as they are (default: a ' first, shown as text)"}),
    )  # fmt: skip


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
        "Default: the bundled tables (专栏4's 60 places, 367 prefecture-level units). Your "
        "own: CSV with lon/lat (WGS84 unless --coordinates says otherwise; or 城市, 省份, "
        "经度/纬度, 快递业务量(万件) ...) or any file geopandas reads (any CRS)."
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
        ("--coordinates", {"choices": ("wgs84", "gcj02", "bd09"), "help":
                           "datum of your CSV lon/lat (gcj02: Amap, Tencent; bd09: Baidu); "
                           "default wgs84, warned for a combined 'location' column"}),
        ("--volume-unit", {"choices": ("亿件", "万件", "件"), "help": "of unlabelled 快递业务量"}),
        ("--figures", {"metavar": "FILE", "help": "your own figures (columns place, quantity, "
                       "value, unit, period, source, grade), e.g. official city volumes, in "
                       "place of the bundled ones; the estimates are refitted around them"}),
        ("--strict-places", {"action": "store_true", "default": None, "help": "stop at places "
                             "outside China and its border zone (else a note names them)"}),
    )  # fmt: skip


def _choice(name: str, help: str) -> dict[str, Any]:
    """Argparse keywords of a plan option with a closed set of values (the first the default)."""
    from borderhub.plan.config import CHOICES

    return {"choices": CHOICES[name], "default": CHOICES[name][0], "help": help}


def _add_scoring(parser: argparse.ArgumentParser) -> None:
    _group(
        parser,
        "scoring",
        "Candidates are scored on borderhub.scoring.default_criteria() or --criteria.",
        ("--criteria", {"metavar": "FILE", "help": "criteria and weights: CSV criterion,weight "
                        "(指标,权重; your own add direction,column)"}),
        ("--method", _choice("method", "multi-criteria method (default topsis)")),
        ("--weights", _choice("weights", "criterion weights: the documented defaults, equal, "
                              "or entropy")),
        ("--nan-policy", _choice("nan_policy", "gaps: see borderhub.score (auto: sparse "
                                 "criteria left out, then worst)")),
    )  # fmt: skip


def _model_parameters() -> list[tuple[str, dict[str, Any]]]:
    """``--p``, ``--radius``, ``--fixed-cost`` ...: read from the models' declarations."""
    from borderhub.locate import registered

    found: dict[str, list[tuple[str, Any]]] = {}
    for name, cls in registered().items():
        for param, spec in cls.parameters.items():
            found.setdefault(param, []).append((name, spec))
    flags = []
    for param, users in found.items():
        spec = users[0][1]
        models = ", ".join(
            name + (f" (instead of --{s.excludes[0].replace('_', '-')})" if s.excludes else "")
            for name, s in users
        )
        flags.append(
            (
                f"--{param.replace('_', '-')}",
                _flag(param, spec, f"{spec.help}, for --model {models}"),
            )
        )
    return flags


def _add_model(parser: argparse.ArgumentParser) -> None:
    from borderhub.locate import registered
    from borderhub.plan.config import PlanConfig

    models = registered()
    default = PlanConfig.model
    about = "; ".join(
        f"{name}: {cls.about}" + (" (default)" if name == default else "")
        for name, cls in models.items()
    )
    _group(
        parser,
        "location model",
        None,
        ("--model", {"choices": tuple(models), "default": default, "help": about}),
        *_model_parameters(),
        ("--required-tiers", {"type": _tier_list, "metavar": "TIERS", "help": "open every "
                              "candidate of these 专栏4 tiers, comma-separated, e.g. CORE or "
                              "CORE,RAIL (PORT: the coastal candidates)"}),
        ("--gateway-weight", _flag("gateway_weight")),
        ("--distance", _choice("distance", "every distance geodesic (default) or along the "
                               "OpenStreetMap road or rail network (extra 'network')")),
        ("--solver", {"default": "highs", "help": "highs (default), cbc, or a PuLP solver"}),
        ("--time-limit", _flag("time_limit")),
        ("--mip-gap", _flag("mip_gap")),
    )  # fmt: skip
    crossborder = [name for name, cls in models.items() if "share" in cls.plan_options]
    _group(
        parser,
        f"cross-border model (--model {', '.join(crossborder)})",
        None,
        ("--share", _flag("share")),
        ("--split", {"metavar": "FILE", "help": "partner split: exports (default, China's "
                     "exports by partner), equal, or a CSV with columns partner,share"}),
        ("--partners", {"metavar": "FILE", "help": "own partner hubs: CSV partner,iso3,lon,lat"}),
        ("--gateways", {"metavar": "FILE", "help": "own gateways: CSV gateway,mode,lon,lat,reach"}),
        ("--tilt", _flag("tilt")),
        ("--modes", {"metavar": "PARAMS", "help": "mode costs, e.g. air.rate=0.4,rail."
                     "handling=900,sea=off (modes truck, air, sea, road, rail; handling, rate)"}),
    )  # fmt: skip


def _add_robustness(parser: argparse.ArgumentParser) -> None:
    _group(
        parser,
        "robustness",
        "How often each candidate is chosen over plausible demand draws (each unit's weight "
        "drawn around its value with the data's uncertainty; borderhub.robustness).",
        ("--robustness", _flag("robustness")),
        ("--workers", _flag("workers")),
        ("--scheduler", {"metavar": "ADDRESS", "help": "on the Dask cluster of this scheduler"}),
        ("--seed", _flag("seed")),
        ("--spread", _flag("spread")),
    )


def _add_map(parser: argparse.ArgumentParser) -> None:
    _group(
        parser,
        "map",
        None,
        ("--tiles", _choice("tiles", "map.html basemap: auto = offline vector (amap: GCJ-02)")),
        ("--lang", {"choices": ("zh", "en"), "help": "maps and report (default: zh for Chinese "
                    "headers, else zh maps and an en report)"}),
        ("--title", {"help": "title of the maps and the report"}),
        ("--extent", {"metavar": "BOX", "help": "map view: china, content or W,S,E,N degrees "
                      "(default: the --provinces' outline)"}),
    )  # fmt: skip


#: The subcommands: name, help, description, own arguments, option groups, function.
_COMMANDS: tuple[tuple[str, str, str, tuple[tuple[str, dict], ...], tuple, Callable], ...] = (
    ("plan", "score candidates, choose centres, write tables, GeoJSON, map and manifest",
     "The main job: load the data (bundled or yours), score the candidates, solve a "
     "facility-location model and write into --out: scores.csv (ranked candidates), "
     "solution.csv (each demand unit's centre and distance), centres.csv (chosen centres "
     "and their load), solution.geojson, map.html (corridor map, works offline), "
     "report.html (one printable page: map, tables, plots, assumptions, data caveats) and "
     "manifest.json (versions, input hashes, parameters, solver, status, objective, gap, "
     "timings). --plots adds map.png, rank_stability.png and cost_curve.png (with "
     "cost_curve.csv); --model crossborder writes routing.csv, gateway_loads.csv and "
     "partner_loads.csv in place of solution.csv and the GeoJSON; --robustness adds "
     "robustness*.csv (and robustness.png).",
     (("--out", {"required": True}),
      ("--plots", {"action": "store_true", "help": "also save PNG plots (static map, rank "
                   "stability, cost against the number of centres)"})),
     (_add_data, _add_scoring, _add_model, _add_robustness, _add_map, _add_output, _add_common),
     _cmd_plan),
    ("score", "rank the candidates on location and volume",
     "Score the candidates on borderhub.scoring.default_criteria() (RCEP proximity, border "
     "ports, rail/sea/air/e-commerce gateways, express volume and access to demand), print "
     "the ranking and, with --out, write scores.csv and manifest.json.",
     (("--out", {"help": "directory for scores.csv"}),
      ("--top", {"type": _top, "default": 20, "metavar": "N",
                 "help": "rows to print (default 20)"})),
     (_add_data, _add_scoring, _add_output, _add_common),
     functools.partial(_cmd_plan, solve=False)),
    ("solve", "choose centres with a facility-location model",
     "Solve a facility-location model on the demand and candidates, print the chosen "
     "centres with their tiers and load and, with --out, write solution.csv, centres.csv, "
     "solution.geojson and manifest.json.",
     (("--out", {}),), (_add_data, _add_model, _add_output, _add_common),
     functools.partial(_cmd_plan, score=False)),
    ("map", "draw the corridor map (tiers, or a solution and scores written earlier)",
     "Draw the RCEP corridor map into --out/map.html: the places of 专栏4 by tier, partner "
     "hubs and corridors, and optionally a solution.csv and scores.csv written by "
     "'borderhub plan' or 'solve'.",
     (("--out", {"required": True, "help": "directory for map.html"}),
      ("--solution", {"metavar": "FILE", "help": "solution.csv to draw"}),
      ("--scores", {"metavar": "FILE", "help": "scores.csv to draw"}),
      ("--plots", {"action": "store_true", "help": "also save map.png (matplotlib)"})),
     (_add_data, _add_map, _add_output, _add_common), _cmd_map),
    ("tiers", "print the city tiers of 专栏4 of the plan",
     "Print the tiers of 专栏4 (进出境快件处理中心建设工程) of the 14th Five-Year Express "
     "Development Plan: which places the plan names for which kind of cross-border express "
     "processing centre.",
     (("--tier", {"type": _tier_list, "metavar": "TIERS", "help": "only these tiers, "
                  "comma-separated (CORE, LONG_TERM, PROVINCIAL, ENCOURAGED, RAIL, PORT)"}),
      ("--format", {"choices": ("text", "csv", "json"), "default": "text", "help": "text "
                    "(default): a readable table; csv / json: one row per (place, tier)"})),
     (_add_common,), _cmd_tiers),
    ("template", "write a template set of a study's input files",
     "Write candidates.csv, demand.csv, criteria.csv, partners.csv, split.csv, gateways.csv "
     "and README.txt into FOLDER: a Northeast study (黑龙江, 吉林, 辽宁, 内蒙古) in Chinese "
     "headers to edit and run with 'borderhub plan' (README.txt gives the command).",
     (("folder", {"metavar": "FOLDER", "help": "where to write the files"}),
      ("--force", {"action": "store_true", "help": "replace template files already there"})),
     (_add_common,), _cmd_template),
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

    out = {"metavar": "DIR", "help": "directory for the results"}
    for name, about, description, arguments, groups, func in _COMMANDS:
        command = sub.add_parser(name, help=about, description=description)
        for flag, kwargs in arguments:
            command.add_argument(*flag.split(), **{**out, **kwargs} if flag == "--out" else kwargs)
        command.defer(*groups)  # type: ignore[attr-defined]
        command.set_defaults(func=func)
    sub.choices[
        "plan"
    ].epilog = "Example: borderhub plan --out results --p 12 --required-tiers CORE --plots"
    return parser


def _one_line(message: str) -> str:
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return " | ".join(lines) if lines else "unknown error"


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: error: {printable(_one_line(message))}", file=sys.stderr, flush=True)
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
        config = sys.modules.get("borderhub.plan.config")
        if config is not None and isinstance(err, config.PlanOptionError):
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
