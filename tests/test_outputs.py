"""Saving results: atomic result sets, no writes through links, formula-safe CSV, decoding."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import threading
from pathlib import Path

import pandas as pd
import pytest

from borderhub.exceptions import DataError, OutputError, SpecificationError
from borderhub.io import (
    ResultWriter,
    check_output_dir,
    csv_text,
    decode_text,
    neutralise_formulas,
    printable,
    read_points,
    read_scores,
    read_solution,
    restore_formulas,
    write_table,
)


def _save(out: Path, files: dict[str, str], **kw: object) -> dict[str, str]:
    """A miniature save: the files, then a manifest that lists them."""
    with ResultWriter(out, names=[*files, "manifest.json"], **kw) as writer:  # type: ignore[arg-type]
        for name, text in files.items():
            writer.write_text(name, text)
        hashes = dict(writer.hashes)
        writer.write_text("manifest.json", json.dumps({"outputs": hashes}))
        writer.commit()
    return hashes


def _listing(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir()}


def test_new_set_replaces_old_and_drops_its_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _save(out, {"a.csv": "1\n", "robustness.csv": "old\n"})
    (out / "notes.txt").write_text("mine")
    hashes = _save(out, {"a.csv": "2\n"})
    assert _listing(out) == {
        "a.csv": "2\n",
        "notes.txt": "mine",  # not in the earlier manifest: kept
        "manifest.json": json.dumps({"outputs": hashes}),
    }
    assert hashes["a.csv"] == hashlib.sha256(b"2\n").hexdigest()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no private folder left


def test_failed_write_names_file_and_keeps_earlier_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _save(out, {"a.csv": "1\n", "map.html": "<old>"})
    before = _listing(out)
    real_write = os.write

    def full_disk(fd: int, data: bytes) -> int:
        if b"<new map>" in bytes(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(OutputError, match=r"map\.html.*No space left.*unchanged"):
        _save(out, {"a.csv": "2\n", "map.html": "<new map>"})
    assert _listing(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_interrupted_save_keeps_earlier_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _save(out, {"a.csv": "1\n"})
    with pytest.raises(KeyboardInterrupt), ResultWriter(out) as writer:
        writer.write_text("a.csv", "2\n")
        raise KeyboardInterrupt
    assert _listing(out)["a.csv"] == "1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_symlink_out_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(OutputError, match="symbolic link"):
        check_output_dir(tmp_path / "link")


def test_no_write_through_a_symlink_inside_out(tmp_path: Path) -> None:
    outside = tmp_path / "victim.txt"
    outside.write_text("precious")
    out = tmp_path / "out"
    _save(out, {"a.csv": "1\n"})
    (out / "map.html").symlink_to(outside)  # planted in the results folder
    with pytest.raises(OutputError, match=r"map\.html"):
        _save(out, {"a.csv": "2\n", "map.html": "<map>"})
    _save(out, {"a.csv": "2\n", "map.html": "<map>"}, overwrite=True)
    assert outside.read_text() == "precious"
    assert not (out / "map.html").is_symlink()
    assert (out / "map.html").read_text() == "<map>"


def test_out_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="not a folder"):
        check_output_dir(tmp_path / "f")


def test_foreign_folder_refused_unless_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "scores.csv").write_text("my own work")
    with pytest.raises(OutputError, match=r"not empty.*--force"):
        check_output_dir(out)
    _save(out, {"scores.csv": "new\n", "map.html": "m"}, overwrite=True)
    assert (out / "scores.csv").read_text() == "new\n"


def test_users_file_with_an_output_name_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _save(out, {"a.csv": "1\n"})
    (out / "scores.csv").write_text("my own work")
    with pytest.raises(OutputError, match=r"scores\.csv"):
        check_output_dir(out, names=["scores.csv"])
    with pytest.raises(OutputError, match=r"scores\.csv"):
        _save(out, {"a.csv": "1\n", "scores.csv": "x"})
    assert (out / "scores.csv").read_text() == "my own work"


def test_read_only_folder_refused_before_work(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["chattr", "+i", str(out)], check=True)
    try:
        with pytest.raises(OutputError, match="cannot write into --out"):
            check_output_dir(out)
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)


def test_read_only_parent_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def read_only(path: object, flags: int, *args: object) -> int:
        if str(path).startswith(str(tmp_path)) and flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(OutputError, match="Read-only file system"):
        check_output_dir(tmp_path / "new")


def test_concurrent_saves_are_serialised(tmp_path: Path) -> None:
    out = tmp_path / "out"
    errors: list[BaseException] = []

    def run(k: int) -> None:
        try:
            for _ in range(5):
                _save(out, {"p.csv": f"{k}\n" * (k + 1), "rows.csv": f"{k}\n"})
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    manifest = json.loads((out / "manifest.json").read_text())
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    k = (out / "rows.csv").read_text().strip()
    assert (out / "p.csv").read_text() == f"{k}\n" * (int(k) + 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_crash_between_renames_is_repaired(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the folders cannot be swapped in one call, a crash between the two renames
    leaves the earlier set aside; the next save puts it back before anything else."""
    from borderhub import _atomic

    out = tmp_path / "out"
    _save(out, {"a.csv": "1\n"})
    monkeypatch.setattr(_atomic, "_exchange", lambda a, b: False)
    real_rename = os.rename
    calls = []

    def crash_second(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed between the renames
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", crash_second)
    with pytest.raises(KeyboardInterrupt):
        _save(out, {"a.csv": "2\n"})
    assert not out.exists()
    monkeypatch.setattr(os, "rename", real_rename)
    with pytest.raises(OutputError), ResultWriter(out) as writer:
        writer.write_text("a.csv", "3\n")
        writer._recover()  # what the commit does first, under the lock
        assert (out / "a.csv").read_text() == "1\n"
        raise OutputError("stop before the commit")
    _save(out, {"a.csv": "4\n"})
    assert (out / "a.csv").read_text() == "4\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# ---- formula neutralisation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil/","click")', '\'=HYPERLINK("http://evil/","click")'),
        ("+86 phone", "'+86 phone"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("-3.5", "-3.5"),
        ("+1e3", "+1e3"),
        ("上海", "上海"),
        ("'=x", "''=x"),
        ("'quoted", "'quoted"),
    ],
)
def test_neutralise_cells(cell: str, written: str) -> None:
    assert neutralise_formulas([cell]) == [written]
    assert restore_formulas(pd.Series([written])).tolist() == [cell]


def test_csv_neutralises_cells_labels_headers_and_keeps_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"name": ["=cmd|' /C calc'!A0", "北京"], "=col": ["@x", "ok"], "km": [-1.0, 2.0]},
        index=pd.Index(["+1x", "110000"], name="adcode"),
    )
    original = frame.copy()
    text = csv_text(frame)
    assert text.splitlines() == [
        "adcode,name,'=col,km",
        "'+1x,'=cmd|' /C calc'!A0,'@x,-1.000000",
        "110000,北京,ok,2.000000",
    ]
    pd.testing.assert_frame_equal(frame, original)  # the caller's table is not touched
    assert csv_text(frame, neutralise=False).splitlines()[1].startswith("+1x,=cmd")
    write_table(frame.rename(columns={"=col": "c"}).assign(score=[0.5, 0.4]), tmp_path / "s.csv")
    assert read_scores(tmp_path / "s.csv").index.tolist() == ["+1x", "110000"]


def test_solution_round_trip_with_risky_names(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "demand_name": ["=evil", "-ok"],
            "facility": ["@c", "@c"],
            "facility_name": ["+c", "+c"],
            "cost_km": [1.0, 2.0],
            "weight": [1.0, 1.0],
        },
        index=pd.Index(["=d", "d2"], name="demand"),
    )
    write_table(table, tmp_path / "solution.csv")
    assert "'=evil" in (tmp_path / "solution.csv").read_text()
    back = read_solution(tmp_path / "solution.csv")
    assert back.index.tolist() == ["=d", "d2"]
    assert back["facility"].tolist() == ["@c", "@c"]
    assert back["demand_name"].tolist() == ["=evil", "-ok"]


def test_printable_strips_terminal_controls() -> None:
    assert printable("\x1b]0;pwned\x07上海\x1b[2J\r") == "]0;pwned上海[2J"


# ---- decoding ------------------------------------------------------------------------------


def _csv(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "pts.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_clean_files_decode(tmp_path: Path, encoding: str) -> None:
    path = _csv(tmp_path, "id,name,lon,lat\nA,上海,121.47,31.23\n".encode(encoding))
    assert read_points(path).loc["A", "name"] == "上海"


def test_utf8_file_with_one_gbk_line_is_refused(tmp_path: Path) -> None:
    data = "id,name,lon,lat\nA,北京,116.4,39.9\n".encode() + "B,上海,121.47,31.23\n".encode("gbk")
    with pytest.raises(DataError, match=r"line 3 does not decode.*encoding="):
        read_points(_csv(tmp_path, data))


def test_latin1_is_refused_then_read_when_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,name,lon,lat\nZ,Zürich,8.54,47.37\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"line 2.*Latin-1.*encoding="):
        read_points(path)
    assert read_points(path, encoding="latin-1").loc["Z", "name"] == "Zürich"
    with pytest.raises(DataError, match="not utf-8 text: line 2"):
        read_points(path, encoding="utf-8")
    with pytest.raises(SpecificationError, match="unknown encoding"):
        decode_text(b"x", encoding="klingon")
