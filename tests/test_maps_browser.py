"""Open saved self-contained maps in headless Chromium with no network.

Each map is saved to a file and opened from ``file://`` with every HTTP(S) request sent to
a dead proxy, so the page can only work if Leaflet is inside it. Chromium's console is read
from its log (uncaught errors) and the rendered DOM is dumped to count the drawn paths; a
second run opens a copy of the page with a small probe script that reports the Leaflet map
and its layers. A screenshot of each map is kept under ``artifacts/browser/``.

Needs Debian's ``chromium`` (``apt-get install chromium``) or ``BORDERHUB_CHROMIUM`` set to
a Chrome/Chromium binary. Without one the tests fail when the ``CI`` environment variable
is set and are skipped otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from test_maps import (
    make_candidates,
    make_corridors,
    make_demand,
    make_partners,
    make_scores,
    make_solution,
)

from borderhub.maps import corridor_map
from borderhub.maps._core.web import _layer_summary

pytestmark = pytest.mark.browser

ARTIFACTS = Path(
    os.environ.get("BORDERHUB_ARTIFACTS", Path(__file__).resolve().parents[1] / "artifacts")
)
XSS = '<img src=x onerror="alert(2)">'
TITLE = "RCEP 通道 <script>alert(1)</script> " + XSS


def _chromium() -> str:
    explicit = os.environ.get("BORDERHUB_CHROMIUM")
    candidates = [explicit] if explicit else ["chromium", "chromium-browser", "google-chrome"]
    for name in candidates:
        path = shutil.which(name) if name else None
        if path:
            return path
    message = (
        "headless Chromium not found (looked for "
        f"{candidates}); install Debian's chromium package (apt-get install chromium) "
        "or set BORDERHUB_CHROMIUM to a Chrome/Chromium binary"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium() -> str:
    return _chromium()


def _run(
    chromium: str, tmp: Path, url: str, *extra: str, window: str = "1280,860"
) -> subprocess.CompletedProcess:
    args = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        # No network: every http(s) request goes to a closed local port.
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        f"--user-data-dir={tmp / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        "--hide-scrollbars",
        f"--window-size={window}",
        "--virtual-time-budget=5000",
        *extra,
        url,
    ]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    return proc


def _console_errors(stderr: str) -> list[str]:
    lines = [ln for ln in stderr.splitlines() if ":CONSOLE" in ln]
    return [ln for ln in lines if re.search(r"Uncaught|Error|alert", ln)]


def _paths(dom: str) -> tuple[int, int]:
    """(circle markers, polylines) among Leaflet's interactive SVG paths."""
    markers = lines = 0
    for tag in re.findall(r"<path\b[^>]*>", dom):
        if "leaflet-interactive" not in tag:
            continue
        d = re.search(r'\bd="([^"]*)"', tag)
        if d and "a" in d.group(1):  # circle markers are drawn with arc commands
            markers += 1
        else:
            lines += 1
    return markers, lines


PROBE_HEAD = """<script>
window.__errors = []; window.__alerts = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
window.alert = function (m) { window.__alerts.push(String(m)); };
</script>"""
PROBE_TAIL = """<script>
(function () {
  var out = {errors: window.__errors, alerts: window.__alerts, leaflet: null, maps: 0,
             markers: 0, lines: 0, title: null, legend: null, tooltip: null, popup: null,
             injected: 0};
  if (typeof L !== "undefined") {
    out.leaflet = L.version;
    for (var k in window) {
      var v; try { v = window[k]; } catch (e) { continue; }
      if (v instanceof L.Map) {
        out.maps++;
        var b = v.getBounds(), z = v.getSize();
        out.view = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast(), z.x, z.y];
        v.eachLayer(function (l) {
          // the vector basemap and choropleth (canvas panes "bh...") are not content layers
          if (l.options && String(l.options.pane || "").indexOf("bh") === 0) { return; }
          if (l instanceof L.CircleMarker) { out.markers++; }
          else if (l instanceof L.Polyline) { out.lines++; }
          // Open the first tooltip and popup that carry the hostile name.
          var t = l.getTooltip && l.getTooltip();
          if (t && out.tooltip === null && String(t.getContent()).indexOf("onerror") >= 0) {
            l.openTooltip();
            out.tooltip = t.getElement() ? t.getElement().textContent : "";
          }
          var p = l.getPopup && l.getPopup();
          if (p && out.popup === null && String(p.getContent()).indexOf("onerror") >= 0) {
            l.openPopup();
            out.popup = p.getElement() ? p.getElement().textContent : "";
          }
        });
      }
    }
  }
  out.injected = document.querySelectorAll('img[src="x"], .leaflet-pane script').length;
  var t = document.querySelector(".borderhub-title");
  out.title = t ? t.textContent : null;
  var g = document.querySelector(".borderhub-legend");
  out.legend = g ? g.textContent : null;
  out.scs_inset = document.querySelectorAll(".borderhub-scs .leaflet-container, "
    + ".borderhub-scs.leaflet-container").length;
  out.labels = [];
  document.querySelectorAll(".bh-label").forEach(function (e) {
    out.labels.push([e.textContent, e.classList.contains("bh-hide")]);
  });
  var p = document.createElement("pre"); p.id = "borderhub-probe";
  p.textContent = JSON.stringify(out); document.body.appendChild(p);
})();
</script>"""


def _probe(chromium: str, tmp: Path, page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    assert text.count("<head>") == 1
    probed = tmp / f"probe-{page.name}"
    probed.write_text(
        text.replace("<head>", "<head>" + PROBE_HEAD, 1).replace("</html>", PROBE_TAIL + "</html>"),
        encoding="utf-8",
    )
    proc = _run(chromium, tmp, probed.as_uri(), "--dump-dom")
    found = re.search(r'<pre id="borderhub-probe">(.*?)</pre>', proc.stdout, flags=re.S)
    assert found, f"probe did not run; console:\n{_console_errors(proc.stderr)}"
    import html

    return json.loads(html.unescape(found.group(1)))


def _expected(m) -> tuple[int, int]:
    shown = [v for v in _layer_summary(m).values() if v[2]]
    return sum(v[0] for v in shown), sum(v[1] for v in shown)


def _check_map(chromium: str, tmp: Path, m, name: str) -> dict:
    page = tmp / f"{name}.html"
    m.save(page)
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc=|<link\b", text)
    markers, lines = _expected(m)

    # 1. The saved file as is: no console errors, the map is drawn with every path.
    proc = _run(chromium, tmp, page.as_uri(), "--dump-dom")
    assert _console_errors(proc.stderr) == []
    dom = proc.stdout
    assert 'class="folium-map leaflet-container' in dom
    assert "leaflet-control-layers" in dom and "leaflet-control-scale" in dom
    assert _paths(dom) == (markers, lines)
    assert '<img src="x"' not in dom and "<img src=x" not in dom

    # 2. A probed copy: the Leaflet map object, its layers, no errors, no alert.
    out = _probe(chromium, tmp, page)
    assert out["errors"] == [] and out["alerts"] == []
    assert out["leaflet"] == "1.9.4"
    assert out["maps"] == 1
    assert (out["markers"], out["lines"]) == (markers, lines)

    # 3. A screenshot, kept as an artifact.
    ARTIFACTS.joinpath("browser").mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "browser" / f"{name}.png"
    shot.unlink(missing_ok=True)
    _run(chromium, tmp, page.as_uri(), f"--screenshot={shot}")
    assert shot.exists() and shot.stat().st_size > 10_000
    from matplotlib.image import imread

    pixels = imread(shot)
    assert pixels.shape[:2] == (860, 1280)
    assert len({tuple(p) for p in pixels[::8, ::8].reshape(-1, pixels.shape[-1]).tolist()}) > 20
    return out


def test_self_contained_map_in_browser(chromium, tmp_path):
    cand = make_candidates()
    cand.loc["110000", "name"] = XSS
    m = corridor_map(
        cand,
        solution=make_solution(),
        partners=make_partners(),
        corridors=make_corridors(),
        scores=make_scores(),
        demand=make_demand(),
        tiles=None,
        self_contained=True,
        title=TITLE,
        extent="content",
    )
    out = _check_map(chromium, tmp_path, m, "corridor_map_small")
    assert out["title"] == TITLE  # shown as text
    assert XSS in out["tooltip"] and XSS in out["popup"]  # opened, shown as text
    assert out["injected"] == 0
    assert "Legend" in out["legend"] and "航空" in out["legend"]


def test_offline_tiles_do_not_break_the_page(chromium, tmp_path):
    m = corridor_map(
        make_candidates(),
        partners=make_partners(),
        corridors=make_corridors(),
        tiles="amap",
        self_contained=True,
        lang="en",
        extent="content",
    )
    page = tmp_path / "amap.html"
    m.save(page)
    proc = _run(chromium, tmp_path, page.as_uri(), "--dump-dom")
    errors = [e for e in _console_errors(proc.stderr) if "Failed to load resource" not in e]
    assert errors == []
    assert _paths(proc.stdout) == _expected(m)


@pytest.mark.slow
def test_full_dataset_map_in_browser(chromium, tmp_path):
    """The 60 places, 367 demand units, partner hubs and corridors, as in the benchmark."""
    from borderhub import datasets
    from borderhub.geo import distance_matrix

    cand = datasets.candidates()
    demand = datasets.prefectures()
    centres = [
        x for x in ("110000", "310000", "440100", "510100", "610100", "420700") if x in cand.index
    ]
    dist = distance_matrix(demand, cand.loc[centres])
    assignment = pd.DataFrame(
        {
            "facility": dist.idxmin(axis=1),
            "cost": dist.min(axis=1),
            "weight": demand["population"] / 1e6,
        }
    )
    m = corridor_map(
        solution=assignment,
        demand=demand,
        tiles=None,
        self_contained=True,
        title="RCEP corridors",
        extent="content",
    )
    assert _layer_summary(m)["方案 · 需求分配"][1] == len(demand)
    _check_map(chromium, tmp_path, m, "corridor_map_full")


def _china_share(view: list[float]) -> float:
    """Share of the viewport (south, west, north, east) covered by China's land."""
    import shapely
    from pyproj import Transformer

    from borderhub.datasets import boundaries

    south, west, north, east = view[:4]
    to_merc = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    x0, y0 = to_merc.transform(west, south)
    x1, y1 = to_merc.transform(east, north)
    box = shapely.box(x0, y0, x1, y1)
    china = boundaries("country").to_crs("EPSG:3857").geometry.iloc[0]
    return float(china.intersection(box).area / box.area)


def _real_solution(n: int = 8) -> tuple:
    from borderhub import datasets
    from borderhub.geo import distance_matrix

    cand = datasets.candidates()
    demand = datasets.prefectures()
    centres = cand.sort_values("express_volume", ascending=False).index[:n].tolist()
    dist = distance_matrix(demand, cand.loc[centres])
    assignment = pd.DataFrame(
        {
            "facility": dist.idxmin(axis=1),
            "cost": dist.min(axis=1),
            "weight": demand["express_volume"],
        }
    )
    return cand, demand, assignment


@pytest.mark.parametrize("choropleth", [None, "centre"])
def test_default_map_shows_china_offline_with_labels(chromium, tmp_path, choropleth):
    """The default view at 1400x1000, no network: China fills the view, land drawn, labels."""
    from matplotlib.image import imread

    from borderhub._cartography import LAND, SEA

    cand, demand, assignment = _real_solution()
    m = corridor_map(
        cand,
        solution=assignment,
        demand=demand,
        self_contained=True,
        title="跨境寄递服务中心 · 8 个中心",
        choropleth=choropleth,
    )
    name = "corridor_map_china" + (f"_{choropleth}" if choropleth else "")
    page = tmp_path / f"{name}.html"
    m.save(page)
    out = _probe(chromium, tmp_path, page)
    assert out["errors"] == [] and out["alerts"] == []
    # 1. mainland China fills at least 40 % of a 1400x1000 viewport
    import html

    probe = tmp_path / f"probe-{page.name}"
    height = 1000
    for _ in range(2):  # headless --dump-dom may keep room for browser chrome: compensate
        proc = _run(chromium, tmp_path, probe.as_uri(), "--dump-dom", window=f"1400,{height}")
        found = re.search(r'<pre id="borderhub-probe">(.*?)</pre>', proc.stdout, flags=re.S)
        assert found
        big = json.loads(html.unescape(found.group(1)))
        height += 1000 - big["view"][5]
    assert big["view"][4:] == [1400, 1000]
    assert big["scs_inset"] == 1  # the South China Sea islands, in a fixed inset
    share = _china_share(big["view"])
    assert share >= 0.40, share
    # 2. labels of the chosen centres are present (most of them shown)
    names = set(cand.loc[assignment["facility"].unique(), "name"])
    shown = {t for t, hidden in big["labels"] if not hidden}
    assert {t for t, _ in big["labels"]} >= names
    assert len(shown & names) >= len(names) - 2
    # 3. with no network the land is drawn (the vector basemap), not blank
    ARTIFACTS.joinpath("browser").mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "browser" / f"{name}.png"
    shot.unlink(missing_ok=True)
    _run(chromium, tmp_path, page.as_uri(), f"--screenshot={shot}", window="1400,1000")
    pixels = (imread(shot)[..., :3] * 255).round().astype(int)
    assert pixels.shape[:2] == (1000, 1400)

    def share_of(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        return float((abs(pixels - rgb).max(axis=-1) <= 3).mean())

    assert share_of(SEA) > 0.03  # the sea is drawn
    if choropleth is None:
        assert share_of(LAND) > 0.15  # China's land, visible between the overlays
    else:
        colours = {tuple(p) for p in pixels[::7, ::7].reshape(-1, 3).tolist()}
        assert len(colours) > 200  # the choropleth's clusters


def test_report_page_draws_the_map_offline(chromium, tmp_path):
    """report.html from a file with no network: the embedded map draws, tables are there."""
    from matplotlib.image import imread

    from borderhub._cartography import SEA
    from borderhub.report import write_report

    cand, demand, assignment = _real_solution()
    m = corridor_map(cand, solution=assignment, demand=demand, self_contained=True)
    centres = cand.loc[assignment["facility"].unique(), ["name", "express_volume"]]
    page = write_report(tmp_path / "report.html", title="方案", map=m, centres=centres)
    proc = _run(chromium, tmp_path, page.as_uri(), "--dump-dom")
    assert _console_errors(proc.stderr) == []
    assert "Chosen centres" in proc.stdout
    ARTIFACTS.joinpath("browser").mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "browser" / "report.png"
    shot.unlink(missing_ok=True)
    _run(chromium, tmp_path, page.as_uri(), f"--screenshot={shot}", window="1300,1000")
    pixels = (imread(shot)[..., :3] * 255).round().astype(int)
    rgb = [int(SEA[i : i + 2], 16) for i in (1, 3, 5)]
    assert (abs(pixels - rgb).max(axis=-1) <= 3).mean() > 0.01  # the map's sea is drawn
