"""Checks before the work: places far outside China, swapped coordinates, the run's size."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import pytest

from borderhub import datasets
from borderhub.exceptions import DataError, DataWarning, SpecificationError
from borderhub.io import check_memory, check_places, estimate_memory, thin_points


def test_bundled_places_pass() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        assert check_places(datasets.candidates(), "candidates") == []
        assert check_places(datasets.prefectures(), "demand") == []


def test_border_zone_kept_far_places_named() -> None:
    places = pd.DataFrame(
        {
            # 凭祥 (China), Lạng Sơn (Vietnam, at the border), Almaty (near the border),
            # Paris, Sydney, Shanghai with lon/lat swapped
            "lon": [106.75, 106.76, 76.9, 2.35, 151.2, 31.23],
            "lat": [22.1, 21.85, 43.25, 48.86, -33.87, 121.47],
        },
        index=["pingxiang", "lang_son", "almaty", "paris", "sydney", "shanghai"],
    )
    with pytest.warns(DataWarning) as caught:
        flagged = check_places(places, "candidates")
    assert flagged == ["paris", "sydney", "shanghai"]
    message = str(caught[0].message)
    assert "['paris', 'sydney']" in message and "swapped" in message and "['shanghai']" in message
    with pytest.raises(DataError, match="paris"):
        check_places(places, "candidates", strict=True)


def test_geodataframe_in_another_crs() -> None:
    cand = datasets.candidates().iloc[:5].to_crs("EPSG:3857").drop(columns=["lon", "lat"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        assert check_places(cand) == []


def test_check_is_vectorised_and_fast() -> None:
    rng = np.random.default_rng(0)
    points = pd.DataFrame(
        {"lon": rng.uniform(-180, 180, 200_000), "lat": rng.uniform(-90, 90, 200_000)}
    )
    check_places(points.iloc[:2].assign(lon=116.4, lat=39.9))  # load the outline once
    start = time.perf_counter()
    with pytest.warns(DataWarning):
        flagged = check_places(points)
    assert time.perf_counter() - start < 15  # about 1 s on a quiet machine
    assert 150_000 < len(flagged) < 200_000


def test_memory_estimate_and_refusal() -> None:
    assert estimate_memory(2850, 340) == 2850 * 340 * 120
    assert check_memory(2850, 340, available=8 * 2**30) == 2850 * 340 * 120
    with pytest.raises(SpecificationError, match=r"need about 44\.7 GiB.*fewer candidates"):
        check_memory(20_000, 20_000, available=24 * 2**30)


def test_thin_points_is_even_and_deterministic() -> None:
    frame = pd.DataFrame({"x": range(200_000)})
    kept, note = thin_points(frame, 3000, role="demand units")
    assert len(kept) == 3000 and kept["x"].is_monotonic_increasing
    assert note.startswith("showing 3000 of 200000 demand units")
    assert thin_points(frame.iloc[:10])[1] == ""
