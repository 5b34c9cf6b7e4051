"""The ``borderhub`` command line.

``borderhub`` (or ``python -m borderhub``) runs the library's main jobs from a shell:

``borderhub tiers``
    Print the city tiers of 专栏4 of the 14th Five-Year Express Development Plan.

Every subcommand explains its options with ``--help``. Bad input ends the command with exit
status 2 (a usage error: an unknown option or an impossible value) or 1 (a file that cannot be
read, data that do not fit), and one line ``borderhub: error: <message>`` on standard error.

Examples
--------
>>> from borderhub.cli import main
>>> main(["--version"])  # doctest: +ELLIPSIS
borderhub ...
0
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
import time
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

__all__ = ["main", "build_parser"]

PROG = "borderhub"


class _UsageError(Exception):
    """A command-line usage error (exit status 2)."""


class _InputError(Exception):
    """Input that cannot be used: missing file, unreadable table (exit status 1)."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser that reports usage errors as exceptions instead of exiting.

    ``main`` turns them into one line on standard error and exit status 2, so that every
    error of the command line has the same shape.
    """

    def error(self, message: str) -> NoReturn:  # noqa: D102 - argparse hook
        raise _UsageError(f"{message} (see '{self.prog} --help')")


class _Progress:
    """Step-by-step progress on standard error: ``borderhub: <step> ... done (1.2 s)``.

    Parameters
    ----------
    quiet : bool
        Print nothing.
    stream : file-like, optional
        Where to write; standard error by default.
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.timings: dict[str, float] = {}

    def step(self, key: str, message: str) -> _Step:
        return _Step(self, key, message)

    def note(self, message: str) -> None:
        if not self.quiet:
            print(f"{PROG}: {message}", file=self.stream, flush=True)


class _Step:
    def __init__(self, progress: _Progress, key: str, message: str) -> None:
        self.progress = progress
        self.key = key
        self.message = message
        self.start = 0.0

    def __enter__(self) -> _Step:
        self.start = time.perf_counter()
        if not self.progress.quiet:
            print(f"{PROG}: {self.message} ...", end="", file=self.progress.stream, flush=True)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        elapsed = time.perf_counter() - self.start
        self.progress.timings[self.key] = self.progress.timings.get(self.key, 0.0) + elapsed
        if not self.progress.quiet:
            outcome = "failed" if exc_type is not None else "done"
            print(f" {outcome} ({elapsed:.2f} s)", file=self.progress.stream, flush=True)


# --------------------------------------------------------------------------------------------
# tiers
# --------------------------------------------------------------------------------------------


def _tier_from_text(text: str) -> Any:
    """Parse one tier name (``CORE``, ``core``, ``long_term``, ``long-term``) into a Tier."""
    from borderhub.exceptions import SpecificationError
    from borderhub.policy import Tier

    try:
        return Tier.parse(text.strip())
    except SpecificationError:
        allowed = ", ".join(t.name for t in Tier)
        raise argparse.ArgumentTypeError(
            f"unknown tier {text.strip()!r}; choose from {allowed}"
        ) from None


def _tier_list(text: str) -> list[Any]:
    """Parse ``CORE,RAIL`` into a list of Tier (argparse ``type=``)."""
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise argparse.ArgumentTypeError("expected a comma-separated list of tiers, e.g. CORE,RAIL")
    tiers: list[Any] = []
    for part in parts:
        tier = _tier_from_text(part)
        if tier not in tiers:
            tiers.append(tier)
    return tiers


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap_items(items: Sequence[str], sep: str = "、", width: int = 92, indent: int = 4) -> str:
    """Join ``items`` with ``sep``, breaking lines only between items, by display width."""
    lines: list[str] = []
    line = ""
    for k, item in enumerate(items):
        piece = item + (sep if k < len(items) - 1 else "")
        if line and _width(line) + _width(piece) > width - indent:
            lines.append(line)
            line = ""
        line += piece
    if line:
        lines.append(line)
    return "\n".join(" " * indent + text for text in lines)


def _port_note() -> tuple[str, list[str]]:
    """What stands in for the PORT tier, which names no city: the coastal candidates."""
    from borderhub import datasets

    cand = datasets.candidates()
    coastal = cand.loc[cand["coastal"].astype(bool), "plan_name"].tolist()
    note = (
        f"the plan names no city; borderhub marks the {len(coastal)} coastal candidates "
        "instead (column 'coastal' of borderhub.datasets.candidates()):"
    )
    return note, coastal


def _cmd_tiers(args: argparse.Namespace) -> int:
    from borderhub.policy import Tier, column4

    table = column4()
    if args.tier:
        table = table[table["tier"].isin(args.tier)]
    out = sys.stdout
    if args.format == "csv":
        frame = table.copy()
        frame["tier"] = [t.name for t in frame["tier"]]
        frame.to_csv(out, index=False, float_format="%.6f", lineterminator="\n")
        return 0
    if args.format == "json":
        import json

        frame = table.copy()
        frame["tier"] = [t.name for t in frame["tier"]]
        records = frame.to_dict(orient="records")
        json.dump(records, out, ensure_ascii=False, indent=1, sort_keys=True, default=str)
        out.write("\n")
        return 0

    n_places = table["adcode"].nunique()
    print("专栏4 进出境快件处理中心建设工程 (Column 4: cross-border express processing centres)")
    print(
        "14th Five-Year Express Development Plan: "
        f"{n_places} distinct places, {len(table)} (place, tier) memberships"
    )
    wrap_en = textwrap.TextWrapper(width=92, initial_indent="    ", subsequent_indent="    ")
    for tier in Tier:
        if args.tier and tier not in args.tier:
            continue
        rows = table[table["tier"] == tier]
        entries = list(dict.fromkeys(rows["plan_entry"]))
        print()
        print(f"{tier.name}: {len(entries)} entries, {len(rows)} places")
        print(f"    {tier.label_zh}")
        print(wrap_en.fill(tier.label_en))
        if entries:
            print(_wrap_items(entries))
        else:
            note, places = _port_note()
            print(wrap_en.fill(note))
            print(_wrap_items(places))
    return 0


# --------------------------------------------------------------------------------------------
# parser and entry point
# --------------------------------------------------------------------------------------------


def _version() -> str:
    from borderhub import __version__

    return f"{PROG} {__version__}"


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print no progress on standard error"
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the full Python traceback when something goes wrong",
    )


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
    >>> args = build_parser().parse_args(["tiers", "--format", "csv"])
    >>> args.command, args.format
    ('tiers', 'csv')
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
    p_tiers.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="text (default): a readable table; csv / json: one row per (place, tier)",
    )
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
    except (_InputError, BorderhubError) as err:
        if debug:
            raise
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
