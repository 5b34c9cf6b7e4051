"""Road, rail and sea network distances and routes, offline.

Straight lines understate how far a parcel travels and ignore where it can cross a border.
This module measures distances along real networks, with data installed from the package
index (the optional extra ``network``: ``pip install "borderhub[network]"``), never fetched
at import or run time:

* **road** -- the world highway network of the ``scgraph_data`` package (its module
  ``world_highways``), derived from OpenStreetMap;
* **rail** -- the world railway network of ``scgraph_data`` (``world_railways``), derived
  from OpenStreetMap;
* **sea** -- the maritime network ("marnet") shipped with the ``searoute`` package, with
  its straits and canals tagged; passages not in regular use (the Northwest Passage and,
  through the Bering Strait, the Arctic routes) are closed by default.

Road and rail data: © OpenStreetMap contributors, available under the Open Database
Licence (ODbL 1.0); the ``scgraph_data`` code is MIT-licensed, ``searoute`` Apache-2.0.
Anything drawn or published from these distances must carry the OpenStreetMap attribution.

How a distance is made
----------------------
1. The network's module body is read as data (its ``graph`` adjacency lists in km and its
   ``nodes`` as ``[lat, lon]``) -- the module is not imported, so the version of ``scgraph``
   installed beside it does not matter. Road and rail are clipped to :data:`REGION`
   (China, its neighbours and the corridors to Moscow and the eastern border of the EU);
   every edge is given at least the ellipsoidal geodesic length between its end nodes.
2. Each point is **snapped** to the nearest node of the network (a KD-tree on 3-D unit
   vectors), considering only nodes of connected pieces with at least
   :data:`MIN_COMPONENT_NODES` nodes, so that no point is stranded on a fragment. The snap
   distance is reported; a point farther than ``max_snap_km`` (default
   :data:`MAX_SNAP_KM` of the mode) from the network is refused with a
   :class:`~borderhub.exceptions.DataError`.
3. Shortest paths from the smaller side run with :func:`scipy.sparse.csgraph.dijkstra` on
   a CSR matrix. The distance is the snap leg at each end plus the network path, so it is
   never shorter than the geodesic between the two points (triangle inequality); pairs the
   network does not connect are NaN.

Results of :func:`distance_matrix` are kept in a disk cache keyed by the network (package
and version, region, passages) and the exact coordinates; see :func:`cache_dir`. Nothing
is written at import, and ``cache=False`` writes nothing at all.

What the data are and are not: simplified snapshots (scgraph_data 2.0.0, 2024) of major
roads and railways, undirected, with no speeds, gauges, capacities or border opening
hours. The road snapshot has no link between Hainan (or the Zhoushan archipelago) and the
mainland, so those pairs are NaN by road. The China--Laos railway (Kunming--Vientiane,
opened on 3 December 2021, 1,035 km as reported by Xinhua that day) is in the rail snapshot: the
path measures 1,024 km.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata, util
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from borderhub._lonlat import unit_vectors
from borderhub.exceptions import DataError, SpecificationError

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    from scipy.sparse import csr_matrix
    from shapely.geometry import LineString

__all__ = [
    "MODES",
    "REGION",
    "MAX_SNAP_KM",
    "MIN_COMPONENT_NODES",
    "CLOSED_PASSAGES",
    "PASSAGES",
    "CACHE_ENV",
    "Route",
    "cache_dir",
    "distance_matrix",
    "route",
    "border_crossings",
    "network_info",
]

#: the transport modes with a network
MODES = ("road", "rail", "sea")

#: ``(lon_min, lat_min, lon_max, lat_max)`` in WGS84 degrees to which road and rail are
#: clipped: China and every neighbour, Central Asia, Russia to Moscow and the EU's eastern
#: border (Poland), South and Southeast Asia, Korea and Japan.
REGION = (20.0, -11.0, 180.0, 78.0)

#: the farthest (km) a point may lie from its network before it is refused
MAX_SNAP_KM = {"road": 50.0, "rail": 100.0, "sea": 300.0}

#: nodes of connected pieces smaller than this are never snapped to
MIN_COMPONENT_NODES = 50

#: the tagged straits and canals of the sea network (``searoute``'s passages)
PASSAGES = (
    "babalmandab",
    "bering",
    "bosporus",
    "chili",
    "dardanelles",
    "gibraltar",
    "malacca",
    "northwest",
    "ormuz",
    "panama",
    "south_africa",
    "suez",
    "sunda",
)

#: passages closed unless asked for: not in regular use by container shipping
CLOSED_PASSAGES = ("bering", "northwest")

#: environment variable that overrides the cache directory
CACHE_ENV = "BORDERHUB_CACHE_DIR"

_EXTRA_HINT = 'install the optional extra: pip install "borderhub[network]"'
_SOURCES = {
    "road": ("scgraph_data", "world_highways"),
    "rail": ("scgraph_data", "world_railways"),
    "sea": ("searoute", "marnet"),
}
_CACHE_FORMAT = "borderhub-network-1"


# ----------------------------------------------------------------------------------------
# Options
# ----------------------------------------------------------------------------------------


def _check_mode(mode: Any) -> str:
    if not isinstance(mode, str) or mode.lower() not in MODES:
        raise SpecificationError(f"unknown network mode {mode!r}; choose one of {list(MODES)}.")
    return mode.lower()


def _check_avoid(mode: str, avoid: Iterable[str] | None) -> tuple[str, ...]:
    if avoid is None:
        return CLOSED_PASSAGES if mode == "sea" else ()
    if isinstance(avoid, str):
        avoid = (avoid,)
    out = tuple(sorted({str(a).lower() for a in avoid}))
    unknown = [a for a in out if a not in PASSAGES]
    if unknown:
        raise SpecificationError(
            f"unknown sea passage(s) {unknown} in avoid=; choose from {list(PASSAGES)}."
        )
    if out and mode != "sea":
        raise SpecificationError(
            f"avoid= closes sea passages and applies only to mode='sea', not {mode!r}; remove it."
        )
    return out


def _km(value: Any, name: str, *, zero: bool = False) -> float:
    """A finite number of km, positive (or >= 0 with ``zero``), or a SpecificationError."""
    bound = ">= 0" if zero else "> 0"
    try:
        km = float(value)
    except (TypeError, ValueError) as err:
        raise SpecificationError(f"{name} must be a number of km {bound}, got {value!r}.") from err
    if not (np.isfinite(km) and (km >= 0 if zero else km > 0)):
        raise SpecificationError(f"{name} must be a finite number of km {bound}, got {value!r}.")
    return km


def _snap_limit(mode: str, max_snap_km: float | None) -> float:
    return MAX_SNAP_KM[mode] if max_snap_km is None else _km(max_snap_km, "max_snap_km")


def _version_of(package: str) -> str:
    """The installed version of a data package, or an error naming the extra."""
    if util.find_spec(package) is None:
        raise SpecificationError(
            f"network distances need the package {package!r}, which is not installed; "
            f"{_EXTRA_HINT} (or use the geodesic distances of borderhub.geo)."
        )
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:  # pragma: no cover - importable but not installed
        return "unknown"


# ----------------------------------------------------------------------------------------
# Reading the networks
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Network:
    """A network clipped to a region: node coordinates and a symmetric CSR of km."""

    mode: str
    source: str
    lon: np.ndarray
    lat: np.ndarray
    graph: csr_matrix
    snappable: np.ndarray  # node ids that may be snapped to
    passage: dict[tuple[int, int], str] = field(default_factory=dict)

    @functools.cached_property
    def tree(self) -> Any:
        from scipy.spatial import cKDTree

        return cKDTree(unit_vectors(self.lon[self.snappable], self.lat[self.snappable]))


def _geodesic_km(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> np.ndarray:
    from pyproj import Geod

    _, _, metres = Geod(ellps="WGS84").inv(
        np.asarray(lon1, dtype=float),
        np.asarray(lat1, dtype=float),
        np.asarray(lon2, dtype=float),
        np.asarray(lat2, dtype=float),
    )
    return np.asarray(metres, dtype=float) / 1000.0


def _module_lines(package: str, module: str) -> dict[str, str]:
    """The ``graph=`` and ``nodes=`` lines of a scgraph_data module, read as text."""
    spec = util.find_spec(f"{package}.{module}")
    if spec is None or spec.origin is None:
        raise SpecificationError(
            f"the network module {package}.{module} is missing; {_EXTRA_HINT}."
        )
    found: dict[str, str] = {}
    with open(spec.origin, encoding="utf-8") as fh:
        for line in fh:
            for key in ("graph", "nodes"):
                if line.startswith(f"{key}=") or line.startswith(f"{key} = "):
                    found[key] = line.split("=", 1)[1].strip()
    if set(found) != {"graph", "nodes"}:
        raise DataError(
            f"{spec.origin} does not have the expected 'graph=' and 'nodes=' lines; "
            "install scgraph_data 2.x (pip install 'scgraph_data>=2,<3')."
        )
    return found


def _numbers(text: str, where: str) -> np.ndarray:
    """Comma-separated numbers to a float array, parsed in C (no Python object per number)."""
    if not text.strip():
        return np.zeros(0, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a malformed token must not pass silently
        try:
            return np.fromstring(text, dtype=float, sep=",")
        except (ValueError, DeprecationWarning) as err:
            raise DataError(f"{where}: non-numeric entries ({err}).") from err


def _parse_scgraph(package: str, module: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes (lon, lat) and edges (i, j, km) of a scgraph_data module, without importing it.

    ``nodes=[[lat, lon], ...]`` and ``graph=[{j: km, ...}, ...]`` are turned into flat
    comma-separated numbers by string operations and parsed by NumPy; the rows of the
    adjacency list are counted by their colons. A format surprise raises DataError.
    """
    lines = _module_lines(package, module)
    where = f"{package}.{module}"
    nodes_txt, body = lines["nodes"], lines["graph"]
    if not (nodes_txt.startswith("[[") and nodes_txt.endswith("]]")):
        raise DataError(f"{where}: unexpected layout of 'nodes'; install scgraph_data 2.x.")
    if not (body.startswith("[{") and body.endswith("}]")):
        raise DataError(f"{where}: unexpected layout of 'graph'; install scgraph_data 2.x.")
    flat_nodes = _numbers(nodes_txt[2:-2].replace("], [", ","), where)
    n = len(flat_nodes) // 2
    if 2 * n != len(flat_nodes) or nodes_txt.count("[") != n + 1:
        raise DataError(f"{where}: 'nodes' is not a list of [lat, lon] pairs.")
    rows = body[2:-2].split("}, {")
    if len(rows) != n:
        raise DataError(
            f"{where}: {len(rows)} adjacency rows for {n} nodes; the module is corrupt or of "
            "an unknown version."
        )
    counts = np.fromiter((r.count(":") for r in rows), dtype=np.int64, count=len(rows))
    flat = _numbers(",".join(r for r in rows if r).replace(":", ","), where)
    if len(flat) != 2 * int(counts.sum()):
        raise DataError(f"{where}: adjacency entries could not be read as 'node: km' pairs.")
    j, km = flat[0::2], flat[1::2]
    if len(j) and (j.min() < 0 or j.max() >= n or not np.all(j == np.floor(j))):
        raise DataError(f"{where}: adjacency refers to nodes outside the node list.")
    i = np.repeat(np.arange(n, dtype=np.int64), counts)
    lat, lon = flat_nodes[0::2], flat_nodes[1::2]
    return lon.copy(), lat.copy(), np.column_stack([i, j.astype(np.int64), km])


def _parse_marnet() -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Nodes and edges of searoute's maritime network, with each edge's passage tag."""
    spec = util.find_spec("searoute")
    if spec is None or not spec.submodule_search_locations:
        raise SpecificationError(f"sea distances need the package 'searoute'; {_EXTRA_HINT}.")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "marnet_searoute.geojson"
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as err:
        raise DataError(f"cannot read the sea network {path}: {err}") from err
    coords: list[tuple[float, float]] = []
    pairs: list[tuple[int, int]] = []
    tags: list[str] = []
    for feat in features:
        geom = feat.get("geometry") or {}
        parts = geom.get("coordinates") or []
        if geom.get("type") == "LineString":
            parts = [parts]
        tag = str((feat.get("properties") or {}).get("passage") or "")
        for part in parts:
            start = len(coords)
            coords.extend((float(x), float(y)) for x, y, *_ in part)
            pairs.extend((k, k + 1) for k in range(start, len(coords) - 1))
            tags.extend([tag] * (len(part) - 1))
    xy = np.asarray(coords, dtype=float)
    lon = (xy[:, 0] + 180.0) % 360.0 - 180.0  # 187.7 -> -172.3: one node per place
    key = np.round(np.column_stack([lon, xy[:, 1]]), 6)
    uniq, inverse = np.unique(key, axis=0, return_inverse=True)
    p = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    i, j = inverse.ravel()[p[:, 0]], inverse.ravel()[p[:, 1]]
    km = _geodesic_km(uniq[i, 0], uniq[i, 1], uniq[j, 0], uniq[j, 1])
    return uniq[:, 0], uniq[:, 1], np.column_stack([i, j, km]), tags


def _build(
    mode: str,
    lon: np.ndarray,
    lat: np.ndarray,
    edges: np.ndarray,
    keep: np.ndarray,
    source: str,
    tags: Sequence[str] | None = None,
) -> _Network:
    """Clip to the kept nodes, drop self-loops, lengthen to geodesic, symmetrise to CSR."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    i, j, km = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64), edges[:, 2]
    ok = keep[i] & keep[j] & (i != j)
    new_id = np.cumsum(keep) - 1
    i, j, km = new_id[i[ok]], new_id[j[ok]], km[ok]
    tag = np.asarray(tags, dtype=object)[ok] if tags is not None else None
    lon, lat = lon[keep], lat[keep]
    # symmetric, the shorter of parallel edges kept: order each pair, take the minimum
    a, b = np.minimum(i, j), np.maximum(i, j)
    order = np.lexsort((km, b, a))
    a, b, km = a[order], b[order], km[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    a, b, km = a[first], b[first], km[first]
    # an edge is at least as long as the geodesic between its end nodes
    km = np.maximum(km, _geodesic_km(lon[a], lat[a], lon[b], lat[b]))
    n = len(lon)
    sym = coo_matrix(
        (np.concatenate([km, km]), (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n)
    ).tocsr()
    passage: dict[tuple[int, int], str] = {}
    if tag is not None:
        tag = tag[order][first]
        for x, y, t in zip(a.tolist(), b.tolist(), tag.tolist(), strict=True):
            if t:
                passage[(x, y)] = t
    _, label = connected_components(sym, directed=False)
    sizes = np.bincount(label)
    snappable = np.flatnonzero(sizes[label] >= min(MIN_COMPONENT_NODES, sizes.max()))
    return _Network(mode, source, lon, lat, sym, snappable, passage)


def _network(mode: str, avoid: tuple[str, ...] = ()) -> _Network:
    """The network of a mode; an error naming the extra when its package is missing."""
    _version_of(_SOURCES[mode][0])
    return _load(mode, avoid)


@functools.lru_cache(maxsize=4)
def _load(mode: str, avoid: tuple[str, ...] = ()) -> _Network:
    """The network of a mode, read once per process (the parsed data are read-only)."""
    package, module = _SOURCES[mode]
    version = _version_of(package)
    source = f"{package} {version} {module}"
    if mode == "sea":
        lon, lat, edges, tags = _parse_marnet()
        open_ = np.array([t not in avoid for t in tags], dtype=bool)
        edges, tags = edges[open_], [t for t, o in zip(tags, open_, strict=True) if o]
        return _build(mode, lon, lat, edges, np.ones(len(lon), dtype=bool), source, tags)
    lon, lat, edges = _parse_scgraph(package, module)
    x0, y0, x1, y1 = REGION
    keep = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    return _build(mode, lon, lat, edges, keep, source)


def _network_key(mode: str, avoid: tuple[str, ...]) -> str:
    package, module = _SOURCES[mode]
    return json.dumps(
        [_CACHE_FORMAT, mode, package, _version_of(package), module, REGION, MIN_COMPONENT_NODES]
        + [list(avoid)]
    )


def network_info(mode: str = "road", avoid: Iterable[str] | None = None) -> dict[str, Any]:
    """What a mode's network is: source package and version, size, region and licence.

    Parameters
    ----------
    mode : {"road", "rail", "sea"}, default "road"
    avoid : iterable of str, optional
        Sea passages to close (see :func:`distance_matrix`); sea only.

    Returns
    -------
    dict
        ``source`` (package, version, module), ``nodes`` and ``edges`` (undirected) of the
        clipped network, ``snappable_nodes`` (in pieces of at least
        :data:`MIN_COMPONENT_NODES`), ``region`` (road and rail), ``avoid`` (sea) and
        ``licence`` (the attribution to carry).

    Raises
    ------
    SpecificationError
        Unknown mode or passage, or the extra ``network`` not installed.

    Examples
    --------
    >>> from borderhub.network import network_info
    >>> info = network_info("sea")
    >>> info["source"].split()[0], info["avoid"]
    ('searoute', ['bering', 'northwest'])
    """
    mode = _check_mode(mode)
    closed = _check_avoid(mode, avoid)
    net = _network(mode, closed)
    return {
        "mode": mode,
        "source": net.source,
        "nodes": len(net.lon),
        "edges": net.graph.nnz // 2,
        "snappable_nodes": len(net.snappable),
        "region": list(REGION) if mode != "sea" else None,
        "avoid": list(closed),
        "licence": _LICENCE[mode],
    }


_LICENCE = {
    "road": "road network: © OpenStreetMap contributors, ODbL 1.0 (via scgraph_data, MIT)",
    "rail": "rail network: © OpenStreetMap contributors, ODbL 1.0 (via scgraph_data, MIT)",
    "sea": "sea lanes: searoute's marnet (Apache-2.0), after Eurostat's SeaRoute",
}


# ----------------------------------------------------------------------------------------
# Snapping
# ----------------------------------------------------------------------------------------


def _refuse(km: np.ndarray, labels: pd.Index, role: str, mode: str, limit: float) -> None:
    """Raise DataError naming the points whose snap distance exceeds the limit."""
    far = np.asarray(km) > limit
    if far.any():
        shown = ", ".join(
            f"{lab!r} ({d:,.1f} km)" for lab, d in zip(labels[far][:8], km[far][:8], strict=True)
        )
        raise DataError(
            f"{role}: {int(far.sum())} point(s) lie farther than max_snap_km={limit:g} km from "
            f"the {mode} network: {shown}. Check their coordinates, drop them, or pass a "
            "larger max_snap_km= if a longer access leg is acceptable."
        )


def _snap(
    net: _Network,
    lon: np.ndarray,
    lat: np.ndarray,
    labels: pd.Index,
    role: str,
    limit: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest snappable node of each point and the geodesic km to it; refuse far points."""
    if len(lon) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=float)
    _, pos = net.tree.query(unit_vectors(lon, lat))
    node = net.snappable[np.asarray(pos, dtype=np.int64)]
    km = _geodesic_km(lon, lat, net.lon[node], net.lat[node])
    _refuse(km, labels, role, net.mode, limit)
    return node, km


# ----------------------------------------------------------------------------------------
# The disk cache
# ----------------------------------------------------------------------------------------


def cache_dir() -> Path:
    r"""The directory where network distance matrices are cached.

    In this order: the environment variable ``BORDERHUB_CACHE_DIR`` (:data:`CACHE_ENV`);
    ``$XDG_CACHE_HOME/borderhub``; on Windows ``%LOCALAPPDATA%\borderhub\Cache``;
    otherwise ``~/.cache/borderhub``. Matrices go to its ``network`` subdirectory. Nothing
    is created until a matrix is written; delete the directory to empty the cache.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> from borderhub.network import cache_dir
    >>> with mock.patch.dict(os.environ, {"BORDERHUB_CACHE_DIR": "/data/cache"}):
    ...     print(cache_dir().as_posix())
    /data/cache
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "borderhub"
    local = os.environ.get("LOCALAPPDATA")
    if os.name == "nt" and local:  # pragma: no cover - Windows
        return Path(local) / "borderhub" / "Cache"
    return Path.home() / ".cache" / "borderhub"


def _cache_file(
    where: Path, mode: str, key: str, o: tuple[np.ndarray, ...], d: tuple[np.ndarray, ...]
) -> Path:
    h = hashlib.sha256(key.encode())
    for arr in (*o, *d):
        a = np.ascontiguousarray(arr, dtype=np.float64)
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return where / "network" / f"{mode}-{h.hexdigest()[:40]}.npz"


def _cache_read(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            return z["km"], z["origin_snap_km"], z["destination_snap_km"]
    except (OSError, ValueError, KeyError):
        return None


def _cache_write(path: Path, km: np.ndarray, osnap: np.ndarray, dsnap: np.ndarray) -> None:
    """Write atomically (temporary file, then rename); a failure only warns."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, km=km, origin_snap_km=osnap, destination_snap_km=dsnap)
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        warnings.warn(
            f"could not write the network distance cache {path} ({err}); the result is "
            f"correct but will be recomputed next time. Set {CACHE_ENV} to a writable "
            "directory, or pass cache=False.",
            RuntimeWarning,
            stacklevel=3,
        )
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _cache_where(cache: bool | str | os.PathLike[str]) -> Path | None:
    if cache is False or cache is None:
        return None
    if cache is True:
        return cache_dir()
    if isinstance(cache, str | os.PathLike):
        return Path(cache).expanduser()
    raise SpecificationError(
        f"cache must be True, False or a directory path, got {type(cache).__name__} {cache!r}."
    )


# ----------------------------------------------------------------------------------------
# Public calls
# ----------------------------------------------------------------------------------------


def _shortest(net: _Network, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Distances (km) from each source node to each target node (inf: unreachable)."""
    from scipy.sparse.csgraph import dijkstra

    out = np.empty((len(sources), len(targets)), dtype=float)
    uniq, inv = np.unique(sources, return_inverse=True)
    block = max(1, 4_000_000 // max(1, len(net.lon)))
    res = np.empty((len(uniq), len(targets)), dtype=float)
    for s in range(0, len(uniq), block):
        dist = dijkstra(net.graph, directed=True, indices=uniq[s : s + block])
        res[s : s + block] = np.atleast_2d(dist)[:, targets]
    out[:] = res[inv.ravel()]
    return out


def distance_matrix(
    origins: Any,
    destinations: Any,
    mode: str = "road",
    *,
    max_snap_km: float | None = None,
    avoid: Iterable[str] | None = None,
    cache: bool | str | os.PathLike[str] = True,
) -> pd.DataFrame:
    """Network distances in km between every origin and every destination.

    Parameters
    ----------
    origins, destinations : GeoDataFrame, GeoSeries, DataFrame or array-like
        Points, in any form :func:`borderhub.geo.distance_matrix` accepts (a CRS is
        required on geometries; areas stand for their representative point); labels from
        the index, which must be unique.
    mode : {"road", "rail", "sea"}, default "road"
        The network (see the module description for sources and licences).
    max_snap_km : float, optional
        The farthest a point may lie from its network; default :data:`MAX_SNAP_KM` of the
        mode (road 50 km, rail 100 km, sea 300 km).
    avoid : iterable of str, optional
        Sea passages to close (names in :data:`PASSAGES`); default :data:`CLOSED_PASSAGES`
        (the Bering Strait and the Northwest Passage). ``avoid=()`` opens all. Sea only.
    cache : bool or path, default True
        ``True`` keeps the result in :func:`cache_dir`, a path uses that directory,
        ``False`` neither reads nor writes a cache.

    Returns
    -------
    pandas.DataFrame
        ``float64`` km, index = the origins' labels, columns = the destinations' labels;
        NaN where the network does not connect the two points. Each distance is the snap
        leg from the origin to its nearest network node, the shortest network path, and
        the snap leg to the destination. ``attrs`` holds ``mode``, ``network`` (source
        package and version), ``licence``, and ``origin_snap_km`` / ``destination_snap_km``
        (Series: how far each point had to move onto the network).

    Raises
    ------
    DataError
        Bad points (as in :func:`borderhub.geo.distance_matrix`), or points farther than
        ``max_snap_km`` from the network (named, with their distances).
    SpecificationError
        Unknown mode or passage, a bad ``max_snap_km`` or ``cache``, or the optional extra
        ``network`` not installed (``pip install "borderhub[network]"``).

    Examples
    --------
    >>> import numpy as np
    >>> from borderhub.network import distance_matrix
    >>> harbin, manzhouli = (126.535, 45.803), (117.379, 49.598)
    >>> d = distance_matrix(np.array([harbin]), np.array([manzhouli]), "rail", cache=False)
    >>> bool(900 < d.iloc[0, 0] < 1000)
    True
    >>> float(d.attrs["origin_snap_km"].iloc[0]) < 5
    True
    """
    from borderhub._lonlat import read_points

    mode = _check_mode(mode)
    closed = _check_avoid(mode, avoid)
    limit = _snap_limit(mode, max_snap_km)
    where = _cache_where(cache)
    ox, oy, o_labels = read_points(origins, "origins", "geodesic")
    dx, dy, d_labels = read_points(destinations, "destinations", "geodesic")
    key = _network_key(mode, closed)
    path = _cache_file(where, mode, key, (ox, oy), (dx, dy)) if where is not None else None
    hit = _cache_read(path) if path is not None and path.exists() else None
    if hit is not None:
        km, osnap, dsnap = hit
        info = " ".join(json.loads(key)[2:5])
        # the cached snaps were within the limit of that call; this call's limit applies too
        _refuse(osnap, o_labels, "origins", mode, limit)
        _refuse(dsnap, d_labels, "destinations", mode, limit)
    else:
        net = _network(mode, closed)
        info = net.source
        onode, osnap = _snap(net, ox, oy, o_labels, "origins", limit)
        dnode, dsnap = _snap(net, dx, dy, d_labels, "destinations", limit)
        if len(onode) <= len(dnode):
            path_km = _shortest(net, onode, dnode)
        else:
            path_km = _shortest(net, dnode, onode).T
        km = osnap[:, None] + path_km + dsnap[None, :]
        km[~np.isfinite(km)] = np.nan
        if path is not None:
            _cache_write(path, km, osnap, dsnap)
    out = pd.DataFrame(km.copy(), index=o_labels.copy(), columns=d_labels.copy())
    out.attrs.update(
        mode=mode,
        network=info,
        licence=_LICENCE[mode],
        origin_snap_km=pd.Series(osnap, index=o_labels.copy(), name="snap_km"),
        destination_snap_km=pd.Series(dsnap, index=d_labels.copy(), name="snap_km"),
    )
    if mode == "sea":
        out.attrs["avoid"] = list(closed)
    return out


@dataclass(frozen=True)
class Route:
    """A shortest route over a network.

    Attributes
    ----------
    geometry : shapely.LineString
        The path in WGS84 lon/lat, from the origin through the network nodes to the
        destination (longitudes unwrapped across the antimeridian, so a Pacific crossing
        may run beyond 180).
    length_km : float
        The snap legs plus the network path, km.
    mode : str
    origin_snap_km, destination_snap_km : float
        How far each end had to move onto the network.
    passages : tuple of str
        The sea passages (straits, canals) the route goes through, in order; empty on land.

    Examples
    --------
    >>> from borderhub.network import route
    >>> r = route((108.366, 22.817), (105.834, 21.028), "rail")  # 南宁 -> Hanoi
    >>> r.geometry.geom_type, r.mode, round(r.length_km)
    ('LineString', 'rail', 402)
    """

    geometry: LineString
    length_km: float
    mode: str
    origin_snap_km: float
    destination_snap_km: float
    passages: tuple[str, ...] = ()


def _one_point(p: Any, name: str) -> tuple[float, float]:
    if hasattr(p, "x") and hasattr(p, "y") and getattr(p, "geom_type", "") == "Point":
        lon, lat = float(p.x), float(p.y)
    else:
        try:
            lon, lat = (float(v) for v in p)
        except (TypeError, ValueError) as err:
            raise DataError(
                f"route: {name} must be a (lon, lat) pair or a shapely Point in WGS84 degrees, "
                f"got {p!r}."
            ) from err
    if not (np.isfinite(lon) and np.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90):
        raise DataError(
            f"route: {name}={p!r} is not a lon/lat pair in range (lon -180..180, lat -90..90); "
            "are lon and lat swapped?"
        )
    return lon, lat


def route(
    origin: Any,
    destination: Any,
    mode: str = "road",
    *,
    max_snap_km: float | None = None,
    avoid: Iterable[str] | None = None,
) -> Route:
    """The shortest route between two points over a network, with its geometry.

    Parameters
    ----------
    origin, destination : (lon, lat) pair or shapely Point
        WGS84 degrees.
    mode : {"road", "rail", "sea"}, default "road"
    max_snap_km : float, optional
        As in :func:`distance_matrix`.
    avoid : iterable of str, optional
        Sea passages to close, as in :func:`distance_matrix`.

    Returns
    -------
    Route
        ``geometry`` (:class:`shapely.LineString`), ``length_km`` (equal to the
        :func:`distance_matrix` entry of the pair), the snap distances and, at sea, the
        ``passages`` passed.

    Raises
    ------
    DataError
        Bad points, a point too far from the network, or no route between the two.
    SpecificationError
        As in :func:`distance_matrix`.

    Examples
    --------
    >>> from borderhub.network import route
    >>> shanghai, rotterdam = (121.47, 31.23), (4.48, 51.92)
    >>> r = route(shanghai, rotterdam, "sea")
    >>> r.passages
    ('malacca', 'babalmandab', 'suez', 'gibraltar')
    >>> 19_000 < r.length_km < 21_500
    True
    """
    from shapely.geometry import LineString

    mode = _check_mode(mode)
    closed = _check_avoid(mode, avoid)
    limit = _snap_limit(mode, max_snap_km)
    o, d = _one_point(origin, "origin"), _one_point(destination, "destination")
    net = _network(mode, closed)
    ends = pd.Index(["origin", "destination"])
    node, snap = _snap(net, np.array([o[0], d[0]]), np.array([o[1], d[1]]), ends, "route", limit)
    so, sd = int(node[0]), int(node[1])
    ko, kd = float(snap[0]), float(snap[1])
    dist, pred = _tree(mode, closed, so)
    if not np.isfinite(dist[sd]):
        raise DataError(
            f"no {mode} route from {o} to {d}: the {mode} network does not connect them "
            "(an island, a missing border link, or a closed passage)."
        )
    nodes = [int(sd)]
    while nodes[-1] != so:
        nodes.append(int(pred[nodes[-1]]))
    nodes.reverse()
    lons = np.concatenate([[o[0]], net.lon[nodes], [d[0]]])
    lats = np.concatenate([[o[1]], net.lat[nodes], [d[1]]])
    lons = np.degrees(np.unwrap(np.radians(lons)))
    passages: list[str] = []
    for a, b in zip(nodes[:-1], nodes[1:], strict=True):
        t = net.passage.get((min(a, b), max(a, b)))
        if t and (not passages or passages[-1] != t):
            passages.append(t)
    return Route(
        geometry=LineString(np.column_stack([lons, lats])),
        length_km=float(ko + dist[sd] + kd),
        mode=mode,
        origin_snap_km=float(ko),
        destination_snap_km=float(kd),
        passages=tuple(passages),
    )


@functools.lru_cache(maxsize=16)
def _tree(mode: str, closed: tuple[str, ...], source: int) -> tuple[np.ndarray, np.ndarray]:
    """Shortest-path distances and predecessors from one node (kept: routes share sources)."""
    from scipy.sparse.csgraph import dijkstra

    graph = _network(mode, closed).graph
    return dijkstra(graph, directed=True, indices=source, return_predecessors=True)


def border_crossings(mode: str = "road", *, merge_km: float = 2.0) -> gpd.GeoDataFrame:
    """Where the road or rail network crosses China's boundary.

    Each network edge with one end inside China's boundary (the bundled
    :func:`borderhub.datasets.boundaries` ``("country")`` polygon, which includes Hong Kong,
    Macao and Taiwan) and the other outside is cut with the boundary line; crossings
    closer than ``merge_km`` to an earlier one (parallel tracks, dual carriageways) are
    merged into it.

    Parameters
    ----------
    mode : {"road", "rail"}, default "road"
    merge_km : float, default 2.0
        Crossings within this distance of each other count once.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per crossing, EPSG:4326 point geometry, columns ``mode``, ``lon``, ``lat``,
        ``inside_lon``/``inside_lat`` and ``outside_lon``/``outside_lat`` (the edge's end
        nodes in and out of China) and ``edges`` (how many network edges merged into it);
        ``attrs["licence"]`` carries the attribution.

    Raises
    ------
    SpecificationError
        A mode other than road or rail, a bad ``merge_km``, or the extra ``network``
        missing.

    Examples
    --------
    >>> from borderhub.network import border_crossings
    >>> rail = border_crossings("rail")
    >>> 20 < len(rail) < 60
    True
    >>> sorted(rail.columns)[:4]
    ['edges', 'geometry', 'inside_lat', 'inside_lon']
    """
    import geopandas as gpd
    import shapely

    from borderhub.datasets import boundaries

    mode = _check_mode(mode)
    if mode == "sea":
        raise SpecificationError(
            "border_crossings covers land networks only; choose mode='road' or mode='rail'."
        )
    merge = _km(merge_km, "merge_km", zero=True)
    net = _network(mode, ())
    china = shapely.union_all(boundaries("country").geometry.to_numpy())
    shapely.prepare(china)
    inside = shapely.contains_xy(china, net.lon, net.lat)
    coo = net.graph.tocoo()
    upper = coo.row < coo.col
    a, b = coo.row[upper], coo.col[upper]
    cut = inside[a] != inside[b]
    a, b = a[cut], b[cut]
    ins = np.where(inside[a], a, b)
    out = np.where(inside[a], b, a)
    segs = shapely.linestrings(
        np.stack(
            [
                np.column_stack([net.lon[ins], net.lat[ins]]),
                np.column_stack([net.lon[out], net.lat[out]]),
            ],
            axis=1,
        )
    )
    hits = shapely.intersection(segs, shapely.boundary(china))
    # a segment may touch the line more than once: the crossing nearest the inside node
    points = []
    for seg, hit in zip(segs, hits, strict=True):
        pts = shapely.get_parts(shapely.extract_unique_points(hit)) if not hit.is_empty else []
        if len(pts) == 0:
            points.append(shapely.line_interpolate_point(seg, 0.5, normalized=True))
        else:
            points.append(min(pts, key=lambda p, s=seg: shapely.line_locate_point(s, p)))
    lon = np.array([p.x for p in points], dtype=float)
    lat = np.array([p.y for p in points], dtype=float)
    order = np.lexsort((lat, lon))
    keep: list[int] = []
    count: list[int] = []
    for k in order.tolist():
        if keep and merge > 0:
            near = _geodesic_km(
                np.full(len(keep), lon[k]), np.full(len(keep), lat[k]), lon[keep], lat[keep]
            )
            j = int(np.argmin(near))
            if near[j] <= merge:
                count[j] += 1
                continue
        keep.append(k)
        count.append(1)
    idx = np.asarray(keep, dtype=np.int64)
    frame = pd.DataFrame(
        {
            "mode": mode,
            "lon": lon[idx],
            "lat": lat[idx],
            "inside_lon": net.lon[ins[idx]],
            "inside_lat": net.lat[ins[idx]],
            "outside_lon": net.lon[out[idx]],
            "outside_lat": net.lat[out[idx]],
            "edges": np.asarray(count, dtype=np.int64),
        }
    )
    result = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )
    result.attrs["licence"] = _LICENCE[mode]
    result.attrs["network"] = net.source
    return result
