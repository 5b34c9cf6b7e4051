"""Sphinx extension for the borderhub documentation.

It does three things at build time, so nothing on the site is written by hand that the code
could get wrong:

* runs ``docs/worked_analysis.py`` (a plain Python script) on the bundled data, which writes
  the tables, figures and the corridor map that the worked-analysis page includes; a failing
  script fails the build;
* converts ``data/cities/README.md`` and ``CHANGELOG.md`` from Markdown into
  reStructuredText fragments (``docs/_generated/*.inc``) that the data-provenance and
  changelog pages include;
* provides the ``borderhub-cli`` directive, which renders ``--help`` of the command line and
  of each subcommand from the parser that ``borderhub.cli`` builds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mdconvert import markdown_to_rst  # noqa: E402

logger = logging.getLogger(__name__)

#: Names under which ``borderhub.cli`` may expose the function building its parser.
PARSER_FACTORIES = ("build_parser", "make_parser", "get_parser", "create_parser", "parser")


# ----------------------------------------------------------------------------------------
# Markdown sources included in the site
# ----------------------------------------------------------------------------------------


def convert_markdown(srcdir: Path) -> None:
    """Write the reStructuredText fragments converted from the repository's Markdown files."""
    root = srcdir.parent
    out = srcdir / "_generated"
    out.mkdir(exist_ok=True)
    for source, target, top_level in [
        (root / "data" / "cities" / "README.md", out / "cities-readme.inc", 1),
        (root / "CHANGELOG.md", out / "changelog.inc", 0),
    ]:
        if source.is_file():
            text = markdown_to_rst(source.read_text(encoding="utf-8"), top_level=top_level)
        else:
            name = source.relative_to(root).as_posix()
            logger.warning(
                "%s is missing; the documentation includes it. Build the docs from a "
                "complete checkout of the repository.",
                name,
            )
            text = f".. note::\n\n   ``{name}`` was not found when this page was built.\n"
        _write_if_changed(target, text)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------------------------------
# The worked analysis, executed at build time
# ----------------------------------------------------------------------------------------


def run_worked_analysis(srcdir: Path) -> None:
    """Run ``worked_analysis.py``; raise :class:`ExtensionError` when it fails."""
    script = srcdir / "worked_analysis.py"
    out = srcdir / "_generated" / "worked"
    extra = srcdir / "_generated" / "extra" / "worked"
    out.mkdir(parents=True, exist_ok=True)
    extra.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MPLBACKEND="Agg", COLUMNS="100", PYTHONHASHSEED="0")
    start = time.perf_counter()
    logger.info("running the worked analysis (%s) ...", script.name)
    proc = subprocess.run(
        [sys.executable, str(script), "--out", str(out), "--extra", str(extra)],
        cwd=srcdir.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-40:])
        raise ExtensionError(
            f"the worked analysis {script.name} failed (exit code {proc.returncode}); "
            f"fix the script or the library before building the docs:\n{tail}"
        )
    logger.info("worked analysis done in %.1f s", time.perf_counter() - start)


def run_main_job(srcdir: Path) -> None:
    """Run ``main_job.py`` (the page "the main job from Python"); fail the build if it fails."""
    script = srcdir / "main_job.py"
    out = srcdir / "_generated" / "main_job"
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
    proc = subprocess.run(
        [sys.executable, str(script), "--out", str(out)],
        cwd=srcdir.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-40:])
        raise ExtensionError(f"{script.name} failed (exit code {proc.returncode}):\n{tail}")


def on_config_inited(app: Sphinx, config: Any) -> None:
    srcdir = Path(app.srcdir)
    (srcdir / "_generated" / "extra").mkdir(parents=True, exist_ok=True)
    convert_markdown(srcdir)
    if config.borderhub_run_worked_analysis:
        run_worked_analysis(srcdir)
        run_main_job(srcdir)


# ----------------------------------------------------------------------------------------
# Command-line reference
# ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _help_environment(width: int) -> Iterator[None]:
    """Fix the program name and terminal width so help text is stable."""
    old_argv0 = sys.argv[0] if sys.argv else ""
    old_columns = os.environ.get("COLUMNS")
    if sys.argv:
        sys.argv[0] = "borderhub"
    os.environ["COLUMNS"] = str(width)
    try:
        yield
    finally:
        if sys.argv:
            sys.argv[0] = old_argv0
        if old_columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old_columns


def borderhub_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``borderhub`` command."""
    import borderhub.cli as cli

    for name in PARSER_FACTORIES:
        factory = getattr(cli, name, None)
        if isinstance(factory, argparse.ArgumentParser):
            return factory
        if callable(factory):
            parser = factory()
            if isinstance(parser, argparse.ArgumentParser):
                return parser
    raise ExtensionError(
        "borderhub.cli exposes no function returning its argparse parser (looked for "
        f"{', '.join(PARSER_FACTORIES)}); the command-line reference is generated from it."
    )


def subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    """Return ``(name, parser)`` for each subcommand, in the order they were added."""
    found: list[tuple[str, argparse.ArgumentParser]] = []
    seen: set[int] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if id(sub) not in seen:
                    seen.add(id(sub))
                    found.append((name, sub))
    return found


class CliHelpDirective(SphinxDirective):
    """Render ``borderhub --help`` and ``borderhub <subcommand> --help`` as sections."""

    has_content = False
    option_spec = {
        "underline": directives.single_char_or_unicode,
        "width": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        underline = self.options.get("underline", "-")
        width = self.options.get("width", 72)
        with _help_environment(width):
            parser = borderhub_parser()
            pages = [("borderhub", parser)]
            pages += [(f"borderhub {name}", sub) for name, sub in subcommands(parser)]
            texts = [(title, sub.format_help()) for title, sub in pages]
        lines: list[str] = []
        for title, text in texts:
            lines += [f"``{title}``", underline * (len(title) + 6), ""]
            lines += [".. code-block:: text", ""]
            lines += [("   " + line) if line.strip() else "" for line in text.splitlines()]
            lines.append("")
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source="borderhub.cli"), container)
        return list(container.children)


# ----------------------------------------------------------------------------------------
# Reference lists in docstrings
# ----------------------------------------------------------------------------------------

_CITATION = re.compile(r"^(\s*)\.\. \[([^\]]+)\]\s+(.*)$")


def unreferenced_citations_as_paragraphs(lines: list[str]) -> list[str]:
    """Turn citations nobody refers to (``.. [1] ...`` without ``[1]_``) into paragraphs.

    numpydoc ``References`` sections often list the works behind a whole module or
    function without citing each one in the text; docutils then warns that the citation
    is not referenced. Such entries are rendered as plain paragraphs starting ``[1]``.
    """
    text = "\n".join(lines)
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _CITATION.match(lines[i])
        if not m or f"[{m.group(2)}]_" in text:
            out.append(lines[i])
            i += 1
            continue
        indent, label, first = m.groups()
        if out and out[-1].strip():
            out.append("")
        out.append(f"{indent}\\[{label}\\] {first}")
        i += 1
        while i < len(lines) and lines[i].strip() and lines[i].startswith(indent + " "):
            out.append(indent + lines[i].strip())
            i += 1
        out.append("")
    return out


def _home_attr_doc(app: Sphinx, name: str) -> list[str] | None:
    """The ``#:`` comment documenting the submodule attribute that top-level *name* is."""
    homes = (app.config.autosummary_context or {}).get("borderhub_homes", {})
    module, _, attr = name.rpartition(".")
    home = homes.get(attr) if module == "borderhub" else None
    if not home:
        return None
    home_module, _, home_attr = home.rpartition(".")
    try:
        docs = ModuleAnalyzer.for_module(home_module).find_attr_docs()
    except Exception:  # no source available: keep the default
        return None
    found = docs.get(("", home_attr))
    return list(found) if found else None


def on_process_docstring(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    if what in ("data", "attribute"):
        # a re-exported constant has no docstring of its own; use its ``#:`` comment
        own = _home_attr_doc(app, name)
        if own:
            lines[:] = own
    lines[:] = unreferenced_citations_as_paragraphs(lines)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("borderhub_run_worked_analysis", True, "env", bool)
    app.connect("config-inited", on_config_inited, priority=100)
    app.add_directive("borderhub-cli", CliHelpDirective)
    # before numpydoc (priority 500) renames the citations
    app.connect("autodoc-process-docstring", on_process_docstring, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
