"""The README's example runs as written, and its ranking table matches the library."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_example_runs(tmp_path, monkeypatch, capsys):
    blocks = _python_blocks()
    assert blocks, "README.md has no python example"
    monkeypatch.chdir(tmp_path)
    exec(compile(blocks[0], "README.md", "exec"), {"__name__": "__readme__"})
    assert (tmp_path / "corridors.html").stat().st_size > 100_000
    assert "optimal" in capsys.readouterr().out


def test_readme_ranking_table_is_current():
    import borderhub as bh
    from borderhub import datasets

    rows = re.findall(
        r"^\| (\d+) \| (\S+) \| (\d{6}) \| (\S+) \| ([0-9.]+) \|", README.read_text("utf-8"), re.M
    )
    assert len(rows) == 10
    ranked = bh.score(datasets.candidates(), bh.default_criteria())
    for rank, _name, adcode, _tiers, score in rows:
        assert int(ranked.loc[adcode, "rank"]) == int(rank)
        assert ranked.loc[adcode, "score"] == pytest.approx(float(score), abs=5e-4)
