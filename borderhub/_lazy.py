"""The lazy face of a package (PEP 562): public names imported from their modules when used.

Examples
--------
>>> import borderhub.plan
>>> from borderhub._lazy import lazy_face
>>> getattr_, dir_ = lazy_face("borderhub.plan", {"PlanConfig": "borderhub.plan.config"}, [])
>>> getattr_("PlanConfig").__name__
'PlanConfig'
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_face(
    package: str, names: Mapping[str, str], public: Iterable[str], submodules: bool = False
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` of a package whose names load on first use.

    Parameters
    ----------
    package : str
        The package's name (``"borderhub"``).
    names : mapping
        Public name -> the module that defines it.
    public : iterable of str
        The package's ``__all__`` (listed by ``dir()``).
    submodules : bool, default False
        Also make every public submodule (a module file or package of the package whose
        name does not start with ``_``) an attribute, imported on first use.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__)`` for the package's namespace.
    """
    module = sys.modules[package]
    found = (
        frozenset(
            m.name for m in pkgutil.iter_modules(module.__path__) if not m.name.startswith("_")
        )
        if submodules
        else frozenset()
    )
    listed = set(public)

    def __getattr__(name: str) -> Any:
        if name in names:
            value = getattr(importlib.import_module(names[name]), name)
        elif name in found:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(module, name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(module)) | listed | found)

    return __getattr__, __dir__
