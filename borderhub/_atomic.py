"""Atomic result sets: a folder of outputs that is replaced as a whole or not at all.

How a save works (:class:`ResultWriter`):

1. :func:`check_output_dir` runs before any work: the target must not be a symbolic link
   or a file, its parent must exist or be creatable and be writable, and a non-empty
   folder that borderhub did not write is refused unless ``overwrite=True``.
2. Every file is written into a fresh private folder beside the target
   (``.<name>.borderhub-XXXXXXXX``, made by :func:`tempfile.mkdtemp`), each opened with
   ``O_CREAT | O_EXCL | O_NOFOLLOW`` (never through a symbolic link) and flushed to disk
   (``fsync``). Its SHA-256 is computed from the bytes handed to the writer, so the
   manifest vouches only for what this run wrote.
3. The commit takes an exclusive lock (``flock`` on the parent folder: concurrent saves
   into one folder, from threads or processes, are serialised), carries over the entries
   of the old folder that no earlier borderhub manifest lists (hard links; with
   ``overwrite=True`` a file of the user's with the name of an output is replaced), and
   swaps the two folders in one system call (Linux ``renameat2(RENAME_EXCHANGE)``, macOS
   ``renamex_np(RENAME_SWAP)``). A reader -- and a process killed at any point, even by
   ``SIGKILL`` -- sees the complete earlier set or the complete new one, never a mix.
4. The earlier set, now in the private folder, is deleted (only the files its manifest
   listed, and the links carried over); sub-folders of the user's move back.

Where the file system cannot swap (other systems, some network file systems) the swap is
two renames; a crash between them leaves the earlier set in the hidden folder and the
next save to the same target puts it back first.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import secrets
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from borderhub.exceptions import OutputError

__all__ = ["ResultWriter", "check_output_dir", "MANIFEST", "STAGING_MARK"]

#: The file that lists (and hashes) the outputs of a borderhub run; written last.
MANIFEST = "manifest.json"
#: Part of the name of the hidden folders beside the target while a save is under way.
STAGING_MARK = ".borderhub-"

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_PROBE = ".borderhub-probe-"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError:  # pragma: no cover - platforms that cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)


def _earlier_outputs(folder: Path) -> list[str] | None:
    """The files the manifest of an earlier borderhub run in ``folder`` lists, or None."""
    try:
        with open(folder / MANIFEST, encoding="utf-8") as handle:
            content = json.load(handle)
    except (OSError, ValueError):
        return None
    outputs = content.get("outputs") if isinstance(content, dict) else None
    if not isinstance(outputs, dict):
        return None
    names = [str(k) for k in outputs if isinstance(k, str) and "/" not in k and k != MANIFEST]
    return [*names, MANIFEST]


def _probe_writable(folder: Path, what: str) -> None:
    """Create and remove a file in ``folder``: the only test that tells read-only for root."""
    probe = folder / f"{_PROBE}{_token()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
    except OSError as err:
        raise OutputError(
            f"cannot write into {what} {folder}: {err.strerror or err}; make it writable "
            "(chmod u+w, chattr -i, a read-write mount) or choose another --out"
        ) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)


def check_output_dir(
    out: str | os.PathLike[str], *, overwrite: bool = False, names: Iterable[str] = ()
) -> Path:
    """Check that a result set can be saved into ``out``, before any work is done.

    Parameters
    ----------
    out : str or os.PathLike
        The folder the results go into (created when saved if it does not exist).
    overwrite : bool, default False
        Accept a non-empty folder that borderhub did not write, and files of the user's
        that have the name of an output (they are replaced).
    names : iterable of str, optional
        The names the save may write: a file of the user's with one of these names (not
        listed by the folder's earlier borderhub manifest) is refused without
        ``overwrite``.

    Returns
    -------
    pathlib.Path
        ``out`` as an absolute path.

    Raises
    ------
    OutputError
        ``out`` is a symbolic link, a file, not writable, its parent is not writable, or
        it is a non-empty folder of someone else's (without ``overwrite``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub.io import check_output_dir
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_dir(base / "results") == base / "results"
    True
    >>> _ = (base / "notes.txt").write_text("mine")
    >>> try:
    ...     check_output_dir(base)
    ... except Exception as err:
    ...     print(type(err).__name__)
    OutputError
    """
    folder = Path(os.path.abspath(os.fspath(out)))
    if folder.is_symlink():
        raise OutputError(
            f"--out {out} is a symbolic link; borderhub writes no file through a link -- "
            f"give the folder it points to ({os.path.realpath(folder)}) or another path"
        )
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"--out {out} exists and is not a folder; choose another path")
    parent = folder.parent
    ancestor = parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"--out {out}: {ancestor} is not a folder; choose another path")
    _probe_writable(ancestor, "the folder that holds --out")
    if not folder.exists():
        return folder
    _probe_writable(folder, "--out")
    entries = sorted(os.listdir(folder))
    earlier = _earlier_outputs(folder)
    if earlier is None:
        if entries and not overwrite:
            raise OutputError(
                f"--out {out} is not empty and holds no borderhub manifest.json ({len(entries)} "
                f"entries, e.g. {entries[:5]}); choose an empty or new folder, or pass "
                "--force (overwrite=True) to write into it (files with the name of an output "
                "are replaced, the others kept)"
            )
        return folder
    clash = sorted(set(entries) & set(names) - set(earlier))
    if clash and not overwrite:
        raise OutputError(
            f"--out {out} holds files an output would replace but no earlier borderhub run "
            f"wrote: {clash}; move them, choose another folder, or pass --force "
            "(overwrite=True) to replace them"
        )
    return folder


def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):  # pragma: no cover - glibc < 2.28, musl
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def _renamex_np() -> Any:  # pragma: no cover - macOS only
    if sys.platform != "darwin":
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        func = libc.renamex_np
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; False if this system or file system cannot."""
    linux = _renameat2()
    if linux is not None:
        at_fdcwd, rename_exchange = -100, 2
        if linux(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return True
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            return False
        raise OSError(code, os.strerror(code), str(b))
    mac = _renamex_np()
    if mac is not None:  # pragma: no cover - macOS only
        if mac(os.fsencode(a), os.fsencode(b), 0x2) == 0:
            return True
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOTSUP):
            return False
        raise OSError(code, os.strerror(code), str(b))
    return False  # pragma: no cover


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (the target's parent) while committing."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: a lock file, refused when present
        lock = folder / ".borderhub-lock"
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise OutputError(
                f"another borderhub save into {folder} is under way ({lock} exists); wait for "
                "it, or delete the lock file if no save is running"
            ) from None
        try:
            yield
        finally:
            os.close(fd)
            os.unlink(lock)
        return
    fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _remove_listed(folder: Path, names: Iterable[str]) -> None:
    for name in names:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
            os.unlink(folder / name)


class ResultWriter:
    r"""Write a set of result files that replaces the earlier set in one atomic step.

    Use it as a context manager: files go into a private folder beside ``out``;
    :meth:`commit` swaps it into place; leaving the ``with`` block without a commit (an
    error, ``KeyboardInterrupt``) deletes it and leaves ``out`` as it was. See the module
    docstring for the guarantees.

    Parameters
    ----------
    out : str or os.PathLike
        The target folder (checked with :func:`check_output_dir`).
    overwrite : bool, default False
        See :func:`check_output_dir`.
    names : iterable of str, optional
        The names the save may write (for the check of the user's files).

    Attributes
    ----------
    hashes : dict of str to str
        SHA-256 of each file written, computed from the bytes handed to the writer.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub.io import ResultWriter
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "results"
    >>> with ResultWriter(out) as writer:
    ...     _ = writer.write_text("a.txt", "one\\n")
    ...     _ = writer.write_text("manifest.json", '{"outputs": {"a.txt": "..."}}')
    ...     _ = writer.commit()
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt', 'manifest.json']
    """

    def __init__(
        self,
        out: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        names: Iterable[str] = (),
    ) -> None:
        self.names = tuple(names)
        self.overwrite = bool(overwrite)
        self.out = check_output_dir(out, overwrite=self.overwrite, names=self.names)
        self.given = os.fspath(out)
        self.hashes: dict[str, str] = {}
        self._created: list[str] = []
        self.staging: Path | None = None
        self._hold: int | None = None
        self.committed = False

    # ---- the context ----------------------------------------------------------------------
    def __enter__(self) -> ResultWriter:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{self.out.name}{STAGING_MARK}"
        try:
            # made and marked in use under the lock, so no other save takes it for stale
            with _locked(self.out.parent):
                self.staging = Path(tempfile.mkdtemp(prefix=prefix, dir=self.out.parent))
                self._hold = _hold(self.staging)
        except OSError as err:
            raise OutputError(
                f"cannot create a folder beside --out {self.given}: {err.strerror or err}; "
                "the folder that holds --out must be writable"
            ) from None
        return self

    def __exit__(self, *exc: Any) -> None:
        if not self.committed:
            self.discard()
        if self._hold is not None:
            os.close(self._hold)
            self._hold = None

    def discard(self) -> None:
        """Delete the private folder and what was written into it (``out`` is untouched)."""
        if self.staging is not None and self.staging.exists():
            _remove_listed(self.staging, self._created)
            with contextlib.suppress(OSError):
                os.rmdir(self.staging)
        self.staging = None

    # ---- writing --------------------------------------------------------------------------
    def write_bytes(self, name: str, data: bytes) -> str:
        """Write ``data`` as ``name`` and return its SHA-256 (of ``data``, not re-read).

        Parameters
        ----------
        name : str
            A plain file name (no folder).
        data : bytes
            The content.

        Returns
        -------
        str
            The SHA-256 of ``data`` (hex), also kept in :attr:`hashes`.

        Raises
        ------
        OutputError
            The name is not a plain file name, was written before, or the write failed
            (the message names the file; ``out`` keeps the earlier results).
        """
        if self.staging is None:
            raise OutputError("write inside 'with ResultWriter(out) as writer:'")
        if not name or name != os.path.basename(name) or name in (".", ".."):
            raise OutputError(f"output name {name!r} must be a plain file name")
        if name in self.hashes:
            raise OutputError(f"{name} was already written in this save")
        path = self.staging / name
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
        try:
            fd = os.open(path, flags, 0o666)
            self._created.append(name)
            try:
                view = memoryview(data)
                while view:
                    done = os.write(fd, view)
                    view = view[done:]
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as err:
            raise OutputError(
                f"cannot write {name} for --out {self.given}: {err.strerror or err}; free "
                "space or choose another folder -- the earlier results there are unchanged"
            ) from err
        digest = hashlib.sha256(data).hexdigest()
        self.hashes[name] = digest
        return digest

    def write_text(self, name: str, text: str) -> str:
        """Write ``text`` (UTF-8) as ``name``.

        Parameters
        ----------
        name : str
            A plain file name (no folder).
        text : str
            The content, written as UTF-8.

        Returns
        -------
        str
            The SHA-256 of the bytes written (hex).
        """
        return self.write_bytes(name, text.encode("utf-8"))

    # ---- the commit -----------------------------------------------------------------------
    def commit(self) -> Path:
        """Swap the new set into place; delete the earlier one.

        Returns
        -------
        pathlib.Path
            ``out`` (absolute).

        Raises
        ------
        OutputError
            ``out`` changed since the check (now a link, a file, someone else's files),
            or the swap failed; ``out`` keeps the earlier results.
        """
        if self.staging is None:
            raise OutputError("commit inside 'with ResultWriter(out) as writer:'")
        staging, out = self.staging, self.out
        _fsync_dir(staging)
        with _locked(out.parent):
            self._recover()
            # checked again under the lock: another save may have run meanwhile
            check_output_dir(out, overwrite=self.overwrite, names=self.hashes)
            old: Path | None = None
            kept_dirs: list[str] = []
            carried: list[str] = []
            earlier: list[str] = []
            try:
                if out.exists():
                    earlier = _earlier_outputs(out) or []
                    carried, kept_dirs = self._carry_over(out, staging, set(earlier))
                    replaced = [n for n in self.hashes if (out / n).exists() and n not in earlier]
                    carried += replaced  # the user's files an output replaces (overwrite=True)
                    os.chmod(staging, os.stat(out).st_mode & 0o7777)
                    _fsync_dir(staging)
                    old = staging
                    if not _exchange(staging, out):  # two renames; _recover() repairs a crash
                        old = Path(f"{staging.parent}/.{out.name}{STAGING_MARK}old-{_token()}")
                        os.rename(out, old)
                        os.rename(staging, out)
                else:
                    os.chmod(staging, 0o777 & ~_umask())
                    os.rename(staging, out)
            except OSError as err:
                raise OutputError(
                    f"cannot move the new results into --out {self.given}: "
                    f"{err.strerror or err}; the earlier results there are unchanged"
                ) from err
            _fsync_dir(out.parent)
            self.committed = True
            self.staging = None
            if old is not None:  # the earlier set
                for name in kept_dirs:
                    with contextlib.suppress(OSError):
                        os.rename(old / name, out / name)
                _remove_listed(old, [*earlier, *carried])
                _remove_listed(old, [n for n in os.listdir(old) if n.startswith(_PROBE)])
                try:
                    os.rmdir(old)
                except OSError:
                    left = sorted(os.listdir(old)) if old.exists() else []
                    warnings.warn(
                        f"the earlier results held entries borderhub did not write: {left[:10]}; "
                        f"they are in {old}",
                        stacklevel=2,
                    )
        return out

    def _carry_over(self, old: Path, new: Path, earlier: set[str]) -> tuple[list[str], list[str]]:
        """Link the entries of the user's (not in the earlier manifest) into the new set."""
        carried: list[str] = []
        dirs: list[str] = []
        for name in sorted(os.listdir(old)):
            if name in earlier or name in self.hashes or name.startswith(_PROBE):
                continue  # an earlier output, or a file of the user's an output replaces
            source, target = old / name, new / name
            try:
                if source.is_symlink():
                    os.symlink(os.readlink(source), target)
                elif source.is_dir():
                    dirs.append(name)
                    continue
                else:
                    try:
                        os.link(source, target, follow_symlinks=False)
                    except OSError:
                        shutil.copy2(source, target, follow_symlinks=False)
            except OSError as err:
                raise OutputError(
                    f"cannot keep {name} of --out {self.given} in the new results: "
                    f"{err.strerror or err}; move it out of the folder and save again"
                ) from err
            carried.append(name)
        return carried, dirs

    def _recover(self) -> None:
        """Put back an earlier set a crash left aside; delete stale private folders."""
        out = self.out
        stale = sorted(
            p
            for p in out.parent.glob(f".{out.name}{STAGING_MARK}*")
            if p != self.staging and p.is_dir() and not p.is_symlink()
        )
        aside = [p for p in stale if p.name.startswith(f".{out.name}{STAGING_MARK}old-")]
        if not out.exists() and aside:
            os.rename(aside[-1], out)
            stale.remove(aside[-1])
        for folder in stale:  # private folders: only outputs, links and moved sub-folders
            fd = _hold(folder, exclusive=True)
            if fd is None:
                continue  # a save under way (in this or another process)
            try:
                _clean_stale(folder, out)
            finally:
                os.close(fd)


def _clean_stale(folder: Path, out: Path) -> None:
    """Empty and remove a private folder a killed save left behind."""
    for entry in os.listdir(folder):
        path = folder / entry
        if path.is_dir() and not path.is_symlink():
            if out.exists() and not (out / entry).exists():
                with contextlib.suppress(OSError):
                    os.rename(path, out / entry)  # the user's, left by a crash
            continue
        with contextlib.suppress(OSError):
            os.unlink(path)
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def _hold(folder: Path, *, exclusive: bool = False) -> int | None:
    """A descriptor holding a lock on ``folder``, or None if taken or without ``flock``.

    Shared: the folder is in use; exclusive (non-blocking): to clean it.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: stale folders are left alone
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError:
        return None
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX | fcntl.LOCK_NB) if exclusive else fcntl.LOCK_SH)
    except OSError:
        os.close(fd)
        return None
    return fd


def _token() -> str:
    return secrets.token_hex(4)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
