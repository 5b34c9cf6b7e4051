"""Criterion weights: Shannon entropy, the analytic hierarchy process, and their resolution.

:func:`entropy_weights` (Shannon [5]_ as used by Zeleny) and :func:`ahp_weights` (Saaty
[3]_ [4]_) compute weights; :func:`resolve_weights` turns whatever :func:`score` is given as
``weights=`` into one normalised vector aligned with the criteria.

References
----------
.. [3] Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill, New York.
.. [4] Saaty, T. L. (1990). How to make a decision: The analytic hierarchy process.
   *European Journal of Operational Research*, 48(1), 9--26.
.. [5] Shannon, C. E. (1948). A mathematical theory of communication. *Bell System
   Technical Journal*, 27, 379--423; entropy weights as in Zeleny, M. (1982).
   *Multiple Criteria Decision Making*. McGraw-Hill, New York.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError
from borderhub.scoring.criterion import Criterion

__all__ = ["AHPResult", "ahp_weights", "entropy_weights", "resolve_weights", "SAATY_RANDOM_INDEX"]

#: Saaty's random consistency index RI(n): n = 1..10 as in Saaty (1980) and Saaty (1990);
#: n = 11..15 is the extension usually quoted with that table. Other simulations give
#: slightly different values (e.g. Alonso & Lamata 2006), so report CR together with n.
SAATY_RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}


@dataclass(frozen=True)
class AHPResult:
    """Weights and consistency of an AHP pairwise comparison matrix.

    Attributes
    ----------
    weights : pandas.Series
        Principal-eigenvector weights, summing to 1, indexed by the matrix labels.
    lambda_max : float
        Principal eigenvalue of the pairwise matrix (``>= n``; ``= n`` when consistent).
    consistency_index : float
        ``CI = (lambda_max - n) / (n - 1)`` (0 for n <= 2).
    random_index : float
        Saaty's random index ``RI(n)`` (:data:`SAATY_RANDOM_INDEX`).
    consistency_ratio : float
        ``CR = CI / RI`` (0 for n <= 2). Saaty accepts ``CR <= 0.1``.

    Examples
    --------
    >>> res = ahp_weights([[1, 2], [0.5, 1]])
    >>> res.weights.round(4).tolist(), res.consistent
    ([0.6667, 0.3333], True)
    """

    weights: pd.Series
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        """Whether ``consistency_ratio <= 0.1`` (Saaty's threshold).

        Returns
        -------
        bool
            True when the judgements are acceptably consistent.

        Examples
        --------
        >>> ahp_weights([[1, 3], [1 / 3, 1]]).consistent
        True
        """
        return bool(self.consistency_ratio <= 0.1)


def ahp_weights(pairwise: Any, strict: bool = False, tol: float = 0.05) -> AHPResult:
    """Weights from an AHP pairwise comparison matrix (Saaty's eigenvector method).

    Entry ``a[i, j]`` says how many times criterion *i* is more important than *j* on
    Saaty's 1--9 scale; the matrix must be square, positive, with unit diagonal and
    reciprocal (``a[j, i] = 1 / a[i, j]``). The weights are the principal (Perron)
    eigenvector ``w`` of ``A w = lambda_max w``, scaled to sum 1. Consistency:
    ``CI = (lambda_max - n) / (n - 1)``, ``CR = CI / RI(n)`` with Saaty's random index
    table ``RI = 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56,
    1.57, 1.59`` for ``n = 1..15`` (Saaty 1980 for n <= 10; the usual extension above,
    see :data:`SAATY_RANDOM_INDEX`). Matrices with ``CR > 0.1`` should be revised.

    Parameters
    ----------
    pairwise : array_like or pandas.DataFrame
        ``n x n`` comparison matrix, ``1 <= n <= 15``. A DataFrame must have the same labels
        on both axes (they label the weights); an array gives labels ``0..n-1``.
    strict : bool, default False
        Raise :class:`~borderhub.exceptions.SpecificationError` when ``CR > 0.1`` instead
        of returning the result (check :attr:`AHPResult.consistent`).
    tol : float, default 0.05
        Tolerance of the checks ``|a_ii - 1| <= tol`` and ``|a_ij a_ji - 1| <= tol``, so that
        judgements typed as two-decimal numbers (``0.14`` for 1/7, ``0.13`` for 1/8) pass.

    Returns
    -------
    AHPResult
        ``weights`` (Series), ``lambda_max``, ``consistency_index``, ``random_index``,
        ``consistency_ratio``; pass it as ``weights=`` to :func:`score`.

    Raises
    ------
    SpecificationError
        The matrix is not square, not finite and positive, not reciprocal, has a diagonal
        other than 1, is larger than 15 x 15, or (with ``strict``) ``CR > 0.1``.

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill. Saaty, T. L. (1990).
    How to make a decision: The analytic hierarchy process. *EJOR* 48(1), 9--26.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = ["volume", "rcep", "rail"]
    >>> A = pd.DataFrame([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]],
    ...                  index=labels, columns=labels)
    >>> res = ahp_weights(A)
    >>> res.weights.round(3)
    volume    0.637
    rcep      0.258
    rail      0.105
    Name: weight, dtype: float64
    >>> round(res.consistency_ratio, 3)
    0.033
    """
    if isinstance(pairwise, pd.DataFrame):
        if not pairwise.index.equals(pairwise.columns):
            raise SpecificationError(
                "the pairwise DataFrame must have the same labels, in the same order, on its "
                f"index and columns; got index {list(pairwise.index)} and columns "
                f"{list(pairwise.columns)}."
            )
        labels: pd.Index = pairwise.index
        try:
            a = pairwise.to_numpy(dtype=float)
        except (TypeError, ValueError) as err:
            raise SpecificationError("the pairwise matrix must hold numbers.") from err
    else:
        try:
            a = np.array(pairwise, dtype=float)
        except (TypeError, ValueError) as err:
            raise SpecificationError(
                "the pairwise matrix must be a square array of positive numbers."
            ) from err
        labels = pd.RangeIndex(a.shape[0]) if a.ndim == 2 else pd.RangeIndex(0)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise SpecificationError(
            f"the pairwise matrix must be square (n x n), got shape {a.shape}."
        )
    n = a.shape[0]
    if n > max(SAATY_RANDOM_INDEX):
        raise SpecificationError(
            f"the pairwise matrix has {n} criteria; Saaty's random index is tabulated up to "
            f"{max(SAATY_RANDOM_INDEX)}. Group the criteria into a hierarchy."
        )
    if not np.isfinite(a).all() or (a <= 0).any():
        bad = [(labels[i], labels[j]) for i, j in np.argwhere(~np.isfinite(a) | (a <= 0))]
        raise SpecificationError(
            f"pairwise entries must be finite and positive; bad entries at {bad[:5]}."
        )
    diag = np.diag(a)
    if not np.allclose(diag, 1.0, rtol=0, atol=tol):
        bad = [labels[int(i)] for i in np.nonzero(~np.isclose(diag, 1.0, rtol=0, atol=tol))[0]]
        raise SpecificationError(f"the pairwise diagonal must be 1; it is not for {bad[:5]}.")
    prod = a * a.T
    nonrec = np.abs(prod - 1.0) > tol
    if nonrec.any():
        pairs = [(labels[i], labels[j], a[i, j], a[j, i]) for i, j in np.argwhere(np.triu(nonrec))]
        shown = ", ".join(
            f"a[{i!r},{j!r}]={x:g} vs a[{j!r},{i!r}]={y:g}" for i, j, x, y in pairs[:5]
        )
        raise SpecificationError(
            f"the pairwise matrix is not reciprocal (a[j,i] must be 1/a[i,j]): {shown}."
        )
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    w = np.abs(vecs[:, k].real)
    w = w / w.sum()
    ri = SAATY_RANDOM_INDEX[n]
    if n <= 2:
        ci = cr = 0.0
    else:
        ci = max((lam - n) / (n - 1), 0.0)
        cr = ci / ri
    if strict and cr > 0.1:
        raise SpecificationError(
            f"the pairwise judgements are inconsistent: consistency ratio {cr:.3f} > 0.1 "
            f"(lambda_max {lam:.3f}, n {n}). Revise the comparisons or pass strict=False."
        )
    return AHPResult(
        weights=pd.Series(w, index=labels.copy(), name="weight"),
        lambda_max=lam,
        consistency_index=float(ci),
        random_index=float(ri),
        consistency_ratio=float(cr),
    )


def entropy_weights(matrix: Any) -> Any:
    """Shannon entropy weights of a decision matrix (rows = alternatives, columns = criteria).

    With ``m`` alternatives, ``p_ij = x_ij / sum_i x_ij``,
    ``E_j = -(1 / ln m) * sum_i p_ij ln p_ij`` (with ``0 ln 0 = 0``), divergence
    ``d_j = 1 - E_j`` and weight ``w_j = d_j / sum_k d_k``. A criterion whose values are
    spread unevenly carries more information and gets more weight. The direction of a
    criterion does not matter: entropy is computed on the raw, non-negative values.

    Zeros are allowed (their term is 0, the limit of ``p ln p``). A constant column
    (including an all-zero column) carries no information: ``E_j = 1`` and weight 0.

    Parameters
    ----------
    matrix : array_like or pandas.DataFrame
        ``m x n`` non-negative finite values, ``m >= 2``.

    Returns
    -------
    numpy.ndarray or pandas.Series
        Weights summing to 1; a Series indexed by the columns when ``matrix`` is a
        DataFrame.

    Raises
    ------
    DataError
        Negative, NaN or infinite values; fewer than two rows; or every column constant.

    References
    ----------
    Shannon (1948); Zeleny, M. (1982). *Multiple Criteria Decision Making*. McGraw-Hill.

    Examples
    --------
    >>> entropy_weights([[1, 5], [1, 1], [1, 9]]).round(3).tolist()
    [0.0, 1.0]
    >>> import pandas as pd
    >>> entropy_weights(pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 4]})).round(3)
    a    0.698
    b    0.302
    dtype: float64
    """
    labels = matrix.columns if isinstance(matrix, pd.DataFrame) else None
    try:
        x = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError) as err:
        text = repr(matrix)
        text = text if len(text) <= 80 else text[:77] + "..."
        raise DataError(
            f"entropy_weights needs a numeric matrix, got {text}; convert the values to "
            "numbers first (e.g. with pandas.to_numeric)."
        ) from err
    if x.ndim != 2:
        raise DataError(
            f"entropy_weights needs a 2-D matrix (alternatives x criteria), got {x.ndim}-D."
        )
    m, n = x.shape
    if m < 2 or n < 1:
        raise DataError(f"entropy_weights needs at least 2 rows and 1 column, got shape {x.shape}.")
    names = list(labels) if labels is not None else list(range(n))
    if not np.isfinite(x).all():
        cols = [names[j] for j in np.nonzero(~np.isfinite(x).all(axis=0))[0]]
        raise DataError(
            f"entropy_weights: NaN or infinite values in columns {cols[:5]}; drop or fill "
            "them first."
        )
    if (x < 0).any():
        cols = [names[j] for j in np.nonzero((x < 0).any(axis=0))[0]]
        raise DataError(
            f"entropy_weights needs non-negative values; columns {cols[:5]} have negatives. "
            "Shift them (e.g. subtract the minimum) or give weights explicitly."
        )
    d = _entropy_divergence(x)
    if not (d > 0).any():
        raise DataError(
            "entropy weights are undefined: every criterion is constant across the "
            "alternatives. Use weights='equal' or explicit weights."
        )
    w = d / d.sum()
    return pd.Series(w, index=labels.copy(), dtype=float) if labels is not None else w


def _entropy_divergence(x: np.ndarray) -> np.ndarray:
    m = x.shape[0]
    total = x.sum(axis=0)
    # constant up to rounding: such a column carries no information (its entropy is 1)
    constant = np.ptp(x, axis=0) <= 1e-12 * np.abs(x).max(axis=0)
    p = np.divide(x, total, out=np.zeros_like(x), where=total > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=0) / np.log(m)
    d = np.clip(1.0 - e, 0.0, None)
    d[constant] = 0.0
    return d


def resolve_weights(weights: Any, crits: list[Criterion], matrix: pd.DataFrame) -> np.ndarray:
    """The ``weights=`` of :func:`~borderhub.scoring.score` as one vector summing to 1.

    Parameters
    ----------
    weights : None, "equal", "entropy", mapping, AHPResult or sequence
        As accepted by :func:`~borderhub.scoring.score`.
    crits : list of Criterion
        The criteria, in order (their own weights are used when ``weights`` is None).
    matrix : pandas.DataFrame
        The decision matrix (read by ``"entropy"`` only).

    Returns
    -------
    numpy.ndarray
        One weight per criterion, aligned with ``crits``.

    Examples
    --------
    >>> import pandas as pd
    >>> crits = [Criterion("a", "a", "benefit"), Criterion("b", "b", "cost")]
    >>> resolve_weights({"a": 3, "b": 1}, crits, pd.DataFrame()).tolist()
    [0.75, 0.25]
    """
    names = [c.name for c in crits]
    m = len(names)
    if weights is None:
        carried = [c.weight for c in crits]
        if all(w is not None for w in carried):
            raw = np.array(carried, dtype=float)
            return _normalise(raw, names, "the criteria's own weights")
        if any(w is not None for w in carried):
            missing = [c.name for c in crits if c.weight is None]
            raise SpecificationError(
                f"some criteria carry a weight and others do not ({missing}); give every "
                "criterion a weight, or pass weights= explicitly."
            )
        return np.full(m, 1.0 / m)
    if isinstance(weights, str):
        key = weights.strip().lower()
        if key == "equal":
            return np.full(m, 1.0 / m)
        if key == "entropy":
            return np.asarray(entropy_weights(matrix.to_numpy()), dtype=float)
        raise SpecificationError(
            f"unknown weights {weights!r}; use 'equal', 'entropy', a mapping "
            "{criterion: weight}, or the result of ahp_weights()."
        )
    if isinstance(weights, AHPResult):
        weights = weights.weights
    if isinstance(weights, Mapping | pd.Series):
        keys = [str(k) for k in weights.keys()]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise SpecificationError(
                f"weights name criteria {dup} more than once; give one weight per criterion."
            )
        given = {str(k): val for k, val in weights.items()}
        unknown = [k for k in given if k not in names]
        if unknown:
            raise SpecificationError(
                f"weights given for criteria that do not exist: {unknown}; the criteria are "
                f"{names}."
            )
        missing = [n for n in names if n not in given]
        if missing:
            raise SpecificationError(
                f"no weight given for criteria {missing}; give every criterion a weight "
                "(0 to ignore one)."
            )
        try:
            raw = np.array([float(given[n]) for n in names])
        except (TypeError, ValueError) as err:
            raise SpecificationError(f"weights must be numbers, got {given!r}.") from err
        return _normalise(raw, names, "weights")
    try:
        raw = np.asarray(weights, dtype=float)
    except (TypeError, ValueError) as err:
        raise SpecificationError(
            f"weights must be None, 'equal', 'entropy', a mapping, an AHPResult or a sequence "
            f"of numbers; got {type(weights).__name__}."
        ) from err
    if raw.shape != (m,):
        raise SpecificationError(
            f"{m} criteria but weights of shape {raw.shape}; give one weight per criterion."
        )
    return _normalise(raw, names, "weights")


def _normalise(raw: np.ndarray, names: list[str], what: str) -> np.ndarray:
    bad = [(n, v) for n, v in zip(names, raw, strict=True) if not np.isfinite(v) or v < 0]
    if bad:
        raise SpecificationError(f"{what} must be finite and >= 0; offending: {dict(bad)}.")
    total = raw.sum()
    if total <= 0:
        raise SpecificationError(f"{what} are all zero; at least one weight must be positive.")
    return raw / total
