"""A small Markdown to reStructuredText converter for the documentation build.

borderhub's data provenance (``data/cities/README.md``) and changelog (``CHANGELOG.md``) are
written in GitHub-flavoured Markdown so they read well in the repository. The documentation
includes them without a Markdown parser dependency: this module converts the subset those
files use -- ATX headings, paragraphs, bullet and numbered lists (nested), pipe tables,
fenced code, block quotes, inline code, bold, italics and links -- into reStructuredText
that builds without warnings. Plain text is escaped, so stray ``*``, ``_`` or ``|`` never
turn into markup, and inline markup next to CJK characters uses escaped spaces.

>>> print(markdown_to_rst("# Title\\n\\nSome `code` and **bold**."), end="")
Title
=======
<BLANKLINE>
Some ``code`` and **bold**.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["markdown_to_rst", "inline"]

_LEVELS = ["=", "-", "~", "^", '"', "'"]
_FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+-]*)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)([-*+])\s+(.*)$")
_ORDERED = re.compile(r"^(\s*)(\d+)[.)]\s+(.*)$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HR = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_LEXERS = {"python", "py", "bash", "sh", "console", "shell", "json", "toml", "yaml", "text"}

_INLINE = re.compile(
    r"(?P<code>`+)(?P<codetext>.+?)(?P=code)"
    r"|\[(?P<ltext>[^\]]+)\]\((?P<lurl>[^)\s]+)(?:\s+\"[^\"]*\")?\)"
    r"|<(?P<auto>https?://[^>\s]+)>"
    r"|\*\*(?P<bold>[^*]+?)\*\*"
    r"|__(?P<bold2>[^_]+?)__"
    r"|(?<![\w*\\])\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*])"
    r"|(?<![\w\\])_(?P<em2>[^_\s](?:[^_]*[^_\s])?)_(?!\w)"
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _escape(text: str) -> str:
    """Escape characters that reStructuredText would read as markup."""
    text = text.replace("\\", "\\\\")
    for ch in "*`|_[]":
        text = text.replace(ch, "\\" + ch)
    return text


def _plain(text: str) -> str:
    """Strip Markdown emphasis from *text* (for link texts, where RST cannot nest)."""
    return re.sub(r"[*_`]", "", text)


def inline(text: str) -> str:
    """Convert Markdown inline markup in *text* to reStructuredText.

    Parameters
    ----------
    text : str
        One line or paragraph of Markdown.

    Returns
    -------
    str
        The same text as reStructuredText, with everything else escaped.

    Examples
    --------
    >>> inline("see [the plan](https://example.org) and `x_1`")
    'see `the plan <https://example.org>`__ and ``x_1``'
    >>> inline("中文**粗体**中文")
    '中文\\\\ **粗体**\\\\ 中文'
    """
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(_escape(text[pos : m.start()]))
        if m.group("code"):
            body = m.group("codetext").strip()
            piece = f"``{body}``" if body else ""
        elif m.group("ltext") is not None:
            label = _plain(m.group("ltext")).strip()
            url = m.group("lurl")
            if re.match(r"^(https?|mailto):", url):
                label = label.replace("<", "\\<").replace("`", "")
                piece = f"`{label} <{url}>`__"
            else:  # a relative link into the repository: keep the text only
                piece = _escape(label)
                out.append(piece)
                pos = m.end()
                continue
        elif m.group("auto"):
            piece = m.group("auto")
        elif m.group("bold") or m.group("bold2"):
            body = m.group("bold") or m.group("bold2")
            piece = f"**{_escape(body.strip())}**"
        else:
            body = m.group("em") or m.group("em2")
            piece = f"*{_escape(body.strip())}*"
        before = text[m.start() - 1] if m.start() > 0 else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if not (before.isspace() or unicodedata.category(before).startswith("P")):
            piece = "\\ " + piece
        if not (after.isspace() or unicodedata.category(after).startswith("P")):
            piece = piece + "\\ "
        out.append(piece)
        pos = m.end()
    out.append(_escape(text[pos:]))
    return "".join(out)


def _split_row(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return [c.strip().replace("\\|", "|") for c in cells]


def _table(rows: list[str]) -> list[str]:
    header = _split_row(rows[0])
    body = [_split_row(r) for r in rows[2:]]
    ncol = len(header)
    out = [".. list-table::", "   :header-rows: 1", ""]
    for cells in [header, *body]:
        cells = (cells + [""] * ncol)[:ncol]
        for k, cell in enumerate(cells):
            marker = "   * - " if k == 0 else "     - "
            out.append(marker + (inline(cell) if cell else ""))
    out.append("")
    return out


def markdown_to_rst(text: str, top_level: int = 0) -> str:
    """Convert a Markdown document to reStructuredText.

    Parameters
    ----------
    text : str
        The Markdown source.
    top_level : int, default 0
        Section level of a Markdown ``#`` heading: 0 uses ``=`` underlines, 1 uses ``-``
        and so on, so an included file nests under the including page's title.

    Returns
    -------
    str
        reStructuredText.

    Examples
    --------
    >>> print(markdown_to_rst("## A\\n\\n- one\\n  - two\\n", top_level=1), end="")
    A
    ~~~
    <BLANKLINE>
    - one
    <BLANKLINE>
      - two
    """
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    # open list items: (markdown indent, rst marker indent, rst text indent)
    list_stack: list[tuple[int, int, int]] = []

    def blank() -> None:
        if out and out[-1] != "":
            out.append("")

    while i < len(lines):
        line = lines[i].rstrip()
        fence = _FENCE.match(line)
        if fence:
            indent = " " * (list_stack[-1][2] if list_stack else 0)
            lang = fence.group(3).lower()
            lang = lang if lang in _LEXERS else "text"
            blank()
            out += [f"{indent}.. code-block:: {lang}", ""]
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence.group(2)):
                out.append(f"{indent}   {lines[i].rstrip()}" if lines[i].strip() else "")
                i += 1
            i += 1
            out.append("")
            continue
        if not line.strip():
            blank()
            i += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            list_stack.clear()
            level = min(len(heading.group(1)) - 1 + top_level, len(_LEVELS) - 1)
            title = inline(heading.group(2))
            blank()
            out += [title, _LEVELS[level] * (_width(title) + 2), ""]
            i += 1
            continue
        if _HR.match(line) and not _BULLET.match(line):
            i += 1
            continue
        if "|" in line and i + 1 < len(lines) and _TABLE_SEP.match(lines[i + 1]):
            rows = [line, lines[i + 1]]
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(lines[i].rstrip())
                i += 1
            list_stack.clear()
            blank()
            out += _table(rows)
            continue
        if line.lstrip().startswith(">"):
            list_stack.clear()
            blank()
            quote = []
            while i < len(lines) and lines[i].lstrip().startswith(">"):
                quote.append(lines[i].lstrip()[1:].strip())
                i += 1
            converted = markdown_to_rst("\n".join(quote), top_level=top_level).splitlines()
            out += [("   " + q) if q else "" for q in converted]
            out.append("")
            continue
        item = _BULLET.match(line) or _ORDERED.match(line)
        if item:
            md_indent = len(item.group(1))
            while list_stack and md_indent < list_stack[-1][0]:
                list_stack.pop()
            if list_stack and md_indent > list_stack[-1][0]:
                rst_indent = list_stack[-1][2]
                blank()
            elif list_stack:
                rst_indent = list_stack.pop()[1]
            else:
                rst_indent = 0
                if out and out[-1] != "":
                    blank()
            marker = "- " if _BULLET.match(line) else "#. "
            out.append(" " * rst_indent + marker + inline(item.group(3)))
            list_stack.append((md_indent, rst_indent, rst_indent + len(marker)))
            i += 1
            continue
        if list_stack:
            md_indent = len(line) - len(line.lstrip())
            if md_indent == 0 and out and out[-1] == "":
                list_stack.clear()
            else:
                out.append(" " * list_stack[-1][2] + inline(line.strip()))
                i += 1
                continue
        stripped = line.strip()
        text_line = inline(stripped)
        # a paragraph line that RST would read as an enumerator or a directive
        if re.match(r"^(\(?([0-9]+|[a-zA-Z]|[ivxlcdmIVXLCDM]+|#)[.)]\s|\.\.\s|[-+*]\s)", text_line):
            text_line = "\\" + text_line
        out.append(text_line)
        i += 1
    blank()
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
