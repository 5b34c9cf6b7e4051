"""How a location model declares itself, and the one list of models by short name.

A model class states, as class attributes, what the plan, the sweeps and the command line
need to know about it (as scikit-learn's estimators declare ``_parameter_constraints``):

``name``
    Its short name (``"pmedian"``): ``borderhub plan --model``, ``run_plan(model=...)``.
``title``
    Its title in printed summaries, maps and plots (``"p-median"``).
``about``
    One line for ``borderhub plan --help``.
``parameters``
    ``{name: Param}``: the model's own parameters that a plan sets (``p``, ``radius``,
    ``fixed_cost``), each with its type, interval, default and help text. The model's
    constructor checks them with the same :class:`Param`; ``PlanConfig`` and the command
    line read them from here.
``plan_options``
    The plan options beyond those parameters that apply to the model (``gateway_weight``
    for a model with a gateway term; ``share``, ``split``, ``tilt``, ``modes`` for the
    cross-border model).
``cost_label``
    What the model's objective measures, for the cost curve (``{unit}`` and the
    parameters are filled in).

:func:`register` adds a model class to :data:`MODELS`; the models of borderhub are
registered in this module (imported when the registry is first read, so that the command
line's start-up stays light).
"""

from __future__ import annotations

import importlib
import math
import numbers
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from borderhub.exceptions import SpecificationError

__all__ = [
    "MODELS",
    "MODEL_TITLES",
    "P_MODELS",
    "Param",
    "model_class",
    "model_name",
    "register",
    "registered",
]

_CLOSED = ("both", "left", "right", "neither")
_KINDS = (int, float, str)


@dataclass(frozen=True)
class Param:
    """One parameter of a model or an option of a plan: its type, interval and default.

    Each rule is written once: a model checks its parameter with :meth:`check`,
    :class:`~borderhub.PlanConfig` checks the option with it, and the command line's flag
    converts its text with :meth:`parse_text`.

    Parameters
    ----------
    kind : {int, float, str}, default float
        ``int`` a whole number (not a bool), ``float`` any real number, ``str`` text.
    low, high : float, optional
        The interval of the number (None: unbounded on that side).
    closed : {"both", "left", "right", "neither"}, default "both"
        Which ends of the interval belong to it (``"right"``: ``low`` does not).
    default : object, optional
        The value a plan and the command line use when the option is not given (None:
        not set).
    required : bool, default False
        A plan of the model must give it (``radius`` of the coverage models).
    column : bool, default False
        A number, or the name of a column of the candidates (one value per candidate).
    excludes : tuple of str, default ()
        Parameters given instead of this one (``p`` or ``fixed_cost``); the default then
        does not apply, and giving both is an error.
    help : str, default ""
        What the value means, for help texts and messages (``"coverage radius in km"``).
    metavar : str, optional
        The value's name in the command line's help (``"KM"``).

    Raises
    ------
    SpecificationError
        ``kind`` or ``closed`` is not one of the allowed values.

    Examples
    --------
    >>> from borderhub.locate import Param
    >>> count = Param(int, low=1, default=10, help="number of centres")
    >>> count.check(3, "p"), count.describe()
    (3, 'a positive whole number')
    >>> count.check(0, "p")
    Traceback (most recent call last):
    ...
    borderhub.exceptions.SpecificationError: p must be a positive whole number, got 0; pass ...
    >>> Param(float, low=0, high=1, closed="right").parse_text("0.25")
    0.25
    """

    kind: type = float
    low: float | None = None
    high: float | None = None
    closed: str = "both"
    default: Any = None
    required: bool = False
    column: bool = False
    excludes: tuple[str, ...] = ()
    help: str = ""
    metavar: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise SpecificationError(
                f"Param kind must be one of int, float, str, got {self.kind!r}; pass one of them"
            )
        if self.closed not in _CLOSED:
            raise SpecificationError(
                f"Param closed must be one of {list(_CLOSED)}, got {self.closed!r}; use one of them"
            )

    def describe(self) -> str:
        """The allowed values in words (``"a positive whole number"``).

        Returns
        -------
        str
            E.g. ``"a number >= 0"``, ``"a fraction in (0, 1]"``.

        Examples
        --------
        >>> from borderhub.locate import Param
        >>> Param(float, low=0, closed="right").describe()
        'a positive number'
        """
        if self.kind is str:
            return "a text"
        low_in = self.closed in ("both", "left")
        high_in = self.closed in ("both", "right")
        noun = "whole number" if self.kind is int else "number"
        if self.kind is int and self.low == 1 and self.high is None:
            text = "a positive whole number"
        elif self.low == 0 and self.high is None:
            text = f"a {noun} >= 0" if low_in else f"a positive {noun}"
        elif self.low == 0 and self.high == 1 and self.kind is float:
            text = (
                "a fraction between 0 and 1"
                if low_in and high_in
                else f"a fraction in {'[' if low_in else '('}0, 1{']' if high_in else ')'}"
            )
        else:
            bounds = []
            if self.low is not None:
                bounds.append(f"{'>=' if low_in else '>'} {self.low:g}")
            if self.high is not None:
                bounds.append(f"{'<=' if high_in else '<'} {self.high:g}")
            text = f"a {noun}" + (" " + " and ".join(bounds) if bounds else "")
        return text + (" or a column of the candidates" if self.column else "")

    def _inside(self, value: float) -> bool:
        if math.isnan(value):
            return False
        if self.low is not None and (
            value < self.low or (value == self.low and self.closed in ("right", "neither"))
        ):
            return False
        return self.high is None or not (
            value > self.high or (value == self.high and self.closed in ("left", "neither"))
        )

    def check(
        self,
        value: Any,
        name: str,
        *,
        error: type[Exception] = SpecificationError,
        text: bool = False,
    ) -> Any:
        """``value`` if it is allowed (an int as ``int``, a number as ``float``), else an error.

        Parameters
        ----------
        value : object
            The value given.
        name : str
            The parameter's name, for the message.
        error : type, default SpecificationError
            The exception raised (a plan raises its ``PlanOptionError``).
        text : bool, default False
            Also read numbers written as text (``"500"``), as options of a plan may be.

        Returns
        -------
        int, float or str
            The value; a column name as it is (``column=True``).

        Raises
        ------
        SpecificationError
            Not of the kind or outside the interval (or ``error``).

        Examples
        --------
        >>> from borderhub.locate import Param
        >>> Param(float, low=0, column=True).check("cost", "fixed_cost")
        'cost'
        """
        fix = f"; pass {self.describe()}"
        if self.kind is str:
            if not isinstance(value, str) or not value.strip():
                raise error(f"{name} must be {self.describe()}, got {value!r}{fix}")
            return value
        number: Any = value
        if text and isinstance(value, str):
            try:
                number = int(value) if self.kind is int else float(value)
            except ValueError:
                number = value
        if isinstance(number, str) and self.column:
            return number
        if isinstance(number, bool) or not isinstance(
            number, numbers.Integral if self.kind is int else numbers.Real
        ):
            raise error(f"{name} must be {self.describe()}, got {value!r}{fix}")
        if not self._inside(float(number)) or (
            self.kind is float and math.isinf(number) and self.high is None
        ):
            raise error(f"{name} must be {self.describe()}, got {value!r}{fix}")
        return int(number) if self.kind is int else float(number)  # type: ignore[call-overload]

    def parse_text(self, text: str) -> Any:
        """The value of a command-line argument (an ``argparse`` type).

        Parameters
        ----------
        text : str
            The argument as typed.

        Returns
        -------
        int, float or str
            As :meth:`check` returns it.

        Raises
        ------
        argparse.ArgumentTypeError
            Not of the kind or outside the interval (argparse reports it as a usage error).

        Examples
        --------
        >>> from borderhub.locate import Param
        >>> Param(int, low=1).parse_text("12")
        12
        """
        import argparse

        try:
            return self.check(text, "value", text=True)
        except SpecificationError:
            raise argparse.ArgumentTypeError(f"must be {self.describe()}, got {text}") from None


#: ``p``: the number of centres a model opens (the plan's default: 10, the CORE places).
CENTRES = Param(int, low=1, default=10, help="number of centres", metavar="N")
#: ``radius``: the coverage radius of the coverage models (cost units; km in a plan).
RADIUS = Param(float, low=0, closed="right", required=True, help="coverage radius in km",
               metavar="KM")  # fmt: skip
#: ``fixed_cost``: the cost of opening a centre, one number or a column of the candidates.
OPENING_COST = Param(float, low=0, column=True, required=True, metavar="COST",
                     help="opening cost: a number, or a column of the candidates")  # fmt: skip


# --------------------------------------------------------------------------------------------
# the registry
# --------------------------------------------------------------------------------------------

#: The models of borderhub, as ``module:class``, in the order the command line lists them.
_BUILT_IN = (
    "borderhub.locate.median:PMedian",
    "borderhub.locate.center:PCenter",
    "borderhub.locate.coverage:MaxCoverage",
    "borderhub.locate.coverage:SetCover",
    "borderhub.locate.fixed_charge:FacilityLocation",
    "borderhub.locate.crossborder:CrossBorderMedian",
)
_REGISTERED: dict[str, type] = {}
_LOADED: list[bool] = []


def _load_built_in() -> None:
    if _LOADED:
        return
    _LOADED.append(True)
    classes = []
    for path in _BUILT_IN:
        module, _, name = path.partition(":")
        classes.append(getattr(importlib.import_module(module), name))
    # borderhub's models first, then those registered before the registry was first read
    earlier = dict(_REGISTERED)
    _REGISTERED.clear()
    for cls in classes:
        register(cls)
    for cls in earlier.values():
        register(cls)


def register(cls: Any) -> Any:
    """Add a location model class to :data:`MODELS` under its declared ``name``.

    The model is then a choice of ``borderhub plan --model``, of ``run_plan(model=...)``
    and of the sweeps. Usable as a class decorator.

    Parameters
    ----------
    cls : type
        A :class:`~borderhub.locate.LocationModel` subclass declaring ``name`` (lower-case
        letters, digits, ``_``), ``title``, ``about`` and ``parameters`` (a mapping of
        names to :class:`Param`), built by
        ``cls.from_geodataframe(demand, candidates, weight=..., distance=..., **params)``.

    Returns
    -------
    type
        ``cls``.

    Raises
    ------
    SpecificationError
        ``cls`` is no model class, its declaration is incomplete, or another class has
        its name.

    Examples
    --------
    >>> from borderhub.locate import PMedian, register
    >>> register(PMedian) is PMedian
    True
    """
    from borderhub.locate.base import LocationModel

    if not (isinstance(cls, type) and issubclass(cls, LocationModel)):
        raise SpecificationError(
            f"register takes a LocationModel subclass, got {cls!r}; pass a model class"
        )
    name = getattr(cls, "name", None)
    if (
        not isinstance(name, str)
        or not name
        or not name.replace("_", "a").isalnum()
        or (name != name.lower())
    ):
        raise SpecificationError(
            f"{cls.__name__} must declare name, a lower-case short name such as 'pmedian', "
            f"got {name!r}; set it as a class attribute"
        )
    for attribute in ("title", "about"):
        if not isinstance(getattr(cls, attribute, None), str):
            raise SpecificationError(
                f"{cls.__name__} must declare {attribute} (a string); set it as a class attribute"
            )
    params = getattr(cls, "parameters", None)
    if not isinstance(params, Mapping) or not all(
        isinstance(k, str) and isinstance(v, Param) for k, v in params.items()
    ):
        raise SpecificationError(
            f"{cls.__name__}.parameters must map parameter names to Param, got {params!r}; "
            "declare e.g. parameters = {'p': Param(int, low=1)}"
        )
    other = _REGISTERED.get(name)
    same = other is not None and (other.__module__, other.__qualname__) == (
        cls.__module__,
        cls.__qualname__,
    )  # the class defined again (a notebook cell run twice) replaces itself
    if other is not None and other is not cls and not same:
        raise SpecificationError(
            f"model name {name!r} is taken by {other.__name__}; give {cls.__name__} another name"
        )
    _REGISTERED[name] = cls
    return cls


def registered() -> dict[str, Any]:
    """The registered model classes by short name, borderhub's own first.

    Returns
    -------
    dict
        Short name -> class (a copy).

    Examples
    --------
    >>> from borderhub.locate import registered
    >>> list(registered())[:3]
    ['pmedian', 'pcenter', 'mclp']
    """
    _load_built_in()
    return dict(_REGISTERED)


class _Live(Mapping[str, Any]):
    """A read-only view of the registry (stays current as models are registered)."""

    def __init__(self, value: Callable[[Any], Any], doc: str) -> None:
        self._value = value
        self.__doc__ = doc

    def __getitem__(self, key: str) -> Any:
        return self._value(registered()[key])

    def __iter__(self) -> Iterator[str]:
        return iter(registered())

    def __len__(self) -> int:
        return len(registered())

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class _LiveNames(Sequence[str]):
    """The names of the registered models with a plain ``p`` (read when used)."""

    def _names(self) -> tuple[str, ...]:
        return tuple(
            name
            for name, cls in registered().items()
            if "p" in cls.parameters and not cls.parameters["p"].excludes
        )

    def __getitem__(self, index: Any) -> Any:
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __repr__(self) -> str:
        return repr(self._names())


#: Short model names (the command line's ``--model``, ``run_plan(model=...)`` and the
#: sweeps' ``model=``) -> name of the class (a live view of :func:`registered`).
MODELS: Mapping[str, str] = _Live(lambda cls: cls.__name__, "short name -> class name")

#: Short model name -> title used in printed summaries, maps and plots.
MODEL_TITLES: Mapping[str, str] = _Live(lambda cls: cls.title, "short name -> title")

#: Short names of the models with a number of centres ``p`` (read from the declarations).
P_MODELS: Sequence[str] = _LiveNames()


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
        models = registered()
        if key.lower() in models:
            return models[key.lower()]
        for cls in models.values():
            if cls.__name__ == key:
                return cls
        cls = getattr(locate, key, None) if key in locate.__all__ else None
        if isinstance(cls, type) and issubclass(cls, locate.LocationModel):
            return cls
    raise SpecificationError(
        f"unknown model {model!r}; use one of {sorted(registered())} or a borderhub.locate class"
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
    for key, registered_cls in registered().items():
        if registered_cls is cls:
            return key
    return str(cls.__name__)
