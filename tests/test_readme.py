"""The README's example runs as written, and its ranking table matches the library."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("number", range(len(_python_blocks())))
def test_readme_python_blocks_run_in_a_fresh_interpreter(number, tmp_path):
    """Each block as a script in its own interpreter: no import of an earlier one helps it."""
    block = _python_blocks()[number]
    proc = subprocess.run(
        [sys.executable, "-c", block],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(README.parent)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    if number == 0:
        assert (tmp_path / "corridors.html").stat().st_size > 100_000
        assert "optimal" in proc.stdout


def test_readme_has_python_blocks():
    assert _python_blocks(), "README.md has no python example"


def _ranking_table() -> tuple[list[str], list[list[str]], str]:
    """Header cells, body rows (cells) and the paragraph above the README's ranking table."""
    text = README.read_text("utf-8")
    m = re.search(r"((?:.+\n)+)\n(\| rank \|.*\n)\|[-:| ]+\|\n((?:\|.*\|\n)+)", text)
    assert m, "README.md has no ranking table (a markdown table whose first column is 'rank')"
    intro, header, body = m.groups()

    def cells(line: str) -> list[str]:
        return [c.strip() for c in line.strip().strip("|").split("|")]

    return cells(header), [cells(line) for line in body.splitlines()], " ".join(intro.split())


def test_readme_ranking_table_is_current():
    """Every column of the README's ranking table is what the code computes today.

    The expectations come from running the code with the settings the README states, so the
    test stays valid when the data tables (and then the README table) are regenerated.
    """
    import borderhub as bh
    from borderhub import datasets

    header, rows, intro = _ranking_table()
    assert header[:5] == ["rank", "place", "adcode", "tiers", "score"], header
    assert re.fullmatch(r"rank 5–95 %", header[5]), header
    top = re.fullmatch(r"P\(top (\d+)\)", header[6])
    assert top, header
    top_k = int(top.group(1))
    settings = re.search(r"with ([\d,]+) weight draws, ±(\d+) % log-normal spread", intro)
    assert settings, f"the README must state the rank_stability settings; got: {intro!r}"
    n_draws = int(settings.group(1).replace(",", ""))
    spread = int(settings.group(2)) / 100

    cands = datasets.candidates()
    criteria = bh.default_criteria()
    ranked = bh.score(cands, criteria)
    stab = bh.rank_stability(cands, criteria, n=n_draws, spread=spread, top_k=top_k)

    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1)), "ranks 1, 2, ... in order"
    expected_top = ranked.sort_values("rank").index[: len(rows)]
    assert [r[2] for r in rows] == list(expected_top), "the table lists the top places in order"
    for rank, place, adcode, tiers, score, interval, p_top in rows:
        assert int(ranked.loc[adcode, "rank"]) == int(rank)
        assert place == cands.loc[adcode, "name"]
        assert tiers == cands.loc[adcode, "tiers"]
        assert ranked.loc[adcode, "score"] == pytest.approx(float(score), abs=5e-4)
        lo, hi = (int(x) for x in interval.split("–"))
        assert (lo, hi) == (int(stab.loc[adcode, "rank_lo"]), int(stab.loc[adcode, "rank_hi"]))
        assert stab.loc[adcode, "p_top_k"] == pytest.approx(float(p_top), abs=5e-3)
