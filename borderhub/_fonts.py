"""The one CJK font lookup for every matplotlib figure (plots and the static map)."""

from __future__ import annotations

from functools import cache

__all__ = ["cjk_family", "font_families"]

#: Families with Simplified Chinese glyphs, best first.
_WANTED = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)
_FILE_HINTS = ("cjk", "sourcehan", "wqy", "simhei", "msyh", "pingfang")


@cache
def cjk_family() -> str | None:
    """The name of an installed font family with Chinese glyphs, or None.

    matplotlib's font cache may predate fonts installed later, so when none of the known
    families is in it, the system's font files whose names suggest CJK glyphs are
    registered first. The answer is cached for the process.
    """
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    found = next((w for w in _WANTED if w in names), None)
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(k in path.lower() for k in _FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = {f.name for f in font_manager.fontManager.ttflist}
        found = next((w for w in _WANTED if w in names), None)
        if found is None:
            found = next((n for n in sorted(names) if "CJK" in n), None)
    return found


def font_families() -> list[str] | None:
    """The ``family`` to give matplotlib text that may hold Chinese: CJK first, then Latin."""
    family = cjk_family()
    return [family, "DejaVu Sans"] if family else None
