"""One self-contained HTML page for a proposal: map, ranking, centres, plots, assumptions.

:func:`write_report` assembles the results of an analysis into a single ``report.html``
that opens offline (every script, style and image is inside the file; the interactive map
is embedded as a self-contained document) and prints to PDF from the browser (a print
style sheet puts each section on whole pages and shows the static map in place of the
interactive one).
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from borderhub.exceptions import DataError, SpecificationError

__all__ = ["write_report", "render_report", "estimate_caveats", "grade_caveats"]

_CSS = """
:root{--ink:#1d1d1b;--muted:#5d5d57;--rule:#d8d4c8;--accent:#8c2d04}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 "Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",
 "PingFang SC",system-ui,sans-serif;color:var(--ink);background:#fff}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;padding-bottom:3px;
 border-bottom:2px solid var(--accent)}
.meta{color:var(--muted);font-size:12.5px;margin-bottom:14px}
nav{font-size:13px;margin:8px 0 4px}nav a{margin-right:14px;color:var(--accent)}
.map{width:100%;height:720px;border:1px solid var(--rule)}
.figure{margin:10px 0 18px}.figure img,.figure svg{max-width:100%;height:auto}
.caption{color:var(--muted);font-size:12.5px}
table{border-collapse:collapse;font-size:12.5px;margin:6px 0 14px;width:auto}
th,td{border-bottom:1px solid var(--rule);padding:3px 8px;text-align:right;vertical-align:top}
th{background:#f4f1ea;text-align:left}td:first-child,th:first-child{text-align:left}
td.text{text-align:left}
dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;font-size:13px}
dt{font-weight:600}dd{margin:0}
.caveat{background:#fff7e6;border-left:4px solid #e69f00;padding:6px 10px;margin:6px 0;
 font-size:13px}
.est{background:#fff2cc}
.print-only{display:none}
@media print{
 @page{size:A4;margin:14mm}
 main{max-width:none;padding:0}nav{display:none}
 .map{display:none}.print-only{display:block}
 h2{break-after:avoid}table,.figure{break-inside:avoid}
 section{break-inside:auto}
}
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _figure_html(fig: Any, caption: str | None, fmt: str) -> str:
    """A matplotlib figure as an inline SVG or a base64 PNG."""
    buf = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
        svg = buf.getvalue().decode("utf-8")
        svg = svg[svg.index("<svg") :]
        body = svg
    else:
        fig.savefig(buf, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        alt = _esc(caption or "figure")
        body = f'<img alt="{alt}" src="data:image/png;base64,{data}">'
    cap = f'<div class="caption">{_esc(caption)}</div>' if caption else ""
    return f'<div class="figure">{body}{cap}</div>'


def _map_html(fmap: Any) -> str:
    """A folium map (or a full HTML page) as an ``<iframe srcdoc>``: one file, offline."""
    if isinstance(fmap, str):
        page = fmap
    elif hasattr(fmap, "get_root"):
        if getattr(fmap, "self_contained", True) is False:
            raise SpecificationError(
                "the map links Leaflet from a CDN, so the report would not open offline; "
                "make it with corridor_map(..., self_contained=True)."
            )
        page = fmap.get_root().render()
    else:
        raise SpecificationError(
            f"map must be a folium.Map from corridor_map or an HTML string, got "
            f"{type(fmap).__name__}."
        )
    if re.search(r"<script[^>]*\bsrc=\s*[\"']?https?:", page, flags=re.I):
        raise SpecificationError(
            "the map page loads scripts from the network, so the report would not open "
            "offline; make it with corridor_map(..., self_contained=True)."
        )
    # No sandbox: an opaque-origin frame stops Leaflet's page from drawing; the page is
    # borderhub's own, with every caller string escaped.
    return f'<iframe class="map" title="map" srcdoc="{html.escape(page, quote=True)}"></iframe>'


def _table_html(frame: pd.DataFrame, max_rows: int, estimates: Mapping[str, Any]) -> str:
    """A DataFrame as an escaped table; cells of estimated figures are highlighted."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"tables must be pandas DataFrames, got {type(frame).__name__}.")
    shown = frame.head(max_rows)
    cols = [c for c in shown.columns if not _is_provenance(str(c))]
    head = "".join(f"<th>{_esc(c)}</th>" for c in [shown.index.name or "", *cols])
    rows = []
    for label, row in shown.iterrows():
        cells = [f"<td class='text'>{_esc(label)}</td>"]
        for col in cols:
            v = row[col]
            est = _is_estimate(row, str(col), estimates)
            cls = ' class="est"' if est else ""
            if isinstance(v, float):
                txt = "" if pd.isna(v) else f"{v:,.4g}" if abs(v) < 1e5 else f"{v:,.0f}"
            else:
                txt = "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
                if isinstance(v, str):
                    cls = ' class="text est"' if est else ' class="text"'
            cells.append(f"<td{cls}>{_esc(txt)}{'*' if est else ''}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = (
        f'<div class="caption">{len(frame) - max_rows} more rows not shown.</div>'
        if len(frame) > max_rows
        else ""
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _is_provenance(col: str) -> bool:
    return bool(re.search(r"(_source|_method|_quality|_gcj02|_year)$", col)) or col in (
        "geometry",
        "coord_source",
        "coord_quality",
        "plan_text",
    )


def _is_estimate(row: pd.Series, col: str, estimates: Mapping[str, Any]) -> bool:
    q = row.get(f"{col}_quality")
    return isinstance(q, str) and q.startswith("estimate")


def estimate_caveats(*frames: pd.DataFrame) -> dict[str, str]:
    """Which figures of the given tables are estimates, from their ``<column>_quality``.

    borderhub's tables carry a quality flag next to each sourced figure (``official``,
    ``secondary``, ``estimate`` ...; see the data README). For every column with such a
    flag, count the rows flagged ``estimate`` and state the method where one is recorded
    (``<column>_method``).

    Parameters
    ----------
    *frames : DataFrame
        Tables such as :func:`borderhub.datasets.candidates` or a ranking built on it.

    Returns
    -------
    dict
        ``{column: sentence}`` for every flagged column with at least one estimate.

    Examples
    --------
    >>> from borderhub import datasets
    >>> from borderhub.report import estimate_caveats
    >>> notes = estimate_caveats(datasets.prefectures())
    >>> "express_volume" in notes
    True
    """
    out: dict[str, str] = {}
    for frame in frames:
        if not isinstance(frame, pd.DataFrame):
            raise DataError(f"estimate_caveats takes DataFrames, got {type(frame).__name__}.")
        for qcol in [c for c in frame.columns if str(c).endswith("_quality")]:
            col = str(qcol)[: -len("_quality")]
            flags = frame[qcol].astype("string").fillna("")
            est = flags.str.startswith("estimate")
            if not est.any() or col in out:
                continue
            method = ""
            mcol = f"{col}_method"
            if mcol in frame.columns:
                methods = frame.loc[est.to_numpy(), mcol].dropna().astype(str).unique()
                if len(methods):
                    method = f" Method: {methods[0]}"
                    if len(methods) > 1:
                        method += f" (and {len(methods) - 1} other method(s))"
            out[col] = (
                f"{int(est.sum())} of {len(frame)} values of '{col}' are estimates, not "
                f"published figures (marked * in the tables).{method}"
            )
    return out


def grade_caveats(*frames: pd.DataFrame) -> dict[str, str]:
    """Which grades of source the figures of the given tables rest on.

    Every figure of borderhub's tables carries the grade of its source in
    ``<column>_grade`` (:data:`borderhub.datasets.SOURCE_GRADES`: ``official``, ``news``,
    ``secondary``); an estimate carries the grade of the inputs it is built on. For every
    column with such a grade and at least one value, count the values by grade, and the
    estimates among them (``<column>_estimated``), so that a report says what its answer
    rests on.

    Parameters
    ----------
    *frames : DataFrame
        Tables such as :func:`borderhub.datasets.prefectures`.

    Returns
    -------
    dict
        ``{column: sentence}``, first table first.

    Raises
    ------
    DataError
        An argument is not a DataFrame.

    Examples
    --------
    >>> from borderhub import datasets
    >>> from borderhub.report import grade_caveats
    >>> print(grade_caveats(datasets.prefectures())["express_volume"])
    express_volume: 367 values, 23 of them figures and 344 estimates; by the grade of their source: secondary 364, news 3
    """  # noqa: E501
    out: dict[str, str] = {}
    for frame in frames:
        if not isinstance(frame, pd.DataFrame):
            raise DataError(f"grade_caveats takes DataFrames, got {type(frame).__name__}.")
        for gcol in [c for c in frame.columns if str(c).endswith("_grade")]:
            col = str(gcol)[: -len("_grade")]
            if col not in frame.columns or col in out:
                continue
            present = pd.to_numeric(frame[col], errors="coerce").notna()
            present &= frame[col].notna()
            grades = frame.loc[present.to_numpy(), gcol].astype("string").fillna("")
            if not len(grades):
                continue
            counts = grades[grades.ne("")].value_counts()
            by_grade = ", ".join(f"{g} {int(n)}" for g, n in counts.items())
            flag = f"{col}_estimated"
            mix = ""
            if flag in frame.columns:
                est = int(frame.loc[present.to_numpy(), flag].eq(True).sum())
                mix = f", {len(grades) - est} of them figures and {est} estimates"
            out[col] = (
                f"{col}: {len(grades)} values{mix}; by the grade of their source: "
                f"{by_grade or 'none recorded'}"
            )
    return out


def write_report(path: str | Path, **content: Any) -> Path:
    """Write the page of :func:`render_report` to ``path``.

    Parameters
    ----------
    path : str or Path
        The ``.html`` file to write (its directory must exist).
    **content
        The sections, as for :func:`render_report`.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    SpecificationError
        A path that does not end in ``.html``, or what :func:`render_report` raises.
    DataError
        A table that is not a DataFrame.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub import datasets
    >>> from borderhub.report import write_report
    >>> cand = datasets.candidates()
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> centres = cand.loc[["110000", "330782"], ["name", "express_volume",
    ...                                            "express_volume_quality"]]
    >>> _ = write_report(out, title="Demo", centres=centres, assumptions={"p": 2})
    >>> page = out.read_text(encoding="utf-8")
    >>> "<script src" in page, "Demo" in page
    (False, True)
    >>> "1 of 2 values of &#x27;express_volume&#x27; are estimates" in page  # 义乌's volume
    True
    """
    out = Path(path)
    if out.suffix.lower() not in (".html", ".htm"):
        raise SpecificationError(f"path {str(path)!r} must end in .html (e.g. report.html).")
    out.write_text(render_report(**content), encoding="utf-8")
    return out


def render_report(
    *,
    title: str = "borderhub plan",
    map: Any = None,  # noqa: A002 - the natural name for the caller
    static_figure: Any = None,
    ranking: pd.DataFrame | None = None,
    centres: pd.DataFrame | None = None,
    figures: Mapping[str, Any] | Iterable[Any] | None = None,
    assumptions: Mapping[str, Any] | None = None,
    caveats: Mapping[str, str] | Iterable[str] | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    summary: str | None = None,
    max_rows: int = 60,
    figure_format: str = "svg",
) -> str:
    """One self-contained, printable HTML page with the results of a plan.

    Sections, in order (each only when given): summary, the interactive map (a
    self-contained :func:`borderhub.maps.corridor_map`, embedded as an ``iframe srcdoc``
    so the page stays one file), the static map (shown in print instead of the
    interactive map), the chosen centres, the ranked candidates, the plots, further tables,
    the assumptions, and the data caveats -- the caller's, followed by the figures the
    tables mark as estimates (see :func:`estimate_caveats`), which are also starred in the
    tables. Nothing is loaded from the network; the page prints to PDF from the browser
    (A4, the static map in place of the interactive one).

    Parameters
    ----------
    title : str, default "borderhub plan"
        Page title and heading.
    map : folium.Map or str, optional
        A map from ``corridor_map(..., self_contained=True)``, or a full HTML page.
    static_figure : matplotlib.figure.Figure, optional
        A :func:`borderhub.maps.static_map` figure: shown under the interactive map and in
        print.
    ranking : DataFrame, optional
        The ranked candidates (e.g. :func:`borderhub.score`'s output joined to the
        candidate table); the first ``max_rows`` rows are shown.
    centres : DataFrame, optional
        The chosen centres with their statistics.
    figures : mapping of caption to Figure, or iterable of Figures, optional
        Plots (matplotlib figures), inlined as SVG (or PNG, ``figure_format="png"``).
    assumptions : mapping, optional
        Parameters and assumptions of the analysis, shown as a definition list.
    caveats : mapping or iterable of str, optional
        Data caveats in the caller's words.
    tables : mapping of caption to DataFrame, optional
        Further tables.
    summary : str, optional
        A paragraph of text at the top.
    max_rows : int, default 60
        Rows shown per table.
    figure_format : {"svg", "png"}, default "svg"
        How plots are inlined.

    Returns
    -------
    str
        The page (:func:`write_report` writes it to a file).

    Raises
    ------
    SpecificationError
        A map that would need the network, or an unknown ``figure_format``.
    DataError
        A table that is not a DataFrame.

    Examples
    --------
    >>> from borderhub.report import render_report
    >>> page = render_report(title="Demo", assumptions={"p": 2})
    >>> page.startswith("<!DOCTYPE html>"), "<dd>2</dd>" in page
    (True, True)
    """
    if figure_format not in ("svg", "png"):
        raise SpecificationError(f"figure_format must be 'svg' or 'png', got {figure_format!r}.")
    if not isinstance(max_rows, int) or max_rows < 1:
        raise SpecificationError(f"max_rows must be a positive integer, got {max_rows!r}.")
    sections: list[tuple[str, str, str]] = []  # id, heading, html
    est_frames: list[pd.DataFrame] = []
    if summary:
        sections.append(("summary", "Summary", f"<p>{_esc(summary)}</p>"))
    if map is not None or static_figure is not None:
        body = ""
        if map is not None:
            body += _map_html(map)
        if static_figure is not None:
            cls = "print-only" if map is not None else ""
            body += f'<div class="{cls}">{_figure_html(static_figure, None, "png")}</div>'
        sections.append(("map", "Map", body))
    if centres is not None:
        sections.append(("centres", "Chosen centres", _table_html(centres, max_rows, {})))
        est_frames.append(centres)
    if ranking is not None:
        sections.append(("ranking", "Ranked candidates", _table_html(ranking, max_rows, {})))
        est_frames.append(ranking)
    if figures is not None:
        items = figures.items() if isinstance(figures, Mapping) else ((None, f) for f in figures)
        body = "".join(_figure_html(fig, cap, figure_format) for cap, fig in items)
        sections.append(("plots", "Plots", body))
    for caption, frame in (tables or {}).items():
        slug = "table-" + re.sub(r"\W+", "-", str(caption)).strip("-").lower()
        sections.append((slug, str(caption), _table_html(frame, max_rows, {})))
        est_frames.append(frame)
    if assumptions:
        items_html = "".join(
            f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in assumptions.items()
        )
        sections.append(("assumptions", "Assumptions", f"<dl>{items_html}</dl>"))
    notes: list[str] = []
    if caveats:
        notes.extend(f"{k}: {v}" for k, v in caveats.items()) if isinstance(
            caveats, Mapping
        ) else notes.extend(str(c) for c in caveats)
    # the ranking first: it has every candidate, so its counts are the informative ones
    if ranking is not None:
        est_frames = [ranking, *(f for f in est_frames if f is not ranking)]
    auto = estimate_caveats(*est_frames) if est_frames else {}
    notes.extend(auto.values())
    if notes:
        body = "".join(f'<div class="caveat">{_esc(n)}</div>' for n in notes)
        sections.append(("caveats", "Data caveats (which figures are estimates)", body))
    nav = "".join(f'<a href="#{sid}">{_esc(head)}</a>' for sid, head, _ in sections)
    body = "".join(
        f'<section id="{sid}"><h2>{_esc(head)}</h2>{content}</section>'
        for sid, head, content in sections
    )
    page = (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{_esc(title)}</h1>"
        '<div class="meta">Generated by borderhub. Self-contained: opens offline; print '
        "to PDF from the browser.</div>"
        f"<nav>{nav}</nav>{body}</main></body></html>\n"
    )
    return page
