"""The one list of location models by short name: :data:`MODELS` and :func:`model_class`."""

from __future__ import annotations

from typing import Any

from borderhub.exceptions import SpecificationError

__all__ = ["MODELS", "MODEL_TITLES", "P_MODELS", "model_class", "model_name"]

#: Short model names (the command line's ``--model``, ``run_plan(model=...)`` and the
#: sweeps' ``model=``) -> name of the class in :mod:`borderhub.locate`.
MODELS: dict[str, str] = {
    "pmedian": "PMedian",
    "pcenter": "PCenter",
    "mclp": "MaxCoverage",
    "lscp": "SetCover",
    "fixed": "FacilityLocation",
    "crossborder": "CrossBorderMedian",
}

#: Short model name -> title used in printed summaries, maps and plots.
MODEL_TITLES: dict[str, str] = {
    "pmedian": "p-median",
    "pcenter": "p-center",
    "mclp": "maximal covering (MCLP)",
    "lscp": "set covering (LSCP)",
    "fixed": "fixed-charge facility location",
    "crossborder": "cross-border flow median",
}

#: Short names of the models with a number of centres ``p``.
P_MODELS: tuple[str, ...] = ("pmedian", "pcenter", "mclp")


def model_class(model: Any) -> Any:
    """The location model class named by ``model``.

    Parameters
    ----------
    model : str or class
        A short name of :data:`MODELS` (``"pmedian"``, any case), a class name
        (``"PMedian"``) or a :class:`~borderhub.locate.LocationModel` subclass (returned as
        is).

    Returns
    -------
    type
        The class, e.g. :class:`~borderhub.locate.PMedian`.

    Raises
    ------
    SpecificationError
        Nothing of that name; the message lists the short names.

    Examples
    --------
    >>> from borderhub.locate import model_class
    >>> model_class("mclp").__name__, model_class("PMedian").__name__
    ('MaxCoverage', 'PMedian')
    """
    from borderhub import locate

    if isinstance(model, type) and issubclass(model, locate.LocationModel):
        return model
    if isinstance(model, str):
        key = model.strip()
        name = MODELS.get(key.lower(), key)
        cls = getattr(locate, name, None)
        if isinstance(cls, type) and issubclass(cls, locate.LocationModel):
            return cls
    raise SpecificationError(
        f"unknown model {model!r}; use one of {sorted(MODELS)} or a borderhub.locate class"
    )


def model_name(model: Any) -> str:
    """The short name of a model (``"pmedian"``), or its class name if it has none.

    Parameters
    ----------
    model : str or class
        Anything :func:`model_class` accepts.

    Returns
    -------
    str
        The key of :data:`MODELS`, or the class name for a class not listed there.

    Raises
    ------
    SpecificationError
        ``model`` names no model.

    Examples
    --------
    >>> from borderhub.locate import PCenter, model_name
    >>> model_name(PCenter), model_name("MaxCoverage")
    ('pcenter', 'mclp')
    """
    cls = model_class(model)
    for key, name in MODELS.items():
        if cls.__name__ == name:
            return key
    return str(cls.__name__)
