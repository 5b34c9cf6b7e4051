"""The installed version of borderhub, for the package face and the manifests of a run."""

from __future__ import annotations

import functools


@functools.cache
def version() -> str:
    """The version of the installed distribution (``0.0.0+unknown`` in a bare source tree).

    Returns
    -------
    str
        E.g. ``"0.2.0"``.

    Examples
    --------
    >>> from borderhub._version import version
    >>> version() != ""
    True
    """
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("borderhub")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+unknown"
