"""Make a benchmark script measure the borderhub of the checkout it sits in.

Python puts a script's own folder (``benchmarks/``) on ``sys.path``, not the repository
root, so ``import borderhub`` would find whichever borderhub the environment has installed
-- another checkout's, with an editable install -- and a comparison of two versions would
measure one of them twice. Importing this module first puts this checkout's root at the
front of ``sys.path`` and of ``PYTHONPATH`` (for the subprocesses some scripts start), and
:func:`provenance` records which borderhub a run imported.

Every script imports it before borderhub::

    import _checkout  # this checkout's borderhub, not the installed one
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if sys.path[:1] != [str(ROOT)]:
    sys.path.insert(0, str(ROOT))
_rest = [x for x in os.environ.get("PYTHONPATH", "").split(os.pathsep) if x and x != str(ROOT)]
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *_rest])


def provenance() -> dict:
    """The borderhub imported: its version, folder and git commit (with local changes?)."""
    import borderhub

    where = Path(borderhub.__file__).resolve().parent
    out = {"borderhub": borderhub.__version__, "borderhub_path": str(where)}
    try:
        git = ["git", "-C", str(where)]
        rev = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True)
        if rev.returncode == 0:
            out["commit"] = rev.stdout.strip()
            dirty = subprocess.run([*git, "status", "--porcelain", "--", "."],
                                   capture_output=True, text=True)  # fmt: skip
            out["local_changes"] = bool(dirty.stdout.strip())
    except OSError:  # no git
        pass
    return out
