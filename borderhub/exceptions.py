"""Exceptions raised by borderhub.

Every error borderhub raises on purpose is a :class:`BorderhubError`, so a caller can
catch them all with one ``except`` clause. The subclasses say which part went wrong:

* :class:`DataError` -- the data handed in (or a bundled table) is malformed: missing
  columns, NaN or out-of-range values, duplicate labels, missing or mismatched CRS,
  unknown place names.
* :class:`SpecificationError` -- the parameters of an analysis cannot work: ``p`` larger
  than the allowed candidates, a label both required and forbidden, capacity below demand,
  an unknown method or option.
* :class:`InfeasibleError` -- a model was solved and proven infeasible.
* :class:`SolverError` -- the solver is unknown, not installed, or failed.
* :class:`OutputError` -- results cannot be saved where asked: the folder is a link, a
  file, read-only or someone else's, or a write failed (the earlier results are kept).

One warning, :class:`MissingDataWarning`, says that an analysis went on without some
data: a criterion left out for lack of values, or missing values filled in.

Messages name the offending values and say how to fix them.
"""

from __future__ import annotations

__all__ = [
    "BorderhubError",
    "DataError",
    "SpecificationError",
    "InfeasibleError",
    "SolverError",
    "MissingDataWarning",
    "OutputError",
    "DataWarning",
]


class BorderhubError(Exception):
    """Base class of every error raised by borderhub on purpose.

    Examples
    --------
    >>> from borderhub.exceptions import BorderhubError, DataError
    >>> issubclass(DataError, BorderhubError)
    True
    """


class DataError(BorderhubError, ValueError):
    """Input data is malformed: missing columns, bad values, duplicate labels, bad CRS.

    Examples
    --------
    >>> from borderhub.exceptions import DataError
    >>> try:
    ...     raise DataError("column 'population' has NaN in rows ['110000']")
    ... except ValueError as err:
    ...     print(err)
    column 'population' has NaN in rows ['110000']
    """


class SpecificationError(BorderhubError, ValueError):
    """The parameters of an analysis are inconsistent or impossible.

    Examples
    --------
    >>> from borderhub.exceptions import SpecificationError
    >>> isinstance(SpecificationError("p must be positive, got 0"), ValueError)
    True
    """


class InfeasibleError(BorderhubError):
    """A model was proven infeasible by the solver.

    Examples
    --------
    >>> from borderhub.exceptions import InfeasibleError, BorderhubError
    >>> isinstance(InfeasibleError("no centre covers '110000'"), BorderhubError)
    True
    """


class SolverError(BorderhubError, RuntimeError):
    """The requested solver is unknown, unavailable, or failed while solving.

    Examples
    --------
    >>> from borderhub.exceptions import SolverError
    >>> isinstance(SolverError("solver 'gurobi' is not available"), RuntimeError)
    True
    """


class OutputError(BorderhubError, OSError):
    """Results cannot be saved where asked; the message names the file and the fix.

    Examples
    --------
    >>> from borderhub.exceptions import OutputError
    >>> isinstance(OutputError("cannot write map.html: No space left on device"), OSError)
    True
    """


class DataWarning(UserWarning):
    """Data that borderhub can use but that look wrong (places far outside China...).

    Turn it into an error with ``warnings.simplefilter("error", DataWarning)`` or the
    ``strict`` option of the check that issues it.

    Examples
    --------
    >>> from borderhub.exceptions import DataWarning
    >>> issubclass(DataWarning, UserWarning)
    True
    """


class MissingDataWarning(DataWarning):
    """Some values were missing and the analysis went on without them, or filled them in.

    :func:`borderhub.score` warns so when its ``nan_policy`` leaves a sparse criterion out
    or gives missing values the criterion's worst value; the result's ``attrs`` records
    what was left out (``omitted``) and filled (``filled``). A :class:`DataWarning`, so
    one filter (``warnings.simplefilter("error", DataWarning)``) covers both.

    Examples
    --------
    >>> import warnings
    >>> from borderhub.exceptions import DataWarning, MissingDataWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("'volume' filled in rows ['B']", MissingDataWarning)
    >>> issubclass(caught[0].category, DataWarning), issubclass(DataWarning, UserWarning)
    (True, True)
    """
