"""What a criterion is, the study inputs it may declare, and the registry of criteria.

A :class:`Criterion` names a value per candidate (a column of the candidates frame, or a
function of it), says whether more is better and may carry a default weight. A criterion
computed from more than the candidates -- the demand points, the partner hubs, the border
ports -- declares those inputs (``inputs=``), so a study binds its own data to every
criterion that reads it with :func:`with_inputs`, without knowing the criteria by name.

The registry (:func:`register_criterion`, :func:`lookup_criteria`) holds the built-in
criteria of :mod:`borderhub.scoring.criteria` by name; a new criterion is one module with
its function and one :func:`register_criterion` line.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from borderhub.exceptions import DataError, SpecificationError
from borderhub.scoring._values import as_float_series, real

__all__ = [
    "Criterion",
    "INPUTS",
    "with_inputs",
    "register_criterion",
    "unregister_criterion",
    "lookup_criteria",
    "as_criteria",
]

_DIRECTIONS = ("benefit", "cost")

#: The study inputs a criterion can declare (``Criterion(inputs=...)``) -> what they are.
#: :func:`with_inputs` passes each to the criteria that declare it.
INPUTS: dict[str, str] = {
    "demand": "demand points, a (Geo)DataFrame like borderhub.datasets.prefectures()",
    "demand_weight": "the column of the demand points giving each point's mass",
    "partners": "partner hubs, a (Geo)DataFrame like borderhub.datasets.partners()",
    "ports": "land border ports, a (Geo)DataFrame like borderhub.datasets.border_ports()",
    "distance": "how distances are measured: 'geodesic', 'road' or 'rail' "
    "(borderhub.routes.network_km)",
}


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion: where its values come from and which way is better.

    Parameters
    ----------
    name : str
        Label of the criterion; it names the output columns of :func:`score`
        (``<name>_norm``, ``<name>_contrib``) and the keys of a weights mapping.
    source : str (column label) or callable
        A column of the candidates frame, or a function ``f(candidates) -> Series``
        returning one value per candidate (indexed like the candidates; an array of the
        right length is taken in row order).
    direction : {"benefit", "cost"}
        ``"benefit"``: larger is better; ``"cost"``: smaller is better (any case).
    weight : float, optional
        Default weight, used by :func:`score` when ``weights=None`` and every criterion
        carries one.
    description : str, optional
        One line saying what the criterion measures.
    unit : str, optional
        Unit of the raw values, e.g. ``"km"`` or ``"亿件"``.
    inputs : sequence of str or mapping, optional
        The study inputs (:data:`INPUTS`: ``"demand"``, ``"demand_weight"``,
        ``"partners"``, ``"ports"``) the source reads besides the candidates, each passed
        as the keyword argument of the same name, or ``{input: keyword}`` when the
        source's keyword differs (``{"demand_weight": "column"}``). Stored as
        ``((input, keyword), ...)``. The source must still work without them (on bundled
        data, say): :func:`with_inputs` binds a study's own.

    Examples
    --------
    >>> import pandas as pd
    >>> c = Criterion("pop", "population", "Benefit", unit="persons")
    >>> c.direction
    'benefit'
    >>> frame = pd.DataFrame({"population": [10, 20]}, index=["a", "b"])
    >>> c.evaluate(frame).tolist()
    [10.0, 20.0]
    >>> Criterion("double", lambda f: 2 * f["population"], "benefit").evaluate(frame).tolist()
    [20.0, 40.0]

    A criterion that reads the demand declares it:

    >>> def people_near(candidates, demand=None):
    ...     return pd.Series(float(len(demand)), index=candidates.index)
    >>> near = Criterion("near", people_near, "benefit", inputs=["demand"])
    >>> near.inputs
    (('demand', 'demand'),)
    >>> near.with_inputs(demand=pd.DataFrame(index=[1, 2, 3])).evaluate(frame).tolist()
    [3.0, 3.0]
    """

    name: str
    source: Hashable | Callable[[pd.DataFrame], Any]
    direction: str
    weight: float | None = None
    description: str = ""
    unit: str = ""
    inputs: Any = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise SpecificationError(
                f"a criterion name must be a non-empty string, got {self.name!r}."
            )
        object.__setattr__(self, "direction", _direction(self.direction, self.name))
        if not (callable(self.source) or isinstance(self.source, Hashable)):
            raise SpecificationError(
                f"criterion {self.name!r}: source must be a column name or a callable "
                f"f(candidates) -> Series, got {type(self.source).__name__}."
            )
        if self.weight is not None:
            w = real(self.weight, f"criterion {self.name!r}: weight")
            if not math.isfinite(w) or w < 0:
                raise SpecificationError(
                    f"criterion {self.name!r}: weight must be a finite number >= 0, got "
                    f"{self.weight!r}."
                )
            object.__setattr__(self, "weight", w)
        object.__setattr__(self, "inputs", _inputs(self.inputs, self.name))
        if self.inputs and not callable(self.source):
            raise SpecificationError(
                f"criterion {self.name!r} reads the column {self.source!r} but declares "
                f"inputs {[i for i, _ in self.inputs]}; only a function source takes inputs: "
                "give a function f(candidates, **inputs) as source, or omit inputs."
            )

    def evaluate(self, candidates: pd.DataFrame) -> pd.Series:
        """Return the criterion's raw values, one float per candidate.

        Parameters
        ----------
        candidates : pandas.DataFrame
            The candidates (a GeoDataFrame for distance-based criteria).

        Returns
        -------
        pandas.Series
            Float values indexed like ``candidates`` and named after the criterion; NaN
            marks a missing value (see ``nan_policy`` in :func:`score`).

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"coastal": [True, False]}, index=["a", "b"])
        >>> Criterion("sea", "coastal", "benefit").evaluate(frame).tolist()
        [1.0, 0.0]
        """
        if not callable(self.source):
            if self.source not in candidates.columns:
                raise DataError(
                    f"criterion {self.name!r} reads column {self.source!r}, which the "
                    f"candidates do not have; available columns: {list(candidates.columns)}."
                )
            raw: Any = candidates[self.source]
        else:
            raw = self.source(candidates)
        return as_float_series(raw, candidates.index, self.name)

    def with_inputs(self, **inputs: Any) -> Criterion:
        """Bind the study's own inputs this criterion declares.

        Parameters
        ----------
        **inputs
            Values of the study inputs (:data:`INPUTS`). Those the criterion declares are
            bound to its source; the others, and any given as None, are ignored, so the
            same study can be passed to every criterion.

        Returns
        -------
        Criterion
            A new criterion (the same one when it declares none of the inputs given).

        Raises
        ------
        SpecificationError
            An input name that is not in :data:`INPUTS`.

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.scoring import catchment_volume
        >>> c = Criterion("catchment", catchment_volume, "benefit",
        ...               inputs={"demand": "demand", "demand_weight": "column"})
        >>> demand = pd.DataFrame({"lon": [121.47], "lat": [31.23], "parcels": [7.0]})
        >>> here = pd.DataFrame({"lon": [121.5], "lat": [31.2]}, index=["上海"])
        >>> c.with_inputs(demand=demand, demand_weight="parcels").evaluate(here).tolist()
        [7.0]
        """
        _check_input_names(inputs)
        bind = {kw: inputs[name] for name, kw in self.inputs if inputs.get(name) is not None}
        if not bind:
            return self
        source: Callable[..., Any] = self.source  # type: ignore[assignment]  # a function
        return dataclasses.replace(self, source=functools.partial(source, **bind))


def _direction(value: Any, name: str) -> str:
    if isinstance(value, str) and value.strip().lower() in _DIRECTIONS:
        return value.strip().lower()
    raise SpecificationError(
        f"criterion {name!r}: direction must be 'benefit' or 'cost', got {value!r}."
    )


def _inputs(value: Any, name: str) -> tuple[tuple[str, str], ...]:
    """A criterion's declared inputs as ``((input, keyword), ...)``."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise SpecificationError(
            f"criterion {name!r}: inputs must be a sequence of input names or a mapping "
            f"{{input: keyword}}, got {value!r}."
        )
    if isinstance(value, Mapping):
        pairs = list(value.items())
    else:
        items = list(value)
        pairs = [tuple(i) if isinstance(i, tuple) else (i, i) for i in items]
    out = []
    for pair in pairs:
        if len(pair) != 2 or not all(isinstance(p, str) and p.isidentifier() for p in pair):
            raise SpecificationError(
                f"criterion {name!r}: each input is a name or (input, keyword) of names, "
                f"got {pair!r}."
            )
        out.append((pair[0], pair[1]))
    unknown = [i for i, _ in out if i not in INPUTS]
    if unknown:
        raise SpecificationError(
            f"criterion {name!r} declares unknown inputs {unknown}; the study inputs are "
            f"{list(INPUTS)}."
        )
    return tuple(out)


def _check_input_names(inputs: Mapping[str, Any]) -> None:
    unknown = [k for k in inputs if k not in INPUTS]
    if unknown:
        raise SpecificationError(f"unknown study inputs {unknown}; use one of {list(INPUTS)}.")


def as_criteria(
    criteria: Mapping[str, str] | Sequence[Criterion] | Criterion,
) -> list[Criterion]:
    """Criteria given as ``{column: direction}``, Criterion objects or one Criterion, checked.

    Parameters
    ----------
    criteria : mapping, sequence of Criterion or Criterion
        As accepted by :func:`borderhub.scoring.score`.

    Returns
    -------
    list of Criterion
        With unique names.

    Raises
    ------
    SpecificationError
        Another type, an empty collection or repeated names.

    Examples
    --------
    >>> [c.name for c in as_criteria({"volume": "benefit", "km": "cost"})]
    ['volume', 'km']
    """
    if isinstance(criteria, Criterion):
        criteria = [criteria]
    if isinstance(criteria, Mapping):
        out = [Criterion(str(col), col, d) for col, d in criteria.items()]
    elif isinstance(criteria, Sequence) and not isinstance(criteria, str):
        out = list(criteria)
        bad = [c for c in out if not isinstance(c, Criterion)]
        if bad:
            raise SpecificationError(
                f"criteria must be a mapping {{column: 'benefit' | 'cost'}} or a sequence of "
                f"Criterion objects; got {bad[:3]!r}."
            )
    else:
        raise SpecificationError(
            "criteria must be a mapping {column: 'benefit' | 'cost'} or a sequence of "
            f"Criterion objects, got {type(criteria).__name__}."
        )
    if not out:
        raise SpecificationError("no criteria given; pass at least one criterion.")
    names = [c.name for c in out]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise SpecificationError(f"criterion names must be unique; repeated: {dups}.")
    return out


def with_inputs(
    criteria: Mapping[str, str] | Sequence[Criterion] | Criterion, **inputs: Any
) -> list[Criterion]:
    """The criteria reading a study's own demand, partners or ports where they declare them.

    The study does not need to know which criterion reads what: each criterion declares
    its inputs (:attr:`Criterion.inputs`) and takes those it declares
    (:meth:`Criterion.with_inputs`); an input given as None keeps the criterion's default
    (the bundled table).

    Parameters
    ----------
    criteria : mapping, sequence of Criterion or Criterion
        As accepted by :func:`borderhub.scoring.score`, e.g. :func:`default_criteria`.
    **inputs
        ``demand=``, ``demand_weight=``, ``partners=``, ``ports=`` (:data:`INPUTS`).

    Returns
    -------
    list of Criterion
        The criteria in the same order; inputs are never modified.

    Raises
    ------
    SpecificationError
        An input name not in :data:`INPUTS`, or criteria :func:`score` would refuse.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.scoring import default_criteria
    >>> demand = pd.DataFrame({"lon": [113.3, 114.1], "lat": [23.1, 22.5],
    ...                        "parcels": [3.0, 1.0]}, index=["广州", "深圳"])
    >>> crits = with_inputs(default_criteria(), demand=demand, demand_weight="parcels")
    >>> here = pd.DataFrame({"lon": [113.3], "lat": [23.1]}, index=["广州"])
    >>> gravity = next(c for c in crits if c.name == "gravity_access")
    >>> round(float(gravity.evaluate(here).iloc[0]), 2)
    3.5
    """
    _check_input_names(inputs)
    return [c.with_inputs(**inputs) for c in as_criteria(criteria)]


# ----------------------------------------------------------------------------------------
# the registry
# ----------------------------------------------------------------------------------------

#: name -> criterion, in registration order (the built-ins of borderhub.scoring.criteria)
_REGISTRY: dict[str, Criterion] = {}


def register_criterion(criterion: Criterion, *, replace: bool = False) -> Criterion:
    """Make a criterion available by name to :func:`lookup_criteria`.

    Parameters
    ----------
    criterion : Criterion
        The criterion, usually without a weight (weights belong to a scoring, e.g.
        :func:`default_weights`).
    replace : bool, default False
        Replace a criterion of the same name instead of refusing it.

    Returns
    -------
    Criterion
        ``criterion``, so a module can write ``NAME = register_criterion(Criterion(...))``.

    Raises
    ------
    SpecificationError
        Not a :class:`Criterion`, or its name is taken and ``replace`` is False.

    Examples
    --------
    >>> import pandas as pd
    >>> c = register_criterion(Criterion("seats", "seats", "benefit"))
    >>> [c.name for c in lookup_criteria(["seats", "coastal"])]
    ['seats', 'coastal']
    >>> unregister_criterion("seats").name
    'seats'
    """
    if not isinstance(criterion, Criterion):
        raise SpecificationError(
            f"register_criterion takes a Criterion, got {type(criterion).__name__}; pass "
            "Criterion(name, source, direction, ...)."
        )
    if criterion.name in _REGISTRY and not replace:
        raise SpecificationError(
            f"a criterion named {criterion.name!r} is registered already; choose another "
            "name or pass replace=True."
        )
    _REGISTRY[criterion.name] = criterion
    return criterion


def unregister_criterion(name: str) -> Criterion:
    """Remove a criterion from the registry.

    Parameters
    ----------
    name : str
        Its name.

    Returns
    -------
    Criterion
        The criterion removed.

    Raises
    ------
    SpecificationError
        No criterion of that name is registered.

    Examples
    --------
    >>> register_criterion(Criterion("seats", "seats", "benefit")).name
    'seats'
    >>> unregister_criterion("seats").direction
    'benefit'
    """
    if name not in _REGISTRY:
        raise SpecificationError(
            f"no criterion named {name!r} is registered; the registered criteria are "
            f"{list(_REGISTRY)}."
        )
    return _REGISTRY.pop(name)


def lookup_criteria(names: Iterable[str] | None = None) -> list[Criterion]:
    """Registered criteria by name.

    Parameters
    ----------
    names : iterable of str, optional
        The names, in the order wanted; default every registered criterion in the order
        of registration.

    Returns
    -------
    list of Criterion
        A new list (criteria are immutable), ready for :func:`score` once weighted.

    Raises
    ------
    SpecificationError
        A name that is not registered (the message lists those that are).

    Examples
    --------
    >>> [(c.name, c.direction) for c in lookup_criteria(["express_volume", "coastal"])]
    [('express_volume', 'benefit'), ('coastal', 'benefit')]
    """
    if names is None:
        return list(_REGISTRY.values())
    wanted = [names] if isinstance(names, str) else list(names)
    unknown = [n for n in wanted if n not in _REGISTRY]
    if unknown:
        raise SpecificationError(
            f"no registered criterion named {unknown}; the registered criteria are "
            f"{list(_REGISTRY)}."
        )
    return [_REGISTRY[n] for n in wanted]
