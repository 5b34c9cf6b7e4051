"""Decoding text files without guessing silently (see :func:`decode_text`)."""

from __future__ import annotations

from borderhub.exceptions import DataError, SpecificationError

__all__ = ["decode_text"]


def _first_bad_line(data: bytes, encoding: str) -> int | None:
    """1-based number of the first line that does not decode strictly, or None."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            return number
    return None


def _outside_gb2312(data: bytes) -> int | None:
    """The first line with a double-byte character outside the GB2312 block, or None.

    Chinese text in GB18030 keeps (almost) every character in the block whose lead and
    trail bytes are 0xA1-0xFE; Latin-1 or another code page read as GB18030 does not.
    """
    for number, line in enumerate(data.split(b"\n"), start=1):
        k = 0
        while k < len(line):
            byte = line[k]
            if byte < 0x80:
                k += 1
            elif k + 1 < len(line) and 0xA1 <= byte <= 0xFE and 0xA1 <= line[k + 1] <= 0xFE:
                k += 2
            else:
                return number
    return None


def decode_text(data: bytes, *, name: str = "file", encoding: str | None = None) -> str:
    r"""Decode a text file's bytes without guessing silently.

    With ``encoding`` given, the file is decoded strictly in that encoding. Otherwise it
    must be UTF-8 (with or without BOM) throughout; if it is not, GB18030 is used only
    when the whole file decodes strictly as GB18030, its Chinese characters lie in the
    common (GB2312) block and no line is UTF-8 text -- a UTF-8 file with one GBK line is
    refused, not read as 涓婃捣. Anything else is an error naming the first line that
    does not decode and the ``encoding=`` fix.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str, default "file"
        For error messages.
    encoding : str, optional
        Any codec Python knows (``"gb18030"``, ``"big5"``, ``"latin-1"``...).

    Returns
    -------
    str

    Raises
    ------
    DataError
        The bytes do not decode as described.
    SpecificationError
        An unknown ``encoding``.

    Examples
    --------
    >>> from borderhub.io import decode_text
    >>> decode_text("上海".encode("gb18030"))
    '上海'
    >>> try:
    ...     decode_text("上海\n".encode() + "Zürich\n".encode("latin-1"), name="a.csv")
    ... except ValueError as err:
    ...     print(str(err)[:47])
    a.csv is not UTF-8 text: line 2 does not decode
    >>> decode_text("Zürich".encode("latin-1"), encoding="latin-1")
    'Zürich'
    """
    hint = (
        "; save it as UTF-8, or give its encoding with encoding= (e.g. encoding='gb18030', "
        "'big5' or 'latin-1')"
    )
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise SpecificationError(
                f"unknown encoding {encoding!r}; give a codec name such as 'utf-8', "
                "'gb18030', 'big5' or 'latin-1'"
            ) from None
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise DataError(
                f"{name} is not {encoding} text: line {_first_bad_line(data, encoding)} does "
                "not decode; give the file's real encoding with encoding="
            ) from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise DataError(
            f"{name} is not a text file (a NUL byte in line {line}: binary data, or UTF-16); "
            "give a CSV saved as UTF-8"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    bad = _first_bad_line(data.removeprefix(b"\xef\xbb\xbf"), "utf-8")
    utf8_text = any(
        any(b >= 0x80 for b in line) and _first_bad_line(line, "utf-8") is None
        for line in data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    )
    if utf8_text:
        raise DataError(
            f"{name} is not UTF-8 text: line {bad} does not decode as UTF-8 although other "
            f"lines do (a mix of encodings){hint}"
        )
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise DataError(
            f"{name} is not UTF-8 text: line {bad} does not decode, and it is not GB18030 "
            f"either (line {_first_bad_line(data, 'gb18030')}){hint}"
        ) from None
    odd = _outside_gb2312(data)
    if odd is not None:
        raise DataError(
            f"{name} is not UTF-8 text: line {bad} does not decode; read as GB18030, line "
            f"{odd} would hold characters outside the common Chinese set (Latin-1 or "
            f"another code page?){hint}"
        )
    return text
