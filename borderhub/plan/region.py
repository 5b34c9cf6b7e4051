"""The region and language of a study: the maps' extent, the report's words, the title.

A study restricted to provinces is drawn at their outline (:func:`study_extent`); a study
whose own tables have Chinese headers is reported in Chinese (:func:`study_lang`). The
words of the report a plan writes, in Chinese and English, are :data:`WORDS`.

Examples
--------
>>> from borderhub.plan.region import province_extent
>>> [round(v) for v in province_extent(["黑龙江", "吉林", "辽宁"])]
[118, 38, 136, 54]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["province_extent", "study_extent", "study_lang", "WORDS", "word"]

#: The words of a plan's report -> (Chinese, English).
WORDS: dict[str, tuple[str, str]] = {
    "model": ("模型", "model"),
    "parameters": ("参数", "parameters"),
    "required tiers": ("必选层级", "required tiers"),
    "demand weight": ("需求权重", "demand weight"),
    "scoring": ("评分", "scoring"),
    "missing criterion values": ("指标缺失值", "missing criterion values"),
    "solver": ("求解器", "solver"),
    "region": ("研究区域", "region"),
    "criteria": ("评价指标", "criteria"),
    "robustness draws": ("稳健性抽样", "robustness draws"),
    "cross-border": ("跨境", "cross-border"),
    "all of China": ("全国", "all of China"),
    "none": ("无", "none"),
    "not scored": ("未评分", "not scored"),
    "every unit weighs 1": ("每个需求单元权重为 1", "none (every unit weighs 1)"),
    "provinces": ("省份", "provinces"),
    "gateway loads": ("出境口岸负荷（按口岸的进出境快件量）",
                      "Gateway loads (international express by gateway)"),
    "partner loads": ("贸易伙伴负荷", "Partner loads"),
    "robustness": ("稳健性：{n} 次需求抽样中各候选点入选的频率",
                   "Robustness: selection frequency over {n} demand draws"),
    "static map": ("方案静态地图", "Static map of the plan"),
    "rank stability": ("指标权重 {n:,} 次抽样下的排名稳定性",
                       "Rank stability of the scores over {n:,} draws of the criterion weights"),
    "cost curve": ("{title}：成本随 p 的变化", "{title}: cost against p"),
    "robustness figure": ("各候选点在需求抽样中的入选频率及名义方案的后悔值",
                          "Selection frequency of each candidate over the demand draws, and "
                          "the nominal plan's regret"),
    "summary": ("{model}（{params}），{demand} 个需求单元、{candidates} 个候选点：选出 {open} "
                "个中心；状态 {status}，目标值 {objective}，间隙 {gap}。{weight}。",
                "{model} ({params}) over {demand} demand units and {candidates} candidates: "
                "{open} centres chosen; status {status}, objective {objective}, gap {gap}. "
                "{weight}."),
    "title": ("{region}进出境快件处理中心选址：{model}", "borderhub: {model} plan"),
    "criteria skipped": ("因缺少数据未计算的指标：", "criteria skipped for lack of data: "),
}  # fmt: skip


def word(key: str, lang: str, **values: Any) -> str:
    """The report's word ``key`` in ``lang`` ("zh" or "en"), formatted with ``values``.

    Parameters
    ----------
    key : str
        A key of :data:`WORDS`.
    lang : {"zh", "en"}
    **values
        Fields of the text.

    Returns
    -------
    str

    Examples
    --------
    >>> from borderhub.plan.region import word
    >>> word("region", "zh"), word("cost curve", "en", title="p-median")
    ('研究区域', 'p-median: cost against p')
    """
    text = WORDS[key][0 if lang == "zh" else 1]
    return text.format(**values) if values else text


def province_extent(provinces: Sequence[str], margin: float = 0.06) -> tuple[float, ...]:
    """The box around the outlines of these provinces, with a margin.

    Parameters
    ----------
    provinces : sequence of str
        Province names (``黑龙江`` or ``黑龙江省``).
    margin : float, default 0.06
        Added on each side, as a share of the box's width and height.

    Returns
    -------
    tuple of float
        ``(lon_min, lat_min, lon_max, lat_max)``.

    Raises
    ------
    DataError
        None of the names is a province of the bundled outlines.
    """
    from borderhub import datasets
    from borderhub.exceptions import DataError
    from borderhub.plan.schema import province_key

    layer = datasets.boundaries("province")
    wanted = {province_key(p) for p in provinces}
    keys = layer["name"].map(province_key)
    chosen = layer[keys.isin(wanted).to_numpy()]
    if chosen.empty:
        raise DataError(f"no province outline for {sorted(wanted)}; check the province names")
    x0, y0, x1, y1 = (float(v) for v in chosen.total_bounds)
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    return (max(-180.0, x0 - dx), max(-90.0, y0 - dy), min(180.0, x1 + dx), min(90.0, y1 + dy))


def study_extent(config: Any) -> Any:
    """The maps' extent: the ``extent`` option, else the provinces' outline, else China.

    Parameters
    ----------
    config : PlanConfig

    Returns
    -------
    str or tuple of float
    """
    if config.extent is not None:
        return config.extent
    if config.provinces:
        return province_extent(config.provinces)
    return "china"


def study_lang(config: Any, inputs: Any) -> str | None:
    """The study's language: the ``lang`` option, else ``"zh"`` for Chinese headers.

    Parameters
    ----------
    config : PlanConfig
    inputs : the plan's inputs

    Returns
    -------
    str or None
        ``"zh"``, ``"en"``, or None (not stated: Chinese map labels, English report).
    """
    if config.lang is not None:
        return str(config.lang)
    if any(s.get("headers") == "zh" for s in inputs.sources.values() if isinstance(s, dict)):
        return "zh"
    return None
