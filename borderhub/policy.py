"""The plan's own terms: the tiers of 专栏4, the indicators of 专栏1, volume projections.

Source: State Post Bureau, 《"十四五"快递业发展规划》 (14th Five-Year Express Development
Plan, 2021). 专栏4 (进出境快件处理中心建设工程) sorts the places that are to build
cross-border (inbound/outbound) express processing centres into tiers:

- ``CORE`` (10 entries, 北京 ... 昆明):
  优化进出境快件处理场所布局，强化综合性进出境快件处理中心功能;
- ``LONG_TERM`` (2, 鄂州、海口): 建设适应长远发展需要的综合性进出境快件处理中心;
- ``PROVINCIAL`` (11 provincial capitals, 太原 ... 乌鲁木齐):
  打造辐射省内周边城市的综合性进出境快件处理中心;
- ``ENCOURAGED`` (33 entries, 唐山 ... 西双版纳): 鼓励……等地建设进出境快件处理中心;
- ``RAIL`` (5, 西安、重庆、成都、郑州、义乌): 中欧班列开行城市建设铁路进出境快件处理中心;
- ``PORT`` (no city named): 支持沿海城市统筹建设港口进出境快件处理中心.

The 33 ENCOURAGED entries name 35 places (钦州-北海-防城港 is one entry of three cities);
60 distinct places in all, three of them in two tiers (郑州 CORE+RAIL; 成都, 西安
PROVINCIAL+RAIL; 重庆 and 义乌 are RAIL only). The table itself is shipped as
``column4.csv`` in the bundled data (see :mod:`borderhub.datasets`) and read from there.

Examples
--------
>>> from borderhub.policy import Tier, column4, tiers_of
>>> sorted(t.name for t in tiers_of("成都"))
['PROVINCIAL', 'RAIL']
>>> int((column4()["tier"] == Tier.ENCOURAGED).sum())
35
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError

__all__ = [
    "Tier",
    "column4",
    "tiers_of",
    "parse_tiers",
    "as_tiers",
    "candidate_tiers",
    "tier_members",
    "tiers_report",
    "Indicator",
    "INDICATORS",
    "project_volume",
]


class Tier(Enum):
    """Tier of 专栏4 of the 14th Five-Year Express Development Plan.

    Members, in the plan's order: ``CORE``, ``LONG_TERM``, ``PROVINCIAL``, ``ENCOURAGED``,
    ``RAIL``, ``PORT``. Each has ``label_zh`` (the plan's own words for what the places of
    the tier are to do) and ``label_en`` (an English rendering). The value is the lower-case
    name; lookup by value accepts any case and ``-``/space for ``_``, and lists the allowed
    values when nothing matches. Members compare in the plan's order, so tables sort and
    group by tier in that order.

    Examples
    --------
    >>> from borderhub.policy import Tier
    >>> Tier("core") is Tier["CORE"] is Tier("Core") is Tier.parse("CORE")
    True
    >>> Tier.RAIL.label_zh
    '中欧班列开行城市建设铁路进出境快件处理中心'
    >>> Tier.parse("long-term").name
    'LONG_TERM'
    >>> sorted([Tier.RAIL, Tier.CORE]) == [Tier.CORE, Tier.RAIL]
    True
    >>> Tier("capital")
    Traceback (most recent call last):
    ...
    borderhub.exceptions.SpecificationError: unknown tier 'capital'; allowed: ...
    """

    label_zh: str
    label_en: str

    def __new__(cls, value: str, label_zh: str, label_en: str) -> Tier:
        """Create a member from its value and its two labels."""
        obj = object.__new__(cls)
        obj._value_ = value
        obj.label_zh = label_zh
        obj.label_en = label_en
        return obj

    CORE = (
        "core",
        "优化进出境快件处理场所布局，强化综合性进出境快件处理中心功能",
        "optimise the layout of inbound/outbound express processing sites and strengthen "
        "the functions of the comprehensive inbound/outbound express processing centre",
    )
    LONG_TERM = (
        "long_term",
        "建设适应长远发展需要的综合性进出境快件处理中心",
        "build a comprehensive inbound/outbound express processing centre that meets "
        "long-term development needs",
    )
    PROVINCIAL = (
        "provincial",
        "打造辐射省内周边城市的综合性进出境快件处理中心",
        "provincial capital building a comprehensive inbound/outbound express processing "
        "centre that serves the surrounding cities of its province",
    )
    ENCOURAGED = (
        "encouraged",
        "鼓励……等地建设进出境快件处理中心",
        "encouraged to build an inbound/outbound express processing centre",
    )
    RAIL = (
        "rail",
        "中欧班列开行城市建设铁路进出境快件处理中心",
        "China-Europe Railway Express city building a railway inbound/outbound express "
        "processing centre",
    )
    PORT = (
        "port",
        "沿海城市统筹建设港口进出境快件处理中心",
        "coastal cities building port inbound/outbound express processing centres in a "
        "coordinated way (the plan names no city)",
    )

    def __lt__(self, other: object) -> bool:
        """Order members as the plan lists them (CORE first, PORT last)."""
        if not isinstance(other, Tier):
            return NotImplemented
        members = list(type(self))
        return members.index(self) < members.index(other)

    def __le__(self, other: object) -> bool:
        """Order members as the plan lists them."""
        if not isinstance(other, Tier):
            return NotImplemented
        return self is other or self < other

    def __gt__(self, other: object) -> bool:
        """Order members as the plan lists them."""
        if not isinstance(other, Tier):
            return NotImplemented
        return other < self

    def __ge__(self, other: object) -> bool:
        """Order members as the plan lists them."""
        if not isinstance(other, Tier):
            return NotImplemented
        return self is other or other < self

    @classmethod
    def _missing_(cls, value: object) -> Tier:
        if isinstance(value, str):
            key = value.strip().lower().replace("-", "_").replace(" ", "_")
            for member in cls:
                if key == member.value or value.strip() == member.label_zh:
                    return member
        allowed = ", ".join(repr(m.value) for m in cls)
        raise SpecificationError(
            f"unknown tier {value!r}; allowed: {allowed} (any case, or the member names "
            f"{', '.join(m.name for m in cls)})"
        )

    @classmethod
    def parse(cls, value: Tier | str) -> Tier:
        """Return the tier named by ``value`` (a Tier, its name or value, any case).

        Parameters
        ----------
        value : Tier or str
            ``Tier.CORE``, ``"CORE"``, ``"core"``, ``"Long-Term"`` ... or the plan's words
            (``label_zh``).

        Returns
        -------
        Tier
            The matching member.

        Raises
        ------
        SpecificationError
            Nothing matches; the message lists the allowed values.

        Examples
        --------
        >>> from borderhub.policy import Tier
        >>> Tier.parse("encouraged") is Tier.ENCOURAGED
        True
        """
        if isinstance(value, cls):
            return value
        # Lookup by value: mypy reads the three-argument ``__new__`` (used to build the
        # members) as the constructor signature.
        return cls(value)  # type: ignore[call-arg, arg-type]


_COLUMN4_COLUMNS = [
    "plan_name",
    "name",
    "adcode",
    "prefecture_adcode",
    "province",
    "tier",
    "plan_entry",
    "lon",
    "lat",
]


def column4() -> pd.DataFrame:
    """The tier table of 专栏4: one row per (place, tier) membership, in plan order.

    Returns
    -------
    pandas.DataFrame
        63 rows (10 CORE, 2 LONG_TERM, 11 PROVINCIAL, 35 ENCOURAGED places from 33 entries,
        5 RAIL; no PORT rows, because the plan names no port city) with columns

        - ``plan_name``: the place as written in the plan (``"延吉"``);
        - ``name``: official name of the unit (``"延吉市"``);
        - ``adcode``: 6-character code of the unit the plan names; 延吉市, 绥芬河市 and
          义乌市 are county-level, 德宏, 红河 and 西双版纳 autonomous prefectures, the four
          municipalities use their province-level code (``"110000"``);
        - ``prefecture_adcode``: code of the prefecture-level unit containing it;
        - ``province``: official province name;
        - ``tier``: :class:`Tier`;
        - ``plan_entry``: the entry as listed (``"钦州-北海-防城港"`` for each of its cities);
        - ``lon``, ``lat``: WGS84 administrative centre.

    Raises
    ------
    DataError
        The bundled table is missing or fails validation.

    Examples
    --------
    >>> from borderhub.policy import Tier, column4
    >>> table = column4()
    >>> table.groupby("tier", sort=False).size().rename(lambda t: t.name).to_dict()
    {'CORE': 10, 'LONG_TERM': 2, 'PROVINCIAL': 11, 'ENCOURAGED': 35, 'RAIL': 5}
    >>> table.loc[table["plan_entry"] == "钦州-北海-防城港", "name"].tolist()
    ['钦州市', '北海市', '防城港市']
    >>> table["adcode"].nunique()
    60
    """
    from borderhub.datasets import table as bundled_table

    table = bundled_table("column4").sort_values("order", kind="stable")
    try:
        tiers = [Tier[name] for name in table["tier"]]
    except KeyError as err:
        raise DataError(
            f"bundled column4 table has an unknown tier {err.args[0]!r}; allowed: "
            f"{[t.name for t in Tier]}"
        ) from None
    table["tier"] = pd.Series(tiers, index=table.index, dtype=object)
    return table[_COLUMN4_COLUMNS].reset_index(drop=True)


_LOOKUP_CACHE: dict[tuple, dict[str, frozenset[Tier]]] = {}


def _lookup() -> dict[str, frozenset[Tier]]:
    """Keys accepted by :func:`tiers_of` -> tiers (cached per version of the tables)."""
    from borderhub.datasets import table_version

    key = (table_version("column4"), table_version("prefectures"))
    found = _LOOKUP_CACHE.get(key)
    if found is None:
        found = _build_lookup()
        _LOOKUP_CACHE.clear()
        _LOOKUP_CACHE[key] = found
    return found


def _build_lookup() -> dict[str, frozenset[Tier]]:
    """Map plan names, official names and adcodes to their (immutable) tier sets."""
    from borderhub.datasets import table as bundled_table

    table = column4()
    by_code: dict[str, set[Tier]] = {}
    for code, tier in zip(table["adcode"], table["tier"], strict=True):
        by_code.setdefault(code, set()).add(tier)
    keys: dict[str, str] = {}
    # other units of the demand table: known places that the plan does not name
    pref = bundled_table("prefectures")
    for code, name in zip(pref.index, pref["name"], strict=True):
        keys.setdefault(name, code)
        keys.setdefault(code, code)
        by_code.setdefault(code, set())
    for col in ("adcode", "name", "plan_name"):
        for key, code in zip(table[col], table["adcode"], strict=True):
            keys[key] = code
    return {key: frozenset(by_code[code]) for key, code in keys.items()}


def tiers_of(name_or_adcode: str | int) -> frozenset[Tier]:
    """Tiers of 专栏4 that a place belongs to.

    Parameters
    ----------
    name_or_adcode : str or int
        The plan's name (``"延吉"``), the official name (``"延吉市"``) or the 6-digit adcode
        (``"222401"`` or ``222401``) of a 专栏4 place. The official name or adcode of any
        other demand unit of :func:`borderhub.datasets.prefectures` is also accepted and
        gives an empty set.

    Returns
    -------
    frozenset of Tier
        Empty for a known unit that 专栏4 does not name. Never contains ``Tier.PORT``: the
        plan names no port city (see the ``coastal`` column of
        :func:`borderhub.datasets.candidates`).

    Raises
    ------
    DataError
        The name or code is unknown; the message lists the closest matches.
    SpecificationError
        ``name_or_adcode`` is neither a string nor an integer.

    Examples
    --------
    >>> from borderhub.policy import Tier, tiers_of
    >>> tiers_of("郑州") == {Tier.CORE, Tier.RAIL}
    True
    >>> tiers_of("330782") == tiers_of("义乌市") == {Tier.RAIL}
    True
    >>> tiers_of("青岛市")
    frozenset()
    >>> tiers_of("绥芬")
    Traceback (most recent call last):
    ...
    borderhub.exceptions.DataError: unknown place '绥芬'...; closest matches: ['绥芬河', ...
    """
    if isinstance(name_or_adcode, bool) or not isinstance(name_or_adcode, str | int | np.integer):
        raise SpecificationError(
            f"tiers_of expects a place name or a 6-digit adcode, got "
            f"{type(name_or_adcode).__name__} {name_or_adcode!r}"
        )
    key = str(name_or_adcode).strip()
    tiers = _lookup()
    if key in tiers:
        return tiers[key]
    pool = [k for k in tiers if k.isdigit() == key.isdigit()]
    close = difflib.get_close_matches(key, pool, n=5, cutoff=0.3)
    if not close:
        close = [k for k in pool if key and (key in k or k in key)][:5]
    raise DataError(
        f"unknown place {name_or_adcode!r}: not a 专栏4 place nor a unit of the bundled "
        f"prefecture table; closest matches: {close}. Pass the plan's name (e.g. '延吉'), "
        f"the official name ('延吉市') or the 6-digit adcode ('222401')"
    )


# --------------------------------------------------------------------------------------------
# tiers cells and tier names: the one place where they are read
# --------------------------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def parse_tiers(value: Any, *, label: Any = None) -> frozenset[Tier]:
    """The tiers named by one ``tiers`` cell, such as ``"CORE;RAIL"``.

    A cell holds :class:`Tier` names joined by ``";"``, as in the ``tiers`` column of
    :func:`borderhub.datasets.candidates`. Each part is read by :meth:`Tier.parse`, so any
    case, ``-`` or a space for ``_`` and the plan's own words (:attr:`Tier.label_zh`) are
    accepted; spaces around parts and empty parts are ignored. An empty cell (``""``,
    ``None``, NaN, the ``NA`` that ``read_csv`` makes of an empty field) means no tier.

    Parameters
    ----------
    value : str, Tier, None or float
        The cell.
    label : object, optional
        The row the cell belongs to, named in the error message.

    Returns
    -------
    frozenset of Tier
        The tiers of the cell (empty for an empty cell).

    Raises
    ------
    DataError
        A part names no tier; the message gives the part, the row and the allowed names.

    Examples
    --------
    >>> from borderhub.policy import Tier, parse_tiers
    >>> parse_tiers("CORE;RAIL") == {Tier.CORE, Tier.RAIL}
    True
    >>> parse_tiers(" provincial ; ") == {Tier.PROVINCIAL}
    True
    >>> parse_tiers(Tier.RAIL.label_zh) == {Tier.RAIL}
    True
    >>> parse_tiers(float("nan"))
    frozenset()
    >>> parse_tiers("CORE;HUB", label="110000")
    Traceback (most recent call last):
    ...
    borderhub.exceptions.DataError: unknown tier 'HUB' in the tiers of '110000'; use names of ...
    """
    if isinstance(value, Tier):
        return frozenset({value})
    if _is_missing(value):
        return frozenset()
    out = set()
    for part in str(value).split(";"):
        part = part.strip()
        if not part:
            continue
        try:
            out.add(Tier.parse(part))
        except SpecificationError:
            where = f" in the tiers of {label!r}" if label is not None else ""
            raise DataError(
                f"unknown tier {part!r}{where}; use names of {[t.name for t in Tier]} "
                "joined by ';' (e.g. 'CORE;RAIL')"
            ) from None
    return frozenset(out)


def as_tiers(value: Any, *, argument: str = "tiers") -> list[Tier]:
    """Tiers named by an argument: a Tier, a name, a list of them, or ``"CORE,RAIL"``.

    Every name is read by :meth:`Tier.parse` (any case, ``-`` or a space for ``_``, or the
    plan's own words); a string may list several names separated by ``,`` or ``;``.

    Parameters
    ----------
    value : Tier, str, iterable of Tier or str, or None
        What the caller passed.
    argument : str, default "tiers"
        The argument's name, used in error messages.

    Returns
    -------
    list of Tier
        The distinct tiers in the order given (empty for None).

    Raises
    ------
    SpecificationError
        A name matches no tier, or an item is neither a Tier nor a string.

    Examples
    --------
    >>> from borderhub.policy import Tier, as_tiers
    >>> as_tiers("core,rail") == [Tier.CORE, Tier.RAIL]
    True
    >>> as_tiers([Tier.PORT, "port", Tier.RAIL.label_zh]) == [Tier.PORT, Tier.RAIL]
    True
    >>> as_tiers(None)
    []
    """
    if value is None:
        return []
    items: Iterable[Any]
    if isinstance(value, str):
        items = [p for p in value.replace(";", ",").split(",") if p.strip()]
    elif isinstance(value, Tier):
        items = [value]
    else:
        try:
            items = list(value)
        except TypeError:
            raise SpecificationError(
                f"{argument} must be a Tier, a tier name or a list of them, got "
                f"{type(value).__name__} {value!r}; use e.g. [Tier.CORE] or 'CORE,RAIL'"
            ) from None
    out: list[Tier] = []
    for item in items:
        if not isinstance(item, Tier | str):
            raise SpecificationError(
                f"{argument} must hold Tier members or names, got {item!r}; use e.g. Tier.CORE "
                "or 'CORE'"
            )
        try:
            tier = Tier.parse(item.strip() if isinstance(item, str) else item)
        except SpecificationError:
            raise SpecificationError(
                f"{argument}: unknown tier {item!r}; tiers are {[t.name for t in Tier]} "
                "(any case) or the plan's words (Tier.label_zh)"
            ) from None
        if tier not in out:
            out.append(tier)
    return out


def candidate_tiers(candidates: pd.DataFrame) -> pd.Series:
    """The tiers of every candidate, with the PORT rule applied.

    The ``tiers`` column is read with :func:`parse_tiers`. **PORT rule**: the plan supports
    port centres in coastal cities but names none, so a candidate belongs to
    :attr:`Tier.PORT` when its ``tiers`` cell names PORT *or* its ``coastal`` column is
    true (the ``coastal`` flag of :func:`borderhub.datasets.candidates`). Every selection
    by tier (:func:`tier_members`, :func:`borderhub.locate.policy_constraints`, the command
    line's ``--required-tiers``) goes through this function.

    Parameters
    ----------
    candidates : pandas.DataFrame
        Indexed by label, with a ``tiers`` column and optionally ``coastal`` (bool; missing
        values count as false).

    Returns
    -------
    pandas.Series
        A frozenset of :class:`Tier` per candidate, indexed like ``candidates``.

    Raises
    ------
    DataError
        No ``tiers`` column, or a cell names an unknown tier.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.policy import Tier, candidate_tiers
    >>> cands = pd.DataFrame({"tiers": ["CORE", "", "ENCOURAGED"],
    ...                       "coastal": [True, False, True]}, index=["a", "b", "c"])
    >>> candidate_tiers(cands).map(lambda s: sorted(t.name for t in s)).to_dict()
    {'a': ['CORE', 'PORT'], 'b': [], 'c': ['ENCOURAGED', 'PORT']}
    """
    if "tiers" not in candidates.columns:
        raise DataError(
            "candidates needs a 'tiers' column of ';'-joined Tier names, as in "
            "borderhub.datasets.candidates()"
        )
    sets = [parse_tiers(v, label=k) for k, v in candidates["tiers"].items()]
    if "coastal" in candidates.columns:
        coastal = candidates["coastal"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        sets = [s | {Tier.PORT} if c else s for s, c in zip(sets, coastal, strict=True)]
    return pd.Series(sets, index=candidates.index.copy(), dtype=object, name="tiers")


def tier_members(candidates: pd.DataFrame, tiers: Any) -> pd.Index:
    """Labels of the candidates in any of ``tiers`` (PORT: see :func:`candidate_tiers`).

    Parameters
    ----------
    candidates : pandas.DataFrame
        Indexed by label, with a ``tiers`` column (and optionally ``coastal``).
    tiers : Tier, str or iterable
        Anything :func:`as_tiers` accepts.

    Returns
    -------
    pandas.Index
        The matching labels, in the order of ``candidates``.

    Raises
    ------
    DataError
        No ``tiers`` column, or a cell names an unknown tier.
    SpecificationError
        A tier name is unknown.

    Examples
    --------
    >>> from borderhub import datasets
    >>> from borderhub.policy import tier_members
    >>> cands = datasets.candidates()
    >>> len(tier_members(cands, "PORT"))  # the coastal candidates
    25
    >>> cands.loc[tier_members(cands, "rail"), "plan_name"].tolist()
    ['郑州', '成都', '西安', '重庆', '义乌']
    """
    wanted = set(as_tiers(tiers, argument="tiers"))
    member = candidate_tiers(candidates)
    mask = member.map(lambda s: bool(s & wanted)).to_numpy(dtype=bool)
    return candidates.index[mask]


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal (East Asian wide characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap_items(items: list[str], sep: str = "、", width: int = 92, indent: int = 4) -> str:
    """Join ``items`` with ``sep``, breaking lines only between items, by display width."""
    lines: list[str] = []
    line = ""
    for k, item in enumerate(items):
        piece = item + (sep if k < len(items) - 1 else "")
        if line and _width(line) + _width(piece) > width - indent:
            lines.append(line)
            line = ""
        line += piece
    if line:
        lines.append(line)
    return "\n".join(" " * indent + text for text in lines)


def tiers_report(tiers: Any = None) -> str:
    """The tiers of 专栏4 as readable text (what ``borderhub tiers`` prints).

    For each tier: its name, the numbers of entries and places, the plan's words and their
    English rendering, and the entries as the plan lists them; for PORT, which names no
    city, the coastal candidates that stand in for it (see :func:`candidate_tiers`).

    Parameters
    ----------
    tiers : Tier, str or iterable, optional
        Only these tiers (anything :func:`as_tiers` reads); default all.

    Returns
    -------
    str
        Lines of at most about 92 display columns (Chinese characters count two).

    Raises
    ------
    SpecificationError
        An unknown tier name.

    Examples
    --------
    >>> from borderhub.policy import tiers_report
    >>> print(tiers_report("rail"))  # doctest: +NORMALIZE_WHITESPACE
    专栏4 进出境快件处理中心建设工程 (Column 4: cross-border express processing centres)
    14th Five-Year Express Development Plan: 5 distinct places, 5 (place, tier) memberships
    <BLANKLINE>
    RAIL: 5 entries, 5 places
        中欧班列开行城市建设铁路进出境快件处理中心
        China-Europe Railway Express city building a railway inbound/outbound express
        processing centre
        西安、重庆、成都、郑州、义乌
    """
    import textwrap

    chosen = as_tiers(tiers, argument="tiers") if tiers is not None else list(Tier)
    table = column4()
    table = table[table["tier"].isin(chosen)]
    lines = [
        "专栏4 进出境快件处理中心建设工程 (Column 4: cross-border express processing centres)",
        "14th Five-Year Express Development Plan: "
        f"{table['adcode'].nunique()} distinct places, {len(table)} (place, tier) memberships",
    ]
    wrap_en = textwrap.TextWrapper(width=92, initial_indent="    ", subsequent_indent="    ")
    for tier in Tier:
        if tier not in chosen:
            continue
        rows = table[table["tier"] == tier]
        entries = list(dict.fromkeys(rows["plan_entry"]))
        lines += ["", f"{tier.name}: {len(entries)} entries, {len(rows)} places"]
        lines += [f"    {tier.label_zh}", wrap_en.fill(tier.label_en)]
        if entries:
            lines.append(_wrap_items(entries))
        else:
            from borderhub import datasets

            cand = datasets.candidates()
            places = cand.loc[tier_members(cand, tier), "plan_name"].tolist()
            note = (
                f"the plan names no city; borderhub marks the {len(places)} coastal "
                "candidates instead (column 'coastal' of borderhub.datasets.candidates()):"
            )
            lines += [wrap_en.fill(note), _wrap_items(places)]
    return "\n".join(lines)


@dataclass(frozen=True)
class Indicator:
    """One main indicator of 专栏1 (“十四五”时期快递业发展主要指标).

    Attributes
    ----------
    number : int
        Row number in the plan (1-7).
    category_zh, category_en : str
        类别: 规模实力 (scale), 服务深度 (reach), 服务水平 (service level), 绿色发展
        (green development), 安全发展 (safety).
    name_zh, name_en : str
        The indicator, without its unit.
    unit : str
        Unit as printed (亿件, 亿元, %, 分, 万个, 起/百亿件).
    value_2020 : float or None
        2020 value (None where the plan prints —).
    target_2025 : float or None
        2025 target value (None where the plan prints —).
    target_bound : str
        ``"="`` for a point target, ``">"`` or ``"≥"`` when the plan prints it as a bound.
    annual_growth : float or None
        Average annual growth rate as a fraction (0.125 for 12.5%), if the plan gives one.
    increment : float or None
        Five-year cumulative increment in ``unit`` (the plan's ``[...]`` figures).
    relative_change : float or None
        Five-year cumulative relative change as a fraction (``[-15%]`` -> -0.15).
    cumulative : bool
        True when the plan marks the last column with ``[]`` (five-year cumulative figure).
    plan_text : str
        The last column exactly as printed, e.g. ``"12.5%"`` or ``"[>40]"``.

    Examples
    --------
    >>> from borderhub.policy import INDICATORS
    >>> volume = INDICATORS[0]
    >>> volume.name_zh, volume.value_2020, volume.target_2025, volume.annual_growth
    ('快递业务量', 834.0, 1500.0, 0.125)
    """

    number: int
    category_zh: str
    category_en: str
    name_zh: str
    name_en: str
    unit: str
    value_2020: float | None
    target_2025: float | None
    target_bound: str
    annual_growth: float | None
    increment: float | None
    relative_change: float | None
    cumulative: bool
    plan_text: str


#: The seven main indicators of 专栏1, in the plan's order (an immutable tuple of frozen
#: :class:`Indicator` records). ``pandas.DataFrame(INDICATORS)`` gives a table.
INDICATORS: tuple[Indicator, ...] = (
    Indicator(1, "规模实力", "scale", "快递业务量", "express volume", "亿件",
              834.0, 1500.0, "=", 0.125, None, None, False, "12.5%"),
    Indicator(2, "规模实力", "scale", "快递业务收入", "express revenue", "亿元",
              8795.0, 15000.0, "=", 0.113, None, None, False, "11.3%"),
    Indicator(3, "服务深度", "reach", "建制村快递服务通达率",
              "share of administrative villages with express service", "%",
              50.0, 90.0, ">", None, 40.0, None, True, "[>40]"),
    Indicator(4, "服务水平", "service level", "快递服务总体满意度",
              "overall express service satisfaction", "分",
              76.7, 80.0, "≥", None, 3.3, None, True, "[≥3.3]"),
    Indicator(5, "服务水平", "service level", "重点地区快递服务72小时准时率",
              "72-hour on-time rate in key areas", "%",
              77.1, 80.0, "=", None, 2.9, None, True, "[2.9]"),
    Indicator(6, "绿色发展", "green development", "可循环快递包装保有量",
              "stock of reusable express packaging", "万个",
              200.0, 1000.0, ">", None, 800.0, None, True, "[>800]"),
    Indicator(7, "安全发展", "safety", "邮件快件生产安全事故发生率",
              "rate of work-safety accidents in mail and express", "起/百亿件",
              None, None, "=", None, None, -0.15, True, "[-15%]"),
)  # fmt: skip


def _as_float_array(x: Any, what: str, error: type[Exception]) -> np.ndarray:
    try:
        return np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise error(f"{what} must be numeric, got {x!r}") from None


def project_volume(base: Any, base_year: Any, target_year: Any, rate: Any) -> Any:
    """Project a volume forward at a constant compound annual growth rate.

    ``base * (1 + rate) ** (target_year - base_year)``, vectorised with NumPy broadcasting.

    Parameters
    ----------
    base : float, array-like or pandas.Series
        Volume in ``base_year`` (any unit, e.g. 亿件); finite and non-negative. A Series keeps
        its index in the result.
    base_year, target_year : int or array-like
        Years; ``target_year`` must not precede ``base_year``.
    rate : float or array-like
        Annual growth rate as a fraction (0.125 for 12.5%); must be finite and > -1.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Projected volume: a float for scalar inputs, a Series for a Series ``base``, an
        array otherwise. The inputs are not modified.

    Raises
    ------
    DataError
        ``base`` is non-numeric, NaN, infinite or negative (the positions are named).
    SpecificationError
        Years or rate are non-numeric or non-finite, ``target_year < base_year``, or
        ``rate <= -1``.

    Examples
    --------
    专栏1 plans express volume to grow from 834 亿件 (2020) at 12.5% a year:

    >>> from borderhub.policy import project_volume
    >>> round(project_volume(834, 2020, 2025, 0.125), 1)
    1502.9
    >>> import pandas as pd
    >>> project_volume(pd.Series([10.0, 20.0], index=["a", "b"]), 2024, 2026, 0.1).round(2)
    a    12.1
    b    24.2
    dtype: float64
    >>> project_volume(100, 2025, 2020, 0.1)
    Traceback (most recent call last):
    ...
    borderhub.exceptions.SpecificationError: target_year (2020) precedes base_year (2025)...
    """
    index = base.index if isinstance(base, pd.Series) else None
    b = _as_float_array(base, "base", DataError)
    y0 = _as_float_array(base_year, "base_year", SpecificationError)
    y1 = _as_float_array(target_year, "target_year", SpecificationError)
    r = _as_float_array(rate, "rate", SpecificationError)
    bad = ~np.isfinite(b) | (b < 0)
    if bad.any():
        where = list(index[np.ravel(bad)]) if index is not None else np.argwhere(bad).tolist()
        raise DataError(
            f"base must be finite and non-negative; bad values at {where[:10]}"
            + (f" and {len(where) - 10} more" if len(where) > 10 else "")
        )
    for name, arr in (("base_year", y0), ("target_year", y1), ("rate", r)):
        if not np.all(np.isfinite(arr)):
            raise SpecificationError(f"{name} must be finite, got {arr.tolist()!r}")
    if np.any(y1 < y0):
        raise SpecificationError(
            f"target_year ({_show(target_year)}) precedes base_year ({_show(base_year)}); "
            "project forward only (swap them, or discount with a negative rate)"
        )
    if np.any(r <= -1):
        raise SpecificationError(
            f"rate must be > -1 (a fraction: 0.125 for 12.5%), got {_show(rate)}"
        )
    try:
        out = b * (1.0 + r) ** (y1 - y0)
    except ValueError:
        shapes = {n: np.shape(v) for n, v in (("base", b), ("base_year", y0),
                                              ("target_year", y1), ("rate", r))}  # fmt: skip
        raise SpecificationError(
            f"base, years and rate must broadcast together (NumPy rules), got shapes {shapes}; "
            "pass scalars or arrays of one shape"
        ) from None
    if index is not None and out.shape == (len(index),):
        return pd.Series(out, index=index, name=getattr(base, "name", None))
    if out.ndim == 0:
        return float(out)
    return out


def _show(x: Any) -> str:
    """Short representation of a scalar or array-like for messages."""
    if isinstance(x, Iterable) and not isinstance(x, str):
        return repr(np.ravel(np.asarray(x)).tolist()[:10])
    return repr(x)
